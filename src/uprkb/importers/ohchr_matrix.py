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
import re
from dataclasses import dataclass, field
from typing import Any, ClassVar

from uprkb.core.errors import Location
from uprkb.importers.base import ImportedRecord, ImportedReview, ImportResult, ReadOptions, SourceFile
from uprkb.importers.mapping import Mapper, state_iso3, state_name
from uprkb.importers.responses import find_review
from uprkb.importers.states import split_state_names
from uprkb.importers.text import split_states
from uprkb.model.refs import review_id
from uprkb.model.reviews import ImportFormat

_RECORD = re.compile(r"^(\d{1,3}\.\d{1,3})\.?\s+(\S.*)$")
_SOURCE_LINE = re.compile(r"^source\s+of\s+position\s*:", re.I)
_SOURCE = re.compile(r"^source\s+of\s+position\s*:\s*([A-Z][A-Za-z0-9./()-]*?)[\s,]*(?:[,-]|$)", re.I)
_INNER_STATES = re.compile(r"\(((?:[^()]|\([^()]*\))+)\)\s*;")
_PARA = re.compile(r"para(?:graph)?s?\.?\s*([0-9]+(?:\.[0-9]+)*)", re.I)
_SDG = re.compile(r"^-\s*(\d{1,2})\s*-\s*\S")
_THEME_CODE = re.compile(r"^([A-Z]\d{1,2})\s+(\S.*)$")
"""The code OHCHR's older thematic lists put before a theme: ``A12 Acceptance of international norms``."""
_PERSONS_LABEL = re.compile(
    r"^(?:affected\s+persons|groups?\s+of\s+persons|persons\s+affected|persons\s+concerned)\s*:(.*)$", re.I
)
"""The label before the groups of persons in a themes cell (the groups are never themes)."""
_POSITIONS = {
    "supported": "supported",
    "accepted": "supported",
    "noted": "noted",
    "supported/noted": "supported-in-part",
    "noted/supported": "supported-in-part",
    "partially supported": "supported-in-part",
    "supported in part": "supported-in-part",
    "partially accepted": "supported-in-part",
    "accepted in part": "supported-in-part",
}
_HEADER_LINES = {
    "recommendation and recommending state",
    "position of the state under review",
    "human rights themes and groups of persons",
    "relevant sdgs",
    "recommendation",
    "position",
    "full list of themes",
    "assessment/comments on level of implementation",
}


def map_labels(
    mapper: Mapper, system: str, themes: list[str], persons: list[str], result: ImportResult
) -> dict[str, Any]:
    """Theme and group labels → ``themes``, ``affected_persons`` and ``unmapped`` fields."""
    out_t: list[str] = []
    out_p: list[str] = []
    unmapped: list[dict[str, str]] = []
    for label in themes:
        coded = _THEME_CODE.match(label)
        tids = mapper.theme(system, label) or (mapper.theme(system, coded.group(2)) if coded else ())
        if not tids:
            unmapped.append({"system": system, "kind": "themes", "label": label})
            result.unmapped[(system, "themes", label)] += 1
        out_t.extend(t for t in tids if t not in out_t)
    for label in persons:
        coded = _THEME_CODE.match(label)
        pids = mapper.person(system, label) or (mapper.person(system, coded.group(2)) if coded else ())
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


def _blocks_from_tables(
    source: SourceFile, options: ReadOptions, result: ImportResult
) -> list[tuple[Location, _Parts]] | None:
    """The records of the Word tables (a .docx, or a .doc converted by LibreOffice)."""
    from uprkb.importers.tables import matrix_rows, open_docx

    data = source.data
    if source.path.suffix.lower() == ".doc":
        from uprkb.importers.tables import doc_to_docx

        converted = doc_to_docx(source, result.problems)
        if converted is None:
            return None
        data = converted
    doc = open_docx(data, source, result.problems)
    if doc is None:
        return None
    out: list[tuple[Location, _Parts]] = []
    for where, row in matrix_rows(doc, source.shown):
        parts = _Parts()
        rec_lines = [ln.strip() for ln in row.get("recommendation", "").split("\n") if ln.strip()]
        if not rec_lines or not _RECORD.match(html.unescape(rec_lines[0])):
            continue
        for line in rec_lines:
            line = html.unescape(line)
            if _SOURCE_LINE.match(line):
                parts.source = line
            elif parts.source is None:
                parts.body.append(line)
        if row.get("source"):
            parts.source = "Source of position: " + " ".join(row["source"].split())
        if row.get("states"):
            parts.states = [
                n for line in row["states"].split("\n") if line.strip() for n in split_state_names(line.strip(" ;,."))
            ]
        parts.position = " ".join(row.get("position", "").split()) or None
        _labels(row.get("themes", ""), parts, parts.themes)
        if row.get("persons"):
            _labels(row["persons"], parts, parts.persons)
        for line in row.get("sdgs", "").split("\n"):
            _sdg(line.strip().lstrip("-").strip(), parts)
        out.append((where, parts))
    return out


def _labels(cell: str, parts: _Parts, target: list[str]) -> None:
    """A cell's lines as labels: after a persons label ("Affected persons:", "Groups of Persons:") they are groups."""
    for raw in cell.split("\n"):
        line = html.unescape(raw).strip()
        if not line:
            continue
        label = _PERSONS_LABEL.match(line)
        if label:
            target = parts.persons
            rest = label.group(1).strip().lstrip("-").strip()
            if rest:
                target.append(rest)
            continue
        if _SDG.match(line):
            _sdg(line.lstrip("-").strip(), parts)
            continue
        target.append(line.lstrip("-").strip())


