"""Follow-up — the organisations' records linked to the recommendations States received.

Three links, each written on the organisation's records and resolved here against the reviews
of the knowledge base (pure functions over it; :func:`build_followup` fills ``KnowledgeBase.followup``):

* **follows up** — a finding or recommendation lists received recommendations by reference
  (``kaz-upr3/139.12`` or ``A/HRC/43/10#139.12``). A reference whose review is not in the
  knowledge base is kept as an external citation (:attr:`ResolvedRef.external`).
* **assessments** — a finding assesses how far the State implemented a received recommendation
  (:class:`uprkb.model.records.AssessmentStatus`), as of a date; the finding's sources are the evidence.
  Two published scales are derived from the status, never stored: the A–E grade of the UN Human
  Rights Committee's follow-up procedure (the scale the CCPR Centre's trackers use) and UPR
  Info's "triggered action" (:data:`GRADES`, :data:`TRIGGERED_ACTION`).
* **take-up** — after the review, an organisation's recommendation lists the recommendations States
  made that took it up (``taken_up_as``); its response is derived from their positions
  (:func:`derived_response`), e.g. ``supported as 140.7 (Maldives, Portugal)``.

The State's own claim on a received recommendation (``ReceivedRecommendation.claim``) is the
State's word and stays on that record; nothing here mixes it with an organisation's assessment.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from uprkb.index.reviews import ReviewIndex
from uprkb.index.submission import SubmissionIndex
from uprkb.model.records import Assessment, AssessmentStatus, Finding, Recommendation, Source
from uprkb.model.refs import format_review_ref, parse_review_ref, review_id
from uprkb.model.reviews import Position, ReceivedRecommendation

# ---------------------------------------------------------------------------
# Scales derived from an assessment's status
# ---------------------------------------------------------------------------


class Grade(NamedTuple):
    """A grade of the UN Human Rights Committee's follow-up scale."""

    letter: str
    """``A`` to ``E``."""
    label: str
    """The Committee's words for the grade."""


#: Status → the Human Rights Committee's follow-up grade (the CCPR Centre's A–E scale).
#: Source: the Committee's follow-up procedure (CCPR/C/108/2, 2013) as summarised in its follow-up reports
#: (e.g. CCPR/C/128/3, 2020) and on the CCPR Centre's page "Follow Up and Assessment": A reply/action largely
#: satisfactory; B partially satisfactory; C not satisfactory; D no cooperation (no follow-up information
#: received); E information or measures contrary to, or rejecting, the recommendation. The Committee grades
#: the State's reply and action; an organisation's status is mapped to the grade that describes the same
#: state of implementation, and "no information" to D, the grade for a State that has reported nothing.
GRADES: dict[AssessmentStatus, Grade] = {
    AssessmentStatus.fully_implemented: Grade("A", "largely satisfactory"),
    AssessmentStatus.partially_implemented: Grade("B", "partially satisfactory"),
    AssessmentStatus.not_implemented: Grade("C", "not satisfactory"),
    AssessmentStatus.no_information: Grade("D", "no information"),
    AssessmentStatus.contrary_measures: Grade("E", "contrary to the recommendation"),
}

#: Status → UPR Info's view: a recommendation "triggered action" when it is fully or partially implemented.
#: Source: UPR Info, "Beyond promises: the impact of the UPR on the ground" (2014), executive summary
#: ("triggered action …, meaning that the recommendations were either fully or partially implemented").
TRIGGERED_ACTION: dict[AssessmentStatus, str] = {
    AssessmentStatus.fully_implemented: "triggered action",
    AssessmentStatus.partially_implemented: "triggered action",
    AssessmentStatus.not_implemented: "no action",
    AssessmentStatus.contrary_measures: "no action",
    AssessmentStatus.no_information: "unknown",
}

STATUS_LABELS: dict[AssessmentStatus, str] = {
    AssessmentStatus.not_implemented: "not implemented",
    AssessmentStatus.partially_implemented: "partially implemented",
    AssessmentStatus.fully_implemented: "fully implemented",
    AssessmentStatus.no_information: "no information",
    AssessmentStatus.contrary_measures: "contrary measures",
}


def grade(status: AssessmentStatus) -> Grade:
    """The A–E grade of an assessment status."""
    return GRADES[status]


