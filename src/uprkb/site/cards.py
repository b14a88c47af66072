"""Cards: findings, recommendations, body blocks and footnotes as a page shows them.

A :class:`Card` holds display strings and links only (no model reaches a
template); :class:`CardMaker` makes them for a given page, so every link in a
card is relative to the page it appears on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from uprkb.core.markup import footnote_ids
from uprkb.index.followup import ResolvedRef
from uprkb.index.kb import KnowledgeBase
from uprkb.index.submission import SubmissionIndex, texts_of
from uprkb.model.records import (
    Finding,
    FindingBlock,
    FindingList,
    Paragraph,
    QuoteBlock,
    Recommendation,
    RecommendationList,
    Section,
    TextList,
)
from uprkb.present import links
from uprkb.present.citations import accessed_text, citation_text
from uprkb.present.labels import (
    ACTION_LABELS,
    citation,
    event_text,
    figure_text,
    kind_label,
    optional_date,
    origin_label,
    record_label,
    section_label,
)
from uprkb.present.links import Link, MaybeLink
from uprkb.present.numbering import paragraph_numbers
from uprkb.site.naming import reference_label


@dataclass(frozen=True, slots=True)
class Tags:
    themes: list[Link] = field(default_factory=list)
    persons: list[Link] = field(default_factory=list)
    sdgs: list[Link] = field(default_factory=list)
    provisions: list[Link] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Footnote:
    id: str
    text: str
    url: str | None
    link_text: str | None
    entry: str
    accessed: str | None = None


@dataclass(frozen=True, slots=True)
class AssessmentLine:
    recommendation: MaybeLink
    text: str


@dataclass(frozen=True, slots=True)
class Card:
    """A record of an organisation's submission as a page shows it: what findings and recommendations share."""

    kind: ClassVar[str]
    """``finding`` or ``recommendation`` (the card's CSS class and what the template shows)."""
    id: str
    label: str
    """``Finding 2.3``, ``Recommendation 2.1``: the one numbering of the site and the documents."""
    origin: str
    """Who and which cycle (``ILI, 4th cycle``), so records of different submissions are never confused."""
    text: str
    """The record's data text (the ``md`` filter renders its emphasis and footnote markers)."""
    href: str
    """Its permanent place: the section page and the record's anchor."""
    section: Link
    meta: list[str]
    """Short facts printed after the label (kind and status; action category and verb)."""
    tags: Tags
    citation: str
    """How to cite the record, with its permanent address."""
    confidential: bool = False
    para: int | None = None
    """The paragraph number of the full text and the Word export (``#para-N``), on the full-text page."""
    sources: list[Link] = field(default_factory=list)
    follows_up: list[MaybeLink] = field(default_factory=list)
    """The received recommendations it follows up (linked when their review is held)."""

    def details(self, anchored: bool = True) -> list[str]:
        """What the card's folded details hold, in the order shown (their summary line). A card that is
        not the record's anchor (a copy on another page) adds a link to its section."""
        shown = (
            ("affected persons", self.tags.persons),
            ("SDG targets", self.tags.sdgs),
            ("provisions", self.tags.provisions),
            ("based on", getattr(self, "based_on", None)),
            ("supports", getattr(self, "supports", None)),
            ("sources", self.sources),
            ("dates", getattr(self, "events", None)),
            ("figures", getattr(self, "figures", None)),
            ("follows up", self.follows_up),
            ("assessments", getattr(self, "assessments", None)),
            ("taken up as", getattr(self, "taken_up_as", None)),
            ("section", not anchored),
        )
        return [name for name, present in shown if present]


@dataclass(frozen=True, slots=True)
class FindingCard(Card):
    """A finding: what it rests on and what it found."""

    kind: ClassVar[str] = "finding"
    supports: list[Link] = field(default_factory=list)
    """The recommendations resting on this finding."""
    events: list[str] = field(default_factory=list)
    figures: list[str] = field(default_factory=list)
    assessments: list[AssessmentLine] = field(default_factory=list)
    """How far the State implemented the received recommendations it assesses."""


@dataclass(frozen=True, slots=True)
class RecommendationCard(Card):
    """A recommendation: what it rests on and what became of it."""

    kind: ClassVar[str] = "recommendation"
    based_on: list[Link] = field(default_factory=list)
    """The findings it rests on."""
    taken_up_as: list[MaybeLink] = field(default_factory=list)
    """The received recommendations it was taken up as."""
    response: str | None = None
    """Its response, derived from the positions on what it was taken up as."""


