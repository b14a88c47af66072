"""PDF export: the Word export converted by LibreOffice running headless.

The PDF is the .docx of :mod:`uprkb.exports.docx` as LibreOffice Writer lays it out:
the same paragraph numbers, footnotes at the foot of their pages, page numbers
in the footer and A4 paper, so the PDF and the Word document OHCHR receives
cannot differ. (Printing the site's full-text page from Chromium was the other
candidate; it cannot place footnotes at the foot of the page they belong to.)

Given a mark (``export pdf``), the PDF ends with a comment line carrying it (LibreOffice drops the
Word document's custom properties), so the command replaces only PDFs it wrote (:func:`read_mark`).

LibreOffice runs with a private, throw-away profile, so two exports at once do
not collide and nothing is left in the user's home folder. The PDF is made as the
Word document is (:func:`uprkb.exports.docx.new_file_beside`: ``0644`` under the
usual umask) and moved into place whole.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from uprkb.core.errors import UserError
from uprkb.exports.docx import DocxResult, export_docx, new_file_beside
from uprkb.index.followup import FollowUpIndex
from uprkb.index.submission import SubmissionIndex

TIMEOUT = 180.0
"""Seconds LibreOffice may take to convert one document."""
MARK_PREFIX = b"%uprkb-export: "
"""A PDF comment: what follows names the submission and the project that exported the PDF."""


@dataclass
class PdfResult:
    """What a PDF export wrote."""

    path: Path
    pages: int
    docx: DocxResult
    seconds: float


def find_soffice() -> str:
    """The LibreOffice program, or a :class:`UserError` saying how to install it."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    raise UserError(
        "LibreOffice is not installed, and the PDF is made by LibreOffice from the Word document",
        hint="install Debian's 'libreoffice-writer' package (apt-get install libreoffice-writer), "
        "or export the Word document with 'export docx' and save it as PDF in Word",
    )


def count_pages(pdf: Path) -> int:
    """The number of pages of a PDF that LibreOffice wrote (its page objects are not compressed)."""
    return len(re.findall(rb"/Type\s*/Page\b", pdf.read_bytes()))


def mark_line(mark: str) -> bytes:
    """The comment line that carries ``mark`` at the end of a PDF (after ``%%EOF``, where readers ignore it)."""
    return MARK_PREFIX + mark.encode("utf-8") + b"\n"


def read_mark(path: Path) -> str | None:
    """The mark :func:`export_pdf` left at the end of a PDF; ``None`` when it has none (or is not a regular file)."""
    from uprkb.core import limits

    if limits.file_problem(path) is not None:
        return None
    try:
        with path.open("rb") as fh:
            fh.seek(max(0, os.fstat(fh.fileno()).st_size - 4096))
            tail = fh.read(4096)
    except OSError:
        return None
    found = re.findall(re.escape(MARK_PREFIX) + rb"([^\r\n]{1,200})\n", tail)
    return found[-1].decode("utf-8", "replace") if found else None


def convert_to_pdf(docx: Path, output: Path, mark: str | None = None) -> None:
    """Convert a .docx to PDF with LibreOffice headless; ``output`` is replaced atomically, ending with ``mark``."""
    soffice = find_soffice()
    with tempfile.TemporaryDirectory(prefix="uprkb-soffice-") as tmp:
        work = Path(tmp)
        profile = (work / "profile").as_uri()
        cmd = [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(work),
            str(docx),
        ]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT, cwd=work)
        except subprocess.TimeoutExpired:
            raise UserError(
                f"LibreOffice did not finish converting the document within {TIMEOUT:.0f} s", where=docx
            ) from None
        made = work / (docx.stem + ".pdf")
        if proc.returncode != 0 or not made.is_file():
            detail = (proc.stderr or proc.stdout).strip().splitlines()
            raise UserError(
                "LibreOffice could not convert the Word document to PDF" + (f": {detail[-1]}" if detail else ""),
                hint="open the .docx in Word or LibreOffice to see whether it is damaged",
                where=docx,
            )
        staged = new_file_beside(output, ".pdf")  # made as the user's files are: 0644 under umask 022
        try:
            shutil.copyfile(made, staged)
            if mark is not None:
                with staged.open("ab") as fh:
                    fh.write(mark_line(mark))
            os.replace(staged, output)
        finally:
            staged.unlink(missing_ok=True)


def export_pdf(
    sub: SubmissionIndex, output: Path, followup: FollowUpIndex | None = None, mark: str | None = None
) -> PdfResult:
    """Write the submission as PDF to ``output``: the Word export (with ``followup``'s lines), by LibreOffice.

    ``mark``: carried by the Word document and the PDF alike (:func:`read_mark`)."""
    t0 = time.perf_counter()
    find_soffice()
    with tempfile.TemporaryDirectory(prefix="uprkb-pdf-") as tmp:
        docx = Path(tmp) / f"{output.stem}.docx"
        result = export_docx(sub, docx, followup=followup, mark=mark)
        convert_to_pdf(docx, output, mark)
    return PdfResult(path=output, pages=count_pages(output), docx=result, seconds=time.perf_counter() - t0)