def triggered_action(status: AssessmentStatus) -> str:
    """UPR Info's view of a status: ``triggered action``, ``no action`` or ``unknown``."""
    return TRIGGERED_ACTION[status]


# ---------------------------------------------------------------------------
# References
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ResolvedRef:
    """A reference to a received recommendation, as written and as resolved."""

    text: str
    """The reference as the data writes it (``kaz-upr3/139.12``, ``A/HRC/43/10#139.12``)."""
    rec_id: str
    """The recommendation's ID within its review (``139.12``)."""
    review_id: str | None
    """The review's ID when the review is in this knowledge base, else ``None`` (an external citation)."""
    recommendation: ReceivedRecommendation | None
    """The received recommendation, when the knowledge base holds it."""
    symbol: str | None = None
    """The symbol of the Working Group's report: the held review's, or the one the reference is written with."""
    state: str | None = None
    """The name of the State under review, when the knowledge base holds the review."""
    cycle: int | None = None
    """The review's cycle, when the review is held or the reference names it (``svn-upr3/…``)."""

    @property
    def external(self) -> bool:
        """True when the review is not in this knowledge base: the reference is kept as a citation."""
        return self.review_id is None

    @property
    def resolved(self) -> bool:
        return self.recommendation is not None

    @property
    def reference(self) -> str:
        """The global form ``<review>/<id>`` when the review is known, else the text as written."""
        return format_review_ref(self.review_id, self.rec_id) if self.review_id else self.text

    @property
    def label(self) -> str:
        """How a page shows it: ``svn-upr4/140.7``, or ``A/HRC/43/10#139.12 (not in this knowledge base)``."""
        if self.recommendation is not None:
            return self.reference
        if self.review_id is not None:
            return f"{self.reference} (no such recommendation in {self.review_id})"
        return f"{self.text} (not in this knowledge base)"


class Resolver:
    """Resolves references against the reviews of a knowledge base (by review ID or by report symbol)."""

    def __init__(self, reviews: dict[str, ReviewIndex]) -> None:
        self.reviews = reviews
        self.by_symbol: dict[str, ReviewIndex] = {}
        for r in reviews.values():
            for symbol in (r.review.report, r.review.addendum):
                if symbol:
                    self.by_symbol.setdefault(symbol, r)

    def review_of(self, text: str) -> ReviewIndex | None:
        """The review a reference names, when the knowledge base holds it."""
        ref = parse_review_ref(text)
        return self.by_symbol.get(ref.review) if ref.by_symbol else self.reviews.get(ref.review)

    def resolve(self, text: str) -> ResolvedRef:
        """Resolve one reference; ``ValueError`` when the text is not a reference at all."""
        ref = parse_review_ref(text)
        review = self.by_symbol.get(ref.review) if ref.by_symbol else self.reviews.get(ref.review)
        if review is None:
            symbol = ref.review if ref.by_symbol else None
            cycle = None if ref.by_symbol else int(ref.review.rpartition("-upr")[2])
            return ResolvedRef(text, ref.rec, None, None, symbol, None, cycle)
        r = review.review
        symbol = r.report or (ref.review if ref.by_symbol else None)
        found = review.by_id.get(ref.rec)  # an alias (a folded row's ID) resolves to the record that kept it
        rec_id = found.id if found is not None else ref.rec
        return ResolvedRef(text, rec_id, review.id, found, symbol, r.state.name, r.cycle)


# ---------------------------------------------------------------------------
# Records of the index
# ---------------------------------------------------------------------------


class NgoRecord(NamedTuple):
    """An organisation's finding or recommendation, with the submission that holds it."""

    submission: SubmissionIndex
    record: Finding | Recommendation


class ExternalCitation(NamedTuple):
    """A reference to a review the knowledge base does not hold, kept as a citation."""

    source: NgoRecord
    """The finding or recommendation that cites it."""
    field: str
    """Where: ``follows_up``, ``taken_up_as`` or ``assessments``."""
    ref: ResolvedRef
    """The reference (``ref.external`` is true)."""