@dataclass(frozen=True, slots=True)
class ParagraphView:
    """A paragraph of a section's body."""

    kind: ClassVar[str] = "paragraph"
    id: str
    text: str
    """The paragraph as data text (the ``md`` filter renders its emphasis and footnote markers)."""
    number: str
    """Its place in the section (``2.3``), the anchor's label where the page has no continuous numbers."""
    para: int | None = None
    """The continuous paragraph number of the full text and the Word export (full-text page only)."""
    confidential: bool = False
    quotes: list[Link] = field(default_factory=list)
    """The treaty provisions the paragraph quotes."""


@dataclass(frozen=True, slots=True)
class QuoteView:
    """A quotation of a treaty provision, with a link to the provision."""

    kind: ClassVar[str] = "quote"
    id: str
    text: str
    cite: Link


@dataclass(frozen=True, slots=True)
class FindingBlockView:
    """A finding that stands on its own in a section's body."""

    kind: ClassVar[str] = "finding"
    card: Card


@dataclass(frozen=True, slots=True)
class RecordListView:
    """A list of findings or of recommendations, with its lead-in."""

    kind: str
    """``findings`` or ``recommendations``."""
    label: str | None
    """The lead-in the document prints above the list, if any."""
    cards: list[Card]


@dataclass(frozen=True, slots=True)
class TextListView:
    """A list of plain text items."""

    kind: ClassVar[str] = "list"
    id: str
    items: list[str]
    style: str
    """``ordered`` (numbered) or ``bullet``."""
    para: int | None = None
    """The continuous paragraph number (full-text page only)."""
    confidential: bool = False


BodyItem = ParagraphView | QuoteView | FindingBlockView | RecordListView | TextListView
"""One block of a section's body in document order: one view type per block kind."""


