"""Stage 2, model: the UPR record of a State — a review and the recommendations it received.

A review lives in ``data/reviews/<iso3>-upr<cycle>/`` (e.g. ``svn-upr4``):

* ``review.yaml`` — :class:`Review`: the State, cycle, Working Group session, the
  report and its addendum, the counts the documents state, and which files were
  imported into it (:class:`ImportRecord`: format, file name, SHA-256, date);
* ``recommendations.yaml`` — :class:`ReceivedRecommendations`: every
  :class:`ReceivedRecommendation`, with its official ID as a string (``140.7``),
  verbatim text, recommending States, the State's position and where it is stated,
  tags, UPR Info action category, upstream IDs and which importers wrote it.

Submissions cite a received recommendation as ``svn-upr4/140.7`` or, by the
report's symbol, ``A/HRC/59/15#140.7``; :func:`parse_review_ref` reads both.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Annotated, Literal, NamedTuple

from pydantic import Field, StringConstraints, model_validator

from .models import ActionCategory, Date, Id, Model, StateUnderReview, Text, UnDocument

REC_OFFICIAL = r"^[0-9]{1,4}(?:\.[0-9]{1,4}){1,3}$"
REC_ASSIGNED = r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)+$"
_REC_OFFICIAL = re.compile(REC_OFFICIAL)
_REC_ASSIGNED = re.compile(REC_ASSIGNED)
SYMBOL_PATTERN = r"^[A-Z][A-Za-z0-9./()-]+$"
REVIEW_ID = re.compile(r"^([a-z]{3})-upr([1-9])$")

RecId = Annotated[
    str,
    StringConstraints(pattern=f"{REC_OFFICIAL}|{REC_ASSIGNED}", max_length=40),
]
"""A received recommendation's ID: the official paragraph number (``140.7``) or an assigned one (``u-3f2a9c1b``)."""

Symbol = Annotated[str, StringConstraints(pattern=SYMBOL_PATTERN, max_length=80)]
"""A UN document symbol, e.g. ``A/HRC/59/15``."""

Iso3 = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
"""An ISO 3166-1 alpha-3 code, e.g. ``SVN``."""

Cycle = Annotated[int, Field(ge=1, le=9)]
Session = Annotated[int, Field(ge=1, le=200)]

#: Working Group sessions of each cycle (the published ranges; the fourth cycle runs on).
CYCLE_SESSIONS: dict[int, tuple[int, int]] = {1: (1, 12), 2: (13, 26), 3: (27, 40), 4: (41, 54)}


def cycle_of_session(session: int) -> int:
    """The UPR cycle a Working Group session belongs to (1–12 first, 13–26 second, 27–40 third, 41– fourth)."""
    if session < 1:
        raise ValueError(f"session {session} is not a Working Group session (they start at 1)")
    for cycle, (first, last) in CYCLE_SESSIONS.items():
        if first <= session <= last:
            return cycle
    return 4 + (session - 41) // 14


def review_id(iso3: str, cycle: int) -> str:
    """The review's ID and folder name, e.g. ``svn-upr4``."""
    return f"{iso3.lower()}-upr{cycle}"


class Position(str, Enum):
    supported = "supported"
    noted = "noted"
    supported_in_part = "supported-in-part"
    unknown = "unknown"


class StateClaim(str, Enum):
    implemented_or_in_progress = "implemented-or-in-progress"
    implemented = "implemented"
    in_progress = "in-progress"


class System(str, Enum):
    upr_info = "upr-info"
    uhri = "uhri"


class ImportFormat(str, Enum):
    upr_info = "upr-info"
    wg_report = "wg-report"
    responses = "responses"
    ohchr_matrix = "ohchr-matrix"
    uhri = "uhri"


class RecommendingState(Model):
    """A State (or other body) that made the recommendation."""

    name: Text
    """The name as the source writes it, e.g. ``Bolivarian Republic of Venezuela``."""
    iso3: Iso3 | None = None
    """Its ISO 3166-1 alpha-3 code, when the name could be matched."""
    regional_group: Text | None = None
    """Its UN regional group as the source gives it (UPR Info: ``Africa``, ``Asia``, ``EEG``, ``GRULAC``, ``WEOG``)."""
    organisations: list[Text] = []
    """Organisations it belongs to as the source lists them (UPR Info: ``EU``, ``OIC``, …)."""


class PositionSource(Model):
    """Where the State's position on a recommendation is stated."""

    document: Symbol | None = None
    """The document's symbol, e.g. ``A/HRC/59/15/Add.1`` (the addendum) or ``A/HRC/59/15`` (the report)."""
    paragraph: Annotated[str, StringConstraints(pattern=r"^[0-9]{1,4}(?:\.[0-9]{1,4})*$")] | None = None
    """The paragraph of that document, e.g. ``3``."""
    database: Text | None = None
    """The database the position was taken from when no document is named, e.g. ``UPR Info``."""

    @model_validator(mode="after")
    def _something(self) -> PositionSource:
        if not (self.document or self.database):
            raise ValueError("a position source names a document or a database")
        return self


