"""A submission's pages: its overview, one page per section, the full text and its sources."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from uprkb.exports.downloads import submission_file
from uprkb.index.submission import SubmissionIndex
from uprkb.model.records import Recommendation, Source
from uprkb.present import links
from uprkb.present.followup import document_lines
from uprkb.present.labels import (
    SUBMISSION_TYPE_LABELS,
    TAKE_UP_LABELS,
    document_kind,
    language_name,
    optional_date,
    ordinal,
    review_title,
    source_label,
    un_document_url,
)
from uprkb.present.links import Link, MaybeLink
from uprkb.present.wordcount import word_counts, word_limit
from uprkb.site.cards import (
    AssessmentLine,
    BodyItem,
    Card,
    FindingBlockView,
    FindingCard,
    RecommendationCard,
    RecordListView,
    ids_in,
)
from uprkb.site.charts import Chart, Series
from uprkb.site.contexts import (
    ChartRow,
    Counts,
    DocumentRow,
    Download,
    Fact,
    FullTextContext,
    FullTextSection,
    LinkHealth,
    SectionContext,
    SourceEntry,
    SourcesContext,
    SubmissionContext,
    TakeUpRow,
)
from uprkb.site.page import Page, Site


def submission_pages(site: Site, sub: SubmissionIndex) -> Iterator[Page]:
    """One submission's pages: its overview, its sections, its full text and its sources."""
    yield overview(site, sub)
    yield from section_pages(site, sub)
    yield full_text(site, sub)
    yield sources(site, sub)


def counts(sub: SubmissionIndex) -> Counts:
    return Counts(1, len(sub.sections), len(sub.findings), len(sub.recommendations), len(sub.sources))


def overview(site: Site, sub: SubmissionIndex) -> Page:
    meta = sub.submission
    path = links.submission_page(sub)
    org = meta.organisation
    ctx = SubmissionContext(
        title=meta.title,
        organisation=org.name,
        abbreviation=org.abbreviation,
        founded=org.founded,
        co_submitters=[o.name for o in meta.co_submitters],
        submission_type=SUBMISSION_TYPE_LABELS[meta.submission_type.value],
        state=meta.state.name,
        iso3=meta.state.iso3,
        cycle=meta.cycle,
        session=meta.session,
        review_date=optional_date(meta.review_date),
        submitted=optional_date(meta.submitted),
        language=language_name(meta.language),
        counts=counts(sub),
        words=_words(site, sub),
        description=org.description,
        sections=[site.cards.section_link(path, sub, s) for s in sub.sections],
        full_text_href=links.rel(path, links.full_text_page(sub)),
        sources_href=links.rel(path, links.sources_page(sub)),
        recommendations_href=links.rel(path, "recommendations.md"),
        documents=[
            DocumentRow(
                symbol=d.symbol,
                url=d.url or un_document_url(d.symbol),
                title=d.title or document_kind(d.kind.value),
                cycle=str(d.cycle or ""),
                checked="yes" if d.verified else "not yet",
            )
            for d in meta.documents
        ],
        editorial=site.kb.include_confidential,
        downloads=submission_downloads(site, path, sub),
        **take_up(site, path, sub),
    )
    return Page(path, ctx, frozenset({meta.id}))


def take_up(site: Site, src: str, sub: SubmissionIndex) -> dict[str, Any]:
    """Which of the submission's recommendations States took up after the review, with what position."""
    fu = site.kb.followup.submissions.get(sub.id)
    if fu is None or not fu.review_in_kb:
        return {"take_up_summary": None, "take_up": [], "take_up_chart": None}
    rows = [
        TakeUpRow(
            recommendation=site.cards.record_link(src, sub, r),
            response=t.response,
            taken_up_as=[site.cards.ref_link(src, ref) for ref in t.refs],
        )
        for r, t in fu.take_up
    ]
    taken = len(fu.taken_up())
    review = site.kb.reviews[fu.review_id].review if fu.review_id in site.kb.reviews else None
    where = f"the review ({review_title(review)})" if review else "the review"
    summary = f"{taken} of the {len(fu.take_up)} recommendations were taken up in {where}."
    statuses = [k for k in TAKE_UP_LABELS if fu.by_status.get(k)]
    chart = None
    if statuses:
        labels = [TAKE_UP_LABELS[k] for k in statuses]
        values = [fu.by_status[k] for k in statuses]
        chart = site.chart(
            src,
            f"{sub.id}-take-up",
            Chart(f"After the review: {sub.submission.title}"[:90], labels, [Series("recommendations", values)]),
            "Bar chart of the submission's recommendations by what became of them in the review: "
            + ", ".join(f"{label} {v}" for label, v in zip(labels, values, strict=True))
            + ".",
            ["After the review", "Recommendations"],
            [ChartRow(label, [v]) for label, v in zip(labels, values, strict=True)],
        )
    return {"take_up_summary": summary, "take_up": rows, "take_up_chart": chart}


def submission_downloads(site: Site, src: str, sub: SubmissionIndex) -> list[Download]:
    offered = [
        (f"{sub.id}.docx", "The submission as OHCHR receives it (Word)"),
        (f"{sub.id}.pdf", "The same document (PDF)"),
        (submission_file(sub.id, "csv"), "Recommendations (CSV)"),
        (submission_file(sub.id, "json"), "Every record with its relations (JSON)"),
        (submission_file(sub.id, "txt"), "Full text (plain text)"),
    ]
    # The Word and PDF files are left out of the live preview and, without LibreOffice, the PDF.
    return [site.download(src, name, label) for name, label in offered if name in site.download_sizes]