@dataclass(frozen=True)
class AssessmentEntry:
    """One assessment, resolved: who assessed what, with which status, when, and on what evidence."""

    submission: SubmissionIndex
    """The submission whose finding makes the assessment."""
    organisation: str
    """The organisation that submitted it (its name)."""
    finding: Finding
    """The finding that makes the assessment."""
    assessment: Assessment
    """The assessment as written."""
    ref: ResolvedRef
    """The received recommendation assessed."""
    evidence: tuple[Source, ...]
    """The finding's sources (its footnotes and ``sources``)."""

    @property
    def status(self) -> AssessmentStatus:
        return self.assessment.status

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.assessment.status]

    @property
    def grade(self) -> Grade:
        return GRADES[self.assessment.status]

    @property
    def triggered_action(self) -> str:
        return TRIGGERED_ACTION[self.assessment.status]

    @property
    def as_of(self) -> dt.date:
        return self.assessment.as_of

    @property
    def quote(self) -> str | None:
        return self.assessment.quote


@dataclass(frozen=True)
class TakeUp:
    """How an organisation's recommendation was taken up, and the response derived from it."""

    refs: tuple[ResolvedRef, ...]
    """Its ``taken_up_as``, resolved."""
    review_id: str | None
    """The review the submission answers (``<iso3>-upr<cycle>``; ``None`` while its metadata fails)."""
    review_in_kb: bool
    """Whether that review is in the knowledge base."""
    response: str
    """The derived response, e.g. ``supported as 140.7 (Maldives, Portugal)``, or ``not taken up (yet)``."""
    status: str
    """``supported``, ``supported-in-part``, ``noted``, ``unknown`` (position not known), ``mixed`` (several
    positions), ``external`` (only references outside the knowledge base), ``not-taken-up`` or
    ``review-not-in-kb``."""

    @property
    def taken_up(self) -> bool:
        return bool(self.refs)

    @property
    def positions(self) -> list[Position]:
        """The positions of the resolved recommendations, in ``taken_up_as`` order."""
        return [r.recommendation.position for r in self.refs if r.recommendation is not None]


@dataclass
class RecordFollowUp:
    """The follow-up of one finding or recommendation of a submission."""

    submission: SubmissionIndex
    record: Finding | Recommendation
    follows_up: list[ResolvedRef] = field(default_factory=list)
    """Its ``follows_up``, resolved, in the order written."""
    taken_up_as: list[ResolvedRef] = field(default_factory=list)
    """A recommendation's ``taken_up_as``, resolved (empty for a finding)."""
    take_up: TakeUp | None = None
    """A recommendation's take-up and derived response (``None`` for a finding)."""
    assessments: list[AssessmentEntry] = field(default_factory=list)
    """A finding's assessments, resolved (empty for a recommendation)."""

    @property
    def response(self) -> str | None:
        """The derived response of a recommendation (``None`` for a finding)."""
        return self.take_up.response if self.take_up else None


@dataclass
class ReceivedFollowUp:
    """What the organisations' records say about one received recommendation."""

    review_id: str
    recommendation: ReceivedRecommendation
    followed_up_by: list[NgoRecord] = field(default_factory=list)
    """Findings and recommendations that list it in ``follows_up``."""
    taken_up_from: list[NgoRecord] = field(default_factory=list)
    """Organisations' recommendations taken up as it (their ``taken_up_as`` lists it)."""
    assessments: list[AssessmentEntry] = field(default_factory=list)
    """Every assessment of it, oldest first."""
    latest: dict[str, AssessmentEntry] = field(default_factory=dict)
    """Organisation name → its latest assessment (by ``as_of``), in organisation order."""

    @property
    def reference(self) -> str:
        return format_review_ref(self.review_id, self.recommendation.id)


@dataclass
class ReviewFollowUp:
    """Counts of one review's follow-up."""

    review_id: str
    assessments_by_status: dict[str, int] = field(default_factory=dict)
    """Status value → number of assessments (every status present, zeros included, in a fixed order)."""
    assessments_by_grade: dict[str, int] = field(default_factory=dict)
    """Grade letter ``A``–``E`` → number of assessments."""
    latest_by_status: dict[str, int] = field(default_factory=dict)
    """Status value → number of latest-per-organisation assessments (one per recommendation and organisation)."""
    followed_up: int = 0
    """Received recommendations that at least one organisation's record follows up."""
    taken_up: int = 0
    """Received recommendations that took up at least one organisation's recommendation."""
    assessed: int = 0
    """Received recommendations assessed at least once."""


