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

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from uprkb.core.errors import Problem, Severity, UserError
from uprkb.index.submission import SubmissionIndex

CACHE_VERSION = "1"
"""Bump to make every cached document stale (when the exports change their output)."""


def workers() -> int:
    """How many documents are made at once: ``UPRKB_DOCUMENT_WORKERS``, else one per core (at most 8)."""
    given = os.environ.get("UPRKB_DOCUMENT_WORKERS", "")
    if given.isdigit() and int(given) > 0:
        return int(given)
    return max(1, min(8, os.cpu_count() or 1))


def all_document_files(
    subs: Sequence[SubmissionIndex], cache: Path | None, with_pdf: bool = True, jobs: int | None = None
) -> tuple[dict[str, bytes], list[Problem]]:
    """:func:`document_files` of every submission, made side by side; files and warnings in submission order."""
    jobs = jobs or workers()
    if jobs == 1 or len(subs) <= 1:
        results = [document_files(sub, cache, with_pdf) for sub in subs]
    else:
        with ThreadPoolExecutor(max_workers=min(jobs, len(subs)), thread_name_prefix="uprkb-documents") as pool:
            results = list(pool.map(lambda sub: document_files(sub, cache, with_pdf), subs))
    files: dict[str, bytes] = {}
    warnings: list[Problem] = []
    for made, problems in results:
        files.update(made)
        warnings += problems
    return files, warnings


def document_files(
    sub: SubmissionIndex, cache: Path | None, with_pdf: bool = True
) -> tuple[dict[str, bytes], list[Problem]]:
    """``{<id>.docx: bytes, <id>.pdf: bytes}`` for a submission, from the cache or made now; and warnings."""
    if cache is None:
        with tempfile.TemporaryDirectory() as tmp:
            return document_files(sub, Path(tmp), with_pdf)
    from uprkb.exports.docx import REFERENCE_DOCX, document_tree

    tree, _ = document_tree(sub)
    digest = hashlib.sha256()
    digest.update(CACHE_VERSION.encode())
    digest.update(json.dumps(tree, sort_keys=True).encode("utf-8"))
    digest.update(REFERENCE_DOCX.read_bytes() if REFERENCE_DOCX.is_file() else b"")
    key = digest.hexdigest()[:32]
    docx = cache / f"{key}.docx"
    pdf = cache / f"{key}.pdf"
    warnings: list[Problem] = []
    try:
        if not docx.is_file():
            from uprkb.exports.docx import export_docx

            cache.mkdir(parents=True, exist_ok=True)
            export_docx(sub, docx)
        files = {f"{sub.id}.docx": docx.read_bytes()}
        if with_pdf and not pdf.is_file():
            from uprkb.exports.pdf import convert_to_pdf, find_soffice

            find_soffice()
            with tempfile.TemporaryDirectory() as tmp:
                out = Path(tmp) / "out.pdf"
                convert_to_pdf(docx, out)
                staged = pdf.with_name(f".{pdf.name}-{os.getpid()}-{id(out)}.tmp")
                shutil.move(str(out), staged)
                os.replace(staged, pdf)
        if with_pdf:
            files[f"{sub.id}.pdf"] = pdf.read_bytes()
    except UserError as exc:
        warnings.append(
            Problem(
                sub.submission.where,
                "document-not-offered",
                f"the site offers no {'PDF' if docx.is_file() else 'Word or PDF'} document of "
                f"'{sub.id}': {exc.message}",
                exc.hint,
                Severity.WARNING,
            )
        )
        files = {f"{sub.id}.docx": docx.read_bytes()} if docx.is_file() else {}
    return files, warnings
