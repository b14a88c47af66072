"""The contract between the page builders and the templates: one frozen dataclass per template.

Each context names its template (``TEMPLATE``) and holds exactly the variables
that template uses, as display strings and links ready to print: no pydantic
model reaches a template, and a test compares each template's variables with
its context's fields both ways. Text stays raw here; the templates' ``md`` and
``esc`` filters escape it at one boundary (:mod:`uprkb.core.markup`).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, ClassVar

from uprkb.present.links import Link, MaybeLink, PagerLink
from uprkb.site.cards import BodyItem, Footnote
from uprkb.site.reference import DataModelContext, ErrorCodesContext


class Context:
    """Base of every template context (a frozen dataclass with a ``TEMPLATE`` name)."""

    TEMPLATE: ClassVar[str]


def template_variables(context: Any) -> dict[str, Any]:
    """A context's fields as the template's variables (shallow: nested values stay objects)."""
    return {f.name: getattr(context, f.name) for f in fields(context)}


# -- rows and entries -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Counts:
    submissions: int
    sections: int
    findings: int
    recommendations: int
    sources: int


@dataclass(frozen=True, slots=True)
class Download:
    """A file offered for download: what it is, where, and how large."""

    label: str
    href: str
    size: str


@dataclass(frozen=True, slots=True)
class SubmissionRow:
    link: Link
    state: str
    iso3: str
    cycle: int
    session: int
    recommendations: int


@dataclass(frozen=True, slots=True)
class DocumentRow:
    symbol: str
    url: str
    title: str
    cycle: str
    checked: str


@dataclass(frozen=True, slots=True)
class Fact:
    label: str
    value: str


@dataclass(frozen=True, slots=True)
class FullTextSection:
    id: str
    number: int
    title: str
    body: list[BodyItem]


@dataclass(frozen=True, slots=True)
class LinkHealth:
    status: str
    code: int | None
    reason: str | None
    checked: str
    archived_suggestion: str | None


@dataclass(frozen=True, slots=True)
class SourceEntry:
    id: str
    label: str
    kind: str
    author: str | None
    citation: str | None
    link_text: str | None
    url: str | None
    published: str | None
    accessed: str | None
    archived_url: str | None
    health: LinkHealth | None
    cited: list[Link]
    """Records whose text cites the source directly."""
    resting: list[Link]
    """Records that cite it only through a finding they rest on."""


@dataclass(frozen=True, slots=True)
class CountedLink:
    link: Link
    count: int


@dataclass(frozen=True, slots=True)
class RecommendationRow:
    number: Link
    text: str
    submission: Link
    state: str
    cycle: str
    section: Link
    themes: list[Link]
    action_category: str
    response: str


@dataclass(frozen=True, slots=True)
class FindingRow:
    link: Link
    submission: Link
    text: str
    kind: str
    status: str
    themes: list[Link]
    supports: list[Link]


@dataclass(frozen=True, slots=True)
class Entry:
    """A record as one compact line of a term page."""

    link: Link
    origin: str
    section: str
    text: str


@dataclass(frozen=True, slots=True)
class EntryGroup:
    """The records of one kind on a term page (findings, recommendations, received recommendations)."""

    heading: str
    entries: list[Entry]


@dataclass(frozen=True, slots=True)
class TermRow:
    link: Link
    note: str | None
    goal: str | None
    recommendations: int
    findings: int
    received: int


@dataclass(frozen=True, slots=True)
class ProvisionEntry:
    id: str
    label: str
    title: str | None
    text: str | None
    cited: list[Link]
    more: int


@dataclass(frozen=True, slots=True)
class InstrumentRow:
    link: Link
    short_title: str | None
    kind: str
    jurisdiction: str
    count: int


@dataclass(frozen=True, slots=True)
class TimelineEvent:
    text: str
    link: Link
    origin: str


@dataclass(frozen=True, slots=True)
class TimelineYear:
    year: str
    events: list[TimelineEvent]


@dataclass(frozen=True, slots=True)
class ChartRow:
    label: str
    values: list[int]


@dataclass(frozen=True, slots=True)
class ChartView:
    """A chart image with a text alternative and its numbers as a table."""

    href: str
    alt: str
    columns: list[str]
    rows: list[ChartRow]


@dataclass(frozen=True, slots=True)
class CountRow:
    label: str
    count: int


@dataclass(frozen=True, slots=True)
class ReceivedRow:
    """A received recommendation as a row of its review's table, with its permanent anchor."""

    anchor: str
    number: str
    """The report's number (``140.7``), or ``no official number`` for an ID the knowledge base assigned."""
    text: str
    states: str
    position: str
    claim: str | None
    themes: list[Link]
    action_category: str
    stated_in: Link | None = None
    """Where the position is stated (``A/HRC/28/10, para. 124``), linking to the sentence on the same page."""


