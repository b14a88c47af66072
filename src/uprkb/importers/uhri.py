"""Reader for OHCHR's Universal Human Rights Index (UHRI) exports: JSON and Excel.

JSON fields: ``AnnotationId, Symbol, Text, Themes, AffectedPersons, Sdgs,
UprCycle, UprPositions, UprRecommendingCountry, UprSession, PublicationDate``
and ``Countries`` (the State under review); list values are lines with a leading
``- ``. The Excel export has the same content under column titles, some
misspelled (``Reccomending Body``, ``UPR Reccomending States``); titles are matched
after normalising case and spelling. The recommendation's ID is the paragraph
number the text starts with (``140.7 Ratify …``); a record without one gets the
assigned ID ``uhri-<annotation id>``.
"""

from __future__ import annotations

import html
import io
import json
import re
from collections import defaultdict
from typing import Any, ClassVar

from uprkb.core.errors import Location
from uprkb.importers.base import ImportedRecord, ImportedReview, ImportResult, ReadOptions, SourceFile
from uprkb.importers.mapping import Mapper, state_iso3, state_name
from uprkb.importers.ohchr_matrix import map_labels, recommending
from uprkb.model.refs import cycle_of_session, review_id
from uprkb.model.reviews import ImportFormat

#: Normalised Excel column titles (and JSON keys) → JSON field names.
COLUMN_NAMES: dict[str, str] = {
    "annotationid": "AnnotationId",
    "id": "AnnotationId",
    "symbol": "Symbol",
    "documentsymbol": "Symbol",
    "text": "Text",
    "annotation": "Text",
    "themes": "Themes",
    "humanrightsthemes": "Themes",
    "affectedpersons": "AffectedPersons",
    "groupsofpersons": "AffectedPersons",
    "sdgs": "Sdgs",
    "sdg": "Sdgs",
    "uprcycle": "UprCycle",
    "cycle": "UprCycle",
    "uprpositions": "UprPositions",
    "uprposition": "UprPositions",
    "position": "UprPositions",
    "uprrecommendingcountry": "UprRecommendingCountry",
    "uprrecommendingstates": "UprRecommendingCountry",
    "uprreccomendingstates": "UprRecommendingCountry",
    "recommendingstates": "UprRecommendingCountry",
    "recommendingbody": "RecommendingBody",
    "reccomendingbody": "RecommendingBody",
    "uprsession": "UprSession",
    "session": "UprSession",
    "publicationdate": "PublicationDate",
    "countries": "Countries",
    "country": "Countries",
}
REQUIRED = ("Symbol", "Text", "UprRecommendingCountry")
_POSITIONS = {"supported": "supported", "noted": "noted", "supported/noted": "supported-in-part"}
_LEAD_ID = re.compile(r"^\s*(\d{1,3}\.\d{1,3})\.?\s+(\S.*)$", re.S)
_SDG_GOAL = re.compile(r"^(\d{1,2})(?:\s*-|\s|$)")
_SDG_TARGET = re.compile(r"^(\d{1,2})\.(\d{1,2}|[a-z])\b")


def sdg_fields(
    mapper: Mapper, labels: list[str], unmapped: list[dict[str, str]], result: ImportResult
) -> dict[str, Any]:
    """SDG labels (``16 - PEACE …`` or ``16.3 …``) as goal numbers and target IDs; others go to ``unmapped``."""
    goals: list[int] = []
    targets: list[str] = []
    for label in labels:
        t = _SDG_TARGET.match(label)
        found = t or _SDG_GOAL.match(label)
        number = int(found.group(1)) if found else 0
        if not 1 <= number <= 17:
            unmapped.append({"system": "uhri", "kind": "sdgs", "label": label})
            result.unmapped[("uhri", "sdgs", label)] += 1
            continue
        if number not in goals:
            goals.append(number)
        if t:
            tid = mapper.targets.get(f"{t.group(1)}.{t.group(2)}")
            if tid is None:
                unmapped.append({"system": "uhri", "kind": "sdgs", "label": label})
                result.unmapped[("uhri", "sdgs", label)] += 1
            elif tid not in targets:
                targets.append(tid)
    return {"sdg_goals": goals, "sdg_targets": targets}


