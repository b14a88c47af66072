"""Text of a UN document's PDF, as the text readers want it: body lines only, in reading order.

pdfminer.six gives every line with its position and the size of its characters. A
UN document sets its body in one size (10 pt); running heads (``A/HRC/25/5``), page
numbers, the job number (``GE.13-18855``) and footnotes are set smaller, so a line
whose characters are mostly smaller than the body is dropped, and so are
superscript footnote marks inside a body line. Fragments that share a baseline
(``186.2.`` and its text, justified words) are joined into one line, left to right.
The lines of a page are separated by a blank line where the page gap is wider than
a line.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

_SPACES = re.compile(r"[ \t\u00a0]+")
_BARCODE = re.compile(r"^\s*\*\d{6,}\*\s*$")


def _lines_of(container: Any) -> Iterator[Any]:
    from pdfminer.layout import LTTextContainer, LTTextLine

    for obj in container:
        if isinstance(obj, LTTextLine):
            yield obj
        elif isinstance(obj, LTTextContainer):
            yield from _lines_of(obj)


def _chars(line: Any) -> list[tuple[str, float]]:
    """(character, size) of a line; a space between words has the size 0."""
    from pdfminer.layout import LTChar

    return [(c.get_text(), c.size if isinstance(c, LTChar) else 0.0) for c in line]


def pdf_pages(data: bytes) -> list[list[tuple[float, float, list[tuple[str, float]]]]]:
    """Per page, its text lines as (top, left, characters with sizes), top first.

    Read within the PDF limits (:mod:`uprkb.core.pdfdoor`). The lines are sorted here, so text
    boxes are not grouped into a hierarchy (``boxes_flow=None``): that grouping costs memory
    quadratic in the boxes of a page.
    """
    from pdfminer.layout import LAParams

    from uprkb.core.pdfdoor import pdf_layouts

    pages = []
    for page in pdf_layouts(data, LAParams(boxes_flow=None)):
        lines = [(page.height - ln.y1, ln.x0, _chars(ln)) for ln in _lines_of(page)]
        lines.sort(key=lambda x: (round(x[0]), x[1]))
        pages.append(lines)
    return pages


def _body_size(pages: Iterable[list[tuple[float, float, list[tuple[str, float]]]]]) -> float:
    sizes: Counter[float] = Counter()
    for page in pages:
        for _top, _left, chars in page:
            sizes.update(round(s, 1) for ch, s in chars if s and not ch.isspace())
    return sizes.most_common(1)[0][0] if sizes else 0.0


def pdf_text(data: bytes) -> str:
    """The body text of a PDF, one printed line per line, pages separated by a blank line."""
    pages = pdf_pages(data)
    body = _body_size(pages)
    small = body * 0.92
    out: list[str] = []
    for page in pages:
        rows: list[tuple[float, list[tuple[float, str]]]] = []
        for top, left, chars in page:
            sized = [s for ch, s in chars if s and not ch.isspace()]
            if not sized:
                continue
            if sum(1 for s in sized if s < small) * 2 > len(sized):
                continue  # a running head, page number or footnote
            text = "".join(ch for ch, s in chars if not s or s >= small * 0.85)
            text = _SPACES.sub(" ", text.replace("\n", " ")).strip()
            if not text or _BARCODE.match(text):
                continue
            if rows and abs(rows[-1][0] - top) < 3:
                rows[-1][1].append((left, text))
            else:
                rows.append((top, [(left, text)]))
        if out:
            out.append("")
        for _top, parts in rows:
            out.append(" ".join(t for _x, t in sorted(parts)))
    return "\n".join(out) + "\n"
