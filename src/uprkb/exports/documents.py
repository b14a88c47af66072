"""The Word and PDF documents offered for download on each submission's page.

The same files ``export docx`` and ``export pdf`` write (:mod:`uprkb.exports.docx`,
:mod:`uprkb.exports.pdf`), kept in the project's cache folder keyed by a
hash of what they are made from (the document tree, the reference document,
this module's version), so a build pays for pandoc and LibreOffice only when a
submission's text changed. Without LibreOffice the PDF is left out, with a
warning; the Word document needs only pandoc, which the pinned dependencies ship.

:func:`all_document_files` makes the missing ones with a pool of workers: the work
is pandoc's and LibreOffice's, in their own processes (each LibreOffice with its own
profile folder), so threads run them side by side on every core.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import tempfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from uprkb.core.cache import cache_key, read_sealed, tool_version, write_sealed
from uprkb.core.errors import Problem, Severity, UserError
from uprkb.core.project import PACKAGE
from uprkb.core.settings import environ
from uprkb.index.followup import FollowUpIndex
from uprkb.index.submission import SubmissionIndex

CACHE_VERSION = "1"
"""Bump to make every cached document stale (when the exports change their output)."""


def workers() -> int:
    """How many documents are made at once: ``UPRKB_DOCUMENT_WORKERS``, else one per core (at most 8)."""
    given = environ("UPRKB_DOCUMENT_WORKERS") or ""
    if given.isdigit() and int(given) > 0:
        return int(given)
    return max(1, min(8, os.cpu_count() or 1))


def all_document_files(
    subs: Sequence[SubmissionIndex],
    cache: Path | None,
    with_pdf: bool = True,
    jobs: int | None = None,
    followup: FollowUpIndex | None = None,
) -> tuple[dict[str, bytes], list[Problem]]:
    """:func:`document_files` of every submission, made side by side; files and warnings in submission order."""
    jobs = jobs or workers()
    if jobs == 1 or len(subs) <= 1:
        results = [document_files(sub, cache, with_pdf, followup) for sub in subs]
    else:
        with ThreadPoolExecutor(max_workers=min(jobs, len(subs)), thread_name_prefix="uprkb-documents") as pool:
            results = list(pool.map(lambda sub: document_files(sub, cache, with_pdf, followup), subs))
    files: dict[str, bytes] = {}
    warnings: list[Problem] = []
    for made, problems in results:
        files.update(made)
        warnings += problems
    return files, warnings


@functools.cache
def _soffice_version() -> str:
    """LibreOffice's program, told by its path, size and time (cheaper than starting it to ask)."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            real = Path(found).resolve()
            st = real.stat()
            return f"{real}:{st.st_size}:{int(st.st_mtime)}"
    return "none"


def document_files(
    sub: SubmissionIndex, cache: Path | None, with_pdf: bool = True, followup: FollowUpIndex | None = None
) -> tuple[dict[str, bytes], list[Problem]]:
    """``{<id>.docx: bytes, <id>.pdf: bytes}`` for a submission, from the cache or made now; and warnings.

    ``followup``: the knowledge base's follow-up index, for the lines on earlier recommendations."""
    if cache is None:
        with tempfile.TemporaryDirectory() as tmp:
            return document_files(sub, Path(tmp), with_pdf, followup)
    from uprkb.exports.docx import REFERENCE_DOCX, document_tree

    tree, _ = document_tree(sub, followup)
    here = PACKAGE / "exports"
    key = cache_key(
        "document",
        CACHE_VERSION,
        json.dumps(tree, sort_keys=True),
        REFERENCE_DOCX.read_bytes() if REFERENCE_DOCX.is_file() else b"",
        code=(here / "documents.py", here / "docx.py", here / "pdf.py"),
        tools={"pandoc": tool_version("pypandoc_binary"), "libreoffice": _soffice_version()},
    )[:32]
    docx = cache / f"{key}.docx"
    pdf = cache / f"{key}.pdf"
    warnings: list[Problem] = []
    docx_bytes = read_sealed(docx)
    try:
        if docx_bytes is None:
            from uprkb.exports.docx import export_docx

            with tempfile.TemporaryDirectory() as tmp:
                export_docx(sub, Path(tmp) / "out.docx", followup=followup)
                docx_bytes = (Path(tmp) / "out.docx").read_bytes()
            write_sealed(docx, docx_bytes)
        files = {f"{sub.id}.docx": docx_bytes}
        pdf_bytes = read_sealed(pdf) if with_pdf else None
        if with_pdf and pdf_bytes is None:
            from uprkb.exports.pdf import convert_to_pdf, find_soffice

            find_soffice()
            with tempfile.TemporaryDirectory() as tmp:
                (Path(tmp) / "in.docx").write_bytes(docx_bytes)
                convert_to_pdf(Path(tmp) / "in.docx", Path(tmp) / "out.pdf")
                pdf_bytes = (Path(tmp) / "out.pdf").read_bytes()
            write_sealed(pdf, pdf_bytes)
        if pdf_bytes is not None:
            files[f"{sub.id}.pdf"] = pdf_bytes
    except UserError as exc:
        warnings.append(
            Problem(
                sub.submission.where,
                "document-not-offered",
                f"the site offers no {'PDF' if docx_bytes else 'Word or PDF'} document of '{sub.id}': {exc.message}",
                exc.hint,
                Severity.WARNING,
            )
        )
        files = {f"{sub.id}.docx": docx_bytes} if docx_bytes else {}
    return files, warnings
