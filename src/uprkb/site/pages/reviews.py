"""The UPR record: one page per review (the recommendations a State received and its positions),
one page per State (its reviews and the submissions about it), and their indexes."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator

from uprkb.index.followup import STATUS_LABELS
from uprkb.index.reviews import ReviewIndex
from uprkb.index.submission import SubmissionIndex
from uprkb.model.records import AssessmentStatus
from uprkb.model.reviews import PositionSource
from uprkb.present import links
from uprkb.present.labels import (
    ACTION_LABELS,
    CLAIM_LABELS,
    POSITION_LABELS,
    action_text,
    optional_date,
    ordinal,
    origin_label,
    review_title,
    states_text,
    un_document_url,
)
from uprkb.present.links import Link
from uprkb.site.charts import PALETTE, Chart, Series
from uprkb.site.contexts import (
    AssessmentView,
    ChartRow,
    ChartView,
    CountRow,
    DocumentView,
    Fact,
    FollowUpEntry,
    ImportView,
    PositionStatement,
    ReceivedRow,
    ReviewContext,
    ReviewRow,
    ReviewsIndexContext,
    StateContext,
    StateRow,
    StatesIndexContext,
)
from uprkb.site.naming import received_label, received_number
from uprkb.site.page import Page, Site

REVIEWS_INDEX = "reviews/index.md"
STATES_INDEX = "states/index.md"


def pages(site: Site) -> Iterator[Page]:
    for review in site.kb.reviews.values():
        yield review_page(site, review)
    yield from index_pages(site)


def index_pages(site: Site) -> Iterator[Page]:
    """The index of the reviews and the States' pages."""
    rows = [review_row(REVIEWS_INDEX, r) for r in site.kb.reviews.values()]
    yield Page(REVIEWS_INDEX, ReviewsIndexContext(rows), frozenset())
    yield from state_pages(site)


def review_row(src: str, review: ReviewIndex) -> ReviewRow:
    positions = Counter(r.position.value for r in review.recommendations)
    meta = review.review
    return ReviewRow(
        link=Link(review_title(meta), links.rel(src, links.review_page(review.id))),
        state=Link(meta.state.name, links.rel(src, links.state_page(meta.state.iso3))),
        cycle=meta.cycle,
        session=str(meta.session or ""),
        received=len(review.recommendations),
        supported=positions["supported"] + positions["supported-in-part"],
        noted=positions["noted"],
    )


def review_page(site: Site, review: ReviewIndex) -> Page:
    meta = review.review
    path = links.review_page(review.id)
    facts = [
        Fact("State under review", f"{meta.state.name} ({meta.state.iso3})"),
        Fact("UPR cycle", ordinal(meta.cycle)),
    ]
    if meta.session:
        facts.append(Fact("Working Group session", str(meta.session)))
    if meta.review_date:
        facts.append(Fact("Review", optional_date(meta.review_date) or ""))
    if meta.adoption:
        facts.append(Fact("Adoption", meta.adoption))
    stated = None
    if meta.counts:
        c = meta.counts
        parts = [
            f"{c.received} received" if c.received is not None else "",
            f"{c.supported} supported" if c.supported is not None else "",
            f"{c.noted} noted" if c.noted is not None else "",
        ]
        stated = ", ".join(p for p in parts if p) + (f" ({c.source})" if c.source else "")
    positions = Counter(r.position.value for r in review.recommendations)
    categories = Counter(r.action_category.value if r.action_category else 0 for r in review.recommendations)
    statements = position_statements(review)
    rows = []
    for rec in review.recommendations:
        said = statements.get(_statement_key(rec.position_source)) if rec.position_source else None
        rows.append(
            ReceivedRow(
                anchor=links.received_anchor(rec.id),
                number=received_number(rec),
                text=rec.text,
                states=states_text(rec.recommending_states),
                position=POSITION_LABELS[rec.position.value],
                claim=CLAIM_LABELS.get(rec.claim.value) if rec.claim else None,
                themes=[
                    Link(site.kb.themes[t].label, links.rel(path, links.term_page("theme", t)))
                    for t in rec.themes
                    if t in site.kb.themes
                ],
                action_category=action_text(rec.action_category.value) if rec.action_category else "",
                stated_in=Link(said.where, f"#{said.anchor}") if said else None,
            )
        )
    ctx = ReviewContext(
        title=review_title(meta),
        facts=facts,
        documents=review_documents(review),
        databases=review_databases(review),
        imports=[
            ImportView(i.file, IMPORT_FORMATS[i.format.value], optional_date(i.imported) or "", i.records)
            for i in meta.imports
        ]
        if site.kb.include_confidential
        else [],
        editorial=site.kb.include_confidential,
        assigned=any(r.id_assigned for r in review.recommendations),
        state=Link(meta.state.name, links.rel(path, links.state_page(meta.state.iso3))),
        stated=stated,
        by_position=[CountRow(POSITION_LABELS[k], positions[k]) for k in POSITION_LABELS if positions[k]],
        by_category=[
            CountRow(action_text(k) if k else "no category", categories[k])
            for k in [*sorted(ACTION_LABELS), 0]
            if categories[k]
        ],
        charts=[c for c in (positions_chart(site, path, review), assessments_chart(site, path, review)) if c],
        followed_up=followed_up_text(site, review),
        followup=followup_entries(site, path, review),
        statements=[s for k, s in statements.items() if k is not None],
        rows=rows,
    )
    # The page shows which organisations' records follow each recommendation up: an edit of one touches it.
    shows = {review.id}
    for rec in review.recommendations:
        fu = site.kb.followup.of_received(review.id, rec.id)
        if fu is not None:
            shows |= {r.record.id for r in [*fu.followed_up_by, *fu.taken_up_from]}
            shows |= {a.finding.id for a in fu.assessments}
    return Page(path, ctx, frozenset(shows))