@dataclass
class SubmissionFollowUp:
    """One submission's take-up: which of its recommendations States took up, with what position."""

    submission_id: str
    review_id: str | None
    """The review the submission answers (``<iso3>-upr<cycle>``; ``None`` while its metadata fails)."""
    review_in_kb: bool
    take_up: list[tuple[Recommendation, TakeUp]] = field(default_factory=list)
    """Every recommendation of the submission with its take-up, in document order."""
    by_status: dict[str, int] = field(default_factory=dict)
    """:attr:`TakeUp.status` → number of recommendations."""

    def taken_up(self) -> list[tuple[Recommendation, TakeUp]]:
        """Only the recommendations that were taken up."""
        return [(r, t) for r, t in self.take_up if t.taken_up]


@dataclass
class FollowUpIndex:
    """Every follow-up link of the knowledge base, both ways (``KnowledgeBase.followup``)."""

    records: dict[tuple[str, str], RecordFollowUp] = field(default_factory=dict)
    """(submission ID, finding or recommendation ID) → its follow-up."""
    received: dict[tuple[str, str], ReceivedFollowUp] = field(default_factory=dict)
    """(review ID, received recommendation ID) → the organisations' records about it (every one present)."""
    reviews: dict[str, ReviewFollowUp] = field(default_factory=dict)
    """Review ID → its counts."""
    submissions: dict[str, SubmissionFollowUp] = field(default_factory=dict)
    """Submission ID → its take-up."""
    external: list[ExternalCitation] = field(default_factory=list)
    """References to reviews outside the knowledge base, kept as citations (follows-up, take-up, assessments)."""

    def record(self, submission_id: str, record_id: str) -> RecordFollowUp | None:
        """The follow-up of a finding or recommendation (``None`` for another kind of record)."""
        return self.records.get((submission_id, record_id))

    def of_received(self, review: str, rec_id: str) -> ReceivedFollowUp | None:
        """What the organisations' records say about a received recommendation (``None`` if it is unknown)."""
        return self.received.get((review, rec_id))


# ---------------------------------------------------------------------------
# Derived response
# ---------------------------------------------------------------------------

_POSITION_ORDER = (Position.supported, Position.supported_in_part, Position.noted, Position.unknown)
_POSITION_WORDS = {
    Position.supported: "supported as",
    Position.supported_in_part: "supported in part as",
    Position.noted: "noted as",
    Position.unknown: "taken up as",
}
NOT_TAKEN_UP = "not taken up (yet)"
REVIEW_NOT_IN_KB = "the review is not in the knowledge base"


def _one(ref: ResolvedRef, own_review: str | None) -> str:
    rec = ref.recommendation
    assert rec is not None
    name = rec.id if ref.review_id == own_review else ref.reference
    return f"{name} ({', '.join(s.name for s in rec.recommending_states)})"


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def derived_response(refs: list[ResolvedRef], own_review: str | None, review_in_kb: bool) -> tuple[str, str]:
    """The response and status of a recommendation taken up as ``refs`` (see :class:`TakeUp`).

    Positions are grouped in the order supported, supported in part, noted, unknown:
    ``supported as 140.7 (Maldives, Portugal) and 140.9 (France); noted as 140.20 (Iran)``.
    """
    if not refs:
        return (NOT_TAKEN_UP, "not-taken-up") if review_in_kb else (REVIEW_NOT_IN_KB, "review-not-in-kb")
    groups: dict[Position, list[str]] = defaultdict(list)
    outside: list[str] = []
    for ref in refs:
        if ref.recommendation is not None:
            groups[ref.recommendation.position].append(_one(ref, own_review))
        elif ref.review_id is not None:
            outside.append(f"{ref.reference} (no such recommendation in the review)")
        else:
            outside.append(f"{ref.text} ({REVIEW_NOT_IN_KB})")
    parts = []
    for position in _POSITION_ORDER:
        if groups.get(position):
            text = f"{_POSITION_WORDS[position]} {_and(groups[position])}"
            parts.append(text + (", position not known" if position is Position.unknown else ""))
    if outside:
        parts.append(f"taken up as {_and(outside)}")
    positions = [p for p in _POSITION_ORDER if groups.get(p)]
    if not positions:
        status = "external"
    elif len(positions) == 1:
        status = positions[0].value
    else:
        status = "mixed"
    return "; ".join(parts), status


# ---------------------------------------------------------------------------
# Building the index
# ---------------------------------------------------------------------------


