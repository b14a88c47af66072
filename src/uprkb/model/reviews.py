"""The UPR record of a State — a review and the recommendations it received.

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

from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from uprkb.model.records import ActionCategory, Date, Id, Model, StateUnderReview, Text, UnDocument
from uprkb.model.refs import REC_ASSIGNED, REC_OFFICIAL, REC_OFFICIAL_RE, SYMBOL_PATTERN

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
    stakeholder_summary = "stakeholder-summary"


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
    sentence: Text | None = None
    """The sentence that states it, verbatim, so a reader can check the position in one glance."""

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


class FieldSources(Model):
    """Which import gave a field that the record's official sources did not (``review reconcile --apply``).

    A field not named here comes from the official documents the record's ``provenance`` lists.
    """

    position: ImportFormat | None = None
    """Who gave the position (and ``position_source``), when the official documents gave none."""
    claim: ImportFormat | None = None
    """Who gave the State's claim."""
    state_comment: ImportFormat | None = None
    """Who gave the State's explanation."""
    themes: ImportFormat | None = None
    """Who gave the themes (UPR Info's, where the official documents give none)."""
    affected_persons: ImportFormat | None = None
    """Who gave the affected-persons groups."""
    sdg_goals: ImportFormat | None = None
    """Who gave the SDG goals."""
    sdg_targets: ImportFormat | None = None
    """Who gave the SDG targets."""
    action_category: ImportFormat | None = None
    """Who gave the action category (UPR Info)."""
    regional_group: ImportFormat | None = None
    """Who gave the recommending States' regional groups."""
    organisations: ImportFormat | None = None
    """Who gave the recommending States' organisations."""


class ReceivedRecommendation(Model):
    """A recommendation the State under review received from other States in the Working Group."""

    id: RecId
    """The official ID as a string (``140.7``), unique within the review; an assigned ID when the source has none."""
    id_assigned: bool = False
    """True when the importer assigned the ID because the source numbers nothing (not an official number)."""
    aliases: list[RecId] = []
    """Other IDs of this recommendation that references may use: UPR Info rows' assigned IDs matched to it."""
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
    claim_source: PositionSource | None = None
    """Where the claim is stated, when another sentence than the position's states it."""
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
    field_sources: FieldSources | None = None
    """Fields taken from a lower-ranked source by ``review reconcile --apply``: ``action_category: upr-info``."""
    notes: Text | None = None
    """Editorial notes; importers never change them."""
    tags: list[Text] = []
    """Local tags for the editors' own use; importers never change them."""

    @model_validator(mode="after")
    def _id_kind(self) -> ReceivedRecommendation:
        if self.id_assigned and REC_OFFICIAL_RE.fullmatch(self.id):
            raise ValueError(
                f"the ID {self.id!r} looks official; an assigned ID starts with letters, e.g. 'u-3f2a9c1b'"
            )
        if not self.id_assigned and not REC_OFFICIAL_RE.fullmatch(self.id):
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


class PositionWithoutIds(Model):
    """A position a document states on recommendations it names without IDs (1st-cycle reports point back
    at the dialogue's paragraphs: "The recommendations noted in the report in paragraphs 27 (b), … did not
    enjoy the support of China")."""

    paragraph: Annotated[str, StringConstraints(pattern=r"^[0-9]{1,4}$")]
    """The paragraph of the report that states it."""
    position: Position
    """The position it states."""
    text: Text
    """The paragraph verbatim."""


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
    positions_without_ids: list[PositionWithoutIds] = []
    """Positions the report states on recommendations it does not number (kept as stated; no IDs invented)."""
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
# Read form
# ---------------------------------------------------------------------------


@dataclass
class ReviewData:
    """One review folder, validated file by file."""

    review: Review
    recommendations: list[ReceivedRecommendation]
    folder: Path
