"""The typed records of the knowledge base (pydantic v2).

Every model forbids unknown keys and documents each field with a docstring;
those docstrings feed the JSON Schema (editor autocompletion) and the
data-model reference page. Records that become pages or anchors carry an
explicit, stable :data:`Id`. Each record remembers where it was written
(``record.where``) so later checks can point at ``path:line:col``.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterator
from enum import Enum
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    StringConstraints,
    ValidationError,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from uprkb.core.errors import Location

# ---------------------------------------------------------------------------
# Scalar types
# ---------------------------------------------------------------------------

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
# Names that some file systems refuse or treat specially; IDs become file and anchor names.
RESERVED_IDS = frozenset(
    {"con", "prn", "aux", "nul", "index", "search", "assets", "downloads"}
    | {f"com{i}" for i in range(10)}
    | {f"lpt{i}" for i in range(10)}
)
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\u00ad]")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""Unicode category Cc but tab and newline: ESC, NUL, BEL and the rest never belong in text."""


def _no_control(value: str) -> str:
    m = _CONTROL.search(value)
    if m:
        name = unicodedata.name(m.group(), "") or {0: "NULL", 7: "BELL", 27: "ESCAPE"}.get(ord(m.group()), "control")
        raise PydanticCustomError(
            "control_character",
            "contains the control character U+{code} ({name}) at position {at}; delete it",
            {"code": f"{ord(m.group()):04X}", "name": name, "at": m.start() + 1},
        )
    return value


def _no_invisible(value: str) -> str:
    _no_control(value)
    m = _INVISIBLE.search(value)
    if m:
        name = unicodedata.name(m.group(), f"U+{ord(m.group()):04X}")
        raise ValueError(f"contains the invisible character U+{ord(m.group()):04X} ({name}); delete it")
    return value


def suggest_id(value: str) -> str | None:
    """A valid ID close to ``value`` (lowercase, other characters turned into single hyphens), if any."""
    slug = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")
    return slug if slug and len(slug) <= 64 and re.fullmatch(ID_PATTERN, slug) and slug not in RESERVED_IDS else None


def _check_id(value: str) -> str:
    _no_invisible(value)
    if value != value.lower() and value.lower() == value.lower().encode("ascii", "ignore").decode():
        if re.fullmatch(ID_PATTERN, value.lower()):
            raise ValueError(f"IDs are lowercase: write {value.lower()!r}")
    if any(ord(c) > 127 for c in value):
        bad = next(c for c in value if ord(c) > 127)
        raise ValueError(
            f"IDs are plain ASCII; {bad!r} ({unicodedata.name(bad, 'unknown')}) looks like a Latin letter but is not"
        )
    if not re.fullmatch(ID_PATTERN, value):
        slug = suggest_id(value)
        raise ValueError(
            "IDs use only lowercase letters a-z, digits and single hyphens between words"
            + (f": write {slug!r}" if slug else " (e.g. 'hrw-2022')")
        )
    if value in RESERVED_IDS:
        raise ValueError(f"{value!r} is a reserved name; choose a more specific ID")
    return value


Id = Annotated[
    str,
    StringConstraints(min_length=1, max_length=64),
    AfterValidator(_check_id),
    Field(json_schema_extra={"pattern": ID_PATTERN}),
]
"""A stable identifier: lowercase ASCII words joined by hyphens, at most 64 characters."""


def _check_text(value: str) -> str:
    value = _no_invisible(value.strip())
    if not value:
        raise ValueError("must not be empty")
    return value


Text = Annotated[str, AfterValidator(_check_text)]
"""Plain text with the small inline-Markdown subset (see the editing guide)."""

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
PARTIAL_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")


