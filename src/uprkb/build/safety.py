"""Defence in depth: scan every byte the build wrote for content that could run script.

Data text is escaped before it reaches Markdown (:mod:`uprkb.core.markup`) and the
theme overrides escape what they print. This scan is the second line, over every
HTML page (head, navigation and footer included), every SVG file and the search
index, with no part skipped by position:

* nowhere an event-handler attribute (``on*``), a ``javascript:``, ``data:``,
  ``vbscript:`` or ``file:`` URL, a ``<base>``, ``<iframe>``, ``<object>``,
  ``<embed>``, ``<frame>``, ``<applet>``, ``<template>``, ``<math>`` or a
  ``<meta http-equiv>``;
* a ``<script>`` only when it is one the site is known to ship: a file named in
  :func:`allowed_script_sources` (Material's bundle, ``extra_javascript``), an
  inline script whose hash is in :data:`THEME_INLINE_SCRIPTS` (Material's own
  three, hashed with the page's relative base path taken out), or the theme's
  ``application/json`` configuration block when it parses as JSON;
* inside the page content (Material's ``<article>``), which only our templates
  and the data fill, also no ``<script>``, ``<svg>``, ``<form>``, ``<style>``,
  ``<link>`` or ``<meta>`` at all;
* SVG files (the charts): no ``<script>``, ``<foreignObject>``, no link other
  than to a fragment of the same file, no style that imports or fetches;
* the search index: each title and text, which the theme shows as HTML, under
  the rules of the page content.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from uprkb.core import parallel
from uprkb.core.errors import Location, Problem
from uprkb.core.settings import site_settings

FORBIDDEN_TAGS = frozenset(
    {"iframe", "object", "embed", "base", "frame", "frameset", "applet", "template", "math", "portal", "foreignobject"}
)
"""Never anywhere in a page or SVG file."""
CONTENT_TAGS = frozenset({"script", "form", "style", "meta", "link", "svg", "noscript"})
"""Also never inside the page content (``<article>``)."""
ACTIVE_TAGS = FORBIDDEN_TAGS | CONTENT_TAGS
URL_ATTRS = frozenset({"href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcset", "background"})
BAD_SCHEMES = ("javascript:", "data:", "vbscript:", "file:")
LINK_RELS = frozenset({"stylesheet", "icon", "canonical", "prev", "next", "alternate", "preload", "preconnect"})

THEME_INLINE_SCRIPTS = frozenset(
    {
        # Material 9.8: the local-storage helpers (__md_scope), the colour palette, the tabbed-content anchor.
        "4283eae163e7d369",
        "0eb10c249dbdb0be",
        "ffcc0f7735fdab43",
    }
)
"""SHA-256 (first 16 hex digits) of the theme's inline scripts, the page's base path replaced by ``BASE``.

