"""Reader for the recommendations section of a Working Group report, as text.

Items read ``140.1  Ratify … (Algeria) (Cabo Verde);``: the paragraph number, the
item number, the text, and the recommending States in parentheses at the end.
Running heads, page numbers and line-end hyphenation are removed, and an item that
continues across a page break is rejoined. The lead-in of each paragraph gives the
position where the report states one ("enjoy the support of", "were noted by"); "will be
examined" leaves it unknown until the addendum is imported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, ClassVar

from uprkb.importers.base import ImportedRecord, ImportedReview, ImportResult, ReadOptions, SourceFile
from uprkb.importers.grammar import POINTS_BACK, item_start, lead_in
from uprkb.importers.mapping import state_name
from uprkb.importers.text import (
    RUNNING_HEAD,
    SYMBOL,
    date_in,
    document_text,
    join_lines,
    report_state,
    session_of,
    split_states,
    state_iso3,
    words_of,
)
from uprkb.model.refs import cycle_of_session, review_id
from uprkb.model.reviews import ImportFormat

_SECTION = re.compile(r"^\s*(?:[IVX]{1,4}\.\s+)?Conclusions\s+and/or\s+recommendations\b(?!.*\.{4})", re.IGNORECASE)
_CLOSING = re.compile(r"\ball conclusions and/or recommendations contained\b", re.IGNORECASE)
_ANNEX = re.compile(r"^\s*Annex\b")


def lead_in_position(text: str) -> str:
    """The position a paragraph's lead-in states for the items under it (``unknown`` when none)."""
    return lead_in(text).position or "unknown"


@dataclass
class _Item:
    line: int
    paragraph: int
    number: int
    lines: list[str]
    position: str
    claim: str | None = None


@dataclass
class _Paragraph:
    line: int
    number: int
    lead: list[str] = field(default_factory=list)
    items: list[_Item] = field(default_factory=list)
    numbered_items: bool = False
    """True when its items are numbered ``1.``, ``2.`` under it (1st cycle) rather than ``124.1``."""

    def stated(self) -> tuple[str, str | None]:
        said = lead_in(" ".join(self.lead))
        position = said.position if said.position not in (None, "unknown") else "unknown"
        return position, said.claim if position != "unknown" else None


def section_lines(lines: list[str]) -> int:
    """The index of the line after the heading "Conclusions and/or recommendations" (0 when there is none)."""
    found = 0
    for i, line in enumerate(lines):
        if _SECTION.match(line):
            found = i + 1
    return found


def read_items(lines: list[str]) -> tuple[list[_Paragraph], list[_Paragraph]]:
    """The paragraphs of the recommendations section with their items, and those that state a position
    on recommendations without listing any (pointing back at the dialogue's paragraphs)."""
    begin = section_lines(lines)
    paras: list[_Paragraph] = []
    current: _Item | None = None
    para: _Paragraph | None = None
    for i in range(begin, len(lines)):
        line = lines[i]
        if RUNNING_HEAD.match(line) and line.strip():
            continue
        if para is not None and _ANNEX.match(line) and not para.items == []:
            break
        start = item_start(line)
        if start is not None and start.form == "paragraph.item":
            if para is None or start.paragraph != para.number:
                if start.number != 1:
                    start = None
                else:  # items with no lead-in paragraph of their own
                    para = _Paragraph(i + 1, start.paragraph or 0)
                    paras.append(para)
            if start is not None:
                assert para is not None
                current = _Item(i + 1, para.number, start.number, [start.rest], "unknown")
                para.items.append(current)
                continue
        elif start is not None:
            expected_para = para.number + 1 if para is not None else None
            last = para.items[-1].number if para is not None and para.items else 0
            if para is not None and start.number == last + 1 and (para.numbered_items or not para.items):
                if not para.items and not lead_in(" ".join(para.lead)).states_position:
                    start = start  # an item under a paragraph that states no position yet: still an item
                para.numbered_items = True
                current = _Item(i + 1, para.number, start.number, [start.rest], "unknown")
                para.items.append(current)
                continue
            if para is None or start.number == expected_para or start.number > 100:
                if para is not None and _CLOSING.search(" ".join(para.lead)):
                    break
                para = _Paragraph(i + 1, start.number, [start.rest])
                paras.append(para)
                current = None
                if _CLOSING.search(start.rest):
                    break
                continue
        if current is not None:
            current.lines.append(line)
        elif para is not None:
            para.lead.append(line)
            if _CLOSING.search(" ".join(para.lead)):
                break
    pointing = [
        p for p in paras if not p.items and lead_in(" ".join(p.lead)).states_position
        and POINTS_BACK.search(" ".join(" ".join(p.lead).split()))
    ]  # fmt: skip
    for p in paras:
        position, claim = p.stated()
        for item in p.items:
            item.position, item.claim = position, claim
    return [p for p in paras if p.items], pointing