@dataclass(frozen=True, slots=True)
class PositionStatement:
    """A sentence of a document that states the State's position or claim on some of the recommendations."""

    anchor: str
    """The statement's anchor on the review page, which the rows link to."""
    where: str
    """The document and paragraph: ``A/HRC/28/10, para. 124``."""
    sentence: str
    """The sentence, verbatim."""
    says: str
    """What it states, in words: ``supported``, ``the State considers it already implemented``."""
    recommendations: str
    """The recommendations it covers: ``124.1–124.47`` or a count."""


@dataclass(frozen=True, slots=True)
class AssessmentView:
    """An organisation's latest assessment of a received recommendation, with the finding that makes it."""

    organisation: str
    text: str
    finding: Link


@dataclass(frozen=True, slots=True)
class FollowUpEntry:
    """What the organisations' records say about one received recommendation; the State's claim apart."""

    recommendation: Link
    text: str
    claim: str | None
    followed_up_by: list[Link]
    taken_up_from: list[Link]
    assessments: list[AssessmentView]


@dataclass(frozen=True, slots=True)
class TakeUpRow:
    """One of a submission's recommendations after the review: what it was taken up as, with which position."""

    recommendation: Link
    response: str
    taken_up_as: list[MaybeLink]


@dataclass(frozen=True, slots=True)
class DocumentView:
    """A UN document of a review: what it is, and its symbol linked to the UN's document resolver."""

    what: str
    symbol: Link


@dataclass(frozen=True, slots=True)
class ImportView:
    """A file imported into a review, as its ``imports`` record names it."""

    file: str
    format: str
    date: str
    records: int


@dataclass(frozen=True, slots=True)
class ReviewRow:
    link: Link
    state: Link
    cycle: int
    session: str
    received: int
    supported: int
    noted: int


@dataclass(frozen=True, slots=True)
class StateRow:
    link: Link
    reviews: int
    submissions: int


# -- one context per template -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HomeContext(Context):
    TEMPLATE: ClassVar[str] = "home.md.j2"
    submissions: list[SubmissionRow]
    counts: Counts
    reviews: int
    received: int
    vocabularies: list[Link]
    downloads: list[Download]
    chart: ChartView | None
    editors: list[Link]
    """The editors' pages (guide, data-model reference, error codes): an internal build's home only."""


@dataclass(frozen=True, slots=True)
class SubmissionContext(Context):
    TEMPLATE: ClassVar[str] = "submission.md.j2"
    title: str
    organisation: str
    abbreviation: str | None
    founded: int | None
    co_submitters: list[str]
    submission_type: str
    state: str
    iso3: str
    cycle: int
    session: int
    review_date: str | None
    submitted: str | None
    language: str
    counts: Counts
    words: str
    description: str | None
    sections: list[Link]
    full_text_href: str
    sources_href: str
    recommendations_href: str
    documents: list[DocumentRow]
    editorial: bool
    """An internal build: show the fields meant for editors (whether each UN symbol was checked)."""
    downloads: list[Download]
    take_up_summary: str | None
    """After the review: how many recommendations were taken up, in words (None when nothing is known)."""
    take_up: list[TakeUpRow]
    take_up_chart: ChartView | None


@dataclass(frozen=True, slots=True)
class SectionContext(Context):
    TEMPLATE: ClassVar[str] = "section.md.j2"
    number: int
    title: str
    overview: Link
    body: list[BodyItem]
    footnotes: list[Footnote]
    prev: Link | None
    next: Link | None


@dataclass(frozen=True, slots=True)
class FullTextContext(Context):
    TEMPLATE: ClassVar[str] = "full_text.md.j2"
    title: str
    facts: list[Fact]
    description: str | None
    sections: list[FullTextSection]
    footnotes: list[Footnote]


@dataclass(frozen=True, slots=True)
class SourcesContext(Context):
    TEMPLATE: ClassVar[str] = "sources.md.j2"
    overview: Link
    entries: list[SourceEntry]


@dataclass(frozen=True, slots=True)
class SourcesHubContext(Context):
    TEMPLATE: ClassVar[str] = "sources_hub.md.j2"
    submissions: list[CountedLink]


