"""Browse pages: one per theme, affected-persons group, SDG target and legal instrument, and their indexes."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from uprkb.model.records import Finding, Recommendation
from uprkb.present import links
from uprkb.present.labels import (
    POSITION_LABELS,
    equivalent_label,
    kind_label,
    optional_date,
    origin_label,
    received_origin,
)
from uprkb.present.links import VOCABULARY_FOLDERS, Link, paginate
from uprkb.site.contexts import (
    Entry,
    EntryGroup,
    InstrumentContext,
    InstrumentRow,
    InstrumentsIndexContext,
    ProvisionEntry,
    TermContext,
    TermIndexContext,
    TermRow,
)
from uprkb.site.naming import received_label
from uprkb.site.page import Page, Site

TERM_PAGE_SIZE = 50
"""Records per page of a theme, affected-persons or SDG-target page."""
MAX_PROVISION_REFS = 50
"""Links listed under one provision on an instrument page (the rest are counted)."""


@dataclass(frozen=True, slots=True)
class Term:
    """A vocabulary term as its pages show it, whatever the vocabulary."""

    id: str
    label: str
    description: str | None
    equivalents: list[str]
    goal: str | None = None
    """``Goal 16: Peace, justice and strong institutions`` on a target's page."""
    goal_cell: str | None = None
    """``16. Peace, justice and strong institutions`` in the targets' index."""


def pages(site: Site) -> Iterator[Page]:
    kb = site.kb
    for kind, vocabulary in (("theme", kb.themes), ("persons", kb.affected_persons)):
        terms = [
            Term(t.id, t.label, t.description, [equivalent_label(e) for e in t.equivalents])
            for t in vocabulary.values()
        ]
        yield from term_pages(site, kind, terms)
    sdg_terms = []
    for t in kb.targets.values():
        goal = kb.goal_of_target[t.id]
        sdg_terms.append(
            Term(
                t.id, f"SDG {t.number}", t.text, [], f"Goal {goal.number}: {goal.title}", f"{goal.number}. {goal.title}"
            )
        )
    yield from term_pages(site, "sdg", sdg_terms)
    yield from instrument_pages(site)


GROUP_HEADINGS = {
    0: "Findings in submissions",
    1: "Recommendations in submissions",
    2: "Recommendations States received",
}


def entry(site: Site, src: str, group: int, owner: Any, r: Any) -> Entry:
    """A record as one line of a term page, labelled by origin."""
    if group == 2:
        return Entry(
            link=Link(received_label(r), links.rel(src, links.review_page(owner.id), links.received_anchor(r.id))),
            origin=received_origin(owner.review, r),
            section=POSITION_LABELS[r.position.value],
            text=r.text,
        )
    return Entry(
        link=site.cards.record_link(src, owner, r),
        origin=origin_label(owner),
        section=site.cards.section_link(src, owner, owner.section_of[r.id]).label,
        text=r.text,
    )


def term_pages(site: Site, kind: str, terms: list[Term]) -> Iterator[Page]:
    kb = site.kb
    heading = VOCABULARY_FOLDERS[kind][1]
    index = links.vocabulary_index(kind)
    rows: list[TermRow] = []
    unused: list[Link] = []
    for term in terms:
        tagged = kb.tagged.get((kind, term.id), [])
        received = kb.received_tagged.get((kind, term.id), [])
        # Grouped by kind (the NGOs' findings, their recommendations, then the recommendations States
        # received), so a page never mixes an organisation's words with a State's.
        records: list[tuple[int, Any, Any]] = [
            (1 if isinstance(r, Recommendation) else 0, sub, r)
            for sub, r in tagged
            if isinstance(r, (Finding, Recommendation))
        ]
        records.sort(key=lambda x: x[0])
        records += [(2, review, rec) for review, rec in received]
        for chunk in paginate(links.term_page(kind, term.id)[:-3], records, TERM_PAGE_SIZE):
            groups: dict[str, list[Entry]] = {}
            for group, owner, r in chunk.items:
                groups.setdefault(GROUP_HEADINGS[group], []).append(entry(site, chunk.path, group, owner, r))
            ctx = TermContext(
                label=term.label,
                index=Link(heading, links.rel(chunk.path, index)),
                goal=term.goal,
                description=term.description,
                equivalents=term.equivalents,
                groups=[EntryGroup(h, e) for h, e in groups.items()],
                total=len(records),
                pager=chunk.pager,
            )
            yield Page(chunk.path, ctx, frozenset(r.id for group, _, r in chunk.items if group < 2) | {term.id})
        link = Link(term.label, links.rel(index, links.term_page(kind, term.id)))
        if not tagged and not received:
            unused.append(link)
            continue
        rows.append(
            TermRow(
                link=link,
                note=term.description if kind == "sdg" else None,
                goal=term.goal_cell,
                recommendations=sum(isinstance(r, Recommendation) for _, r in tagged),
                findings=sum(isinstance(r, Finding) for _, r in tagged),
                received=len(received),
            )
        )
    rows.sort(key=lambda r: (-(r.recommendations + r.findings + r.received), r.link.label.casefold()))
    ctx_index = TermIndexContext(
        heading=heading,
        term_column="Target" if kind == "sdg" else "Term",
        with_goal=kind == "sdg",
        with_received=bool(kb.reviews),
        rows=rows,
        unused=unused,
    )
    yield Page(index, ctx_index, frozenset())


def instrument_pages(site: Site) -> Iterator[Page]:
    kb = site.kb
    heading = VOCABULARY_FOLDERS["instrument"][1]
    index = links.vocabulary_index("instrument")
    rows = []
    for inst in kb.instruments.values():
        path = links.term_page("instrument", inst.id)
        provisions = []
        for prov in inst.provisions:
            tagged = kb.tagged.get(("provision", prov.id), [])
            cited = [site.cards.record_link(path, sub, r) for sub, r in tagged[:MAX_PROVISION_REFS]]
            provisions.append(
                ProvisionEntry(
                    id=prov.id,
                    label=prov.label,
                    title=prov.title,
                    text=prov.text,
                    cited=cited,
                    more=len(tagged) - len(cited),
                )
            )
        facts = [kind_label(inst.kind.value), inst.jurisdiction]
        if inst.adopted:
            facts.append(f"adopted {optional_date(inst.adopted)}")
        ctx = InstrumentContext(
            title=inst.title,
            index=Link(heading, links.rel(path, index)),
            facts=facts,
            url=inst.url,
            provisions=provisions,
        )
        yield Page(path, ctx, frozenset({inst.id, *(p.id for p in inst.provisions)}))
        rows.append(
            InstrumentRow(
                link=Link(inst.title, links.rel(index, path)),
                short_title=inst.short_title,
                kind=kind_label(inst.kind.value),
                jurisdiction=inst.jurisdiction,
                count=len(kb.tagged.get(("instrument", inst.id), [])),
            )
        )
    yield Page(index, InstrumentsIndexContext(rows), frozenset())
