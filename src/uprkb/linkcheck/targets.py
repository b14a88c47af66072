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
    """One unique URL to check and the IDs of the source records citing it."""

    url: str
    sources: tuple[str, ...]


def link_targets(kb: KnowledgeBase) -> list[LinkTarget]:
    """Every unique URL (``url`` and ``archived_url``) of the knowledge base's sources, sorted.

    Sources are named ``<submission id>/<source id>``. Give it the public
    knowledge base: confidential records are left out there, so their URLs
    are never fetched.
    """
    by_url: dict[str, list[str]] = {}
    for sub in kb.submissions:
        for source in sub.sources.values():
            for url in (source.url, source.archived_url):
                if url:
                    by_url.setdefault(url, []).append(f"{sub.id}/{source.id}")
    return [LinkTarget(url, tuple(ids)) for url, ids in sorted(by_url.items())]


def merge_targets(targets: Iterable[LinkTarget]) -> dict[str, list[str]]:
    """Targets by URL, the sources of targets naming the same URL joined (first seen first)."""
    merged: dict[str, list[str]] = {}
    for target in targets:
        sources = merged.setdefault(target.url, [])
        sources.extend(s for s in target.sources if s not in sources)
    return merged