@dataclass(frozen=True, slots=True)
class RecommendationsContext(Context):
    TEMPLATE: ClassVar[str] = "recommendations.md.j2"
    title: str
    multi: bool
    """More than one submission: show submission, State and cycle columns and their filters."""
    filters: str
    """The columns the table can be filtered by, as ``data-filters`` of the table's wrapper."""
    rows: list[RecommendationRow]
    pager: list[PagerLink]
    downloads: list[Download]
    notes: list[str]
    """Said once above the table: each review the submissions answer that is not in the knowledge base."""


@dataclass(frozen=True, slots=True)
class FindingsContext(Context):
    TEMPLATE: ClassVar[str] = "findings.md.j2"
    title: str
    multi: bool
    """More than one submission: show the submission column and its filter."""
    filters: str
    rows: list[FindingRow]
    pager: list[PagerLink]


@dataclass(frozen=True, slots=True)
class TermContext(Context):
    TEMPLATE: ClassVar[str] = "term.md.j2"
    label: str
    index: Link
    goal: str | None
    description: str | None
    equivalents: list[str]
    groups: list[EntryGroup]
    total: int
    pager: list[PagerLink]


@dataclass(frozen=True, slots=True)
class TermIndexContext(Context):
    TEMPLATE: ClassVar[str] = "term_index.md.j2"
    heading: str
    term_column: str
    with_goal: bool
    with_received: bool
    """The knowledge base holds reviews: count the recommendations States received too."""
    rows: list[TermRow]
    """Terms that records carry, most used first."""
    unused: list[Link]
    """Terms no record carries yet."""


@dataclass(frozen=True, slots=True)
class InstrumentContext(Context):
    TEMPLATE: ClassVar[str] = "instrument.md.j2"
    title: str
    index: Link
    facts: list[str]
    url: str | None
    provisions: list[ProvisionEntry]


@dataclass(frozen=True, slots=True)
class InstrumentsIndexContext(Context):
    TEMPLATE: ClassVar[str] = "instruments_index.md.j2"
    rows: list[InstrumentRow]


@dataclass(frozen=True, slots=True)
class TimelineContext(Context):
    TEMPLATE: ClassVar[str] = "timeline.md.j2"
    years: list[TimelineYear]
    pager: list[PagerLink]


@dataclass(frozen=True, slots=True)
class ReviewContext(Context):
    TEMPLATE: ClassVar[str] = "review.md.j2"
    title: str
    facts: list[Fact]
    documents: list[DocumentView]
    """The report, the addendum and other documents of the review."""
    databases: list[str]
    """The databases rows came from (UPR Info, the Universal Human Rights Index), by name."""
    imports: list[ImportView]
    """The files imported into the review, in the order they were imported (an internal build only: a reader's
    page names the documents, not the editors' files)."""
    editorial: bool
    """An internal build: say which files were imported, or that none was."""
    assigned: bool
    """Whether some rows have no official number (their IDs were assigned): explained on the page."""
    state: Link
    stated: str | None
    """The counts as the documents state them, when they do."""
    by_position: list[CountRow]
    by_category: list[CountRow]
    charts: list[ChartView]
    followed_up: str
    """How many of the recommendations organisations followed up, assessed and had taken up, in words."""
    followup: list[FollowUpEntry]
    statements: list[PositionStatement]
    """The sentences that state the positions and claims, each once, in the order of the rows."""
    rows: list[ReceivedRow]


@dataclass(frozen=True, slots=True)
class ReviewsIndexContext(Context):
    TEMPLATE: ClassVar[str] = "reviews_index.md.j2"
    rows: list[ReviewRow]


@dataclass(frozen=True, slots=True)
class StateContext(Context):
    TEMPLATE: ClassVar[str] = "state.md.j2"
    name: str
    iso3: str
    reviews: list[ReviewRow]
    submissions: list[Link]
    index: Link


@dataclass(frozen=True, slots=True)
class StatesIndexContext(Context):
    TEMPLATE: ClassVar[str] = "states_index.md.j2"
    rows: list[StateRow]


#: Every page template and the context class it is rendered with.
TEMPLATE_CONTEXTS: dict[str, type] = {
    cls.TEMPLATE: cls
    for cls in (
        HomeContext,
        SubmissionContext,
        SectionContext,
        FullTextContext,
        SourcesContext,
        SourcesHubContext,
        RecommendationsContext,
        FindingsContext,
        TermContext,
        TermIndexContext,
        InstrumentContext,
        InstrumentsIndexContext,
        TimelineContext,
        ReviewContext,
        ReviewsIndexContext,
        StateContext,
        StatesIndexContext,
        DataModelContext,
        ErrorCodesContext,
    )
}