IMPORT_FORMATS = {
    "wg-report": "the Working Group report",
    "responses": "the State's addendum (its responses)",
    "ohchr-matrix": "OHCHR's thematic list of recommendations",
    "upr-info": "UPR Info's database (CSV export)",
    "uhri": "the Universal Human Rights Index (export)",
}
"""What each import format is, as a review page names it."""

DATABASES = {
    "upr-info": "UPR Info's database of UPR recommendations (upr-info.org)",
    "uhri": "OHCHR's Universal Human Rights Index (uhri.ohchr.org)",
}


def _statement_key(source: PositionSource | None) -> tuple[str, str, str] | None:
    if source is None or not source.sentence:
        return None
    return (source.document or source.database or "", source.paragraph or "", source.sentence)


def position_statements(review: ReviewIndex) -> dict[tuple[str, str, str] | None, PositionStatement]:
    """Each sentence that states a position or a claim, once, with what it says and what it covers."""
    covered: dict[tuple[str, str, str], list[tuple[str, str]]] = {}
    for rec in review.recommendations:
        position_key = _statement_key(rec.position_source)
        claim_key = _statement_key(rec.claim_source) or position_key  # a claim in the position's own sentence
        for key, says in (
            (position_key, POSITION_LABELS[rec.position.value]),
            (claim_key, CLAIM_LABELS.get(rec.claim.value, "") if rec.claim else ""),
        ):
            if key is not None and says:
                covered.setdefault(key, []).append((rec.id, says))
    out: dict[tuple[str, str, str] | None, PositionStatement] = {}
    for n, (key, recs) in enumerate(covered.items(), 1):
        document, paragraph, sentence = key
        where = ", ".join(x for x in (document, f"para. {paragraph}" if paragraph else "") if x)
        says = "; ".join(dict.fromkeys(s for _id, s in recs))
        ids = list(dict.fromkeys(i for i, _s in recs))
        span = f"{ids[0]}–{ids[-1]}" if len(ids) > 1 else ids[0]
        out[key] = PositionStatement(f"stated-{n}", where, sentence, says, f"{span} ({len(ids)})")
    return out


def review_documents(review: ReviewIndex) -> list[DocumentView]:
    """The review's UN documents, each with its symbol linked to https://undocs.org/<symbol>."""
    meta = review.review
    out = []
    if meta.report:
        out.append(DocumentView("Working Group report", Link(meta.report, un_document_url(meta.report))))
    if meta.addendum:
        out.append(
            DocumentView("Addendum with the State's positions", Link(meta.addendum, un_document_url(meta.addendum)))
        )
    out += [
        DocumentView(d.title or d.kind.value, Link(d.symbol, d.url or un_document_url(d.symbol))) for d in meta.sources
    ]
    return out


def review_databases(review: ReviewIndex) -> list[str]:
    """The databases the review's rows were taken from, by name: its imports' and its positions' sources."""
    used = {i.format.value for i in review.review.imports} | {
        p for r in review.recommendations for p in (x.value for x in r.provenance)
    }
    names = [DATABASES[k] for k in DATABASES if k in used]
    for r in review.recommendations:
        db = r.position_source.database if r.position_source else None
        if db and not any(db in n for n in names):
            names.append(db)
    return names


def followed_up_text(site: Site, review: ReviewIndex) -> str:
    counts = site.kb.followup.reviews.get(review.id)
    n = len(review.recommendations)
    if counts is None or not (counts.followed_up or counts.assessed or counts.taken_up):
        return f"No organisation's record in this knowledge base follows up any of the {n} recommendations yet."
    return (
        f"Organisations' records follow up {counts.followed_up} of the {n} recommendations; "
        f"{counts.assessed} have been assessed for implementation, and {counts.taken_up} took up an "
        "organisation's recommendation."
    )


def ngo_link(site: Site, src: str, rec: object) -> Link:
    sub, record = rec.submission, rec.record  # type: ignore[attr-defined]
    link = site.cards.record_link(src, sub, record)
    return Link(f"{link.label} ({origin_label(sub)})", link.href)


