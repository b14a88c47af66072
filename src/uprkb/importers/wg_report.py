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
from dataclasses import dataclass
from typing import Any, ClassVar

from uprkb.importers.base import ImportedRecord, ImportedReview, ImportResult, ReadOptions, SourceFile
from uprkb.importers.mapping import state_iso3, state_name
from uprkb.importers.text import RUNNING_HEAD, SYMBOL, date_in, join_lines, report_state, session_of, split_states
from uprkb.model.refs import cycle_of_session, review_id
from uprkb.model.reviews import ImportFormat

_ITEM = re.compile(r"^\s*(\d{1,3})\.(\d{1,3})\s+(\S.*)$")
_LEAD = re.compile(r"^\s*(\d{1,3})\.\s+(\S.*)$")


def lead_in_position(text: str) -> str:
    """The position a paragraph's lead-in states for the items under it."""
    t = " ".join(text.split()).lower()
    if "did not enjoy" in t or "noted" in t or "take note" in t or "takes note" in t:
        return "noted"
    if "enjoy the support" in t or "enjoyed the support" in t or "supported" in t or "accepted" in t:
        return "supported"
    return "unknown"


@dataclass
class _Item:
    line: int
    paragraph: str
    number: str
    lines: list[str]
    position: str


class WgReportReader:
    """The Working Group report's "Conclusions and/or recommendations" section (text)."""

    format: ClassVar[ImportFormat] = ImportFormat.wg_report

    def read(self, source: SourceFile, options: ReadOptions) -> ImportResult:
        result = ImportResult(self.format, source)
        problems = result.problems
        text = source.text(problems, options.encoding)
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
        records = self._items(lines, source, result, symbol)
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
        result.reviews = [ImportedReview(rid, review, records)]
        return result

    def _items(
        self, lines: list[str], source: SourceFile, result: ImportResult, symbol: str | None
    ) -> list[ImportedRecord]:
        problems = result.problems
        start = None
        lead_no = None
        for i, line in enumerate(lines):
            m = _ITEM.match(line)
            if m and m.group(2) == "1":
                start = i
                lead_no = m.group(1)
                break
        if start is None:
            return []
        position = "unknown"
        lead_text: list[str] = []
        for j in range(start - 1, max(start - 12, -1), -1):
            m = _LEAD.match(lines[j])
            if m and m.group(1) == lead_no:
                lead_text = [m.group(2)] + [ln for ln in lines[j + 1 : start]]
                break
        position = lead_in_position(" ".join(lead_text))
        lead_line = None
        items: list[_Item] = []
        current: _Item | None = None
        for i in range(start, len(lines)):
            line = lines[i]
            if RUNNING_HEAD.match(line):
                continue
            m = _ITEM.match(line)
            if m:
                current = _Item(i + 1, m.group(1), m.group(2), [m.group(3)], position)
                items.append(current)
                continue
            lead = _LEAD.match(line)
            if lead:
                current = None
                lead_line = lead
                position = lead_in_position(lead.group(2))
                continue
            if current is not None:
                current.lines.append(line)
            elif lead_line is not None:
                position = lead_in_position(lead_line.group(2) + " " + line)
        records: list[ImportedRecord] = []
        previous: tuple[int, int] | None = None
        for item in items:
            para, number, pos = item.paragraph, item.number, item.position
            where = source.at(item.line, 1)
            rid = f"{para}.{number}"
            body, states = split_states(join_lines(item.lines))
            key = (int(para), int(number))
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
                if symbol:
                    fields["position_source"] = {"document": symbol, "paragraph": para}
            records.append(ImportedRecord(fields, where))
        return records


def _review_date(text: str) -> str | None:
    m = re.search(r"The review of .{1,80}? was held .{0,80}?\d{4}", " ".join(text.split()))
    day = date_in(m.group()) if m else None
    return day.isoformat() if day else None
