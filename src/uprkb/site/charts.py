"""Charts: static SVG files drawn at build time from the knowledge base (matplotlib, no script).

Each chart is described by a :class:`Chart` (its title, categories and series) and
drawn to SVG with matplotlib's SVG backend: text stays text, nothing is loaded
from any other host, and the same data gives the same bytes (fixed hash salt, no
date in the metadata). Drawn charts are kept in the project's cache folder under a hash of
their description, so a build imports matplotlib only when a chart's data changed.
Every page that shows a chart also shows its numbers as a table beside it.

The chart has its own white background, so it reads the same in the site's light
and dark palettes; the colours are the Okabe–Ito palette, told apart by people with
the common forms of colour blindness.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

CACHE_VERSION = "1"
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

    def key(self) -> str:
        """The cache key: the chart's description, this drawing code and matplotlib's version."""
        from uprkb.core.cache import cache_key, tool_version
        from uprkb.core.project import PACKAGE

        blob = json.dumps([CACHE_VERSION, asdict(self)], ensure_ascii=False, sort_keys=True)
        return cache_key("chart", blob, code=(PACKAGE / "site" / "charts.py",), tools={"matplotlib": tool_version("matplotlib")})[:32]


def svg(chart: Chart, cache: Path | None = None) -> bytes:
    """The chart as SVG bytes, from the cache when it was drawn before.

    A cached chart is read only when its seal checks out (:func:`uprkb.core.cache.read_sealed`):
    a file planted or edited in the cache folder is drawn again, never published.
    """
    from uprkb.core.cache import read_sealed, write_sealed

    path = cache / f"{chart.key()}.svg" if cache is not None else None
    if path is not None:
        data = read_sealed(path)
        if data is not None:
            return data
    data = _draw(chart)
    if path is not None:
        write_sealed(path, data)
    return data


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _plain(text: str) -> str:
    """A label as matplotlib draws it as text: no control characters (which XML cannot carry), and a
    leading underscore kept (matplotlib hides legend entries whose label starts with one)."""
    text = _CONTROL.sub("", text)
    return "\u200b" + text if text.startswith("_") else text


def _draw(chart: Chart) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    matplotlib.rcParams.update(
        {
            "svg.hashsalt": "uprkb",
            "svg.fonttype": "none",
            "font.family": "sans-serif",
            "font.size": 9,
            # Labels are plain text: "$5 and $6" is drawn as written, never parsed as mathtext.
            "text.parse_math": False,
            "text.usetex": False,
        }
    )
    categories = chart.categories[:MAX_CATEGORIES]
    n = max(len(categories), 1)
    fig, ax = plt.subplots(figsize=(7.5, 1.1 + 0.28 * n), layout="constrained")
    fig.patch.set_facecolor("white")
    ax.set_facecolor("white")
    left = [0] * len(categories)
    for i, s in enumerate(chart.series):
        values = s.values[: len(categories)]
        ax.barh(
            range(len(categories)),
            values,
            left=left,
            color=s.color or PALETTE[i % len(PALETTE)],
            label=_plain(s.name),
            height=0.7,
        )
        left = [a + b for a, b in zip(left, values, strict=True)]
    ax.set_yticks(range(len(categories)))
    ax.set_yticklabels([_plain(c if len(c) <= 48 else c[:47] + "…") for c in categories], color="#222222")
    ax.invert_yaxis()
    ax.set_xlabel(_plain(chart.xlabel), color="#222222")
    ax.set_title(_plain(chart.title), color="#222222", loc="left", fontsize=10)
    ax.tick_params(colors="#222222")
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)
    if len(chart.series) > 1:
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False, fontsize=8)
    out = io.StringIO()
    fig.savefig(out, format="svg", metadata={"Date": None, "Creator": None, "Format": None, "Type": None})
    plt.close(fig)
    return out.getvalue().encode("utf-8")
