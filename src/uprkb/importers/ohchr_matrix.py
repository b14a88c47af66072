"""Reader for OHCHR's thematic list of recommendations (the "matrix"), as text or .docx.

Per record: ``140.7 Ratify … (Maldives) (Portugal);``, then
``Source of Position: A/HRC/59/15/Add.1 - Para.3``, the position (``Supported``,
``Noted``), the themes (``- …``), ``Groups of Persons:`` with the groups, and the SDG
goals (``- 16 - PEACE, JUSTICE AND STRONG INSTITUTIONS``). Records sit under
``Theme:`` headings; HTML entities (``&amp;``) are decoded. Themes and groups are
mapped to our terms through the vocabularies' ``uhri`` equivalents.
"""

from __future__ import annotations

import html
import io
import re
from typing import Any, ClassVar

from uprkb.core.errors import Location
from uprkb.importers.base import ImportedRecord, ImportedReview, ImportResult, ReadOptions, SourceFile
from uprkb.importers.mapping import Mapper, state_iso3, state_name
from uprkb.importers.responses import find_review
from uprkb.importers.text import split_states
from uprkb.model.refs import review_id
from uprkb.model.reviews import ImportFormat

_RECORD = re.compile(r"^(\d{1,3}\.\d{1,3})\s+(\S.*)$")
_SOURCE = re.compile(r"^source\s+of\s+position\s*:\s*(\S+?)\s*(?:-\s*para(?:graph)?\.?\s*([0-9]+)\S*)?\s*$", re.I)
_SDG = re.compile(r"^-\s*(\d{1,2})\s*-\s*\S")
_POSITIONS = {
    "supported": "supported",
    "noted": "noted",
    "supported/noted": "supported-in-part",
    "partially supported": "supported-in-part",
    "supported in part": "supported-in-part",
}
_HEADER_LINES = {
    "recommendation and recommending state",
    "position of the state under review",
    "human rights themes and groups of persons",
    "relevant sdgs",
}


def map_labels(
    mapper: Mapper, system: str, themes: list[str], persons: list[str], result: ImportResult
) -> dict[str, Any]:
    """Theme and group labels → ``themes``, ``affected_persons`` and ``unmapped`` fields."""
    out_t: list[str] = []
    out_p: list[str] = []
    unmapped: list[dict[str, str]] = []
    for label in themes:
        tids = mapper.theme(system, label)
        if not tids:
            unmapped.append({"system": system, "kind": "themes", "label": label})
            result.unmapped[(system, "themes", label)] += 1
        out_t.extend(t for t in tids if t not in out_t)
    for label in persons:
        pids = mapper.person(system, label)
        if not pids:
            unmapped.append({"system": system, "kind": "affected_persons", "label": label})
            result.unmapped[(system, "affected_persons", label)] += 1
        out_p.extend(p for p in pids if p not in out_p)
    return {"themes": out_t, "affected_persons": out_p, "unmapped": unmapped}


def recommending(names: list[str], result: ImportResult) -> list[dict[str, str]]:
    """Recommending-State entries with ISO3 codes where the names match."""
    out = []
    for name in names:
        iso3 = state_iso3(name)
        if iso3 is None:
            result.unmatched_states[name] += 1
        out.append({"name": name, "iso3": iso3} if iso3 else {"name": name})
    return out


