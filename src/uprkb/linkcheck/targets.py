"""What to check: every unique external URL of the public sources, with the records citing it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from uprkb.index.kb import KnowledgeBase

__all__ = ["LinkTarget", "link_targets", "merge_targets"]


@dataclass(frozen=True)
class LinkTarget:
    """One unique URL to check, the IDs of the source records citing it and where the data writes it."""

    url: str
    sources: tuple[str, ...]
    where: tuple[str, ...] = ()
    """``path:line:col`` of each place the data writes the URL (for messages), when known."""


def link_targets(kb: KnowledgeBase) -> list[LinkTarget]:
    """Every unique URL (``url`` and ``archived_url``) of the knowledge base's sources, sorted.

    Sources are named ``<submission id>/<source id>``. Give it the public
    knowledge base: confidential records are left out there, so their URLs
    are never fetched.
    """
    found = [
        LinkTarget(url, (f"{sub.id}/{source.id}",), (str(source.field_where(field)),))
        for sub in kb.submissions
        for source in sub.sources.values()
        for field, url in (("url", source.url), ("archived_url", source.archived_url))
        if url
    ]
    return sorted(merge_targets(found).values(), key=lambda t: t.url)


def merge_targets(targets: Iterable[LinkTarget]) -> dict[str, LinkTarget]:
    """Targets by URL, the sources and places of targets naming the same URL joined (first seen first)."""
    merged: dict[str, LinkTarget] = {}
    for target in targets:
        seen = merged.get(target.url, LinkTarget(target.url, ()))
        sources = seen.sources + tuple(s for s in target.sources if s not in seen.sources)
        where = seen.where + tuple(w for w in target.where if w not in seen.where)
        merged[target.url] = LinkTarget(target.url, sources, where)
    return merged
