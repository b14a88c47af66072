"""The door of a PDF: pdfminer.six reads it with its decoders held to the limits of :mod:`uprkb.core.limits`.

pdfminer.six inflates a stream whole (``zlib.decompress``) the first time it is read, so a
three-megabyte PDF whose one stream inflates to gigabytes takes gigabytes of memory before any
text is seen. While :func:`pdf_layouts` reads a PDF, the decoders that inflate (Flate, LZW,
RunLength) are replaced in ``pdfminer.pdftypes``, where every stream is decoded, by ones that
stop past :data:`~uprkb.core.limits.MAX_PDF_STREAM_BYTES` for one stream and
:data:`~uprkb.core.limits.MAX_PDF_UNPACKED_BYTES` for the document; a stream that should hold
text but is a fax image is refused (pages' images are never decoded), and so is nesting deeper
than :data:`~uprkb.core.limits.MAX_PDF_NESTING` (four megabytes of ``[`` would take 700 MB).
Objects are counted before parsing, pages and what each page draws while reading. Each refusal is a located
:class:`~uprkb.core.limits.Refused` in plain words.
"""

from __future__ import annotations

import contextlib
import io
import re
import threading
import zlib
from collections.abc import Iterator
from typing import Any

from uprkb.core.errors import Location, Problem
from uprkb.core.limits import (
    MAX_PDF_CHARS,
    MAX_PDF_NESTING,
    MAX_PDF_OBJECTS,
    MAX_PDF_PAGE_ITEMS,
    MAX_PDF_PAGES,
    MAX_PDF_STREAM_BYTES,
    MAX_PDF_UNPACKED_BYTES,
    Refused,
)

_PDF_OBJECT = re.compile(rb"\sobj\b|\d{10} \d{5} [fn]")
_PDF_HINT = "check that this is the document as OHCHR publishes it, or give its text (copied into a .txt file)"
_pdf_lock = threading.RLock()


class _PdfBudget:
    """pdfminer.six's decoders that inflate (Flate, LZW, RunLength, fax), held to the limits while one PDF is
    read, and the count of what its pages draw."""

    error = zlib.error

    def __init__(self, shown: str) -> None:
        self.shown = shown
        self.total = 0
        self.page = 0
        self.items = 0
        self.chars = 0

    def refuse(self, message: str, code: str = "file-too-large") -> Refused:
        return Refused(Problem(Location(self.shown), code, message + "; it is not read", _PDF_HINT))

    def room(self, have: int) -> int:
        return min(MAX_PDF_STREAM_BYTES, MAX_PDF_UNPACKED_BYTES - self.total) - have

    def grow(self, out: bytearray, piece: bytes) -> None:
        if len(piece) > self.room(len(out)):
            one = len(out) + len(piece) > MAX_PDF_STREAM_BYTES
            what = (
                f"a stream of the PDF inflates to more than {MAX_PDF_STREAM_BYTES:,} bytes"
                if one
                else (f"the streams of the PDF inflate to more than {MAX_PDF_UNPACKED_BYTES:,} bytes together")
            )
            raise self.refuse(what + ", far more than any report's text and fonts: a decompression bomb", "zip-bomb")
        out += piece

    def done(self, out: bytearray) -> bytes:
        self.total += len(out)
        return bytes(out)

    def decompress(self, data: bytes) -> bytes:
        """``zlib.decompress`` and pdfminer's ``decompress_corrupted`` in one: damage in the last bytes
        (the checksum) keeps what came before it, damage earlier is an error, as pdfminer has it."""
        d, out, step = zlib.decompressobj(), bytearray(), 1 << 16
        for start in range(0, len(data), step):
            saved = d.copy()
            try:
                self.grow(out, d.decompress(data[start : start + step], self.room(len(out)) + 1))
            except zlib.error:
                d = saved
                for i in range(start, min(start + step, len(data))):
                    try:
                        self.grow(out, d.decompress(data[i : i + 1], self.room(len(out)) + 1))
                    except zlib.error:
                        if i < len(data) - 3:
                            raise
                        return self.done(out)
            if d.eof:
                break
        return self.done(out)

    def lzw(self, data: bytes) -> bytes:
        from pdfminer.lzw import LZWDecoder

        out = bytearray()
        for piece in LZWDecoder(io.BytesIO(data)).run():
            self.grow(out, piece)
        return self.done(out)

    def runlength(self, data: bytes) -> bytes:
        out, i = bytearray(), 0
        while i < len(data) and data[i] != 128:
            n = data[i]
            self.grow(out, data[i + 1 : i + n + 2] if n < 128 else data[i + 1 : i + 2] * (257 - n))
            i += n + 2 if n < 128 else 2
        return self.done(out)

    def ccitt(self, data: bytes, params: object) -> bytes:
        raise self.refuse("a stream of the PDF that should hold text or fonts is a fax image", "invalid-format")

    def drawn(self, char: bool) -> None:
        self.items += 1
        self.chars += char
        if self.items > MAX_PDF_PAGE_ITEMS:
            raise self.refuse(
                f"page {self.page} draws more than {MAX_PDF_PAGE_ITEMS:,} characters, lines, images and forms "
                "(a dense page of a report draws about 6,000)"
            )
        if self.chars > MAX_PDF_CHARS:
            raise self.refuse(f"the PDF holds more than {MAX_PDF_CHARS:,} characters (some 300 pages of text)")


