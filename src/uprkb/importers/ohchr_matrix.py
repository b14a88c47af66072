"""Reader for OHCHR's thematic list of recommendations (the "matrix"), as text or .docx, read by meaning.

Per record: ``140.7 Ratify … (Maldives) (Portugal);``, then ``Source of Position:
A/HRC/59/15/Add.1 - Para.3``, the position (``Supported``, ``Noted``), the themes (``- …`` or
``A12 …``), ``Groups of Persons:`` / ``Affected persons:`` with the groups, and the SDG goals
(``- 16 - PEACE, JUSTICE AND STRONG INSTITUTIONS``, ``S16 - peace, justice …``).

Nothing is read by its heading. Every line is known by what it holds (:func:`.tables.line_kind`,
a table of cases). In a Word table each column takes the role most of its cells hold
(:func:`.tables.table_records`), the title only breaking a tie; in text (here), the ``Theme:``
headings between rows show which kinds of line belong to the record after them (columns left of
the recommendation) and which to the record before, again by a vote. SDG lines give
``sdg_goals`` wherever they stand, never themes. A line or cell that none of this reads is a
warning located at it, for its record alone, and the other records are imported; a file
without recommendation IDs, or without their text, is refused. HTML entities (``&amp;``) are
decoded; themes and groups are mapped to our terms through the vocabularies' ``uhri``
equivalents.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any, ClassVar

from uprkb.core.errors import Location
from uprkb.importers.base import ImportedRecord, ImportedReview, ImportResult, ReadOptions, SourceFile
from uprkb.importers.mapping import Mapper, state_iso3, state_name
from uprkb.importers.responses import find_review
from uprkb.importers.states import split_state_names
from uprkb.importers.tables import (
    FURNITURE,
    HEADER_LINES,
    HEADING,
    ID,
    ID_LINE,
    LABEL_KINDS,
    OTHER,
    PERSON,
    PERSONS,
    POSITION,
    REC_SOURCE,
    SDG,
    SDG_LABEL,
    SOURCE,
    STATES,
    TEXT,
    THEME,
    THEME_CODE,
    Parts,
    column_role,
    line_kind,
    mark_persons,
    names_states,
    position_of,
    read_labels,
    sdg_goal,
    table_records,
)
from uprkb.importers.text import split_states
from uprkb.model.refs import review_id
from uprkb.model.reviews import ImportFormat

_SOURCE = re.compile(
    r"^source\s+of\s+(?:the\s+)?position\s*:\s*([A-Z][A-Za-z0-9.()-]*/[A-Za-z0-9./()-]*?)[\s,]*(?:[,-]|$)", re.I
)
"""The document a position stands in: a UN symbol (``A/HRC/59/15/Add.1``), never a word such as ``Pending``."""
_INNER_STATES = re.compile(r"\(((?:[^()]|\([^()]*\))+)\)\s*;")
_PARA = re.compile(r"para(?:graph)?s?\.?\s*([0-9]+(?:\.[0-9]+)*)", re.I)
_READ = "a source of position, a position, a theme, a group of persons or an SDG"


# --- text: lines, the side of the recommendation each kind stands on, records -------------------------------------


@dataclass
class _Line:
    where: Location
    text: str
    kind: str


def _vote_kind(kind: str) -> str:
    return {PERSON: PERSONS, REC_SOURCE: SOURCE}.get(kind, kind)


_TITLE_OF_KIND = {
    SOURCE: ("source",),
    POSITION: ("position",),
    THEME: ("themes",),
    PERSONS: ("persons", "themes"),
    SDG: ("sdgs",),
    STATES: ("states",),
}


def _text_lines(source: SourceFile, text: str, mapper: Mapper) -> list[_Line]:
    """The file's lines with their kinds; a recommendation's own lines after its ID marked as such."""
    lines: list[_Line] = []
    for n, raw in enumerate(text.split("\n"), 1):
        line = html.unescape(raw).strip()
        if line and not FURNITURE.search(line):
            lines.append(_Line(source.at(n, 1), line, line_kind(line, mapper)))
    # An "ID" outside the paragraph most records share, numbered like an SDG target (16.2), is no record.
    paras = Counter(m.group(1) for ln in lines if ln.kind == ID and (m := ID_LINE.match(ln.text)))
    main = paras.most_common(1)[0][0] if paras else None
    for ln in lines:
        m = ID_LINE.match(ln.text) if ln.kind == ID else None
        if m and m.group(1) != main and int(m.group(1)) <= 17:
            ln.kind = SDG if sdg_goal(ln.text) is not None else OTHER
    kinds = [ln.kind for ln in lines]
    mark_persons(kinds)
    for ln, kind in zip(lines, kinds, strict=True):
        ln.kind = kind
    # After an ID: the text, up to a source line if one comes before any line of another column.
    for i, ln in enumerate(lines):
        if ln.kind != ID:
            continue
        j = i + 1
        while j < len(lines) and lines[j].kind in (OTHER, THEME, STATES):
            j += 1
        if j < len(lines) and lines[j].kind == SOURCE:
            for k in range(i + 1, j):
                lines[k].kind = TEXT
            lines[j].kind = REC_SOURCE
        else:
            k = i + 1
            while k < len(lines) and lines[k].kind == OTHER:
                lines[k].kind = TEXT
                k += 1
    return lines


def _sides(lines: list[_Line], segments: list[tuple[int | None, int | None]], titles: list[str]) -> dict[str, bool]:
    """Kind → True when its column stands before the recommendation's (its lines belong to the next record).

    Lines between a heading and the next record are the record's columns before the
    recommendation; lines between a record and the next heading (or the end) its columns after
    it. Each such stretch votes; the column titles at the top break a tie (after, without them).
    """
    votes: dict[str, list[int]] = {}
    for left, right in segments:
        left_id = left is not None and lines[left].kind == ID
        right_id = right is not None and lines[right].kind == ID
        if left_id == right_id:
            continue
        seg = lines[(left + 1 if left is not None else 0) : right if right is not None else len(lines)]
        for kind in {_vote_kind(ln.kind) for ln in seg if ln.kind in _TITLE_OF_KIND or ln.kind == PERSON}:
            votes.setdefault(kind, [0, 0])[0 if right_id else 1] += 1
    roles = [column_role(t) for t in titles]
    rec_at = roles.index("recommendation") if "recommendation" in roles else None
    out: dict[str, bool] = {}
    for kind, wanted in _TITLE_OF_KIND.items():
        pre, post = votes.get(kind, [0, 0])
        if pre != post:
            out[kind] = pre > post
            continue
        at = next((i for i, role in enumerate(roles) if role in wanted), None)
        out[kind] = rec_at is not None and at is not None and at < rec_at
    return out


def _post_follows(rest: list[_Line], pre: dict[str, bool]) -> bool:
    return any(x.kind not in (OTHER, SDG_LABEL) and not pre.get(_vote_kind(x.kind)) for x in rest)


def _give(owner: Parts, ln: _Line) -> None:
    if ln.kind == SOURCE:
        owner.sources.append((ln.where, ln.text))
    elif ln.kind == POSITION:
        owner.positions.append((ln.where, ln.text))
    elif ln.kind in LABEL_KINDS:
        owner.labels.append((ln.kind, ln.text))
    else:  # States alone are a column only where most records have one (below)
        owner.stray.append((ln.where, ln.text))


def _text_records(source: SourceFile, text: str, mapper: Mapper, result: ImportResult) -> list[Parts]:
    """The records of a text export: each line given to the record whose row it belongs to."""
    lines = _text_lines(source, text, mapper)
    bounds = [i for i, ln in enumerate(lines) if ln.kind in (ID, HEADING)]
    if not any(lines[i].kind == ID for i in bounds):
        return []
    edges: list[int | None] = [None, *bounds, None]
    segments = list(zip(edges[:-1], edges[1:], strict=True))
    first = bounds[0]
    titles = [ln.text for ln in lines[:first] if ln.kind in (OTHER, SDG_LABEL)]
    header = {t.lower() for t in titles} | HEADER_LINES
    pre = _sides(lines, segments, titles)
    records: dict[int, Parts] = {i: Parts(lines[i].where, [(lines[i].where, lines[i].text)]) for i in bounds}
    records = {i: p for i, p in records.items() if lines[i].kind == ID}
    outside: list[_Line] = []
    between: list[tuple[_Line, Parts, Parts]] = []
    for left, right in segments:
        before = records.get(left) if left is not None else None
        after = records.get(right) if right is not None else None
        seg = lines[(left + 1 if left is not None else 0) : right if right is not None else len(lines)]
        side_pre = False
        for k, ln in enumerate(seg):
            if ln.kind in (TEXT, REC_SOURCE) and before is not None:
                before.rec.append((ln.where, ln.text))
                continue
            if ln.text.lower() in header or (left is None and ln.kind in (OTHER, SDG_LABEL)):
                continue  # the column titles, at the top or repeated
            if ln.kind not in (OTHER, SDG_LABEL):
                side_pre = pre.get(_vote_kind(ln.kind), False)
            elif before and after and not side_pre and any(pre.values()) and not _post_follows(seg[k + 1 :], pre):
                between.append((ln, before, after))  # the last column of one row, or the first of the next
                continue
            owner = (after if side_pre else before) if before and after else (before or after)
            if owner is None:
                outside.append(ln)
            else:
                _give(owner, ln)
    parts = list(records.values())
    common = {k for k in (SOURCE, POSITION, THEME, PERSONS, SDG) if sum(k in p.holds() for p in parts) * 2 > len(parts)}
    for ln, before, after in between:  # to the record that lacks a column most records fill
        lacks_after = any(pre.get(k) for k in common - after.holds())
        _give(after if lacks_after and not any(not pre.get(k) for k in common - before.holds()) else before, ln)
    # A line of State names in most records is a States column; free text in most, a column of comments.
    if sum(any(names_states(t) for _, t in p.stray) for p in parts) * 2 > len(parts):
        for p in parts:
            p.states = [n for _, t in p.stray if names_states(t) for n in split_state_names(t.strip(" ;,."))]
            p.stray = [(w, t) for w, t in p.stray if not names_states(t)]
    if sum(1 for p in parts if p.stray) * 2 > len(parts):
        where, line = next(p.stray[0] for p in parts if p.stray)
        if not any(column_role(t) == "assessment" for t in titles):
            result.problems.warn(
                where,
                "invalid-format",
                f"most records hold lines such as {line[:60]!r} that are no source of position, position, theme, "
                "group of persons or SDG; they are taken for a column of comments and not read",
                "if they are themes or groups, write them as OHCHR does ('- label', 'Groups of persons:')",
            )
        for p in parts:
            p.stray.clear()
    for ln in outside:
        result.problems.warn(
            ln.where,
            "invalid-format",
            f"{ln.text!r} stands between two headings, in no record; it is left out",
            "move the line into the record it belongs to, or delete it",
        )
    return parts


# --- records ------------------------------------------------------------------------------------------------------


def map_labels(
    mapper: Mapper, system: str, themes: list[str], persons: list[str], result: ImportResult
) -> dict[str, Any]:
    """Theme and group labels → ``themes``, ``affected_persons`` and ``unmapped`` fields."""
    out_t: list[str] = []
    out_p: list[str] = []
    unmapped: list[dict[str, str]] = []
    for label in themes:
        coded = THEME_CODE.match(label)
        tids = mapper.theme(system, label) or (mapper.theme(system, coded.group(2)) if coded else ())
        if not tids:
            unmapped.append({"system": system, "kind": "themes", "label": label})
            result.unmapped[(system, "themes", label)] += 1
        out_t.extend(t for t in tids if t not in out_t)
    for label in persons:
        coded = THEME_CODE.match(label)
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


def _states_of(body: str, parts: Parts) -> tuple[str, list[str]]:
    """The text and its recommending States: a column of their own, or the parentheses ending the text."""
    text, named = split_states(body)
    if parts.states:  # a column of its own names the States; the text keeps a parenthesis that names none
        if not named or any(state_iso3(n) is None for n in named):
            text = body.rstrip().rstrip(";.,").rstrip()
        return text, parts.states
    states = [n for name in named for n in split_state_names(name)]
    # One ID joining several States' wordings: "Ratify ICCPR (Albania); Ratify … (Chile); …"
    inner = [
        n
        for g in _INNER_STATES.findall(text)
        for n in split_state_names(g)
        if all(state_iso3(p) for p in split_state_names(g))
    ]
    return text, list(dict.fromkeys([*inner, *states]))


def _record(parts: Parts, common: set[str], options: ReadOptions, result: ImportResult) -> ImportedRecord | None:
    """One record's fields; what cannot be read is a warning for this record alone.

    ``common`` holds the kinds of line (a source of position, a position) most records have: a
    line none of the grammar reads, in a record without one of them, stands where it is expected.
    """
    warn = result.problems.warn
    body_lines, rec_source, left = parts.split_rec(SOURCE in common)
    m = ID_LINE.match(body_lines[0])
    assert m is not None
    rid = f"{m.group(1)}.{m.group(2)}"
    body = " ".join([m.group(3) or "", *body_lines[1:]]).strip()
    text, states = _states_of(body, parts)
    if not text or not states:
        missing = "its text" if not text else "its recommending State (in parentheses, or in a States column)"
        warn(parts.where, "missing-value", f"record {rid} lacks {missing}; it is left out", "complete the record")
        return None
    fields: dict[str, Any] = {"id": rid, "text": text, "recommending_states": recommending(states, result)}
    sources = ([rec_source] if rec_source else []) + parts.sources
    for where, line in sources[:1]:
        src = _SOURCE.match(line)
        if src and src.group(1) not in ("", "-"):
            para = _PARA.findall(line)
            fields["position_source"] = {"document": src.group(1).rstrip("."), "paragraph": para[-1] if para else None}
        elif line.split(":", 1)[1].strip(" -"):
            warn(
                where,
                "invalid-format",
                f"record {rid}: {line!r} names no document such as 'A/HRC/59/15/Add.1 - Para.3'; "
                "the record is imported without its source of position",
                "correct the source line",
            )
    stray = left + parts.stray
    no_source = SOURCE in common and not sources
    lacks = " and ".join(
        name
        for kind, name in ((SOURCE, "source of position"), (POSITION, "position"))
        if kind in common - parts.holds()
    )
    for where, line in stray:
        shown = line if len(line) <= 80 else line[:77] + "…"
        warn(
            where,
            "invalid-format",
            f"record {rid}: {shown!r} is not {_READ}; it is left out"
            + (f", and the record is imported without its {lacks}, which this line stands for" if lacks else ""),
            "write the line as OHCHR does (e.g. 'Source of position: A/HRC/59/15/Add.1 - Para.3', 'Supported'), "
            "or move a comment to the assessment column",
        )
    if no_source and not stray:
        warn(
            parts.where,
            "missing-value",
            f"record {rid} has no 'Source of position:' line; it is imported without one",
            "add the line OHCHR prints under the recommendation",
        )
    found: dict[str, None] = {}
    for where, cell in parts.positions:
        position = position_of(cell)
        if position is None:
            warn(
                where,
                "invalid-choice",
                f"record {rid}: the position {cell!r} is not Supported, Noted or Supported/Noted; "
                "the record is imported without a position",
                "write the State's position in the cell, and a comment in the assessment column",
            )
        else:
            found[position] = None
    if len(found) > 1:
        warn(
            parts.where,
            "invalid-choice",
            f"record {rid} states two positions ({', '.join(found)}); it is imported without a position",
            "keep the one position the State gave",
        )
    elif found:
        fields["position"] = next(iter(found))
    themes, persons, goals = read_labels(parts.labels)
    fields.update(map_labels(options.mapper, "uhri", themes, persons, result))
    fields["sdg_goals"] = goals
    return ImportedRecord(fields, parts.where)


class OhchrMatrixReader:
    """OHCHR's thematic list of recommendations (text, .docx or .doc)."""

    format: ClassVar[ImportFormat] = ImportFormat.ohchr_matrix

    def read(self, source: SourceFile, options: ReadOptions) -> ImportResult:
        result = ImportResult(self.format, source)
        problems = result.problems
        parsed: list[Parts] | None
        if source.path.suffix.lower() in (".docx", ".doc"):
            parsed = self._tables(source, options, result)
        else:
            text = source.text(problems, options.encoding)
            parsed = None if text is None else _text_records(source, text, options.mapper, result)
        if parsed is None:
            return result
        common = {k for k in (SOURCE, POSITION) if sum(k in p.holds() for p in parsed) * 2 > len(parsed)}
        symbol: str | None = None
        records: list[ImportedRecord] = []
        for parts in parsed:
            rec = _record(parts, common, options, result)
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
        found = self._review(source, symbol, options, result)
        if found is None:
            return result
        rid, review = found
        report = symbol.split("/Add")[0] if symbol else None
        if report:
            review["report"] = report
        if symbol and "/Add" in symbol:
            review["addendum"] = symbol
        result.reviews = [ImportedReview(rid, review, records)]
        return result

    @staticmethod
    def _tables(source: SourceFile, options: ReadOptions, result: ImportResult) -> list[Parts] | None:
        """The records of the Word tables (a .docx, or a .doc converted by LibreOffice)."""
        from uprkb.importers.tables import doc_to_docx, open_docx

        data = source.data
        if source.path.suffix.lower() == ".doc":
            converted = doc_to_docx(source, result.problems)
            if converted is None:
                return None
            data = converted
        doc = open_docx(data, source, result.problems)
        return None if doc is None else table_records(doc, source, options.mapper, result)

    @staticmethod
    def _review(
        source: SourceFile, symbol: str | None, options: ReadOptions, result: ImportResult
    ) -> tuple[str, dict[str, Any]] | None:
        """The review's ID (named, or found by its report) and, for a new review, its fields; ``None`` with an error."""
        report = symbol.split("/Add")[0] if symbol else None
        rid = options.review or (find_review(options.data_dir, report) if report else None)
        if rid is not None:
            return rid, {}
        iso3 = (
            options.state.upper()
            if options.state and re.fullmatch(r"[A-Z]{3}", options.state)
            else state_iso3(options.state or "")
        )
        if iso3 is None or options.cycle is None:
            result.problems.add(
                source.at(1, 1),
                "unknown-review",
                f"no review in the data has the report {report or '(none named)'}, "
                "and the State and cycle are not given",
                "import the Working Group report first, or name the review with --review, or give --state and --cycle",
            )
            return None
        rid = review_id(iso3, options.cycle)
        return rid, {
            "id": rid,
            "state": {"name": state_name(iso3) or options.state, "iso3": iso3},
            "cycle": options.cycle,
        }
