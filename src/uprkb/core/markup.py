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
from collections.abc import Container, Iterator
from typing import Literal, NamedTuple
from urllib.parse import quote

FOOTNOTE = re.compile(r"\[\^([^\]\s]*)\]")
"""A footnote marker ``[^source-id]`` (any ID: validation reports those that name no source)."""

_TOKEN = re.compile(
    r"(?P<strong>\*\*(?=\S)(?P<strong_body>.+?)(?<=\S)\*\*)"
    r"|(?P<em>\*(?=[^\s*])(?P<em_body>[^*]+?)(?<=[^\s*])\*)"
    r"|(?P<fn>\[\^(?P<fn_id>[^\]\s]*)\])"
)
_WS = re.compile(r"\s+")


class Token(NamedTuple):
    """One piece of data text: plain text, emphasis, strong emphasis or a footnote marker (its source ID)."""

    kind: Literal["text", "em", "strong", "footnote"]
    value: str


def tokens(text: str) -> Iterator[Token]:
    """The inline subset of data text, in order, white space folded: the one grammar every output reads."""
    text = _WS.sub(" ", text).strip()
    pos = 0
    for m in _TOKEN.finditer(text):
        if m.start() > pos:
            yield Token("text", text[pos : m.start()])
        if m.group("strong"):
            yield Token("strong", m.group("strong_body"))
        elif m.group("em"):
            yield Token("em", m.group("em_body"))
        else:
            yield Token("footnote", m.group("fn_id"))
        pos = m.end()
    if pos < len(text):
        yield Token("text", text[pos:])


def footnote_ids(text: str) -> list[str]:
    """The source IDs that ``[^id]`` markers in ``text`` cite, in order."""
    return FOOTNOTE.findall(text)


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
    out: list[str] = []
    for kind, value in tokens(text):
        if kind == "text":
            out.append(escape(value))
        elif kind == "strong":
            out.append("<strong>" + escape(value) + "</strong>")
        elif kind == "em":
            out.append("<em>" + escape(value) + "</em>")
        elif value in footnotes:
            out.append(f"[^{value}]")
    return "".join(out)


@functools.lru_cache(maxsize=65536)
def plain(text: str) -> str:
    """The visible words of data text: emphasis marks and footnote markers removed (cached per text)."""
    return "".join(value for kind, value in tokens(text) if kind != "footnote")


def url(value: str) -> str:
    """A URL made safe as a Markdown link destination (brackets, spaces and quotes encoded)."""
    encoded = quote(value, safe="/:?#@!$&'*+,;=%~-._")
    return encoded.replace("(", "%28").replace(")", "%29")


def link(label: str, target: str) -> str:
    """A Markdown link whose label is escaped text."""
    return f"[{escape(label)}]({url(target)})"
