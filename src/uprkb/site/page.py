"""A generated page and what every page builder shares (:class:`Site`), apart from the builders
(:mod:`uprkb.site.pages`) so they take these names from a module of their own, not from their package."""

from __future__ import annotations

from dataclasses import dataclass, field
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