class WgReportReader:
    """The Working Group report's "Conclusions and/or recommendations" section (text or PDF)."""

    format: ClassVar[ImportFormat] = ImportFormat.wg_report

    def read(self, source: SourceFile, options: ReadOptions) -> ImportResult:
        result = ImportResult(self.format, source)
        problems = result.problems
        text = document_text(source, problems, options.encoding)
        if text is None:
            return result
        symbol = options.symbol or next((m.group() for m in SYMBOL.finditer(text) if "/Add" not in m.group()), None)
        state = options.state or report_state(text)
        iso3 = (state.upper() if state and re.fullmatch(r"[A-Z]{3}", state) else state_iso3(state)) if state else None
        session = options.session or session_of(text)
        cycle = options.cycle or (cycle_of_session(session) if session else None)
        if iso3 is None:
            problems.add(
                source.at(1, 1),
                "unknown-state",
                "cannot tell which State the report is about"
                + (f": '{state}' matches no ISO 3166 country" if state else ""),
                "name it with --state (a name or an ISO3 code such as SVN)",
            )
        if cycle is None:
            problems.add(
                source.at(1, 1),
                "missing-value",
                "cannot tell the Working Group session or the cycle from the report",
                "give --session (e.g. 48) or --cycle (e.g. 4)",
            )
        lines = text.split("\n")
        records, statements = self._items(lines, source, result, symbol, words_of(text))
        if not records and not problems.errors:
            problems.add(
                source.at(1, 1),
                "no-records",
                "found no numbered recommendations such as '140.1 Ratify … (State);'",
                "give the report's text (the section 'Conclusions and/or recommendations')",
            )
        if problems.errors or iso3 is None or cycle is None:
            return result
        rid = review_id(iso3, cycle)
        review: dict[str, Any] = {
            "id": rid,
            "state": {"name": state_name(iso3) or state, "iso3": iso3},
            "cycle": cycle,
            "session": session,
            "report": symbol,
            "review_date": _review_date(text),
        }
        if statements:
            review["positions_without_ids"] = statements
        result.reviews = [ImportedReview(rid, review, records)]
        return result

    def _items(
        self, lines: list[str], source: SourceFile, result: ImportResult, symbol: str | None, words: set[str]
    ) -> tuple[list[ImportedRecord], list[dict[str, Any]]]:
        problems = result.problems
        paras, pointing = read_items(lines)
        statements: list[dict[str, Any]] = []
        for p in pointing:
            said = lead_in(" ".join(p.lead))
            sentence = join_lines([ln for ln in p.lead], words)
            statements.append({"paragraph": str(p.number), "position": said.position, "text": sentence})
            problems.warn(
                source.at(p.line, 1),
                "position-without-ids",
                f"paragraph {p.number} states a position ({said.position}) on recommendations it names only by "
                f"the dialogue's paragraphs, so no record gets it: {sentence[:160]!r}",
                "the statement is kept on the review as the report gives it; no IDs are invented",
            )
        records: list[ImportedRecord] = []
        previous: tuple[int, int] | None = None
        for item in (item for p in paras for item in p.items):
            para, number, pos = item.paragraph, item.number, item.position
            where = source.at(item.line, 1)
            rid = f"{para}.{number}"
            body, states = split_states(join_lines(item.lines, words))
            key = (para, number)
            if previous is not None and key != (previous[0], previous[1] + 1) and key[1] != 1:
                problems.add(
                    where,
                    "impossible-id",
                    f"recommendation {rid} follows {previous[0]}.{previous[1]}: "
                    + ("a number is missing" if key > previous else "the numbers go backwards or repeat"),
                    "check the text around this line; an item may have lost its number in the extraction",
                )
            previous = key
            if not states:
                problems.add(
                    where,
                    "missing-value",
                    f"recommendation {rid} does not end with its recommending State(s) in parentheses",
                    "add them, e.g. '(Portugal);', as the report prints them",
                )
                continue
            rec_states = []
            for name in states:
                iso3 = state_iso3(name)
                if iso3 is None:
                    result.unmatched_states[name] += 1
                rec_states.append({"name": name, "iso3": iso3} if iso3 else {"name": name})
            fields: dict[str, Any] = {"id": rid, "text": body, "recommending_states": rec_states}
            if pos != "unknown":
                fields["position"] = pos
                if item.claim:
                    fields["claim"] = item.claim
                if symbol:
                    fields["position_source"] = {"document": symbol, "paragraph": str(para)}
            records.append(ImportedRecord(fields, where))
        return records, statements


def _review_date(text: str) -> str | None:
    m = re.search(r"The review of .{1,80}? was held .{0,80}?\d{4}", " ".join(text.split()))
    day = date_in(m.group()) if m else None
    return day.isoformat() if day else None
