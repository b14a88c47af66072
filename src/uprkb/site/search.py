"""Which search a built site offers, and the Pagefind index for a large one.

Material's search sends every reader the whole site's ``search_index.json`` (and
builds a full-text index of it in their browser) before the first result: fine for
the seed, but across the whole UPR record that file is over 5 MB, past what a phone
should download for one query. Above :data:`PAGEFIND_FROM` bytes of Markdown (about
2 MB of Material's index) a build therefore indexes the built site with Pagefind
(the ``pagefind`` package ships the program), and the search dialog, still
Material's, asks Pagefind instead (``overrides/partials/search.html``): a query
loads a few index chunks and the fragments of the results shown; MkDocs then runs
without Material's search plugin (``overrides/partials/header.html`` still shows the
dialog). The live preview keeps Material's search. ``UPRKB_SEARCH=pagefind`` or ``material`` forces either.

In both engines a search lands on one record, not on the page that lists it: every received
recommendation is a row of its review's table and every finding and recommendation of a submission
a card, and each is an entry of its own, with its own excerpt, leading to its anchor. What an entry
is (:func:`is_entry`): a ``div`` with an id (a card, a quotation) or a row's anchor (a ``span`` whose
id starts ``rec-``); an entry ends where its row or card does. Material's index is split so
(:func:`split_entries`, after MkDocs); with Pagefind, the page script finds the entries among the
anchors Pagefind records of a result's page (``overrides/assets/javascripts/pagefind-search.js``,
the same rule). Typographic quotes, apostrophes and dashes separate words in Material's index and
in the query (:data:`PUNCTUATION`), as Pagefind's own indexing and query already do: “erased” is
found by erased, and the reverse.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from material.plugins.search.plugin import Element, Parser, Section

from uprkb.core.errors import UserError
from uprkb.core.settings import environ, site_settings

ENV = "UPRKB_SEARCH"
PAGEFIND_FROM = 4_000_000
"""Bytes of Markdown above which a build uses Pagefind (Material's index is about half of it)."""
OUTPUT = "pagefind"
"""The folder of the built site holding Pagefind's index (the page script loads it from there)."""
TIMEOUT = 900.0


ROW_ANCHOR = "rec-"
"""How a review row's anchor starts (``#rec-140-7``): the ``span`` with that id opens the row's entry."""
ROW_TITLE = "Recommendation"
"""A row entry's title before its number (a card's is its own label); the page script says the same."""
PUNCTUATION = "\"'“”„‟‘’‚‛«»‹›–—"
"""Marks that separate words in Material's index and query, besides its own separator (spaces, hyphens)."""


def pagefind_command() -> list[str] | None:
    """How to run Pagefind: the pinned Python package's program, else one on ``PATH``; ``None`` without."""
    try:
        import pagefind  # noqa: F401

        return [sys.executable, "-m", "pagefind"]
    except ImportError:
        found = shutil.which("pagefind") or shutil.which("pagefind_extended")
        return [found] if found else None


def markdown_bytes(docs: Path) -> int:
    return sum(p.stat().st_size for p in docs.rglob("*.md"))


def engine(docs: Path) -> str:
    """``"pagefind"`` or ``"material"`` for a build of ``docs``."""
    choice = (environ(ENV) or "auto").strip().lower()
    if choice == "material":
        return "material"
    if choice == "pagefind":
        if pagefind_command() is None:
            raise UserError(f"{ENV}=pagefind, but Pagefind is not installed", hint="pip install 'pagefind[bin]'")
        return "pagefind"
    if markdown_bytes(docs) > PAGEFIND_FROM and pagefind_command() is not None:
        return "pagefind"
    return "material"


def plugins_without_search(config: Path) -> list[Any]:
    """The ``plugins`` of ``mkdocs.yml`` (as MkDocs reads it) less Material's search, for a build that searches
    with Pagefind (the search plugin's work, a quarter of MkDocs' time on the whole record, would be thrown away)."""

    def name(entry: Any) -> str:
        return str(next(iter(entry)) if isinstance(entry, dict) else entry)

    return [p for p in site_settings(config).plugins if name(p) not in ("search", "material/search")]


def index_site(site: Path) -> None:
    """Index the built ``site`` with Pagefind into ``site/pagefind/``; Material's unused index is removed."""
    command = pagefind_command()
    if command is None:
        raise UserError("Pagefind is not installed", hint="pip install 'pagefind[bin]'")
    args = [*command, "--site", str(site), "--output-subdir", OUTPUT, "--root-selector", "article"]
    args += ["--exclude-selectors", ".headerlink"]  # the permalink signs after each heading
    try:
        proc = subprocess.run(args, capture_output=True, text=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        raise UserError(f"Pagefind did not finish indexing the site within {TIMEOUT:.0f} s") from None
    if proc.returncode != 0 or not (site / OUTPUT / "pagefind.js").is_file():
        detail = (proc.stderr or proc.stdout).strip().splitlines()
        raise UserError(
            "Pagefind could not index the built site" + (f": {detail[-1]}" if detail else ""),
            hint=f"run {' '.join(args)} to see its output",
        )
    (site / "search" / "search_index.json").unlink(missing_ok=True)


def is_entry(tag: str, attrs: dict[str, str | None]) -> bool:
    """Whether the element opens a search entry of its own: a card (a ``div`` with an id) or a row's anchor."""
    ident = attrs.get("id") or ""
    return bool(ident) and (tag == "div" or (tag == "span" and ident.startswith(ROW_ANCHOR)))


class _EntryParser(Parser):  # type: ignore[misc]
    """Material's parser of a page into sections at its headings, with each entry a section of its own.

    A card's section ends with the card; a row's, opened by the anchor in its first cell, with the row.
    The text after it goes back to the section it interrupted, as after a nested heading in Material's."""

    def __init__(self) -> None:
        super().__init__()
        self.labels: dict[int, str] = {}
        self._label: Section | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        super().handle_starttag(tag, attrs)
        found = dict(attrs)
        if is_entry(tag, found):
            if tag == "span":
                rows = [i for i, el in enumerate(self.context) if el.tag == "tr"]
                depth = rows[-1] + 2 if rows else len(self.context) + 1
            else:
                depth = len(self.context) + 1
            self.section = Section(Element("uprkb-entry", found), depth)
            self.section.id = found["id"]
            self.data.append(self.section)
        elif tag == "a" and self.section is not None and self.section.el.tag == "uprkb-entry":
            if id(self.section) not in self.labels:
                self._label = self.section
                self.labels[id(self.section)] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._label = None
        super().handle_endtag(tag)

    def handle_data(self, data: str) -> None:
        if self._label is not None:
            self.labels[id(self._label)] += data
        super().handle_data(data)


def row_title(number: str) -> str:
    """A row entry's title from its first cell: "Recommendation 98.12", "Recommendation (no official number)"."""
    return f"{ROW_TITLE} {number}" if any(c.isdigit() for c in number) else f"{ROW_TITLE} ({number})"


def _article(html: str) -> str | None:
    start = html.find('<article class="md-content__inner md-typeset">')
    end = html.rfind("</article>")
    return html[start:end] if start >= 0 and end > start else None


def page_entries(html: str) -> list[tuple[str | None, str | None, str]]:
    """The sections of a built page as ``(id, entry title, text)``: ``id`` ``None`` for the page's first,
    the entry title ``None`` for a heading's section (Material's title is kept)."""
    content = _article(html)
    if content is None:
        return []
    parser = _EntryParser()
    parser.feed(content)
    parser.close()
    out: list[tuple[str | None, str | None, str]] = []
    for section in parser.data:
        if section.is_excluded():
            continue
        title = None
        if section.el.tag == "uprkb-entry":
            label = " ".join(parser.labels.get(id(section), "").split())
            anchor = section.el.attrs.get("id") or ""
            title = row_title(label) if anchor.startswith(ROW_ANCHOR) else label or anchor
        out.append((section.id, title, "".join(section.text).strip()))
    return out


def separator(current: str) -> str:
    """Material's separator with :data:`PUNCTUATION` added (lunr tests it on one character at a time)."""
    return f"(?:{current})|[{re.escape(PUNCTUATION)}]" if current else f"[\\s\\-{re.escape(PUNCTUATION)}]+"


def split_entries(site: Path) -> None:
    """Rewrite Material's ``search/search_index.json`` of the built ``site``: on each page holding entries,
    every card and every review row becomes an entry leading to its anchor, with its own text, and leaves
    the section around it; typographic quotes and dashes separate words (:data:`PUNCTUATION`)."""
    path = site / "search" / "search_index.json"
    if not path.is_file():
        return
    index = json.loads(path.read_text(encoding="utf-8"))
    config = index.setdefault("config", {})
    config["separator"] = separator(str(config.get("separator") or ""))
    docs: list[dict[str, Any]] = index.get("docs", [])
    pages: dict[str, list[dict[str, Any]]] = {}
    for doc in docs:
        pages.setdefault(str(doc["location"]).partition("#")[0], []).append(doc)
    out: list[dict[str, Any]] = []
    for url, entries in pages.items():
        html = site / url / "index.html" if not url or url.endswith("/") else site / url
        text = html.read_text(encoding="utf-8") if html.is_file() else ""
        if not re.search(r'<div [^>]*\bid="|<span id="' + ROW_ANCHOR, text):
            out += entries
            continue
        by_location = {str(e["location"]): e for e in entries}
        page = entries[0]
        carried: dict[str, Any] = {k: page[k] for k in ("tags", "boost") if k in page}
        for ident, title, body in page_entries(text):
            location = f"{url}#{ident}" if ident else url
            if title is None:
                known = by_location.pop(location, None)
                if known is not None:
                    out.append({**known, "text": body})
            else:
                out.append({"location": location, "title": title, "text": body, **carried})
        out += by_location.values()  # a section the parse did not meet again stays as Material wrote it
    index["docs"] = out
    path.write_text(json.dumps(index, separators=(",", ":")), encoding="utf-8")


__all__ = ["ENV", "PAGEFIND_FROM", "engine", "index_site", "pagefind_command", "split_entries"]