def _docx_lines(source: SourceFile, result: ImportResult) -> list[tuple[Location, str]] | None:
    """The matrix's table in a .docx as the lines of its text form, each located at its table row.

    A row's cells are read left to right (a merged cell once); in the themes and SDG
    cells every paragraph is an item, as Word's bullets are formatting, not text.
    """
    import zipfile

    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    try:
        doc = Document(io.BytesIO(source.data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        result.problems.add(
            source.at(),
            "invalid-format",
            f"the file is not a Word document ({exc})",
            "give OHCHR's thematic list as .docx, or its text",
        )
        return None
    lines: list[tuple[Location, str]] = []
    for t, table in enumerate(doc.tables, 1):
        for r, row in enumerate(table.rows, 1):
            where = Location(f"{source.shown} (table {t})", r, 1)
            seen: set[int] = set()
            for c, cell in enumerate(row.cells):
                if id(cell._tc) in seen:
                    continue
                seen.add(id(cell._tc))
                for para in cell.paragraphs:
                    for text in para.text.split("\n"):
                        text = text.strip()
                        bullet = (
                            c >= 2 and text and not text.startswith("-") and not text.lower().startswith("groups of")
                        )
                        lines.append((where, f"- {text}" if bullet else text))
    return lines


class OhchrMatrixReader:
    """OHCHR's thematic list of recommendations (text)."""

    format: ClassVar[ImportFormat] = ImportFormat.ohchr_matrix

    def read(self, source: SourceFile, options: ReadOptions) -> ImportResult:
        result = ImportResult(self.format, source)
        problems = result.problems
        if source.path.suffix.lower() == ".docx":
            located = _docx_lines(source, result)
        else:
            text = source.text(problems, options.encoding)
            located = None if text is None else [(source.at(n, 1), raw) for n, raw in enumerate(text.split("\n"), 1)]
        if located is None:
            return result
        blocks: list[tuple[Location, list[str]]] = []
        for where, raw in located:
            line = html.unescape(raw).strip()
            if not line or line.lower() in _HEADER_LINES or line.lower().startswith("theme:"):
                continue
            if _RECORD.match(line):
                blocks.append((where, [line]))
            elif blocks:
                blocks[-1][1].append(line)
        symbol: str | None = None
        records: list[ImportedRecord] = []
        for where, lines in blocks:
            rec = self._record(where, lines, options, result)
            if rec is not None:
                records.append(rec)
                src = rec.fields.get("position_source") or {}
                symbol = symbol or src.get("document")
        if not records:
            if not problems.errors:
                problems.add(
                    source.at(1, 1),
                    "no-records",
                    "found no records such as '140.7 Ratify … (Maldives);' followed by 'Source of Position:'",
                    "give OHCHR's thematic list of recommendations as text or as the .docx with its table",
                )
            return result
        report = symbol.split("/Add")[0] if symbol else None
        rid = options.review or (find_review(options.data_dir, report) if report else None)
        review: dict[str, Any] = {}
        if rid is None:
            iso3 = (
                options.state.upper()
                if options.state and re.fullmatch(r"[A-Z]{3}", options.state)
                else state_iso3(options.state or "")
            )
            if iso3 is None or options.cycle is None:
                problems.add(
                    source.at(1, 1),
                    "unknown-review",
                    f"no review in the data has the report {report or '(none named)'}, "
                    "and the State and cycle are not given",
                    "import the Working Group report first, or name the review with --review, "
                    "or give --state and --cycle",
                )
                return result
            rid = review_id(iso3, options.cycle)
            review = {
                "id": rid,
                "state": {"name": state_name(iso3) or options.state, "iso3": iso3},
                "cycle": options.cycle,
            }
        if report:
            review["report"] = report
        if symbol and "/Add" in symbol:
            review["addendum"] = symbol
        result.reviews = [ImportedReview(rid, review, records)]
        return result

    def _record(
        self, where: Location, lines: list[str], options: ReadOptions, result: ImportResult
    ) -> ImportedRecord | None:
        problems = result.problems
        m = _RECORD.match(lines[0])
        assert m is not None
        rid = m.group(1)
        i = 1
        body = [m.group(2)]
        while i < len(lines) and not _SOURCE.match(lines[i]):
            body.append(lines[i])
            i += 1
        text, states = split_states(" ".join(body))
        if not states:
            problems.add(where, "missing-value", f"record {rid} names no recommending State in parentheses", "")
            return None
        fields: dict[str, Any] = {"id": rid, "text": text, "recommending_states": recommending(states, result)}
        if i >= len(lines):
            problems.add(where, "missing-value", f"record {rid} has no 'Source of Position:' line", "")
            return None
        src = _SOURCE.match(lines[i])
        assert src is not None
        if src.group(1).lower() not in ("", "-"):
            fields["position_source"] = {"document": src.group(1), "paragraph": src.group(2)}
        i += 1
        if i < len(lines) and lines[i].lower() in _POSITIONS:
            fields["position"] = _POSITIONS[lines[i].lower()]
            i += 1
        elif i < len(lines) and not lines[i].startswith("-"):
            problems.add(
                where,
                "invalid-choice",
                f"record {rid}: the position {lines[i]!r} is not Supported, Noted or Supported/Noted",
                "correct the position line",
            )
            return None
        themes: list[str] = []
        persons: list[str] = []
        goals: list[int] = []
        target = themes
        for line in lines[i:]:
            if line.lower().startswith("groups of persons"):
                target = persons
                rest = line.split(":", 1)[1].strip() if ":" in line else ""
                if rest:
                    persons.append(rest.lstrip("- ").strip())
                continue
            sdg = _SDG.match(line)
            if sdg:
                goal = int(sdg.group(1))
                if 1 <= goal <= 17 and goal not in goals:
                    goals.append(goal)
                continue
            if line.startswith("-"):
                target.append(line[1:].strip())
        fields.update(map_labels(options.mapper, "uhri", themes, persons, result))
        fields["sdg_goals"] = goals
        return ImportedRecord(fields, where)
