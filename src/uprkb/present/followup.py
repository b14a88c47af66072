"""How the document OHCHR receives refers to the recommendations of earlier reviews.

OHCHR's guidelines for stakeholders ask a submission to refer to the recommendations of the previous review by
their numbers in the Working Group's report. Under each finding or recommendation that follows up, assesses or
was taken up as received recommendations, the Word, PDF and text exports and the site's full-text page print one
line per recommendation, the same words everywhere:

* ``Recommendation 122.60 (A/HRC/28/10), supported by Kazakhstan: not implemented as of 1 January 2024.`` — the
  organisation's assessment (the latest the record makes of that recommendation);
* ``Follows up recommendation 122.61 (A/HRC/28/10), noted by Kazakhstan.`` — followed up, not assessed;
* ``Taken up as recommendation 140.13 (A/HRC/59/15), supported by Slovenia.`` — after the review.

A recommendation is named by its number and the report's symbol; when neither the knowledge base nor the
reference gives the symbol, by its cycle (``recommendation 121.5 of the 3rd cycle``). The State's position is
printed when the knowledge base holds the review and knows it.

The submission itself (the Word and PDF documents and their word count) is written before the review it
informs, so it prints only the lines that can exist then (``document_lines(rf, before_cycle=...)``): no
"Taken up as" line, and no line on a recommendation of that review's cycle or a later one; lines on an
earlier cycle's recommendations, or on one whose cycle is not known, stay. The site, written after the
fact, prints them all.
"""

from __future__ import annotations

from typing import NamedTuple

from uprkb.index.followup import STATUS_LABELS, AssessmentEntry, RecordFollowUp, ResolvedRef
from uprkb.model.reviews import Position
from uprkb.present.labels import optional_date, ordinal

POSITION_WORDS = {
    Position.supported: "supported",
    Position.supported_in_part: "supported in part",
    Position.noted: "noted",
}


FOLLOWS_UP = "Follows up "
"""The lead of a line on a recommendation followed up and not assessed."""
TAKEN_UP = "Taken up as "
"""The lead of a line on a recommendation of the review that took the record up (after that review)."""


class DocumentLine(NamedTuple):
    """One line of follow-up under a record: ``lead + reference + tail``."""

    lead: str
    """``Follows up ``, ``Taken up as `` or nothing (an assessment)."""
    reference: str
    """The recommendation, its report and the State's position (capitalised when it opens the line)."""
    tail: str
    """``: not implemented as of 1 January 2024.`` or ``.``."""
    ref: ResolvedRef
    """The recommendation referred to (the site links it to its review page when the review is held)."""

    @property
    def text(self) -> str:
        return self.lead + self.reference + self.tail


def reference_words(ref: ResolvedRef) -> str:
    """``recommendation 122.60 (A/HRC/28/10), supported by Kazakhstan``."""
    if ref.symbol:
        words = f"recommendation {ref.rec_id} ({ref.symbol})"
    elif ref.cycle:
        words = f"recommendation {ref.rec_id} of the {ordinal(ref.cycle)} cycle"
    else:
        words = f"recommendation {ref.rec_id} ({ref.text})"
    rec = ref.recommendation
    if rec is not None and ref.state and rec.position in POSITION_WORDS:
        words += f", {POSITION_WORDS[rec.position]} by {ref.state}"
    return words


def _assessment_tail(entry: AssessmentEntry) -> str:
    return f": {STATUS_LABELS[entry.status]} as of {optional_date(entry.as_of)}."


def before_review(ref: ResolvedRef, cycle: int) -> bool:
    """True when a reference to ``ref`` can be written before the review of ``cycle``: its recommendation
    comes from an earlier cycle, or from one the knowledge base and the reference do not tell."""
    return ref.cycle is None or ref.cycle < cycle


def document_lines(rf: RecordFollowUp | None, before_cycle: int | None = None) -> list[DocumentLine]:
    """The follow-up lines under a finding or recommendation, in the order its references are written.

    ``before_cycle``: the cycle of the review the submission informs; only the lines that can exist before
    that review are given (see the module's docstring)."""
    if rf is None:
        return []
    if before_cycle is not None:
        lines = document_lines(rf)
        return [line for line in lines if line.lead != TAKEN_UP and before_review(line.ref, before_cycle)]
    latest: dict[str, AssessmentEntry] = {}
    refs: dict[str, ResolvedRef] = {}
    for ref in rf.follows_up:
        refs.setdefault(ref.reference, ref)
    for entry in rf.assessments:
        refs.setdefault(entry.ref.reference, entry.ref)
        key = entry.ref.reference
        if key not in latest or entry.as_of >= latest[key].as_of:
            latest[key] = entry
    lines = []
    for key, ref in refs.items():
        words = reference_words(ref)
        if key in latest:
            lines.append(DocumentLine("", words[0].upper() + words[1:], _assessment_tail(latest[key]), ref))
        else:
            lines.append(DocumentLine(FOLLOWS_UP, words, ".", ref))
    seen: set[str] = set()
    for ref in rf.taken_up_as:
        if ref.reference not in seen:
            seen.add(ref.reference)
            lines.append(DocumentLine(TAKEN_UP, reference_words(ref), ".", ref))
    return lines