class UpstreamIds(Model):
    """The record's IDs in other databases."""

    uhri: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9-]{1,64}$")] | None = None
    """The Universal Human Rights Index annotation ID."""
    upr_info: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9-]{1,64}$")] | None = None
    """UPR Info's recommendation ID."""


class UnmappedLabel(Model):
    """An upstream label no vocabulary term lists among its equivalents (kept, never dropped)."""

    system: System
    """Whose label it is: ``upr-info`` or ``uhri``."""
    kind: Literal["themes", "affected_persons", "sdgs"]
    """Which kind of tag the label was given as."""
    label: Text
    """The label exactly as the source writes it."""


class ReceivedRecommendation(Model):
    """A recommendation the State under review received from other States in the Working Group."""

    id: RecId
    """The official ID as a string (``140.7``), unique within the review; an assigned ID when the source has none."""
    id_assigned: bool = False
    """True when the importer assigned the ID because the source numbers nothing (not an official number)."""
    text: Text
    """The recommendation verbatim."""
    recommending_states: Annotated[list[RecommendingState], Field(min_length=1)]
    """The State(s) that made it; a merged record lists several."""
    position: Position = Position.unknown
    """The State's position: supported, noted, supported-in-part or unknown."""
    claim: StateClaim | None = None
    """The State's own claim where it makes one, e.g. ``implemented-or-in-progress``."""
    state_comment: Text | None = None
    """The State's explanation of its position, verbatim from its addendum, where it gives one."""
    position_source: PositionSource | None = None
    """Where the position is stated."""
    themes: list[Id] = []
    """Theme IDs."""
    affected_persons: list[Id] = []
    """Affected-persons group IDs."""
    sdg_goals: list[Annotated[int, Field(ge=1, le=17)]] = []
    """SDG goal numbers (OHCHR's matrix gives goals only)."""
    sdg_targets: list[Id] = []
    """SDG target IDs."""
    action_category: ActionCategory | None = None
    """UPR Info action category: 1 minimal, 2 continuing, 3 considering, 4 general, 5 specific."""
    upstream: UpstreamIds | None = None
    """The record's IDs in UHRI and UPR Info."""
    unmapped: list[UnmappedLabel] = []
    """Upstream labels with no vocabulary equivalent, kept as given."""
    provenance: list[ImportFormat] = []
    """The import formats that wrote this record (see the review's ``imports``)."""
    notes: Text | None = None
    """Editorial notes; importers never change them."""
    tags: list[Text] = []
    """Local tags for the editors' own use; importers never change them."""

    @model_validator(mode="after")
    def _id_kind(self) -> ReceivedRecommendation:
        if self.id_assigned and _REC_OFFICIAL.fullmatch(self.id):
            raise ValueError(
                f"the ID {self.id!r} looks official; an assigned ID starts with letters, e.g. 'u-3f2a9c1b'"
            )
        if not self.id_assigned and not _REC_OFFICIAL.fullmatch(self.id):
            raise ValueError(
                f"the ID {self.id!r} is not an official paragraph number such as '140.7'; "
                "if the importer assigned it, set 'id_assigned: true'"
            )
        return self


class StatedCounts(Model):
    """The counts a document states (checked against the records)."""

    received: Annotated[int, Field(ge=0)] | None = None
    """How many recommendations the State received."""
    supported: Annotated[int, Field(ge=0)] | None = None
    """How many it supported."""
    noted: Annotated[int, Field(ge=0)] | None = None
    """How many it noted."""
    source: Symbol | None = None
    """The document that states them."""


class ImportRecord(Model):
    """One file imported into the review."""

    format: ImportFormat
    """The importer: upr-info, wg-report, responses, ohchr-matrix or uhri."""
    file: Text
    """The file's name (without its folder)."""
    sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
    """The SHA-256 of the file's bytes."""
    imported: Date
    """When it was imported."""
    records: Annotated[int, Field(ge=0)]
    """How many records of this review it gave."""


class Review(Model):
    """A State's review in one UPR cycle: the file ``review.yaml``."""

    id: Id
    """``<iso3>-upr<cycle>``, e.g. ``svn-upr4``; also the folder name."""
    state: StateUnderReview
    """The State under review."""
    cycle: Cycle
    """The UPR cycle."""
    session: Session | None = None
    """The Working Group session of the review."""
    review_date: Date | None = None
    """The date of the review in the Working Group."""
    report: Symbol | None = None
    """The Working Group report's symbol, e.g. ``A/HRC/59/15``."""
    addendum: Symbol | None = None
    """The State's addendum with its positions, e.g. ``A/HRC/59/15/Add.1``."""
    adoption: Text | None = None
    """The Human Rights Council decision adopting the outcome."""
    counts: StatedCounts | None = None
    """The counts as stated in the documents."""
    sources: list[UnDocument] = []
    """Other documents of the review."""
    imports: list[ImportRecord] = []
    """The files imported into this review."""
    notes: Text | None = None
    """Editorial notes; importers never change them."""


