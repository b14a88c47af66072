"""Reader for the recommendations of a Working Group report (PDF or text), in two steps.

1. **Layout** (:mod:`.layout`): the section "Conclusions and/or recommendations" as
   numbered paragraphs with their items, page furniture gone, every number placed in
   its sequence (a number read otherwise than printed is a warning that says how).
2. **Meaning** (:mod:`.grammar`): every sentence of the paragraphs read into a closed set
   of meanings (position, pending, claim, comment, pointing back, neutral, closing) with
   what it points at. The positions and claims go to the items they point at, each with
   its evidence: the report's symbol, the paragraph and the sentence. A sentence that
   speaks of positions but is not understood, a number the sequence cannot place, and
   two sentences that give one recommendation two positions are located errors: never a
   silent "unknown".

Each item's text ends with its recommending States in parentheses (:func:`.text.split_states`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, ClassVar

from uprkb.importers.base import ImportedRecord, ImportedReview, ImportResult, ReadOptions, SourceFile
from uprkb.importers.grammar import NEUTRAL_LEAD, Reading, plain, read_sentence, sentences
from uprkb.importers.layout import Item, Paragraph, Section, read_section
from uprkb.importers.mapping import state_name
from uprkb.importers.text import (
    SYMBOL,
    date_in,
    document_text,
    join_lines,
    recommending_states,
    report_state,
    session_of,
    state_iso3,
    words_of,
)
from uprkb.model.refs import cycle_of_session, review_id
from uprkb.model.reviews import ImportFormat

#: What the meanings step reports that leaves the records right (a position not known is not a wrong one).
WARNINGS = frozenset({"no-stated-position"})
_COMMITMENTS = re.compile(r"\bvoluntary (?:commitments|pledges)\b|\bannounced the following commitments\b", re.I)


@dataclass
class _Said:
    """What the report says of one item: its position and claim with the sentences that say so."""

    position: str | None = None
    position_by: tuple[int, str] | None = None
    claim: str | None = None
    claim_by: tuple[int, str] | None = None
    comments: list[str] = field(default_factory=list)


@dataclass
class Meanings:
    """The section's sentences applied to its items."""

    said: dict[str, _Said]
    pointing_back: list[tuple[Paragraph, str | None, str]]
    problems: list[tuple[int, str, str, str]]
    """(line, code, message, hint)."""


def _targets(reading: Reading, para: Paragraph, section: Section, inherited: list[str] | None) -> list[str] | None:
    """The IDs a sentence of ``para`` points at (``None`` when it cannot tell)."""
    listed = [p for p in section.paragraphs if p.items]
    by_number = {p.number: p for p in listed}
    before = [p for p in listed if p.line < para.line]
    kind = reading.target.kind
    if kind == "own" or (kind == "above" and para.items):
        if para.items:
            return [i.id for i in para.items]
        return inherited
    if kind == "above":
        return [i.id for i in before[-1].items] if before else None
    if kind == "all":
        return [i.id for p in listed for i in p.items]
    if kind == "paragraphs":
        if not all(n in by_number for n in reading.target.paragraphs):
            return None
        return [i.id for n in reading.target.paragraphs for i in by_number[n].items]
    if kind == "ids":
        return [f"{p}.{n}" for p, n in reading.target.ids]
    if kind == "items":
        owner = para if para.items else (before[-1] if before else None)
        return [f"{owner.number}.{n}" for n in reading.target.items] if owner else None
    return None