After an upgrade of Material the build names any new inline script with its hash: check that it
is the theme's, then add the hash here.
"""

_BASE = re.compile(r'"(?:\.\.(?:/\.\.)*|\.|/)(?=")')
_SVG_STYLE_BAD = re.compile(r"@import|url\(\s*['\"]?(?!#)|expression\(|javascript:|behavior\s*:", re.I)


def inline_hash(body: str) -> str:
    """The hash an inline script is known by: its text with the relative base path left out."""
    return hashlib.sha256(_BASE.sub('"BASE"', body).encode("utf-8")).hexdigest()[:16]


OVERRIDE_SCRIPTS = frozenset({"assets/javascripts/pagefind-search.js"})
"""Scripts our theme overrides load by name (``overrides/partials/search.html``: the search dialog asking
Pagefind's index when a build uses it); the file is ours, in ``docs/assets/javascripts/``."""


def allowed_script_sources(config: Path | None) -> frozenset[str]:
    """Site paths of the scripts the site ships: Material's bundle and ``extra_javascript`` of ``config``."""
    allowed: set[str] = set()
    try:
        import material

        bundle = Path(material.__file__).parent / "templates" / "assets" / "javascripts"
        allowed.update(f"assets/javascripts/{p.name}" for p in bundle.glob("bundle.*.min.js"))
    except ImportError:  # pragma: no cover - Material is a pinned dependency
        pass
    allowed |= OVERRIDE_SCRIPTS
    if config is not None:
        for path in site_settings(config).extra_javascript:
            if "://" not in path:
                allowed.add(posixpath.normpath(path.lstrip("/")))
    return frozenset(allowed)


def site_roots(config: Path | None) -> tuple[str, ...]:
    """The paths the site is published under on its host (mkdocs.yml's address and ours), ``/`` always."""
    if config is None:
        return ("/",)
    settings = site_settings(config)
    paths = {urlsplit(u).path or "/" for u in (settings.site_url, settings.mkdocs_site_url) if u}
    return tuple(sorted({"/", *(p if p.endswith("/") else p + "/" for p in paths)}))


@dataclass
class Rules:
    """What a scan allows: the script files the site ships (site paths), and the known inline scripts."""

    scripts: frozenset[str] = frozenset()
    inline: frozenset[str] = THEME_INLINE_SCRIPTS
    page: str = ""
    """The page's path below the site (``kb/x/index.html``), to resolve relative script sources."""
    roots: tuple[str, ...] = ("/",)
    """Where the site is published on its host (``/``, or ``/REPO/`` for a GitHub Pages project site):
    an absolute script path is read below it."""


@dataclass
class _Found:
    items: list[tuple[int, int, str]] = field(default_factory=list)


class _Scanner(HTMLParser):
    def __init__(self, rules: Rules, *, content_only: bool = False, svg: bool = False) -> None:
        super().__init__(convert_charrefs=True)
        self.rules = rules
        self.content_only = content_only
        self.svg = svg
        self.article = 1 if content_only else 0
        self.found: list[tuple[int, int, str]] = []
        self.script: tuple[int, int, dict[str, str | None]] | None = None
        self.script_text: list[str] = []
        self.style: tuple[int, int] | None = None
        self.style_text: list[str] = []

    def _add(self, what: str) -> None:
        line, col = self.getpos()
        self.found.append((line, col + 1, what))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "article":
            self.article += 1
        where = " in the page content" if self.article else ""
        if tag in FORBIDDEN_TAGS or (self.article and tag in CONTENT_TAGS) or (self.svg and tag == "script"):
            self._add(f"<{tag}> element{where}")
        elif tag == "script":
            self.script = (*self.getpos(), dict(attrs))
            self.script_text = []
        elif tag == "style" and self.svg:
            self.style = self.getpos()
            self.style_text = []
        elif tag == "meta" and any(n == "http-equiv" for n, _ in attrs):
            self._add("<meta http-equiv> element")
        elif tag == "link":
            rels = set((dict(attrs).get("rel") or "").lower().split())
            if not rels or not rels <= LINK_RELS:
                self._add(f"<link rel='{' '.join(sorted(rels))}'> element")
            elif rels & {"stylesheet", "preload", "icon"} and re.match(
                r"(?i)\s*(?:[a-z]+:)?//", dict(attrs).get("href") or ""
            ):
                self._add("<link> loading a file from another host")
        for name, value in attrs:
            if name.startswith("on"):
                self._add(f"event-handler attribute '{name}' on <{tag}>")
            elif name in URL_ATTRS and value:
                v = "".join(value.split()).lower()
                if v.startswith(BAD_SCHEMES):
                    self._add(f"{name}='{v.split(':', 1)[0]}:…' on <{tag}>")
                elif self.svg and not v.startswith("#"):
                    self._add(f"{name} to another file on <{tag}> in an SVG file")
            elif name == "style" and value and _SVG_STYLE_BAD.search(value):
                self._add(f"style attribute that loads or runs something on <{tag}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag == "script":
            self.handle_endtag(tag)

    def handle_data(self, data: str) -> None:
        if self.script is not None:
            self.script_text.append(data)
        elif self.style is not None:
            self.style_text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "article" and self.article and not self.content_only:
            self.article -= 1
        elif tag == "script" and self.script is not None:
            line, col, attrs = self.script
            self.script = None
            what = self._script_verdict(attrs, "".join(self.script_text))
            if what:
                self.found.append((line, col + 1, what))
        elif tag == "style" and self.style is not None:
            line, col = self.style
            self.style = None
            if _SVG_STYLE_BAD.search("".join(self.style_text)):
                self.found.append((line, col + 1, "<style> that loads or runs something in an SVG file"))

    def _script_verdict(self, attrs: dict[str, str | None], body: str) -> str:
        src = attrs.get("src")
        if src is not None:
            if re.match(r"(?i)\s*(?:[a-z]+:)?//", src):
                return f"<script> from another host ({src[:60]})"
            if src.startswith("/"):
                root = max((r for r in self.rules.roots if src.startswith(r)), key=len, default="/")
                path = posixpath.normpath(src[len(root) :].lstrip("/"))
            else:
                path = posixpath.normpath(posixpath.join(posixpath.dirname(self.rules.page), src.split("?")[0]))
            return "" if path in self.rules.scripts else f"<script> of a file the site does not ship ({src[:60]})"
        if (attrs.get("type") or "").lower() == "application/json":
            try:
                json.loads(body)
            except ValueError:
                return "<script type='application/json'> that is not JSON"
            return ""
        for root in self.rules.roots:  # 404.html's base is the absolute root: "/REPO/" as "/"
            if root != "/":
                body = body.replace(f'"{root}"', '"/"')
        h = inline_hash(body)
        if h in self.rules.inline:
            return ""
        return f"inline <script> not known to be the theme's (hash {h}: {body.strip()[:40]!r})"


def scan_html(text: str, rules: Rules | None = None, *, content_only: bool = False) -> list[tuple[int, int, str]]:
    """Active-content findings anywhere in a page (``content_only``: a fragment under the content rules)."""
    scanner = _Scanner(rules or Rules(), content_only=content_only)
    scanner.feed(text)
    scanner.close()
    if scanner.script is not None:
        line, col, _ = scanner.script
        scanner.found.append((line, col + 1, "unclosed <script> element"))
    return scanner.found


def scan_svg(text: str) -> list[tuple[int, int, str]]:
    """Active-content findings in an SVG file."""
    scanner = _Scanner(Rules(), svg=True)
    scanner.feed(text)
    scanner.close()
    return scanner.found


SCAN_GROUP = 16
"""Files scanned as one unit of work."""


def _problem(where: str, line: int | None, col: int | None, what: str) -> Problem:
    return Problem(
        Location(where, line or 0, col or 0),
        "active-content",
        f"{what}: the data or a template put markup into the site that could run script",
        "data text is escaped; check templates/ and overrides/ for values printed without the md, esc or e filter",
    )


def scan_search_index(path: Path) -> list[tuple[str, str]]:
    """(location, finding) for each title or text of the search index that would run script when shown."""
    try:
        docs = json.loads(path.read_text(encoding="utf-8")).get("docs") or []
    except (OSError, ValueError, AttributeError):
        return [("", "the search index is not JSON")]
    found: list[tuple[str, str]] = []
    for doc in docs:
        for key in ("title", "text"):
            for _line, _col, what in scan_html(str(doc.get(key) or ""), content_only=True):
                found.append((f"{doc.get('location', '')} ({key})", what))
    return found


def scan_site(site: Path, config: Path | None = None, pages: Iterable[Path] | None = None) -> list[Problem]:
    """Every active-content finding in every HTML page, SVG file and the search index below ``site``."""
    scripts = allowed_script_sources(config)
    roots = site_roots(config)
    files = [
        page
        for page in sorted(pages if pages is not None else site.rglob("*"))
        if page.suffix in (".html", ".htm", ".svg", ".xhtml") and page.is_file()
    ]
    # A few files at a time, shared with a forked process on a second core; the findings in file order.
    groups = [files[i : i + SCAN_GROUP] for i in range(0, len(files), SCAN_GROUP)]

    def scan(i: int) -> list[list[Any]]:
        hits: list[list[Any]] = []
        for page in groups[i]:
            rel = page.relative_to(site).as_posix()
            text = page.read_bytes().decode("utf-8", errors="replace")
            found = scan_svg(text) if page.suffix == ".svg" else scan_html(text, Rules(scripts, page=rel, roots=roots))
            hits += [[rel, line, col, what] for line, col, what in found]
        return hits

    problems = [_problem(*hit) for hits in parallel.map_units(len(groups), scan) for hit in hits]
    index = site / "search" / "search_index.json"
    if index.is_file():
        for where, what in scan_search_index(index):
            problems.append(_problem(f"search/search_index.json {where}", None, None, what))
    return problems
