"""The escaping boundary: data text becomes safe Markdown here, and only here.

Data fields are plain text with a small inline subset:

* ``*emphasis*`` and ``**strong emphasis**``;
* ``[^source-id]`` footnote markers, which become footnotes that link to the source.

Everything else is literal text: Markdown and HTML syntax, attribute lists,
template and snippet syntax are escaped so they render as the characters typed.
Line breaks and runs of white space fold into single spaces, so a one-line
field can never open a heading, list, table or code block. Emphasis is written
as ``<em>``/``<strong>`` tags around escaped text, so adjacent asterisks in the
data can never pair up differently in Markdown than they did here.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Container
from urllib.parse import quote

_TOKEN = re.compile(
    r"(?P<strong>\*\*(?=\S)(?P<strong_body>.+?)(?<=\S)\*\*)"
    r"|(?P<em>\*(?=[^\s*])(?P<em_body>[^*]+?)(?<=[^\s*])\*)"
    r"|(?P<fn>\[\^(?P<fn_id>[a-z0-9]+(?:-[a-z0-9]+)*)\])"
)
_WS = re.compile(r"\s+")
# Characters Python-Markdown unescapes after a backslash.
_BACKSLASH = frozenset("\\`*_{}[]()#+-.!")
# Characters that have meaning to an extension or to HTML: written as entities.
_ENTITY = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    "|": "&#124;",
    "~": "&#126;",
    "^": "&#94;",
    "=": "&#61;",
    ":": "&#58;",
    "$": "&#36;",
    "@": "&#64;",
    '"': "&quot;",
    "%": "&#37;",
}


_TABLE = str.maketrans({**{c: "\\" + c for c in _BACKSLASH}, **_ENTITY})


@functools.lru_cache(maxsize=65536)
def escape(text: str) -> str:
    """Escape plain text so that Markdown and HTML show it literally (no inline subset)."""
    return _WS.sub(" ", text).translate(_TABLE)


def inline(text: str, footnotes: Container[str] = ()) -> str:
    """Render data text to safe inline Markdown (see :func:`_inline`); cached per text."""
    if isinstance(footnotes, frozenset | tuple):
        return _cached_inline(text, footnotes)
    return _inline(text, footnotes)


@functools.lru_cache(maxsize=65536)
def _cached_inline(text: str, footnotes: frozenset[str] | tuple[str, ...]) -> str:
    return _inline(text, footnotes)


def _inline(text: str, footnotes: Container[str] = ()) -> str:
    """Render data text to safe inline Markdown.

    ``footnotes`` holds the source IDs this page defines; a marker naming any
    other source (a confidential one in a public build) is dropped.
    """
    text = _WS.sub(" ", text).strip()
    out: list[str] = []
    pos = 0
    for m in _TOKEN.finditer(text):
        out.append(escape(text[pos : m.start()]))
        if m.group("strong"):
            out.append("<strong>" + escape(m.group("strong_body")) + "</strong>")
        elif m.group("em"):
            out.append("<em>" + escape(m.group("em_body")) + "</em>")
        else:
            fid = m.group("fn_id")
            if fid in footnotes:
                out.append(f"[^{fid}]")
        pos = m.end()
    out.append(escape(text[pos:]))
    return "".join(out)


def plain(text: str) -> str:
    """The visible words of data text: emphasis marks and footnote markers removed."""
    text = _WS.sub(" ", text).strip()

    def repl(m: re.Match[str]) -> str:
        if m.group("strong"):
            return m.group("strong_body")
        if m.group("em"):
            return m.group("em_body")
        return ""

    return _TOKEN.sub(repl, text)


def url(value: str) -> str:
    """A URL made safe as a Markdown link destination (brackets, spaces and quotes encoded)."""
    encoded = quote(value, safe="/:?#@!$&'*+,;=%~-._")
    return encoded.replace("(", "%28").replace(")", "%29")


def link(label: str, target: str) -> str:
    """A Markdown link whose label is escaped text."""
    return f"[{escape(label)}]({url(target)})"
