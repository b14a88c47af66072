"""Addresses of the generated pages: their paths, relative links between them, permalinks, paging.

Every generated page lives below ``docs/kb/`` at a path computed here, and
nowhere else; links are relative ``.md`` paths (MkDocs turns them into URLs and
validates them). :data:`TOP_LEVEL_NAMES` and :data:`SUBMISSION_PAGE_NAMES` are
the names the generator itself uses, so validation can refuse an ID that would
land on one of them.
"""

from __future__ import annotations

import functools
import posixpath
from dataclasses import dataclass
from typing import Any

from uprkb.core.settings import PLACEHOLDER_SITE_URL
from uprkb.index.submission import SubmissionIndex
from uprkb.model.records import Section, Source

GENERATED = "kb"
"""The generated folder's name below ``docs/``."""
PAGER_WINDOW = 3

#: Top-level pages and folders of the generated part (a submission ID must not take one of these names).
TOP_LEVEL_NAMES = frozenset(
    {
        "index",
        "recommendations",
        "findings",
        "sources",
        "timeline",
        "themes",
        "affected-persons",
        "sdgs",
        "instruments",
        "reference",
        "reviews",
        "states",
        "downloads",
        "knowledge-base",
    }
)
DOWNLOADS = "downloads"
"""The folder below ``kb/`` that holds the downloads (written with the pages, so links to them are checked)."""
"""The address ``mkdocs.yml`` ships with until the real one is set; permalinks then stay relative."""
#: Pages inside a submission's folder besides its sections (a section ID must not take one of these names).
SUBMISSION_PAGE_NAMES = frozenset({"index", "full-text", "sources", "downloads"})

VOCABULARY_FOLDERS = {
    "theme": ("themes", "Themes"),
    "persons": ("affected-persons", "Affected persons"),
    "sdg": ("sdgs", "SDG targets"),
    "instrument": ("instruments", "Legal instruments"),
}


@dataclass(frozen=True, slots=True)
class Link:
    label: str
    href: str


@dataclass(frozen=True, slots=True)
class MaybeLink:
    """A label that links where the target is in the knowledge base, and stays text where it is not."""

    label: str
    href: str | None


@dataclass(frozen=True, slots=True)
class PagerLink:
    label: str
    href: str | None  # None: the current page, or a gap ("…")
    current: bool = False


@dataclass(frozen=True, slots=True)
class Chunk:
    """One page of a paginated list: its path, its items and the pager shown on it."""

    path: str
    items: list[Any]
    number: int
    pager: list[PagerLink]


@functools.lru_cache(maxsize=65536)
def _relative(src_dir: str, dst: str) -> str:
    """``posixpath.relpath(dst, src_dir)`` for clean relative paths, without touching the file system."""
    src_parts = src_dir.split("/") if src_dir else []
    dst_parts = dst.split("/")
    common = 0
    for a, b in zip(src_parts, dst_parts[:-1], strict=False):
        if a != b:
            break
        common += 1
    return "/".join([".."] * (len(src_parts) - common) + dst_parts[common:])


def rel(src: str, dst: str, anchor: str | None = None) -> str:
    """The relative link from page ``src`` to page ``dst`` (both relative to docs/kb)."""
    if src == dst:
        return f"#{anchor}" if anchor else posixpath.basename(dst)
    out = _relative(src.rpartition("/")[0], dst)
    return f"{out}#{anchor}" if anchor else out


def submission_page(sub: SubmissionIndex) -> str:
    return f"{sub.id}/index.md"


def section_page(sub: SubmissionIndex, section: Section) -> str:
    return f"{sub.id}/{section.id}.md"


def sources_page(sub: SubmissionIndex) -> str:
    return f"{sub.id}/sources.md"


def full_text_page(sub: SubmissionIndex) -> str:
    return f"{sub.id}/full-text.md"


def term_page(kind: str, term_id: str) -> str:
    return f"{VOCABULARY_FOLDERS[kind][0]}/{term_id}.md"


def vocabulary_index(kind: str) -> str:
    return f"{VOCABULARY_FOLDERS[kind][0]}/index.md"


def review_page(review_id: str) -> str:
    return f"reviews/{review_id}.md"


def state_page(iso3: str) -> str:
    return f"states/{iso3.lower()}.md"


def received_anchor(rec_id: str) -> str:
    """The anchor of a received recommendation on its review's page: ``140.7`` → ``rec-140-7``."""
    return "rec-" + rec_id.replace(".", "-").lower()


def record_page(sub: SubmissionIndex, record: Any) -> str:
    """The page that holds a record's anchor: its section, or the sources page for a source."""
    if isinstance(record, Source):
        return sources_page(sub)
    return section_page(sub, sub.section_of[record.id])


class Permalinks:
    """Addresses of pages and anchors on the published site.

    Absolute when the publishing address is known; relative to the site's root
    (``kb/…``) while it is still the placeholder, rather than wrong absolute ones.
    """

    def __init__(self, site_url: str) -> None:
        url = site_url.rstrip("/") + "/"
        self.placeholder = url == PLACEHOLDER_SITE_URL
        self.site_url = "" if self.placeholder else url

    def page(self, page: str, anchor: str | None = None) -> str:
        url = page[: -len("index.md")] if page.endswith("index.md") else page[:-3] + "/"
        return f"{self.site_url}{GENERATED}/{url}" + (f"#{anchor}" if anchor else "")

    def record(self, sub: SubmissionIndex, record: Any) -> str:
        return self.page(record_page(sub, record), record.id)

    def received(self, review_id: str, rec_id: str) -> str:
        return self.page(review_page(review_id), received_anchor(rec_id))


def paginate(base: str, items: list[Any], size: int) -> list[Chunk]:
    """Split ``items`` over ``base.md``, ``base/page-2.md``, …; each page links its neighbours.

    The pager shows the first and last pages and a window around the current one,
    so its size does not grow with the number of pages.
    """
    parts = [items[i : i + size] for i in range(0, len(items), size)] or [[]]
    # Later pages live below the first one's name (IDs hold no '/', so nothing can collide).
    names = [base + ".md"] + [f"{base}/page-{i}.md" for i in range(2, len(parts) + 1)]
    out: list[Chunk] = []
    for i, part in enumerate(parts):
        pager: list[PagerLink] = []
        if len(parts) > 1:
            window = range(max(0, i - PAGER_WINDOW), min(len(parts), i + PAGER_WINDOW + 1))
            previous = -1
            for j in sorted({0, len(parts) - 1, *window}):
                if j > previous + 1:
                    pager.append(PagerLink("…", None))
                pager.append(PagerLink(str(j + 1), None if j == i else rel(names[i], names[j]), j == i))
                previous = j
        out.append(Chunk(names[i], part, i + 1, pager))
    return out
