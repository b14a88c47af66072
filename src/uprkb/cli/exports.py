"""Commands that write the submission out: export text, docx and pdf."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from uprkb.build.outputs import check_output_file, document_mark

if TYPE_CHECKING:
    pass

from uprkb.check.editorial import placeholder_problems
from uprkb.cli.base import (
    _load_knowledge_base,
    _one_submission,
    _paths,
    _print_problems,
    _word_count_lines,
    data_option,
    main,
)
from uprkb.index.followup import FollowUpIndex
from uprkb.index.submission import SubmissionIndex


@main.group()
def export() -> None:
    """Export the data in other forms."""


@export.command("text")
@data_option
@click.option("--submission", "submission_id", help="The submission's ID (default: every submission).")
def export_text(data: str | None, submission_id: str | None) -> None:
    """Print a submission as plain text in document order."""
    from uprkb.exports.text import export_text as render

    kb = _load_knowledge_base(data)
    subs = kb.submissions
    if submission_id:
        subs = [s for s in subs if s.id == submission_id]
        if not subs:
            known = ", ".join(s.id for s in kb.submissions)
            raise click.BadParameter(f"no submission '{submission_id}' (known: {known})", param_hint="--submission")
    _print_problems([p for s in subs for p in placeholder_problems(s.submission, s.sections)])
    click.echo("\n\n".join(render(s, followup=kb.followup) for s in subs), nl=False)


def _document_options(suffix: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """The options of ``export docx`` and ``export pdf``."""

    def wrap(f: Callable[..., None]) -> Callable[..., None]:
        for option in reversed(
            [
                data_option,
                click.option("--submission", "submission_id", required=True, help="The submission's ID."),
                click.option(
                    "-o",
                    "--output",
                    type=click.Path(dir_okay=False),
                    help=f"The .{suffix} to write (default: ID.{suffix}).",
                ),
                click.option("--strict", is_flag=True, help="Exit 1 when the body is over OHCHR's word limit."),
                click.option(
                    "--force",
                    is_flag=True,
                    help="Replace the output file even when it is not this project's export of the submission.",
                ),
            ]
        ):
            f = option(f)
        return f

    return wrap


def _document_target(
    data: str | None, submission_id: str, output: str | None, suffix: str, force: bool
) -> tuple[Path, str]:
    """Where a document goes and the mark it carries; refused when a file there does not carry this
    project's mark for the same submission (unless ``--force``)."""
    target = Path(output or f"{submission_id}.{suffix}")
    paths = _paths(data)
    check_output_file(target, suffix, force, paths, submission=submission_id)
    return target, document_mark(paths, submission_id)


def _submission_for_document(data: str | None, submission_id: str) -> tuple[SubmissionIndex, FollowUpIndex]:
    """The submission to write and the follow-up it prints; placeholder text still in it is warned about."""
    kb = _load_knowledge_base(data)
    sub = _one_submission(kb, submission_id)
    _print_problems(placeholder_problems(sub.submission, sub.sections))
    return sub, kb.followup


@export.command("docx")
@_document_options("docx")
def export_docx_cmd(data: str | None, submission_id: str, output: str | None, strict: bool, force: bool) -> None:
    """Write a submission as the Word document OHCHR receives.

    Example: python3 build_site.py export docx --submission ili-kazakhstan-upr4 -o ili.docx
    """
    from uprkb.exports.docx import export_docx

    target, mark = _document_target(data, submission_id, output, "docx", force)
    sub, followup = _submission_for_document(data, submission_id)
    r = export_docx(sub, target, followup=followup, mark=mark)
    click.echo(f"Wrote {r.path}: {r.paragraphs} numbered paragraphs, {r.footnotes} footnotes ({r.seconds:.2f} s).")
    _word_count_lines(r, strict)


@export.command("pdf")
@_document_options("pdf")
def export_pdf_cmd(data: str | None, submission_id: str, output: str | None, strict: bool, force: bool) -> None:
    """Write a submission as PDF: the Word document, laid out by LibreOffice.

    Example: python3 build_site.py export pdf --submission ili-kazakhstan-upr4 -o ili.pdf
    """
    from uprkb.exports.pdf import export_pdf

    target, mark = _document_target(data, submission_id, output, "pdf", force)
    sub, followup = _submission_for_document(data, submission_id)
    r = export_pdf(sub, target, followup=followup, mark=mark)
    click.echo(f"Wrote {r.path}: {r.pages} pages, {r.docx.paragraphs} numbered paragraphs ({r.seconds:.2f} s).")
    _word_count_lines(r.docx, strict)
