"""The knowledge base's own pages: its home, the record indexes and the sources hub."""

from __future__ import annotations

from collections.abc import Iterator

from uprkb.index.submission import SubmissionIndex
from uprkb.model.records import Recommendation
from uprkb.present import links
from uprkb.present.labels import TAKE_UP_LABELS, action_text, ordinal, origin_label, record_number
from uprkb.present.links import VOCABULARY_FOLDERS, Link, paginate
from uprkb.site.charts import PALETTE, Chart, Series
from uprkb.site.contexts import (
    ChartRow,
    ChartView,
    CountedLink,
    Counts,
    Download,
    FindingRow,
    FindingsContext,
    HomeContext,
    RecommendationRow,
    RecommendationsContext,
    SourcesHubContext,
    SubmissionRow,
)
from uprkb.site.page import Page, Site

INDEX_PAGE_SIZE = 500
"""Rows per page of the global recommendation and finding indexes."""


def pages(site: Site) -> Iterator[Page]:
    yield home(site)
    yield from recommendation_index(site)
    yield from finding_index(site)
    yield sources_hub(site)


EDITORS_PAGES = (
    ("The editing guide", "../editing.md"),
    ("the data-model reference", "reference/data-model.md"),
    ("the error codes", "reference/error-codes.md"),
)
"""The editors' pages, linked from the knowledge base's home (``kb/index.md``): in an internal build only."""


def home(site: Site) -> Page:
    kb = site.kb
    path = "index.md"
    rows = [
        SubmissionRow(
            link=Link(sub.submission.title, links.rel(path, links.submission_page(sub))),
            state=sub.submission.state.name,
            iso3=sub.submission.state.iso3,
            cycle=sub.submission.cycle,
            session=sub.submission.session,
            recommendations=len(sub.recommendations),
        )
        for sub in kb.submissions
    ]
    n = kb.record_count()
    ctx = HomeContext(
        submissions=rows,
        counts=Counts(n["submissions"], n["sections"], n["findings"], n["recommendations"], n["sources"]),
        reviews=len(kb.reviews),
        received=sum(len(r.recommendations) for r in kb.reviews.values()),
        vocabularies=[Link(label, f"{folder}/index.md") for folder, label in VOCABULARY_FOLDERS.values()],
        downloads=kb_downloads(site, path),
        chart=themes_chart(site, path),
        editors=[Link(label, href) for label, href in EDITORS_PAGES] if kb.include_confidential else [],
    )
    return Page(path, ctx, frozenset(s.id for s in kb.submissions))


def themes_chart(site: Site, src: str) -> ChartView | None:
    """Recommendations by theme: the submissions' and, when reviews are held, those States received."""
    kb = site.kb
    rows = []
    for tid, term in kb.themes.items():
        own = sum(isinstance(r, Recommendation) for _, r in kb.tagged.get(("theme", tid), []))
        received = len(kb.received_tagged.get(("theme", tid), []))
        if own or received:
            rows.append((term.label, own, received))
    if not rows:
        return None
    rows.sort(key=lambda r: (-(r[1] + r[2]), r[0].casefold()))
    series = [Series("in submissions", [r[1] for r in rows], PALETTE[0])]
    columns = ["Theme", "In submissions"]
    if kb.reviews:
        series.append(Series("received by States", [r[2] for r in rows], PALETTE[1]))
        columns.append("Received by States")
    chart = Chart("Recommendations by theme", [r[0] for r in rows], series)
    top = ", ".join(f"{label} ({own + received})" for label, own, received in rows[:3])
    return site.chart(
        src,
        "recommendations-by-theme",
        chart,
        f"Bar chart of recommendations by theme; the most frequent: {top}. The numbers are in the table below.",
        columns,
        [ChartRow(label, [own, received] if kb.reviews else [own]) for label, own, received in rows],
    )


NOT_HELD = "—"
"""The Response cell of a recommendation whose review is not held (the note above the table says why)."""


def take_up_label(site: Site, sub: SubmissionIndex, r: Recommendation) -> str:
    """A recommendation's fate after the review, in a few words (the full response is on its card)."""
    fu = site.kb.followup.record(sub.id, r.id)
    if fu is None or fu.take_up is None or fu.take_up.status == "review-not-in-kb":
        return NOT_HELD
    return TAKE_UP_LABELS[fu.take_up.status]