def read_meanings(section: Section) -> Meanings:
    """Every sentence of the section read and applied to the items it points at."""
    said: dict[str, _Said] = {i.id: _Said() for p in section.paragraphs for i in p.items}
    pointing: list[tuple[Paragraph, str | None, str]] = []
    problems: list[tuple[int, str, str, str]] = []
    for para in section.paragraphs:
        text = " ".join(" ".join(para.lead).split())
        if not text or (not para.items and _COMMITMENTS.search(text)):
            continue
        readings = [read_sentence(s) for s in sentences(text)]
        back = next((r for r in readings if r.meaning == "points-back"), None)
        if back is not None and not para.items:
            pointing.append((para, back.position, text))
            continue
        inherited: list[str] | None = None
        for r in readings:
            if r.meaning in ("neutral", "closing"):
                continue
            if r.meaning == "not-understood":
                problems.append((
                    para.line, "unread-sentence",
                    f"paragraph {para.number} has a sentence about recommendations that cannot be read as a "
                    f"position, a claim or a comment: {r.sentence[:200]!r}",
                    "if it states positions, give them with the addendum (import responses) or edit the text "
                    "to the usual wording ('enjoy the support of', 'did not enjoy the support of', 'will be examined')",
                ))  # fmt: skip
                continue
            ids = _targets(r, para, section, inherited)
            if ids is None or not ids:
                problems.append((
                    para.line, "unplaced-sentence",
                    f"paragraph {para.number} states {r.position or r.claim or 'a comment'} but does not say on "
                    f"which recommendations the importer can find: {r.sentence[:200]!r}",
                    "check the paragraph numbers it refers to; the recommendations keep no position from it",
                ))  # fmt: skip
                continue
            missing = [i for i in ids if i not in said]
            if missing:
                problems.append((
                    para.line, "unknown-id",
                    f"paragraph {para.number} refers to {', '.join(missing[:5])}, which the report does not list: "
                    f"{r.sentence[:200]!r}",
                    "check the numbers in the report; an item may be missing from the text",
                ))  # fmt: skip
                continue
            inherited = ids
            _apply(r, ids, para, said, problems)
    for para in section.paragraphs:
        lead = " ".join(" ".join(para.lead).split())
        if para.items and all(said[i.id].position is None for i in para.items) and not NEUTRAL_LEAD.search(plain(lead)):
            problems.append((
                para.line, "no-stated-position",
                f"paragraph {para.number} lists {len(para.items)} recommendations, but no sentence of the report "
                f"states a position on them that the importer reads; they are imported with their position not "
                f"known: {lead[:200]!r}",
                "check the report: if it states their position, import the addendum (import responses), "
                "which settles it",
            ))  # fmt: skip
    return Meanings(said, pointing, problems)


