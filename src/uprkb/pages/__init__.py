"""Stage 4a, pages: what each generated page shows, one builder per page family.

The families are the shape of pelican's generators: :mod:`.submission`
(overview, sections, full text, sources), :mod:`.indexes` (the knowledge-base
home, the record indexes, the sources hub), :mod:`.vocabulary` (terms and
instruments) and :mod:`.timeline`. Each builds :class:`Page` objects whose
context is a typed contract with its template (:mod:`uprkb.contexts`); each
page goes to a sink as soon as it is built, so memory holds one page at a time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from ..cards import CardMaker
from ..index import KnowledgeBase
from ..links import Permalinks


@dataclass(frozen=True, slots=True)
class Page:
    """One generated Markdown file: where it goes and the context its template renders."""

    path: str
    context: Any
    shows: frozenset[str] = frozenset()
    """IDs of the records whose content this page shows (for incremental rebuilds)."""

    @property
    def template(self) -> str:
        return str(self.context.TEMPLATE)


@dataclass
class Site:
    """What every page builder needs: the knowledge base, card maker, permalinks and link health."""

    kb: KnowledgeBase
    cards: CardMaker
    permalinks: Permalinks
    link_report: dict[str, Any]


def build_pages(
    kb: KnowledgeBase, site_url: str, link_report: dict[str, Any] | None, sink: Callable[[Page], None]
) -> Permalinks:
    """Build every generated page of the knowledge base into ``sink``; returns the permalinks used."""
    from . import indexes, submission, timeline, vocabulary

    site = Site(kb, CardMaker(kb), Permalinks(site_url), link_report or {})
    families: list[Callable[[Site], Iterator[Page]]] = [
        submission.pages,
        indexes.pages,
        vocabulary.pages,
        timeline.pages,
    ]
    for family in families:
        for page in family(site):
            sink(page)
    return site.permalinks


__all__ = ["Page", "Site", "build_pages"]
