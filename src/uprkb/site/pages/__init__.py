"""What each generated page shows, one builder per page family.

The families are the shape of pelican's generators: :mod:`.submission`
(overview, sections, full text, sources), :mod:`.indexes` (the knowledge-base
home, the record indexes, the sources hub), :mod:`.vocabulary` (terms and
instruments) and :mod:`.timeline`. Each builds :class:`Page` objects whose
context is a typed contract with its template (:mod:`uprkb.site.contexts`); each
page goes to a sink as soon as it is built, so memory holds one page at a time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

from uprkb.index.kb import KnowledgeBase
from uprkb.present.links import Permalinks
from uprkb.site.page import CHARTS, Page, Site, human_size, make_site

__all__ = ["CHARTS", "Page", "Site", "build_pages", "human_size", "make_site", "page_units"]


def page_units(site: Site) -> list[Callable[[], Iterator[Page]]]:
    """Every generated page, in units of work that need nothing from one another (any split of them
    between processes gives the same pages): one per submission, the indexes, the vocabularies, the
    timeline, one per review, then the reviews' index and the States' pages."""
    from uprkb.site.pages import indexes, reviews, submission, timeline, vocabulary

    units: list[Callable[[], Iterator[Page]]] = [
        partial(submission.submission_pages, site, sub) for sub in site.kb.submissions
    ]
    units += [partial(family, site) for family in (indexes.pages, vocabulary.pages, timeline.pages)]
    units += [partial(_one, reviews.review_page, site, review) for review in site.kb.reviews.values()]
    units.append(partial(reviews.index_pages, site))
    return units


def _one(build: Callable[[Site, Any], Page], site: Site, item: Any) -> Iterator[Page]:
    yield build(site, item)


def build_pages(
    kb: KnowledgeBase,
    site_url: str,
    link_report: dict[str, Any] | None,
    sink: Callable[[Page], None],
    download_sizes: dict[str, int] | None = None,
    files: dict[str, bytes] | None = None,
) -> Permalinks:
    """Build every generated page of the knowledge base into ``sink``; returns the permalinks used.

    ``files`` receives the other files the pages link to (chart images), by path below ``kb/``.
    """
    site = make_site(kb, site_url, link_report, download_sizes, files)
    for unit in page_units(site):
        for page in unit():
            sink(page)
    return site.permalinks


__all__ = ["Page", "Site", "build_pages", "make_site", "page_units"]