def _sdg(line: str, parts: _Parts) -> None:
    m = re.match(r"^(\d{1,2})\s*-\s*\S", line)
    if m and 1 <= int(m.group(1)) <= 17 and int(m.group(1)) not in parts.goals:
        parts.goals.append(int(m.group(1)))


@dataclass
class _Parts:
    """One record's pieces, however the file lays them out."""

    body: list[str] = field(default_factory=list)
    source: str | None = None
    position: str | None = None
    states: list[str] | None = None
    themes: list[str] = field(default_factory=list)
    persons: list[str] = field(default_factory=list)
    goals: list[int] = field(default_factory=list)


def _parts_of_lines(lines: list[str]) -> _Parts:
    """A text record's lines: the recommendation up to 'Source of position:', the position, then labels."""
    parts = _Parts()
    i = 0
    while i < len(lines) and not _SOURCE_LINE.match(lines[i]):
        parts.body.append(lines[i])
        i += 1
    if i < len(lines):
        parts.source = lines[i]
        i += 1
    if i < len(lines) and (
        _position(lines[i]) is not None
        or not (lines[i].startswith("-") or _PERSONS_LABEL.match(lines[i]) or _THEME_CODE.match(lines[i]))
    ):
        parts.position = lines[i]
        i += 1
    target = parts.themes
    for line in lines[i:]:
        label = _PERSONS_LABEL.match(line)
        if label:
            target = parts.persons
            rest = label.group(1).strip().lstrip("-").strip()
            if rest:
                target.append(rest)
            continue
        if _SDG.match(line):
            _sdg(line.lstrip("-").strip(), parts)
            continue
        target.append(line.lstrip("-").strip())
    return parts


def _position(text: str) -> str | None:
    return _POSITIONS.get(re.sub(r"\s*/\s*", "/", " ".join(text.lower().split())).strip(" ."))


class OhchrMatrixReader:
    """OHCHR's thematic list of recommendations (text)."""

    format: ClassVar[ImportFormat] = ImportFormat.ohchr_matrix

    def read(self, source: SourceFile, options: ReadOptions) -> ImportResult:
        result = ImportResult(self.format, source)
        problems = result.problems
        parsed: list[tuple[Location, _Parts]] | None
        if source.path.suffix.lower() in (".docx", ".doc"):
            parsed = _blocks_from_tables(source, options, result)
        else:
            text = source.text(problems, options.encoding)
            parsed = None if text is None else self._text_blocks(source, text)
        if parsed is None:
            return result
        symbol: str | None = None
        records: list[ImportedRecord] = []
        for where, parts in parsed:
            rec = self._record(where, parts, options, result)
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

    @staticmethod
    def _text_blocks(source: SourceFile, text: str) -> list[tuple[Location, _Parts]]:
        blocks: list[tuple[Location, list[str]]] = []
        for n, raw in enumerate(text.split("\n"), 1):
            line = html.unescape(raw).strip()
            if not line or line.lower() in _HEADER_LINES or line.lower().startswith("theme:"):
                continue
            if _RECORD.match(line):
                blocks.append((source.at(n, 1), [line]))
            elif blocks:
                blocks[-1][1].append(line)
        return [(where, _parts_of_lines(lines)) for where, lines in blocks]

    def _record(
        self, where: Location, parts: _Parts, options: ReadOptions, result: ImportResult
    ) -> ImportedRecord | None:
        problems = result.problems
        m = _RECORD.match(parts.body[0])
        assert m is not None
        rid = m.group(1)
        body = " ".join([m.group(2), *parts.body[1:]])
        text, named = split_states(body)
        if parts.states:  # a column of its own names the States; the text keeps a parenthesis that names none
            if not named or any(state_iso3(n) is None for n in named):
                text = body.rstrip().rstrip(";.,").rstrip()
            states = parts.states
        else:
            states = [n for name in named for n in split_state_names(name)]
            # One ID joining several States' wordings: "Ratify ICCPR (Albania); Ratify … (Chile); …"
            inner = [
                n
                for g in _INNER_STATES.findall(text)
                for n in split_state_names(g)
                if all(state_iso3(p) for p in split_state_names(g))
            ]
            states = list(dict.fromkeys([*inner, *states]))
        if not states:
            problems.add(where, "missing-value", f"record {rid} names no recommending State in parentheses", "")
            return None
        fields: dict[str, Any] = {"id": rid, "text": text, "recommending_states": recommending(states, result)}
        if parts.source is None:
            problems.add(where, "missing-value", f"record {rid} has no 'Source of Position:' line", "")
            return None
        src = _SOURCE.match(parts.source)
        if src and src.group(1) not in ("", "-"):
            para = _PARA.findall(parts.source)
            fields["position_source"] = {"document": src.group(1).rstrip("."), "paragraph": para[-1] if para else None}
        if parts.position:
            position = _position(parts.position)
            if position is None:
                problems.add(
                    where,
                    "invalid-choice",
                    f"record {rid}: the position {parts.position!r} is not Supported, Noted or Supported/Noted",
                    "correct the position line",
                )
                return None
            fields["position"] = position
        fields.update(map_labels(options.mapper, "uhri", parts.themes, parts.persons, result))
        fields["sdg_goals"] = list(parts.goals)
        return ImportedRecord(fields, where)
