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
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from uprkb.index.kb import KnowledgeBase
from uprkb.present import links
from uprkb.present.links import Permalinks
from uprkb.site import svgchart
from uprkb.site.cards import CardMaker
from uprkb.site.charts import Chart
from uprkb.site.contexts import ChartRow, ChartView, Download


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
    download_sizes: dict[str, int]
    """Each download's file name below ``kb/downloads/`` and its size in bytes."""
    files: dict[str, bytes] = field(default_factory=dict)
    """Files the pages link to besides themselves (chart images), by path below ``kb/``."""

    def chart(self, src: str, name: str, chart: Chart, alt: str, columns: list[str], rows: list[ChartRow]) -> ChartView:
        """Draw ``chart`` as ``kb/charts/<name>.svg`` and return it as page ``src`` shows it, with its table."""
        path = f"{CHARTS}/{name}.svg"
        self.files[path] = svgchart.svg(chart)
        return ChartView(links.rel(src, path), alt, columns, rows)

    def download(self, src: str, name: str, label: str) -> Download:
        """A link from page ``src`` to a download, with its size."""
        return Download(label, links.rel(src, f"{links.DOWNLOADS}/{name}"), human_size(self.download_sizes[name]))


def human_size(n: int) -> str:
    """``532 bytes``, ``12.3 KB``, ``4.5 MB`` (decimal units, as file managers show them)."""
    if n < 1000:
        return f"{n} bytes"
    if n < 1_000_000:
        return f"{n / 1000:.1f} KB"
    return f"{n / 1_000_000:.1f} MB"


CHARTS = "charts"
"""The folder below ``kb/`` that holds the chart images."""


def make_site(
    kb: KnowledgeBase,
    site_url: str,
    link_report: dict[str, Any] | None,
    download_sizes: dict[str, int] | None = None,
    files: dict[str, bytes] | None = None,
) -> Site:
    """What the page builders share. ``files`` receives the other files the pages link to (chart images)."""
    permalinks = Permalinks(site_url)
    site = Site(kb, CardMaker(kb, permalinks), permalinks, link_report or {}, download_sizes or {})
    if files is not None:
        site.files = files
    return site


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
