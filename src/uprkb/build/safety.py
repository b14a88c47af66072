"""Defence in depth: scan the built HTML for active content in the page content.

Data text is escaped before it reaches Markdown (:mod:`uprkb.core.markup`). This
scan is the second line: inside the content area of every page (Material's
``<article>``), which only our templates and the data fill, no element may
carry script: no ``<script>``, ``<iframe>``, ``<object>``, ``<embed>``,
``<form>``, ``<style>``, no ``on*`` attribute, no ``javascript:``, ``data:`` or
``vbscript:`` URL. The theme's own scripts outside the article are not our output.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from uprkb.core.errors import Location, Problem

ACTIVE_TAGS = frozenset(
    {
        "script",
        "iframe",
        "object",
        "embed",
        "form",
        "style",
        "base",
        "meta",
        "link",
        "frame",
        "frameset",
        "applet",
        "svg",
        "math",
        "template",
    }
)
URL_ATTRS = frozenset({"href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcset"})
BAD_SCHEMES = ("javascript:", "data:", "vbscript:", "file:")
# A cheap first pass: an article with no active tag, no event handler and no URL
# attribute other than an http(s), fragment or plain relative link is parsed no further.
_SUSPECT = re.compile(  # matched against the lower-cased article; attributes follow white space
    r"<(?:" + "|".join(sorted(ACTIVE_TAGS)) + r")\b"
    r"|\son[a-z]+\s*="
    r"|\s(?:" + "|".join(sorted(URL_ATTRS)) + r")\s*+=\s*+[\"']?+"
    r"(?!https?://|#|\.\.?/|[\w-]+(?:/|\.html\b|#|[\"'>\s]))"
)


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.found: list[tuple[int, int, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "article":
            self.depth += 1
            return
        if not self.depth:
            return
        line, col = self.getpos()
        if tag in ACTIVE_TAGS:
            self.found.append((line, col + 1, f"<{tag}> element in the page content"))
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append((line, col + 1, f"event-handler attribute '{name}' on <{tag}>"))
            elif name in URL_ATTRS and value:
                v = "".join(value.split()).lower()
                if v.startswith(BAD_SCHEMES):
                    self.found.append((line, col + 1, f"{name}='{v.split(':', 1)[0]}:…' on <{tag}>"))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "article" and self.depth:
            self.depth -= 1


def scan_html(text: str) -> list[tuple[int, int, str]]:
    """Active-content findings inside the page's ``<article>`` elements, with page positions."""
    start = text.find("<article")
    if start < 0:
        return []
    end = text.rfind("</article>")
    end = len(text) if end < start else end + len("</article>")
    if not _SUSPECT.search(text[start:end].lower()):
        return []  # nothing that could carry script: no need to parse
    offset_line = text.count("\n", 0, start)
    scanner = _Scanner()
    scanner.feed(text[start:end])  # only the content area: the theme's chrome is not parsed
    scanner.close()
    return [(line + offset_line, col, what) for line, col, what in scanner.found]


def scan_site(site: Path) -> list[Problem]:
    """Every active-content finding in every HTML page below ``site``."""
    problems: list[Problem] = []
    for page in sorted(site.rglob("*.html")):
        for line, col, what in scan_html(page.read_text(encoding="utf-8", errors="replace")):
            problems.append(
                Problem(
                    Location(str(page.relative_to(site)), line, col),
                    "active-content",
                    f"{what}: the data or a template injected markup that could run script",
                    "data text is escaped; check templates/ for raw values printed without the md or esc filter",
                )
            )
    return problems