class ReceivedRecommendations(Model):
    """The recommendations a review produced: the file ``recommendations.yaml``."""

    review: Id
    """The review's ID (its folder name)."""
    recommendations: list[ReceivedRecommendation]
    """The recommendations, in the report's order."""


#: The review files and the model of each (JSON Schemas are exported for both).
REVIEW_FILE_MODELS: dict[str, type[Model]] = {"review": Review, "recommendations": ReceivedRecommendations}


# ---------------------------------------------------------------------------
# References
# ---------------------------------------------------------------------------


class ReviewRef(NamedTuple):
    """A parsed reference to a received recommendation."""

    review: str
    """The review ID (``svn-upr4``) or the report's symbol (``A/HRC/59/15``)."""
    rec: str
    """The recommendation's ID within the review (``140.7``)."""
    by_symbol: bool
    """True when ``review`` is a document symbol."""


_REF_BY_ID = re.compile(r"^([a-z]{3}-upr[1-9])/(\S+)$")
_REF_BY_SYMBOL = re.compile(r"^([A-Z][A-Za-z0-9./()-]+)#(\S+)$")


def parse_review_ref(text: str) -> ReviewRef:
    """Read ``svn-upr4/140.7`` or ``A/HRC/59/15#140.7``; ``ValueError`` with a readable message otherwise."""
    value = text.strip()
    m = _REF_BY_ID.fullmatch(value) or _REF_BY_SYMBOL.fullmatch(value)
    if not m:
        raise ValueError(
            f"{text!r} is not a reference to a received recommendation; "
            "write '<review>/<id>' such as 'svn-upr4/140.7' or '<report symbol>#<id>' such as 'A/HRC/59/15#140.7'"
        )
    rec = m.group(2)
    if not (_REC_OFFICIAL.fullmatch(rec) or _REC_ASSIGNED.fullmatch(rec)):
        raise ValueError(f"{rec!r} in {text!r} is not a recommendation ID such as '140.7'")
    return ReviewRef(m.group(1), rec, m.re is _REF_BY_SYMBOL)


def format_review_ref(review: str, rec: str) -> str:
    """The global reference form, e.g. ``svn-upr4/140.7``."""
    return f"{review}/{rec}"


# ---------------------------------------------------------------------------
# Read and indexed forms
# ---------------------------------------------------------------------------


@dataclass
class ReviewData:
    """One review folder, validated file by file."""

    review: Review
    recommendations: list[ReceivedRecommendation]
    folder: Path


@dataclass
class ReviewIndex:
    """One review with its recommendations looked up by ID (``KnowledgeBase.reviews[review_id]``)."""

    review: Review
    recommendations: list[ReceivedRecommendation]
    by_id: dict[str, ReceivedRecommendation] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.review.id

    def counts(self) -> dict[str, dict[str, int]]:
        """Counts of the records: total, by position and by action category."""
        by_position: dict[str, int] = defaultdict(int)
        by_category: dict[str, int] = defaultdict(int)
        for r in self.recommendations:
            by_position[r.position.value] += 1
            by_category[str(r.action_category.value) if r.action_category else "none"] += 1
        return {
            "total": {"received": len(self.recommendations)},
            "position": dict(by_position),
            "action_category": dict(by_category),
        }


def index_reviews(reviews: list[ReviewData]) -> dict[str, ReviewIndex]:
    """Review ID → :class:`ReviewIndex`, in ID order (first record wins on a duplicate ID)."""
    out: dict[str, ReviewIndex] = {}
    for rd in sorted(reviews, key=lambda r: r.review.id):
        idx = ReviewIndex(rd.review, rd.recommendations)
        for r in rd.recommendations:
            idx.by_id.setdefault(r.id, r)
        out.setdefault(rd.review.id, idx)
    return out


def resolve_review_ref(
    reviews: dict[str, ReviewIndex], text: str
) -> tuple[ReviewIndex | None, ReceivedRecommendation | None]:
    """The review and recommendation a reference names; ``None`` for what the knowledge base lacks.

    Raises ``ValueError`` when the text is not a reference at all.
    """
    ref = parse_review_ref(text)
    if ref.by_symbol:
        review = next((r for r in reviews.values() if r.review.report == ref.review), None)
    else:
        review = reviews.get(ref.review)
    if review is None:
        return None, None
    return review, review.by_id.get(ref.rec)