def followup_entries(site: Site, src: str, review: ReviewIndex) -> list[FollowUpEntry]:
    out = []
    for rec in review.recommendations:
        fu = site.kb.followup.of_received(review.id, rec.id)
        if fu is None or not (fu.followed_up_by or fu.taken_up_from or fu.assessments):
            continue
        out.append(
            FollowUpEntry(
                recommendation=Link(received_label(rec), f"#{links.received_anchor(rec.id)}"),
                text=rec.text,
                claim=CLAIM_LABELS.get(rec.claim.value) if rec.claim else None,
                followed_up_by=[ngo_link(site, src, r) for r in fu.followed_up_by],
                taken_up_from=[ngo_link(site, src, r) for r in fu.taken_up_from],
                assessments=[
                    AssessmentView(
                        organisation=org,
                        text=f"{a.status_label} (grade {a.grade.letter}: {a.grade.label}; UPR Info: "
                        f"{a.triggered_action}), as of {optional_date(a.as_of)}",
                        finding=site.cards.record_link(src, a.submission, a.finding),
                    )
                    for org, a in fu.latest.items()
                ],
            )
        )
    return out


def assessments_chart(site: Site, src: str, review: ReviewIndex) -> ChartView | None:
    """The organisations' latest assessments of this review's recommendations, by status."""
    counts = site.kb.followup.reviews.get(review.id)
    if counts is None or not sum(counts.latest_by_status.values()):
        return None
    statuses = list(counts.latest_by_status)
    labels = [STATUS_LABELS[AssessmentStatus(k)] for k in statuses]
    values = [counts.latest_by_status[k] for k in statuses]
    chart = Chart(
        f"Implementation, as organisations assess it: {review_title(review.review)}",
        labels,
        [Series("latest assessments", values, PALETTE[0])],
        xlabel="Assessments (the latest of each organisation)",
    )
    return site.chart(
        src,
        f"{review.id}-assessments",
        chart,
        "Bar chart of the organisations' latest assessments by status: "
        + ", ".join(f"{label} {v}" for label, v in zip(labels, values, strict=True))
        + ".",
        ["Status", "Assessments"],
        [ChartRow(label, [v]) for label, v in zip(labels, values, strict=True)],
    )


POSITION_COLORS = {"supported": "#009E73", "supported-in-part": "#56B4E9", "noted": "#D55E00", "unknown": "#999999"}


def positions_chart(site: Site, src: str, review: ReviewIndex) -> ChartView:
    """The State's positions by theme (a recommendation with several themes counts under each)."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for rec in review.recommendations:
        for t in rec.themes or ["(no theme)"]:
            label = site.kb.themes[t].label if t in site.kb.themes else t
            counts[label][rec.position.value] += 1
    labels = sorted(counts, key=lambda k: (-sum(counts[k].values()), k.casefold()))
    kinds = [k for k in POSITION_LABELS if any(counts[label][k] for label in labels)]
    chart = Chart(
        f"Positions by theme: {review_title(review.review)}",
        labels,
        [Series(POSITION_LABELS[k], [counts[label][k] for label in labels], POSITION_COLORS[k]) for k in kinds],
    )
    biggest = labels[0] if labels else "none"
    return site.chart(
        src,
        f"{review.id}-positions-by-theme",
        chart,
        f"Bar chart of the State's positions by theme; the theme with most recommendations is {biggest}. "
        "The numbers are in the table below.",
        ["Theme", *[POSITION_LABELS[k].capitalize() for k in kinds]],
        [ChartRow(label, [counts[label][k] for k in kinds]) for label in labels],
    )


def state_pages(site: Site) -> Iterator[Page]:
    names: dict[str, str] = {}
    reviews: dict[str, list[ReviewIndex]] = defaultdict(list)
    subs: dict[str, list[SubmissionIndex]] = defaultdict(list)
    for review in site.kb.reviews.values():
        iso3 = review.review.state.iso3
        names.setdefault(iso3, review.review.state.name)
        reviews[iso3].append(review)
    for sub in site.kb.submissions:
        iso3 = sub.submission.state.iso3
        names.setdefault(iso3, sub.submission.state.name)
        subs[iso3].append(sub)
    rows = []
    for iso3 in sorted(names, key=lambda i: names[i].casefold()):
        path = links.state_page(iso3)
        ctx = StateContext(
            name=names[iso3],
            iso3=iso3,
            reviews=[review_row(path, r) for r in sorted(reviews[iso3], key=lambda r: r.review.cycle)],
            submissions=[
                Link(f"{s.submission.title} ({origin_label(s)})", links.rel(path, links.submission_page(s)))
                for s in subs[iso3]
            ],
            index=Link("States", links.rel(path, STATES_INDEX)),
        )
        yield Page(path, ctx, frozenset({iso3}))
        rows.append(StateRow(Link(names[iso3], links.rel(STATES_INDEX, path)), len(reviews[iso3]), len(subs[iso3])))
    yield Page(STATES_INDEX, StatesIndexContext(rows), frozenset())