def _key(title: str) -> str:
    return re.sub(r"[^a-z]", "", title.lower())


def values(raw: Any) -> list[str]:
    """A UHRI list value (``"- A\\n- B"``, ``["- A", "- B"]`` or ``"A"``) as a list of labels."""
    if raw is None:
        return []
    items = raw if isinstance(raw, list) else str(raw).split("\n")
    out = []
    for item in items:
        label = html.unescape(str(item)).strip()
        label = label[2:].strip() if label.startswith("- ") else label.lstrip("-").strip()
        if label:
            out.append(label)
    return out


def _number(raw: Any) -> int | None:
    for v in values(raw):
        m = re.search(r"\d{1,3}", v)
        if m:
            return int(m.group())
    return None


class UhriReader:
    """UHRI export: JSON (``.json``) or Excel (``.xlsx``)."""

    format: ClassVar[ImportFormat] = ImportFormat.uhri

    def read(self, source: SourceFile, options: ReadOptions) -> ImportResult:
        result = ImportResult(self.format, source)
        if source.path.suffix.lower() in (".xlsx", ".xlsm"):
            rows = self._excel(source, result)
        else:
            rows = self._json(source, options, result)
        if rows is None:
            return result
        self._records(rows, source, options, result)
        return result

    def _json(
        self, source: SourceFile, options: ReadOptions, result: ImportResult
    ) -> list[tuple[Location, dict[str, Any]]] | None:
        text = source.text(result.problems, options.encoding)
        if text is None:
            return None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            result.problems.add(
                source.at(exc.lineno, exc.colno),
                "invalid-format",
                f"the file is not valid JSON: {exc.msg}",
                "export the annotations from UHRI again as JSON, or give the Excel export",
            )
            return None
        if isinstance(data, dict):
            lists = [v for v in data.values() if isinstance(v, list)]
            data = lists[0] if len(lists) == 1 else None
        if not isinstance(data, list):
            result.problems.add(
                source.at(1, 1), "wrong-type", "the JSON holds no list of annotations", "give UHRI's JSON export"
            )
            return None
        # json.loads keeps no positions: locate each object by the n-th '"AnnotationId"' (or '{') in the text.
        marks = [m.start() for m in re.finditer(r'"AnnotationId"', text)] or [
            m.start() for m in re.finditer(r"\{", text)
        ]
        rows = []
        for n, item in enumerate(data):
            off = marks[n] if n < len(marks) else 0
            line = text.count("\n", 0, off) + 1
            where = source.at(line, off - text.rfind("\n", 0, off))
            if not isinstance(item, dict):
                result.problems.add(where, "wrong-type", f"item {n + 1} is not an object", "")
                continue
            rows.append((where, {COLUMN_NAMES.get(_key(str(k)), str(k)): v for k, v in item.items()}))
        return rows

    def _excel(self, source: SourceFile, result: ImportResult) -> list[tuple[Location, dict[str, Any]]] | None:
        import zipfile

        from openpyxl import load_workbook

        try:
            wb = load_workbook(io.BytesIO(source.data), read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
            result.problems.add(
                source.at(),
                "invalid-format",
                f"the file is not an Excel workbook ({exc})",
                "give UHRI's Excel export (.xlsx) or its JSON export",
            )
            return None
        ws = wb.worksheets[0]
        it = ws.iter_rows(values_only=True)
        header = next(it, None)
        if header is None:
            result.problems.add(source.at(), "empty-file", "the first sheet is empty", "")
            return None
        names = [COLUMN_NAMES.get(_key(str(h or "")), str(h or "")) for h in header]
        rows = []
        for n, row in enumerate(it, 2):
            if all(v is None or str(v).strip() == "" for v in row):
                continue
            rows.append((Location(f"{source.shown} row {n}", n, 1), dict(zip(names, row, strict=False))))
        wb.close()
        missing = [c for c in REQUIRED if c not in names]
        if missing:
            result.problems.add(
                Location(source.shown, 1, 1),
                "missing-column",
                f"the sheet has no column for {', '.join(missing)} (its columns: {', '.join(map(str, header))})",
                "give UHRI's Excel export with the recommendations' text, symbol and recommending States",
            )
            return None
        return rows

    def _records(
        self,
        rows: list[tuple[Location, dict[str, Any]]],
        source: SourceFile,
        options: ReadOptions,
        result: ImportResult,
    ) -> None:
        problems = result.problems
        groups: dict[str, ImportedReview] = {}
        by_review: dict[str, list[ImportedRecord]] = defaultdict(list)
        for where, row in rows:
            missing = [c for c in REQUIRED if not row.get(c)]
            if missing:
                problems.add(where, "missing-value", f"the annotation has no {', '.join(missing)}", "")
                continue
            country = (values(row.get("Countries")) or [options.state or ""])[0]
            iso3 = (country.upper() if re.fullmatch(r"[A-Z]{3}", country) else state_iso3(country)) if country else None
            session = _number(row.get("UprSession"))
            cycle = _number(row.get("UprCycle")) or options.cycle or (cycle_of_session(session) if session else None)
            if iso3 is None or cycle is None:
                problems.add(
                    where,
                    "missing-value",
                    "cannot tell the State under review and the cycle of this annotation"
                    + (f" ('{country}' matches no country)" if country and iso3 is None else ""),
                    "the export's Countries and UprCycle fields give them; otherwise pass --state and --cycle",
                )
                continue
            rid = review_id(iso3, cycle)
            symbol = str(row["Symbol"]).strip()
            if rid not in groups:
                groups[rid] = ImportedReview(
                    rid,
                    {
                        "id": rid,
                        "state": {"name": state_name(iso3) or country, "iso3": iso3},
                        "cycle": cycle,
                        "session": session,
                        "report": symbol.split("/Add")[0] if symbol.startswith("A/HRC/") else None,
                    },
                )
            text = " ".join(str(row["Text"]).split())
            m = _LEAD_ID.match(text)
            annotation = str(row.get("AnnotationId") or "").strip()
            fields: dict[str, Any] = {}
            if m:
                fields["id"], text = m.group(1), m.group(2)
            elif annotation:
                fields["id"], fields["id_assigned"] = f"uhri-{re.sub(r'[^a-z0-9]+', '-', annotation.lower())}", True
            else:
                problems.add(where, "missing-value", "the annotation has neither a paragraph number nor an ID", "")
                continue
            states = values(row["UprRecommendingCountry"])
            fields["text"] = text.rstrip(";.").strip() if states else text
            fields["recommending_states"] = recommending(states, result)
            pos = [_POSITIONS.get(p.lower()) for p in values(row.get("UprPositions"))]
            if pos and pos[0] is None:
                problems.add(
                    where,
                    "invalid-choice",
                    f"the position {values(row.get('UprPositions'))[0]!r} is not Supported or Noted",
                    "correct the position",
                )
                continue
            if pos:
                fields["position"] = pos[0]
            if annotation:
                fields["upstream"] = {"uhri": re.sub(r"[^A-Za-z0-9-]", "-", annotation)[:64]}
            fields.update(
                map_labels(
                    options.mapper, "uhri", values(row.get("Themes")), values(row.get("AffectedPersons")), result
                )
            )
            fields.update(sdg_fields(options.mapper, values(row.get("Sdgs")), fields["unmapped"], result))
            by_review[rid].append(ImportedRecord(fields, where))
        for rid, review in sorted(groups.items()):
            review.records = by_review[rid]
        result.reviews = [groups[k] for k in sorted(groups)]