def not_held_notes(site: Site) -> list[str]:
    """One sentence per review the submissions answer that is not in the knowledge base."""
    notes: dict[str, str] = {}
    for sub in site.kb.submissions:
        fu = site.kb.followup.submissions.get(sub.id)
        if fu is not None and fu.review_in_kb:
            continue
        meta = sub.submission
        key = f"{meta.state.iso3}-{meta.cycle}"
        notes.setdefault(
            key,
            f"{meta.state.name}'s {ordinal(meta.cycle)}-cycle review is not in this knowledge base, so the "
            f"Response column cannot yet say what became of these recommendations in it ({NOT_HELD}); it will "
            "once the review's report is imported.",
        )
    return list(notes.values())


def kb_downloads(site: Site, src: str) -> list[Download]:
    offered = [
        ("recommendations.csv", "Every recommendation of the submissions (CSV)"),
        ("received-recommendations.csv", "Every recommendation States received, with their positions (CSV)"),
        ("knowledge-base.json", "The whole knowledge base: every record with its relations (JSON)"),
        (
            "knowledge-base.sqlite",
            "The same records as an SQLite database with full-text search, for Datasette or any SQLite client",
        ),
    ]
    return [site.download(src, name, label) for name, label in offered if name in site.download_sizes]


def recommendation_index(site: Site) -> Iterator[Page]:
    multi = len(site.kb.submissions) > 1
    filters = ["Submission", "State", "Cycle"] if multi else []
    filters += ["Themes", "Action category", "Response"]
    rows = [(sub, r) for sub in site.kb.submissions for r in sub.recommendations]
    for chunk in paginate("recommendations", rows, INDEX_PAGE_SIZE):
        out = []
        for sub, r in chunk.items:
            section = sub.section_of[r.id]
            tags = site.cards.tags(chunk.path, r)
            out.append(
                RecommendationRow(
                    number=Link(record_number(sub, r), links.rel(chunk.path, links.section_page(sub, section), r.id)),
                    text=r.text,
                    submission=Link(origin_label(sub), links.rel(chunk.path, links.submission_page(sub))),
                    state=sub.submission.state.name,
                    cycle=str(sub.submission.cycle),
                    section=Link(f"§{section.number}", links.rel(chunk.path, links.section_page(sub, section))),
                    themes=tags.themes,
                    action_category=action_text(r.action_category.value),
                    response=take_up_label(site, sub, r),
                )
            )
        title = "Recommendations" if chunk.number == 1 else f"Recommendations (page {chunk.number})"
        ctx = RecommendationsContext(
            title, multi, ",".join(filters), out, chunk.pager, kb_downloads(site, chunk.path), not_held_notes(site)
        )
        yield Page(chunk.path, ctx, frozenset(r.id for _sub, r in chunk.items))


def finding_index(site: Site) -> Iterator[Page]:
    multi = len(site.kb.submissions) > 1
    filters = ",".join(["Submission"] * multi + ["Kind", "Status", "Themes"])
    rows = [(sub, f) for sub in site.kb.submissions for f in sub.findings]
    for chunk in paginate("findings", rows, INDEX_PAGE_SIZE):
        out = []
        ids = []
        for sub, f in chunk.items:
            section = sub.section_of[f.id]
            supports = [
                Link(record_number(sub, r), links.rel(chunk.path, links.record_page(sub, r), r.id))
                for r in sub.recommendations_of_finding.get(f.id, [])
            ]
            out.append(
                FindingRow(
                    link=Link(site.cards.label(sub, f), links.rel(chunk.path, links.section_page(sub, section), f.id)),
                    submission=Link(origin_label(sub), links.rel(chunk.path, links.submission_page(sub))),
                    text=f.text,
                    kind=f.kind.value,
                    status=f.status.value,
                    themes=site.cards.tags(chunk.path, f).themes,
                    supports=supports,
                )
            )
            ids.append(f.id)
        title = "Findings" if chunk.number == 1 else f"Findings (page {chunk.number})"
        yield Page(chunk.path, FindingsContext(title, multi, filters, out, chunk.pager), frozenset(ids))


def sources_hub(site: Site) -> Page:
    path = "sources.md"
    rows = [
        CountedLink(
            Link(f"Sources of {sub.submission.title}", links.rel(path, links.sources_page(sub))), len(sub.sources)
        )
        for sub in site.kb.submissions
    ]
    return Page(path, SourcesHubContext(rows), frozenset())
