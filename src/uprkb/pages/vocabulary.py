"""Browse pages: one per theme, affected-persons group, SDG target and legal instrument, and their indexes."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from .. import links
from ..contexts import (
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
from ..labels import equivalent_label, kind_label, optional_date, origin_label
from ..links import VOCABULARY_FOLDERS, Link, paginate
from ..models import Finding, Recommendation
from . import Page, Site

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


def term_pages(site: Site, kind: str, terms: list[Term]) -> Iterator[Page]:
    kb = site.kb
    heading = VOCABULARY_FOLDERS[kind][1]
    index = links.vocabulary_index(kind)
    rows: list[TermRow] = []
    unused: list[Link] = []
    for term in terms:
        tagged = kb.tagged.get((kind, term.id), [])
        records = [(sub, r) for sub, r in tagged if isinstance(r, (Finding, Recommendation))]
        # Grouped by kind (findings, then recommendations), so a page never mixes them up.
        records.sort(key=lambda x: isinstance(x[1], Recommendation))
        for chunk in paginate(links.term_page(kind, term.id)[:-3], records, TERM_PAGE_SIZE):
            groups: dict[str, list[Entry]] = {}
            for sub, r in chunk.items:
                kind_heading = "Recommendations" if isinstance(r, Recommendation) else "Findings"
                groups.setdefault(kind_heading, []).append(
                    Entry(
                        link=site.cards.record_link(chunk.path, sub, r),
                        origin=origin_label(sub),
                        section=site.cards.section_link(chunk.path, sub, sub.section_of[r.id]).label,
                        text=r.text,
                    )
                )
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
            yield Page(chunk.path, ctx, frozenset(r.id for _, r in chunk.items) | {term.id})
        link = Link(term.label, links.rel(index, links.term_page(kind, term.id)))
        if not tagged:
            unused.append(link)
            continue
        rows.append(
            TermRow(
                link=link,
                note=term.description if kind == "sdg" else None,
                goal=term.goal_cell,
                recommendations=sum(isinstance(r, Recommendation) for _, r in tagged),
                findings=sum(isinstance(r, Finding) for _, r in tagged),
            )
        )
    rows.sort(key=lambda r: (-(r.recommendations + r.findings), r.link.label.casefold()))
    ctx_index = TermIndexContext(
        heading=heading,
        term_column="Target" if kind == "sdg" else "Term",
        with_goal=kind == "sdg",
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
