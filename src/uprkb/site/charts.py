"""Charts: what a chart shows (:class:`Chart`), drawn as static SVG by :mod:`uprkb.site.svgchart`.

A chart is described by its title, categories and series; the SVG writer turns it
into text and shapes only (no script, nothing loaded from another host, the same
data gives the same bytes), every label escaped as XML text. Every page that shows
a chart also shows its numbers as a table beside it.

The chart has its own white background, so it reads the same in the site's light
and dark palettes; the colours are the Okabe–Ito palette, told apart by people with
the common forms of colour blindness.
"""

from __future__ import annotations

from dataclasses import dataclass, field

PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#999999"]
MAX_CATEGORIES = 25
"""Categories drawn at most (the largest); the table beside the chart lists them all."""


@dataclass(frozen=True)
class Series:
    name: str
    values: list[int]
    color: str = ""


@dataclass(frozen=True)
class Chart:
    """A horizontal bar chart: one bar per category, one segment per series (stacked)."""

    title: str
    categories: list[str]
    series: list[Series] = field(default_factory=list)
    xlabel: str = "Recommendations"