@contextlib.contextmanager
def _bounded_pdfminer(budget: _PdfBudget) -> Iterator[None]:
    """pdfminer.six decodes every stream in ``pdftypes``, and every parser of a PDF (its objects, its
    pages' text, its character maps) nests arrays and dictionaries in ``PSStackParser.start_type``:
    in the block, the decoders are the budget's and the nesting is bounded."""
    from pdfminer import pdftypes
    from pdfminer.psparser import PSStackParser

    nest = PSStackParser.start_type

    def start_type(parser: Any, pos: int, kind: str) -> None:
        if len(parser.context) >= MAX_PDF_NESTING:
            raise budget.refuse(f"the PDF nests arrays or dictionaries more than {MAX_PDF_NESTING} deep", "too-deep")
        nest(parser, pos, kind)

    ours: dict[Any, dict[str, Any]] = {
        pdftypes: {"zlib": budget, "decompress_corrupted": budget.decompress, "lzwdecode": budget.lzw}
        | {"rldecode": budget.runlength, "ccittfaxdecode": budget.ccitt},
        PSStackParser: {"start_type": start_type},
    }
    with _pdf_lock:
        saved = {owner: {name: getattr(owner, name) for name in names} for owner, names in ours.items()}
        try:
            for owner, names in ours.items():
                for name, value in names.items():
                    setattr(owner, name, value)
            yield
        finally:
            for owner, names in saved.items():
                for name, value in names.items():
                    setattr(owner, name, value)


def pdf_layouts(data: bytes, laparams: Any, shown: str = "the PDF") -> Iterator[Any]:
    """The pages of a PDF laid out by pdfminer.six (as its ``extract_pages``), within the limits.

    Refused (:class:`Refused`) before parsing: more than :data:`MAX_PDF_OBJECTS` objects; while
    reading: a stream inflating past :data:`MAX_PDF_STREAM_BYTES` (all of them past
    :data:`MAX_PDF_UNPACKED_BYTES`), more than :data:`MAX_PDF_PAGES` pages, a page drawing more than
    :data:`MAX_PDF_PAGE_ITEMS` things, more than :data:`MAX_PDF_CHARS` characters.
    """
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    budget = _PdfBudget(shown)
    objects = 0
    for _ in _PDF_OBJECT.finditer(data):
        objects += 1
        if objects > MAX_PDF_OBJECTS:
            raise budget.refuse(f"the PDF numbers more objects than a report has; the limit is {MAX_PDF_OBJECTS:,}")

    class Counted(PDFPageAggregator):  # type: ignore[misc]
        def render_char(self, *args: Any, **kwargs: Any) -> Any:
            budget.drawn(True)
            return super().render_char(*args, **kwargs)

        def paint_path(self, *args: Any, **kwargs: Any) -> Any:
            budget.drawn(False)
            return super().paint_path(*args, **kwargs)

        def render_image(self, *args: Any, **kwargs: Any) -> Any:
            budget.drawn(False)
            return super().render_image(*args, **kwargs)

        def begin_figure(self, *args: Any, **kwargs: Any) -> Any:
            budget.drawn(False)
            return super().begin_figure(*args, **kwargs)

    with _bounded_pdfminer(budget):
        doc = PDFDocument(PDFParser(io.BytesIO(data)))
        if sum(n for xref in doc.xrefs for _start, n in getattr(xref, "ranges", ())) > MAX_PDF_OBJECTS:
            raise budget.refuse(f"the PDF numbers more objects than a report has; the limit is {MAX_PDF_OBJECTS:,}")
        manager = PDFResourceManager()
        device = Counted(manager, laparams=laparams)
        interpreter = PDFPageInterpreter(manager, device)
        for budget.page, page in enumerate(PDFPage.create_pages(doc), 1):
            if budget.page > MAX_PDF_PAGES:
                raise budget.refuse(f"the PDF has more than {MAX_PDF_PAGES:,} pages")
            budget.items = 0
            interpreter.process_page(page)
            yield device.get_result()