def _parse_date(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not ISO_DATE.fullmatch(value):
        raise ValueError("dates are written YYYY-MM-DD, e.g. 2024-01-05 (not 05/01/2024)")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a real calendar date") from None


Date = Annotated[dt.date, BeforeValidator(_parse_date)]
"""A calendar date written ``YYYY-MM-DD``."""


def _check_partial(value: Any) -> Any:
    if not isinstance(value, str) or not PARTIAL_DATE.fullmatch(value):
        raise ValueError("write a date as YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2022-01 or 2022-01-05")
    parts = [int(p) for p in value.split("-")]
    try:
        dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        raise ValueError(f"{value!r} is not a real calendar date") from None
    return value


PartialDate = Annotated[str, BeforeValidator(_check_partial)]
"""A date at the precision the text states it: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""

_URL = re.compile(
    r"^https?://[^\s/?#<>\"'`@]+\.[^\s/?#<>\"'`@]*[^\s<>\"`]*$"
    r"|^https?://(?:localhost|127\.0\.0\.1|\[::1\])(?::\d+)?(?:[/?#][^\s<>\"`]*)?$"
)


def _check_url(value: str) -> str:
    _no_invisible(value)
    scheme = value.split(":", 1)[0].lower() if ":" in value else ""
    if scheme and scheme not in ("http", "https"):
        raise ValueError(f"the URL scheme {scheme + ':'!r} is not allowed; use an http(s) address")
    if not _URL.fullmatch(value):
        raise ValueError("is not a well-formed http(s) URL (e.g. https://example.org/page)")
    return value


Url = Annotated[str, AfterValidator(_check_url)]
"""An absolute ``http://`` or ``https://`` address."""


class Model(BaseModel):
    """Base for every record: unknown keys are errors, and the source location is kept."""

    model_config = ConfigDict(
        extra="forbid",
        use_attribute_docstrings=True,
        str_strip_whitespace=False,
        frozen=False,
    )
    _where: Location | None = PrivateAttr(default=None)
    _src: Any = PrivateAttr(default=None)

    @model_validator(mode="wrap")
    @classmethod
    def _remember_location(cls, data: Any, handler: Any) -> Any:
        record = handler(data)
        mark = getattr(data, "mark", None)
        if mark is not None:
            record._where = mark
            record._src = data
        return record

    @property
    def where(self) -> Location:
        """Where this record was written (``path:line:col``), or ``<unknown>``."""
        return self._where or Location("<unknown>")

    def field_where(self, name: str, index: int | None = None) -> Location:
        """Where one field's value (or one item of a list field) was written."""
        src = self._src
        if src is None or name not in getattr(src, "value_marks", {}):
            return self.where
        value = src.get(name)
        if index is not None and hasattr(value, "item_marks") and index < len(value.item_marks):
            return value.item_marks[index]
        return src.value_marks[name]


class Confidential(Model):
    confidential: bool = False
    """When true the record is left out of the public site, downloads and link checks."""


# ---------------------------------------------------------------------------
# Vocabularies
# ---------------------------------------------------------------------------


class VocabularySource(Model):
    """Where a vocabulary's terms come from."""

    name: Text
    """The name of the list the terms are taken from or matched to."""
    url: Url | None = None
    """Where that list is published."""
    note: Text | None = None
    """How the terms were chosen or adapted."""


class Equivalent(Model):
    """The same concept's label in another database."""

    system: Literal["upr-info", "uhri"]
    """Whose label it is: ``upr-info`` (UPR Info's issues) or ``uhri`` (OHCHR's Universal Human Rights Index)."""
    label: Text
    """The label exactly as that database writes it."""

    def __str__(self) -> str:
        return f"{'UPR Info' if self.system == 'upr-info' else 'UHRI'}: {self.label}"


class Term(Model):
    """One term of a controlled vocabulary (a theme or an affected-persons group)."""

    id: Id
    """Stable identifier used in tags."""
    label: Text
    """The term as readers see it."""
    description: Text | None = None
    """What the term covers."""
    equivalents: list[Equivalent] = []
    """The same concept's label in other databases (UPR Info, UHRI); importers map upstream labels through them."""


class TermVocabulary(Model):
    """A flat vocabulary file: themes or affected persons."""

    source: VocabularySource
    """Where the terms come from."""
    terms: list[Term]
    """The terms, in display order."""


class SdgTarget(Model):
    """One Sustainable Development Goal target."""

    id: Id
    """Stable identifier, e.g. ``sdg-16-3``."""
    number: Annotated[str, StringConstraints(pattern=r"^\d{1,2}\.(?:\d{1,2}|[a-z])$")]
    """The official target number, e.g. ``16.3`` or ``16.a``."""
    text: Text
    """The official wording of the target."""


class SdgGoal(Model):
    """One Sustainable Development Goal with the targets used here."""

    id: Id
    """Stable identifier, e.g. ``sdg-16``."""
    number: Annotated[int, Field(ge=1, le=17)]
    """The goal number, 1 to 17."""
    title: Text
    """The goal's short title."""
    targets: list[SdgTarget]
    """The goal's targets that records are tagged with."""


class SdgVocabulary(Model):
    """The SDG vocabulary file."""

    source: VocabularySource
    """Where the goal and target texts come from."""
    goals: list[SdgGoal]
    """The goals, in numeric order."""


class Provision(Model):
    """One article, paragraph or clause of a legal instrument."""

    id: Id
    """Stable identifier, e.g. ``iccpr-art-2-2``."""
    label: Text
    """How the provision is cited, e.g. ``Article 2(2)``."""
    title: Text | None = None
    """The provision's heading, when it has one."""
    text: Text | None = None
    """The provision's wording, when it is quoted."""


class InstrumentKind(str, Enum):
    treaty = "treaty"
    protocol = "protocol"
    declaration = "declaration"
    national_law = "national-law"
    constitution = "constitution"
    code = "code"
    agreement = "agreement"
    other = "other"


class Instrument(Model):
    """A legal instrument (treaty, national law, code) with the provisions cited."""

    id: Id
    """Stable identifier, e.g. ``iccpr``."""
    title: Text
    """Full title."""
    short_title: Text | None = None
    """Abbreviation, e.g. ``ICCPR``."""
    kind: InstrumentKind
    """What sort of instrument it is."""
    jurisdiction: Annotated[str, StringConstraints(pattern=r"^(?:international|regional|[A-Z]{3})$")]
    """``international``, ``regional``, or the ISO 3166-1 alpha-3 code of a State."""
    adopted: PartialDate | None = None
    """When it was adopted or signed."""
    url: Url | None = None
    """An authoritative text online."""
    provisions: list[Provision] = []
    """The provisions that records cite."""


class InstrumentVocabulary(Model):
    """The legal-instruments vocabulary file."""

    source: VocabularySource
    """Where the instrument texts come from."""
    instruments: list[Instrument]
    """The instruments."""


# ---------------------------------------------------------------------------
# Submission metadata
# ---------------------------------------------------------------------------


class Organisation(Model):
    """The organisation that wrote the submission."""

    name: Text
    """Full name as the document gives it."""
    abbreviation: Text | None = None
    """Short name, e.g. ``ILI``."""
    founded: Annotated[int, Field(ge=1800, le=2100)] | None = None
    """Year of establishment."""
    description: Text | None = None
    """The organisation's own description from the document."""
    url: Url | None = None
    """Its website."""


class StateUnderReview(Model):
    """The UN Member State whose human-rights record is reviewed."""

    name: Text
    """Short English name, e.g. ``Kazakhstan``."""
    iso3: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
    """ISO 3166-1 alpha-3 code, e.g. ``KAZ``."""


class Contact(Model):
    """Who OHCHR may contact about the submission, as the document gives it."""

    name: Text | None = None
    """The contact person or office."""
    email: Annotated[str, StringConstraints(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")] | None = None
    """An e-mail address, e.g. ``info@example.org``."""
    phone: Text | None = None
    """A telephone number as written, with its country code."""
    address: Text | None = None
    """A postal address."""


class SubmissionType(str, Enum):
    individual = "individual"
    joint = "joint"


class DocumentKind(str, Enum):
    national_report = "national-report"
    un_compilation = "un-compilation"
    stakeholder_summary = "stakeholder-summary"
    working_group_report = "working-group-report"
    addendum = "addendum"
    treaty_body = "treaty-body"
    other = "other"


class UnDocument(Model):
    """A related UN document identified by its symbol."""

    symbol: Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Za-z0-9./()-]+$", max_length=80)]
    """The UN document symbol, e.g. ``A/HRC/43/10``."""
    kind: DocumentKind
    """What the document is in the review."""
    title: Text | None = None
    """Its title."""
    cycle: Annotated[int, Field(ge=1, le=9)] | None = None
    """The UPR cycle the document belongs to."""
    verified: bool = False
    """True only once the symbol has been checked against the UN's document system."""
    url: Url | None = None
    """Where to read it."""


class Submission(Model):
    """A stakeholder's UPR submission: the metadata file ``submission.yaml``."""

    id: Id
    """Stable identifier of the submission; also its folder name."""
    title: Text
    """The document's title as written."""
    organisation: Organisation
    """Who wrote it."""
    co_submitters: list[Organisation] = []
    """For a joint submission: the other organisations."""
    submission_type: SubmissionType = SubmissionType.individual
    """``individual`` or ``joint`` (UPR stakeholder submission types)."""
    state: StateUnderReview
    """The State under review."""
    cycle: Annotated[int, Field(ge=1, le=9)]
    """The UPR cycle (the 4th cycle runs 2022-2027)."""
    session: Annotated[int, Field(ge=1, le=200)]
    """The UPR Working Group session at which the State is reviewed."""
    review_date: Date | None = None
    """The date of the State's review in the Working Group."""
    submitted: Date | None = None
    """The date the submission was sent to OHCHR, when known."""
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")] = "en"
    """ISO 639-1 code of the document's language."""
    documents: list[UnDocument] = []
    """Related UN documents of the review."""
    sections: list[Id] = []
    """Section IDs in document order; when empty, the order of the section file names is used."""
    summary: Text | None = None
    """An introductory paragraph summarising the main points (OHCHR encourages one); printed on the cover."""
    keywords: list[Text] = []
    """Key words of the submission's subject (OHCHR encourages them), e.g. ``right to life``."""
    contact: Contact | None = None
    """Who OHCHR may contact about the submission; printed on the cover of the Word export."""
    licence: Text | None = None
    """The licence under which the organisation lets others reuse this submission's data, as it states it
    (e.g. ``CC BY 4.0``); shown in the site's footer. Leave it out when the organisation has not said."""
    ohchr_acronym: Text | None = None
    """The acronym OHCHR gives the submission in its summary of stakeholders' submissions (``ILI``, ``JS2``),
    by which the summary's endnotes cite it (``JS2, para. 43``); when left out, the organisation's
    ``abbreviation`` is looked for (``import stakeholder-summary`` links the citations)."""

    @model_validator(mode="after")
    def _joint_needs_partners(self) -> Submission:
        if self.submission_type is SubmissionType.joint and not self.co_submitters:
            raise ValueError("a joint submission lists its co_submitters")
        return self


# ---------------------------------------------------------------------------
# Sections and their content
# ---------------------------------------------------------------------------


class SourceKind(str, Enum):
    media = "media"
    ngo = "ngo"
    un = "un"
    law = "law"
    dataset = "dataset"
    government = "government"
    academic = "academic"
    other = "other"


class Source(Confidential):
    """The target of a footnote: a publication, law or dataset the submission cites."""

    id: Id
    """Stable identifier, used in the text as ``[^id]``."""
    kind: SourceKind
    """media, ngo, un, law, dataset, government, academic or other."""
    title: Text | None = None
    """The publication's title, when known; left empty rather than guessed."""
    author: Text | None = None
    """The author: a person, or the organisation that wrote it (e.g. ``Human Rights Watch``)."""
    publisher: Text | None = None
    """Who published it, when not the author (a newspaper, a journal, a publishing house)."""
    citation: Text | None = None
    """The footnote's wording as the document gives it, without the URL; overrides author, title,
    publisher and date in the printed footnote."""
    url: Url | None = None
    """The address the document gives."""
    link_text: Text | None = None
    """The text the document shows for the link, when it is not the bare URL."""
    published: PartialDate | None = None
    """Publication date, when known."""
    accessed: Date | None = None
    """When the URL was last checked by a person."""
    archived_url: Url | None = None
    """A copy in a web archive."""
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")] | None = None
    """ISO 639-1 code of the source's language."""

    @model_validator(mode="after")
    def _has_something(self) -> Source:
        if not (self.title or self.citation or self.url):
            raise ValueError("a source needs at least a title, a citation or a url")
        return self


class Quote(Model):
    """A quotation of legal text inside a paragraph."""

    provision: Id
    """The provision quoted (an ID from the legal-instruments vocabulary)."""
    text: Text
    """The quoted words exactly as they stand in the paragraph."""


class Figure(Model):
    """A number the text states."""

    value: Annotated[str, StringConstraints(pattern=r"^[0-9][0-9.,]*$")]
    """The number as written, e.g. ``238`` or ``2,5``."""
    qualifier: Literal["exact", "more-than", "about", "at-least", "fewer-than"] = "exact"
    """How the text qualifies it."""
    unit: Text
    """What is counted, e.g. ``people killed``."""


class Event(Model):
    """A dated event that a finding states."""

    date: PartialDate
    """When it happened, at the precision the text gives."""
    end: PartialDate | None = None
    """When it ended, for an event with a span."""
    description: Text
    """What happened, in a short phrase."""

    @model_validator(mode="after")
    def _end_after_start(self) -> Event:
        if self.end is not None and self.end < self.date:
            raise ValueError("the end date is before the start date")
        return self


def _check_recommendation_ref(value: str) -> str:
    from uprkb.model.refs import parse_review_ref  # noqa: PLC0415

    parse_review_ref(_no_invisible(value))
    return value.strip()


def _old_follows_up(value: Any) -> Any:
    """The mapping form (document, paragraph, verified) of earlier versions, refused with the text to write."""
    if isinstance(value, dict) and "document" in value:
        document, paragraph = value.get("document"), value.get("paragraph")
        ref = f"{document}#{paragraph}" if isinstance(document, str) and isinstance(paragraph, str) else None
        raise ValueError(
            "a received recommendation is now cited by one reference, not by 'document', 'paragraph' and "
            "'verified': write "
            + (f"'{ref}'" if ref else "'<report symbol>#<paragraph>' such as 'A/HRC/43/10#139.12'")
            + " (or '<review>/<id>' such as 'kaz-upr3/139.12'); validate checks it against the review"
            " when the review is in the knowledge base"
        )
    return value


RecommendationRef = Annotated[
    str,
    BeforeValidator(_old_follows_up),
    AfterValidator(_check_recommendation_ref),
    Field(
        json_schema_extra={
            "pattern": r"^[a-z]{3}-upr[1-9]/\S+$|^[A-Z][A-Za-z0-9./()-]+#\S+$",
            "examples": ["svn-upr4/140.7", "A/HRC/59/15#140.7"],
        }
    ),
]
"""A recommendation a State received: ``<review>/<id>`` (``svn-upr4/140.7``) or ``<report>#<id>``
(``A/HRC/59/15#140.7``)."""


class AssessmentStatus(str, Enum):
    not_implemented = "not-implemented"
    partially_implemented = "partially-implemented"
    fully_implemented = "fully-implemented"
    no_information = "no-information"
    contrary_measures = "contrary-measures"


class Assessment(Model):
    """The organisation's assessment of how far the State has implemented a recommendation it received."""

    recommendation: RecommendationRef
    """The received recommendation assessed, e.g. ``svn-upr4/140.7`` or ``A/HRC/59/15#140.7``."""
    status: AssessmentStatus
    """not-implemented, partially-implemented, fully-implemented, no-information or contrary-measures."""
    as_of: Date
    """The date the assessment holds for, ``YYYY-MM-DD``."""
    quote: Text | None = None
    """Words of the finding that carry the assessment, exactly as they stand in its text (optional)."""


class FindingKind(str, Enum):
    conclusion = "conclusion"
    fact = "fact"
    allegation = "allegation"
    legal_analysis = "legal-analysis"


class FindingStatus(str, Enum):
    preliminary = "preliminary"
    established = "established"
    contested = "contested"
    superseded = "superseded"


class Finding(Confidential):
    """A conclusion or key fact the submission states."""

    id: Id
    """Stable identifier; the anchor on the site."""
    number: Annotated[int, Field(ge=1)] | None = None
    """The document's own number, when it numbers the finding."""
    text: Text
    """The finding's words exactly as in the document."""
    kind: FindingKind
    """conclusion, fact, allegation or legal-analysis."""
    status: FindingStatus = FindingStatus.established
    """preliminary, established, contested or superseded."""
    sources: list[Id] = []
    """Sources cited for the finding besides the ``[^id]`` footnotes in its text."""
    provisions: list[Id] = []
    """Legal provisions the finding refers to."""
    themes: list[Id] = []
    """Theme IDs."""
    affected_persons: list[Id] = []
    """Affected-persons group IDs."""
    events: list[Event] = []
    """Dated events the text states (they feed the timeline)."""
    figures: list[Figure] = []
    """Numbers the text states."""
    quotes: list[Quote] = []
    """Quotations of legal text inside the finding."""
    follows_up: list[RecommendationRef] = []
    """Recommendations the State received that this finding follows up, e.g. ``kaz-upr3/139.12``."""
    assessments: list[Assessment] = []
    """Assessments of received recommendations' implementation; the finding's sources are their evidence."""


class ActionCategory(int, Enum):
    minimal = 1
    continuing = 2
    considering = 3
    general = 4
    specific = 5


#: Fields an earlier version of the model had on a recommendation, and what replaced them.
RETIRED_RECOMMENDATION_FIELDS: dict[str, str] = {
    "response": (
        "'response' is no longer written by hand: a State responds to the recommendations it received, not to an"
        " organisation's text. List the received recommendations this one was taken up as in 'taken_up_as'"
        " (e.g. 'taken_up_as: [svn-upr4/140.7]'); its response is then derived from their positions."
        " Before the review, leave both out: the site shows 'not taken up (yet)'"
    ),
    "implementation": (
        "'implementation' is no longer kept on a recommendation: record how far the State implemented a"
        " recommendation it received as an 'assessments' entry on the finding that shows it"
        " (recommendation, status, as_of, and an optional quote from the finding)"
    ),
}


class Recommendation(Confidential):
    """A recommendation the submission addresses to the State under review."""

    id: Id
    """Stable identifier; the anchor on the site."""
    number: Annotated[int, Field(ge=1)]
    """The document's own number within the section."""
    text: Text
    """The recommendation verbatim."""
    action_category: ActionCategory
    """UPR Info action category: 1 minimal, 2 continuing, 3 considering, 4 general, 5 specific."""
    action_verb: Text
    """The verb the action category was derived from, e.g. ``Conduct``."""
    addressee: Text | None = None
    """Who must act, when the text names it (otherwise the State under review)."""
    themes: list[Id] = []
    """Theme IDs."""
    affected_persons: list[Id] = []
    """Affected-persons group IDs."""
    sdg_targets: list[Id] = []
    """SDG target IDs."""
    provisions: list[Id] = []
    """Legal provisions the recommendation rests on."""
    findings: list[Id] = []
    """Findings that support the recommendation."""
    follows_up: list[RecommendationRef] = []
    """Recommendations the State received (earlier cycles) that this one follows up, e.g. ``kaz-upr3/139.12``."""
    taken_up_as: list[RecommendationRef] = []
    """After the review: the recommendations States made that took this one up, e.g. ``svn-upr4/140.7``;
    the recommendation's response is derived from their positions."""

    @model_validator(mode="before")
    @classmethod
    def _retired_fields(cls, data: Any) -> Any:
        if isinstance(data, dict):
            retired = [name for name in RETIRED_RECOMMENDATION_FIELDS if name in data]
            if retired:
                raise ValidationError.from_exception_data(
                    cls.__name__,
                    [
                        InitErrorDetails(
                            type=PydanticCustomError("retired_field", RETIRED_RECOMMENDATION_FIELDS[name]),
                            loc=(name,),
                            input=data[name],
                        )
                        for name in retired
                    ],
                )
        return data


class ListStyle(str, Enum):
    ordered = "ordered"
    bullet = "bullet"
    plain = "plain"


class Paragraph(Confidential):
    """A paragraph of the section's body."""

    type: Literal["paragraph"]
    """Block type."""
    id: Id
    """Stable identifier; the paragraph's anchor."""
    text: Text
    """The paragraph's words; ``[^source-id]`` marks a footnote."""
    quotes: list[Quote] = []
    """Quotations of legal text inside the paragraph."""


class QuoteBlock(Confidential):
    """A block quotation of legal text."""

    type: Literal["quote"]
    """Block type."""
    id: Id
    """Stable identifier; the quotation's anchor."""
    text: Text
    """The quoted words exactly as the document gives them."""
    provision: Id
    """The provision quoted."""


class FindingBlock(Model):
    """One finding shown in the body as a paragraph."""

    type: Literal["finding"]
    """Block type."""
    finding: Finding
    """The finding."""


class FindingList(Model):
    """A list of findings, such as numbered conclusions."""

    type: Literal["findings"]
    """Block type."""
    label: Text | None = None
    """A lead-in the document prints before the list."""
    style: ListStyle = ListStyle.ordered
    """ordered, bullet or plain."""
    items: Annotated[list[Finding], Field(min_length=1)]
    """The findings in document order."""


class RecommendationList(Model):
    """The section's recommendations, where the document places them."""

    type: Literal["recommendations"]
    """Block type."""
    label: Text | None = None
    """The heading the document prints, e.g. ``Recommendations:``."""
    style: ListStyle = ListStyle.ordered
    """ordered, bullet or plain."""
    items: Annotated[list[Recommendation], Field(min_length=1)]
    """The recommendations in document order."""


class TextList(Confidential):
    """A plain list of text items."""

    type: Literal["list"]
    """Block type."""
    id: Id
    """Stable identifier; the list's anchor."""
    style: ListStyle = ListStyle.bullet
    """ordered, bullet or plain."""
    items: Annotated[list[Text], Field(min_length=1)]
    """The items."""


Block = Annotated[
    Paragraph | QuoteBlock | FindingBlock | FindingList | RecommendationList | TextList,
    Field(discriminator="type"),
]


BodyRecord = Paragraph | QuoteBlock | TextList | Finding | Recommendation
"""A record a section's body holds (see :meth:`Section.records`)."""


class Section(Model):
    """One section of a submission: a file ``sections/NN-slug.yaml``."""

    id: Id
    """Stable identifier; the section's page name."""
    number: Annotated[int, Field(ge=1, le=99)]
    """The document's section number (``§2`` is 2)."""
    title: Text
    """The heading as written, without the ``§N.``."""
    body: Annotated[list[Block], Field(min_length=1)]
    """The content in document order."""
    sources: list[Source] = []
    """The footnote targets cited in this section."""

    def records(self) -> Iterator[tuple[Block, BodyRecord]]:
        """Every record of the body in document order, with the block that holds it.

        The one walk over a section's blocks: a paragraph, quotation or list of text is
        its own record; a finding block gives its finding; a list of findings or
        recommendations gives each item.
        """
        for block in self.body:
            if isinstance(block, FindingBlock):
                yield block, block.finding
            elif isinstance(block, (FindingList, RecommendationList)):
                for item in block.items:
                    yield block, item
            else:
                yield block, block

    def findings(self) -> list[Finding]:
        return [r for _, r in self.records() if isinstance(r, Finding)]

    def recommendations(self) -> list[Recommendation]:
        return [r for _, r in self.records() if isinstance(r, Recommendation)]


# ---------------------------------------------------------------------------
# Editorial rules kept as data: action categories by verb, OHCHR's word limits
# ---------------------------------------------------------------------------


class ActionCategoryEntry(Model):
    """One of UPR Info's five action categories, with the leading verbs that mark it."""

    number: ActionCategory
    """The category, 1 to 5."""
    label: Text
    """Its short name, e.g. ``specific action``."""
    definition: Text
    """What the category covers, in UPR Info's terms."""
    verbs: list[Text] = []
    """Leading verbs or verb phrases, in lowercase, that mark this category, e.g. ``take measures``."""


class ActionCategoryVocabulary(Model):
    """The file ``action-categories.yaml``: UPR Info's categories and the verbs that mark each."""

    source: VocabularySource
    """Where the categories and the verb lists come from."""
    categories: list[ActionCategoryEntry]
    """The five categories, in order."""
    ambiguous: list[Text] = []
    """Verbs filed under more than one category; a recommendation starting with one is never warned about."""


class WordLimit(Model):
    """OHCHR's word limit for one type of stakeholder submission."""

    submission_type: SubmissionType
    """``individual`` or ``joint``."""
    words: Annotated[int, Field(ge=1)]
    """The most words a submission of this type may have."""


class WordLimitVocabulary(Model):
    """The file ``ohchr-limits.yaml``: OHCHR's word limits for stakeholder submissions."""

    source: VocabularySource
    """Where the limits are published."""
    limits: list[WordLimit]
    """One limit per submission type."""
    counts: Literal["body", "body-and-notes"] = "body"
    """Which count is held against the limit: ``body``, or ``body-and-notes`` (footnotes included)."""


#: The file kinds of the data folder and the model that validates each.
FILE_MODELS: dict[str, type[Model]] = {
    "submission": Submission,
    "section": Section,
    "themes": TermVocabulary,
    "affected-persons": TermVocabulary,
    "sdgs": SdgVocabulary,
    "instruments": InstrumentVocabulary,
    "action-categories": ActionCategoryVocabulary,
    "ohchr-limits": WordLimitVocabulary,
}