def _words(site: Site, sub: SubmissionIndex) -> str:
    body, with_notes = word_counts(sub, site.kb.followup)
    limit = word_limit(sub, site.kb.word_limits)
    over = " (over the limit)" if body > limit else ""
    return (
        f"{body:,} words in the body, {with_notes:,} with the footnotes; "
        f"OHCHR's limit for this type of submission is {limit:,}{over}"
    )


def section_pages(site: Site, sub: SubmissionIndex) -> Iterator[Page]:
    base = links.submission_page(sub)
    for i, section in enumerate(sub.sections):
        path = links.section_page(sub, section)
        body, texts = site.cards.body(path, sub, section)
        prev = sub.sections[i - 1] if i else None
        nxt = sub.sections[i + 1] if i + 1 < len(sub.sections) else None
        ctx = SectionContext(
            number=section.number,
            title=section.title,
            overview=Link(sub.submission.title, links.rel(path, base)),
            body=body,
            footnotes=site.cards.footnotes(path, sub, texts),
            prev=site.cards.section_link(path, sub, prev) if prev else None,
            next=site.cards.section_link(path, sub, nxt) if nxt else None,
        )
        yield Page(path, ctx, frozenset({section.id, *sub.records.keys() & ids_in(section)}))


def _in_the_document(site: Site, path: str, sub: SubmissionIndex, item: BodyItem) -> BodyItem:
    """A body item with its cards as the full text shows them."""
    if isinstance(item, RecordListView):
        return replace(item, cards=[_as_in_the_document(site, path, sub, c) for c in item.cards])
    if isinstance(item, FindingBlockView):
        return replace(item, card=_as_in_the_document(site, path, sub, item.card))
    return item


def full_text(site: Site, sub: SubmissionIndex) -> Page:
    path = links.full_text_page(sub)
    sections = []
    texts: list[str] = []
    for section in sub.sections:
        body, section_texts = site.cards.body(path, sub, section, numbered=True)
        body = [_in_the_document(site, path, sub, b) for b in body]
        sections.append(FullTextSection(section.id, section.number, section.title, body))
        texts += section_texts
    meta = sub.submission
    org = meta.organisation
    facts = [
        Fact("Submitted by", org.name + (f" ({org.abbreviation})" if org.abbreviation else "")),
        *[Fact("With", o.name) for o in meta.co_submitters],
        Fact("State under review", meta.state.name),
        Fact("UPR cycle", ordinal(meta.cycle)),
        Fact("Working Group session", str(meta.session)),
    ]
    if meta.review_date:
        facts.append(Fact("Review", optional_date(meta.review_date) or ""))
    ctx = FullTextContext(
        title=meta.title,
        facts=facts,
        description=meta.organisation.description,
        sections=sections,
        footnotes=site.cards.footnotes(path, sub, texts),
    )
    return Page(path, ctx, frozenset({meta.id, *sub.records.keys()}))


def _as_in_the_document(site: Site, src: str, sub: SubmissionIndex, card: Card) -> Card:
    """The card with its follow-up in the words of the Word document (:mod:`uprkb.present.followup`): each
    recommendation by its number and report, with the State's position and the organisation's assessment."""
    lines = document_lines(site.kb.followup.record(sub.id, card.id))
    if not lines:
        return card

    def link(reference: str, line: Any) -> MaybeLink:
        return MaybeLink(reference[0].upper() + reference[1:], site.cards.ref_link(src, line.ref).href)

    follows_up = [link(x.reference, x) for x in lines if x.lead.startswith("Follows")]
    if isinstance(card, FindingCard):
        assessed = [
            AssessmentLine(link(x.reference, x), x.tail.removeprefix(": ").removesuffix("."))
            for x in lines
            if not x.lead
        ]
        return replace(card, follows_up=follows_up, assessments=assessed)
    if isinstance(card, RecommendationCard):
        taken = [link(x.reference, x) for x in lines if x.lead.startswith("Taken")]
        return replace(card, follows_up=follows_up, taken_up_as=taken)
    return replace(card, follows_up=follows_up)


def _health(site: Site, source: Source) -> LinkHealth | None:
    health = site.link_report.get(source.url) if source.url else None
    if not health:
        return None
    return LinkHealth(
        status=health["status"],
        code=health.get("code"),
        reason=health.get("reason"),
        checked=optional_date(str(health.get("checked_at", ""))[:10]) or "",
        archived_suggestion=None if source.archived_url else health.get("archived_suggestion"),
    )


def sources(site: Site, sub: SubmissionIndex) -> Page:
    path = links.sources_page(sub)
    resting: dict[str, list[Recommendation]] = defaultdict(list)
    for rec in sub.recommendations:
        for source in sub.sources_of(rec):
            resting[source.id].append(rec)
    entries = []
    for source in sub.sources.values():
        direct = _unique(sub.cited_in.get(source.id, []))
        ids = {r.id for r in direct}
        indirect = [r for r in _unique(resting[source.id]) if r.id not in ids]
        cited = [site.cards.record_link(path, sub, r) for r in direct]
        entries.append(
            SourceEntry(
                id=source.id,
                label=source_label(source),
                kind=source.kind.value,
                author=source.author,
                citation=source.citation,
                link_text=source.link_text,
                url=source.url,
                published=optional_date(source.published),
                accessed=optional_date(source.accessed),
                archived_url=source.archived_url,
                health=_health(site, source),
                cited=cited,
                resting=[site.cards.record_link(path, sub, r) for r in indirect],
            )
        )
    ctx = SourcesContext(
        overview=Link(sub.submission.title, links.rel(path, links.submission_page(sub))), entries=entries
    )
    return Page(path, ctx, frozenset(sub.sources))


def _unique(records: list[Any]) -> list[Any]:
    """The records in order, each once (by ID)."""
    seen: set[str] = set()
    return [r for r in records if not (r.id in seen or seen.add(r.id))]  # type: ignore[func-returns-value]