def _apply(r: Reading, ids: list[str], para: Paragraph, said: dict[str, _Said], problems: list[Any]) -> None:
    for rid in ids:
        s = said[rid]
        if r.meaning == "comment":
            s.comments.append(r.sentence)
            continue
        if r.position is not None:
            if s.position is None:
                s.position, s.position_by = r.position, (para.number, r.sentence)
            elif s.position != r.position:
                assert s.position_by is not None
                problems.append((
                    para.line, "conflicting-position",
                    f"recommendation {rid} is given two positions: {s.position} in paragraph {s.position_by[0]} "
                    f"({s.position_by[1][:120]!r}) and {r.position} in paragraph {para.number} ({r.sentence[:120]!r})",
                    "import the State's positions from its addendum (import responses), which settles them",
                ))  # fmt: skip
        if r.claim is not None and s.claim is None:
            s.claim, s.claim_by = r.claim, (para.number, r.sentence)


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
        found = report_state(text)
        state = options.state or found.name
        iso3 = (state.upper() if state and re.fullmatch(r"[A-Z]{3}", state) else state_iso3(state)) if state else None
        session = options.session or session_of(text)
        cycle = options.cycle or (cycle_of_session(session) if session else None)
        if iso3 is None:
            problems.add(
                source.at(found.line or 1, 1),
                "unknown-state",
                "cannot tell which State the report is about"
                + (f": '{state}' matches no State name known (data/vocabularies or ISO 3166)" if state else "")
                + (f"; the report names {', '.join(found.conflicting)}" if found.conflicting else ""),
                "name it with --state (a name or an ISO3 code such as SVN)",
            )
        if cycle is None:
            problems.add(
                source.at(1, 1),
                "missing-value",
                "cannot tell the Working Group session or the cycle from the report",
                "give --session (e.g. 48) or --cycle (e.g. 4)",
            )
        records, statements = self._items(read_section(text), source, result, symbol, words_of(text))
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
        self, section: Section, source: SourceFile, result: ImportResult, symbol: str | None, words: set[str]
    ) -> tuple[list[ImportedRecord], list[dict[str, Any]]]:
        problems = result.problems
        for m in section.misfits:
            problems.add(
                source.at(m.line, 1),
                "impossible-id",
                f"the item numbered {m.printed} cannot be placed: {m.reason}",
                "check the report around this line; a number may be misprinted or lost in the extraction "
                "(correct it in a copy of the text and import that)",
            )
        meanings = read_meanings(section)
        for line, code, message, hint in meanings.problems:
            if code in WARNINGS:
                problems.warn(source.at(line, 1), code, message, hint)
            else:
                problems.add(source.at(line, 1), code, message, hint)
        statements: list[dict[str, Any]] = []
        for para, position, sentence in meanings.pointing_back:
            statements.append({"paragraph": str(para.number), "position": position or "unknown", "text": sentence})
            problems.warn(
                source.at(para.line, 1),
                "position-without-ids",
                f"paragraph {para.number} states a position ({position or 'unknown'}) on recommendations it names "
                f"only by the dialogue's paragraphs, so no record gets it: {sentence[:160]!r}",
                "the statement is kept on the review as the report gives it; no IDs are invented",
            )
        records: list[ImportedRecord] = []
        for item in (item for p in section.paragraphs for item in p.items):
            record = self._record(item, meanings.said[item.id], source, result, symbol, words)
            if record is not None:
                records.append(record)
        return records, statements

    def _record(
        self, item: Item, said: _Said, source: SourceFile, result: ImportResult, symbol: str | None, words: set[str]
    ) -> ImportedRecord | None:
        problems = result.problems
        where = source.at(item.line, 1)
        if item.read_as:
            problems.warn(
                where,
                "misprinted-number",
                f"recommendation {item.id}: {item.read_as}",
                "check the report; if the number was read wrongly, correct it in a copy of the text and import that",
            )
        found = recommending_states(join_lines(item.lines, words))
        for note in found.notes:
            problems.warn(where, "state-read", f"recommendation {item.id}: {note}", "check the States in the report")
        if not found.states:
            problems.add(
                where,
                "missing-value",
                f"recommendation {item.id} does not end with its recommending State(s) in parentheses",
                "add them, e.g. '(Portugal);', as the report prints them",
            )
            return None
        rec_states = []
        for name, iso3 in found.states:
            if iso3 is None:
                result.unmatched_states[name] += 1
            rec_states.append({"name": name, "iso3": iso3} if iso3 else {"name": name})
        fields: dict[str, Any] = {"id": item.id, "text": found.text, "recommending_states": rec_states}
        if said.position not in (None, "unknown"):
            assert said.position_by is not None
            fields["position"] = said.position
            fields["position_source"] = _evidence(symbol, *said.position_by)
        if said.claim and said.claim_by is not None:
            fields["claim"] = said.claim
            if said.claim_by != said.position_by:
                fields["claim_source"] = _evidence(symbol, *said.claim_by)
        if said.comments:
            fields["state_comment"] = " ".join(said.comments)
        return ImportedRecord(fields, where)


def _evidence(symbol: str | None, paragraph: int, sentence: str) -> dict[str, Any]:
    where: dict[str, Any] = {"document": symbol} if symbol else {"database": "Working Group report"}
    return {**where, "paragraph": str(paragraph), "sentence": sentence.rstrip(":;")}


def _review_date(text: str) -> str | None:
    m = re.search(r"The review of .{1,80}? was held .{0,80}?\d{4}", " ".join(text.split()))
    day = date_in(m.group()) if m else None
    return day.isoformat() if day else None
