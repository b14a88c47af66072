"""The Word and PDF documents offered for download on each submission's page.

The same files ``export docx`` and ``export pdf`` write (:mod:`uprkb.exports.docx`,
:mod:`uprkb.exports.pdf`), kept in the project's cache folder keyed by a
hash of what they are made from (the document tree, the reference document,
this module's version), so a build pays for pandoc and LibreOffice only when a
submission's text changed. Without LibreOffice the PDF is left out, with a
warning; the Word document needs only pandoc, which the pinned dependencies ship.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from pathlib import Path

from uprkb.core.errors import Problem, Severity, UserError
from uprkb.index.submission import SubmissionIndex

CACHE_VERSION = "1"
"""Bump to make every cached document stale (when the exports change their output)."""


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
                shutil.move(str(out), pdf)
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
