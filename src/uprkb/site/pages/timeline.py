"""The timeline: the dated events that findings state, in date order, grouped by year."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from uprkb.present.labels import event_text, origin_label
from uprkb.present.links import paginate
from uprkb.site.contexts import TimelineContext, TimelineEvent, TimelineYear
from uprkb.site.page import Page, Site

TIMELINE_PAGE_SIZE = 300
"""Events per page of the timeline."""


def pages(site: Site) -> Iterator[Page]:
    events: list[tuple[str, str, Any, Any, Any]] = []
    for sub in site.kb.submissions:
        for f in sub.findings:
            for e in f.events:
                events.append((e.date, e.end or "", e, sub, f))
    events.sort(key=lambda e: (e[0], e[1]))  # stable: ties keep document order
    for chunk in paginate("timeline", events, TIMELINE_PAGE_SIZE):
        by_year: dict[str, list[TimelineEvent]] = defaultdict(list)
        for date, _end, e, sub, f in chunk.items:
            by_year[date[:4]].append(
                TimelineEvent(event_text(e), site.cards.record_link(chunk.path, sub, f), origin_label(sub))
            )
        years = [TimelineYear(year, items) for year, items in sorted(by_year.items())]
        yield Page(chunk.path, TimelineContext(years, chunk.pager), frozenset(e[4].id for e in chunk.items))