def submission_review(sub: SubmissionIndex) -> str | None:
    """The ID of the review a submission answers: ``<iso3>-upr<cycle>`` (``None`` while its metadata fails)."""
    # A submission.yaml that failed validation leaves a placeholder without State or cycle.
    state = getattr(sub.submission, "state", None)
    cycle = getattr(sub.submission, "cycle", None)
    return review_id(state.iso3, cycle) if state is not None and cycle is not None else None


def _organisation(sub: SubmissionIndex) -> str:
    organisation = getattr(sub.submission, "organisation", None)
    return organisation.name if organisation is not None else sub.id


def build_followup(submissions: list[SubmissionIndex], reviews: dict[str, ReviewIndex]) -> FollowUpIndex:
    """Resolve every follow-up link of the knowledge base (references the validation has checked)."""
    resolver = Resolver(reviews)
    out = FollowUpIndex()
    for review in reviews.values():
        for rec in review.recommendations:
            out.received.setdefault((review.id, rec.id), ReceivedFollowUp(review.id, rec))

    def received(ref: ResolvedRef) -> ReceivedFollowUp | None:
        if ref.review_id is None or ref.recommendation is None:
            return None
        return out.received.get((ref.review_id, ref.recommendation.id))

    def link(ngo: NgoRecord, field_name: str, texts: list[str]) -> list[ResolvedRef]:
        """Resolve a record's references and link each received recommendation back to it (once each)."""
        refs: list[ResolvedRef] = []
        seen: set[int] = set()
        for text in texts:
            ref = resolver.resolve(text)
            refs.append(ref)
            target = received(ref)
            if target is not None and id(target) not in seen:
                seen.add(id(target))
                backlinks = target.followed_up_by if field_name == "follows_up" else target.taken_up_from
                backlinks.append(ngo)
            elif ref.external:
                out.external.append(ExternalCitation(ngo, field_name, ref))
        return refs

    for sub in submissions:
        own = submission_review(sub)
        own_in_kb = own is not None and own in reviews
        organisation = _organisation(sub)
        sf = SubmissionFollowUp(sub.id, own, own_in_kb)
        out.submissions[sub.id] = sf
        records: list[Finding | Recommendation] = [*sub.findings, *sub.recommendations]
        for record in records:
            rf = RecordFollowUp(sub, record)
            out.records[(sub.id, record.id)] = rf
            ngo = NgoRecord(sub, record)
            rf.follows_up = link(ngo, "follows_up", record.follows_up)
            if isinstance(record, Recommendation):
                rf.taken_up_as = link(ngo, "taken_up_as", record.taken_up_as)
                response, status = derived_response(rf.taken_up_as, own, own_in_kb)
                rf.take_up = TakeUp(tuple(rf.taken_up_as), own, own_in_kb, response, status)
                sf.take_up.append((record, rf.take_up))
                sf.by_status[status] = sf.by_status.get(status, 0) + 1
            else:
                evidence = tuple(sub.sources_of(record))
                for a in record.assessments:
                    ref = resolver.resolve(a.recommendation)
                    entry = AssessmentEntry(sub, organisation, record, a, ref, evidence)
                    rf.assessments.append(entry)
                    target = received(ref)
                    if target is not None:
                        target.assessments.append(entry)
                    elif ref.external:
                        out.external.append(ExternalCitation(ngo, "assessments", ref))
    for review in reviews.values():
        counts = ReviewFollowUp(review.id)
        counts.assessments_by_status = {s.value: 0 for s in AssessmentStatus}
        counts.assessments_by_grade = {g.letter: 0 for g in sorted(GRADES.values())}
        counts.latest_by_status = {s.value: 0 for s in AssessmentStatus}
        for rec in review.recommendations:
            rfu = out.received[(review.id, rec.id)]
            rfu.assessments.sort(key=lambda e: (e.as_of, e.submission.id, e.finding.id))
            latest: dict[str, AssessmentEntry] = {}
            for entry in rfu.assessments:
                latest[entry.organisation] = entry  # oldest first: the last one per organisation wins
                counts.assessments_by_status[entry.status.value] += 1
                counts.assessments_by_grade[entry.grade.letter] += 1
            rfu.latest = dict(sorted(latest.items()))
            for entry in rfu.latest.values():
                counts.latest_by_status[entry.status.value] += 1
            counts.followed_up += bool(rfu.followed_up_by)
            counts.taken_up += bool(rfu.taken_up_from)
            counts.assessed += bool(rfu.assessments)
        out.reviews[review.id] = counts
    return out