class CardMaker:
    """Makes cards, tags, footnotes and body items with links relative to the page they go on."""

    def __init__(self, kb: KnowledgeBase, permalinks: links.Permalinks) -> None:
        self.kb = kb
        self.permalinks = permalinks
        self._labels: dict[tuple[str, str], str] = {}
        self._numbers: dict[str, dict[str, int]] = {}

    def paragraph_numbers(self, sub: SubmissionIndex) -> dict[str, int]:
        """The submission's continuous paragraph numbers (computed once per submission)."""
        if sub.id not in self._numbers:
            self._numbers[sub.id] = paragraph_numbers(sub)
        return self._numbers[sub.id]

    def label(self, sub: SubmissionIndex, record: object) -> str:
        key = (sub.id, record.id)  # type: ignore[attr-defined]
        if key not in self._labels:
            self._labels[key] = record_label(sub, record)
        return self._labels[key]

    def record_link(self, src: str, sub: SubmissionIndex, record: object) -> Link:
        return Link(self.label(sub, record), links.rel(src, links.record_page(sub, record), record.id))  # type: ignore[attr-defined]

    def section_link(self, src: str, sub: SubmissionIndex, section: Section) -> Link:
        return Link(section_label(section.number, section.title), links.rel(src, links.section_page(sub, section)))

    def tags(self, src: str, record: Finding | Recommendation) -> Tags:
        kb, rel = self.kb, links.rel
        return Tags(
            themes=[Link(kb.themes[i].label, rel(src, links.term_page("theme", i))) for i in record.themes],
            persons=[
                Link(kb.affected_persons[i].label, rel(src, links.term_page("persons", i)))
                for i in record.affected_persons
            ],
            sdgs=[Link(f"SDG {kb.targets[i].number}", rel(src, links.term_page("sdg", i))) for i in record.sdg_targets]
            if isinstance(record, Recommendation)
            else [],
            provisions=[self.provision_link(src, p) for p in record.provisions],
        )

    def provision_link(self, src: str, pid: str) -> Link:
        inst = self.kb.instrument_of[pid]
        prov = self.kb.provisions[pid]
        name = inst.short_title or inst.title
        return Link(f"{name}, {prov.label}", links.rel(src, links.term_page("instrument", inst.id), pid))

    def card(self, src: str, sub: SubmissionIndex, record: Finding | Recommendation, numbered: bool = False) -> Card:
        """The card for page ``src``; ``numbered`` shows the full text's paragraph number."""
        section = sub.section_of[record.id]
        label = self.label(sub, record)
        para = self.paragraph_numbers(sub).get(record.id)
        common = {
            "id": record.id,
            "label": label,
            "origin": origin_label(sub),
            "citation": citation(sub, label, para, self.permalinks.record(sub, record)),
            "confidential": record.confidential,
            "para": para if numbered else None,
            "text": record.text,
            "href": links.rel(src, links.section_page(sub, section), record.id),
            "section": self.section_link(src, sub, section),
            "tags": self.tags(src, record),
            "sources": [self.record_link(src, sub, s) for s in sub.sources_of(record)],
        }
        fu = self.kb.followup.record(sub.id, record.id)
        if isinstance(record, Recommendation):
            meta = [
                f"action category {record.action_category.value}: "
                f"{ACTION_LABELS[record.action_category.value]} (“{record.action_verb}”)",
            ]
            if record.addressee:
                meta.append(f"Addressed to: {record.addressee}")
            return RecommendationCard(
                meta=meta,
                based_on=[self.record_link(src, sub, sub.records[f]) for f in record.findings if f in sub.records],
                follows_up=[self.ref_link(src, r) for r in fu.follows_up] if fu else [],
                taken_up_as=[self.ref_link(src, r) for r in fu.taken_up_as] if fu else [],
                # Not repeated on every card while the review is not held: nothing can be said of it yet.
                response=fu.response if fu and fu.take_up and fu.take_up.status != "review-not-in-kb" else None,
                **common,  # type: ignore[arg-type]
            )
        return FindingCard(
            meta=[f"{kind_label(record.kind.value)}, {record.status.value}"],
            supports=[self.record_link(src, sub, r) for r in sub.recommendations_of_finding.get(record.id, [])],
            events=[event_text(e) for e in record.events],
            figures=[figure_text(f) for f in record.figures],
            follows_up=[self.ref_link(src, r) for r in fu.follows_up] if fu else [],
            assessments=[
                AssessmentLine(
                    self.ref_link(src, a.ref),
                    f"{a.status_label} (grade {a.grade.letter}: {a.grade.label}), as of "
                    f"{optional_date(a.as_of)}" + (f" — “{a.quote}”" if a.quote else ""),
                )
                for a in fu.assessments
            ]
            if fu
            else [],
            **common,  # type: ignore[arg-type]
        )

    def ref_link(self, src: str, ref: ResolvedRef) -> MaybeLink:
        """A reference to a received recommendation: a link to its review page when held, else its text."""
        if ref.recommendation is not None and ref.review_id is not None:
            href = links.rel(src, links.review_page(ref.review_id), links.received_anchor(ref.rec_id))
            return MaybeLink(reference_label(ref), href)
        return MaybeLink(reference_label(ref), None)

    def footnotes(self, src: str, sub: SubmissionIndex, texts: list[str]) -> list[Footnote]:
        seen: dict[str, Footnote] = {}
        for text in texts:
            for sid in footnote_ids(text):
                source = sub.sources.get(sid)
                if source is None or sid in seen:
                    continue
                seen[sid] = Footnote(
                    id=sid,
                    text=citation_text(source),
                    accessed=accessed_text(source),
                    url=source.url,
                    link_text=source.link_text,
                    entry=links.rel(src, links.sources_page(sub), sid),
                )
        return list(seen.values())

    def body(
        self, src: str, sub: SubmissionIndex, section: Section, numbered: bool = False
    ) -> tuple[list[BodyItem], list[str]]:
        """The section's blocks as body items for page ``src``, and every text in them (for footnotes).

        ``numbered`` (the full text) gives each paragraph, finding, recommendation and
        list the continuous paragraph number the Word export prints (:mod:`uprkb.present.numbering`).
        """
        items: list[BodyItem] = []
        texts: list[str] = []
        paras = self.paragraph_numbers(sub) if numbered else {}
        for n, block in enumerate(section.body, 1):
            for _rec, _field, text in texts_of(block):
                texts.append(text)
            number = f"{section.number}.{n}"
            secret = bool(getattr(block, "confidential", False))
            if isinstance(block, Paragraph):
                quotes = [self.provision_link(src, q.provision) for q in block.quotes]
                para = paras.get(block.id)
                items.append(ParagraphView(block.id, block.text, number, para, secret, quotes))
            elif isinstance(block, QuoteBlock):
                cite = self.provision_link(src, block.provision)
                items.append(QuoteView(block.id, block.text, cite))
            elif isinstance(block, FindingBlock):
                card = self.card(src, sub, block.finding, numbered)
                items.append(FindingBlockView(card))
            elif isinstance(block, (FindingList, RecommendationList)):
                kind = "findings" if isinstance(block, FindingList) else "recommendations"
                cards = [self.card(src, sub, r, numbered) for r in block.items]
                items.append(RecordListView(kind, block.label, cards))
            elif isinstance(block, TextList):
                items.append(TextListView(block.id, list(block.items), block.style.value, paras.get(block.id), secret))
        return items, texts


def ids_in(section: Section) -> set[str]:
    """Every ID a section's page shows (its blocks, records and sources)."""
    ids = {s.id for s in section.sources}
    ids |= {record.id for _block, record in section.records()}
    return ids
