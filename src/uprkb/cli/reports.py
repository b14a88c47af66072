"""Commands that write a review's follow-up as Word documents: export matrix and export midterm."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import click

from uprkb.build.outputs import check_output_file, document_mark
from uprkb.cli.base import _load_knowledge_base, _paths, data_option
from uprkb.cli.exports import export
from uprkb.core.errors import UserError
from uprkb.core.project import Project

_review = click.option("--review", "review_id", required=True, help="The review's ID, e.g. svn-upr4.")
_submission = click.option(
    "--submission",
    "submission_id",
    help="The submission whose organisation's assessments fill the document "
    "(needed only when several organisations follow the review).",
)
_force = click.option(
    "--force", is_flag=True, help="Replace the output file even when it is not this command's document of the review."
)


def _target(output: str | None, kind: str, review_id: str, force: bool, paths: Project) -> tuple[Path, str]:
    """Where the document goes and the mark it carries (``matrix:REVIEW <project>``); a file there that does not
    carry this command's mark for the same review is refused unless ``force``.

    The rule of ``export docx`` (:func:`uprkb.build.outputs.check_output_file`, which also keeps the output out
    of the data, the docs and the templates), with this command named in the refusal."""
    from uprkb.exports.docx import read_mark

    target = Path(output or f"{review_id}-{kind}.docx")
    key = f"{kind}:{review_id}"
    mark = document_mark(paths, key)
    if not force and os.path.lexists(target) and not target.is_dir():
        found = read_mark(target)
        if found != mark:
            why = (
                "carries no export mark, so this command did not write it"
                if found is None
                else f"is another export (its mark: {found})"
            )
            raise UserError(
                f"{target} exists and {why}: `export {kind} --review {review_id}` replaces only its own document,"
                " so it is left as it is",
                "name another file, or pass --force to replace it",
                where=target,
            )
    check_output_file(target, "docx", force, paths, submission=key)
    return target, mark


def _output(kind: str) -> Any:
    return click.option(
        "-o", "--output", type=click.Path(dir_okay=False), help=f"The .docx to write (default: REVIEW-{kind}.docx)."
    )


@export.command("matrix")
@data_option
@_review
@_output("matrix")
@click.option("--theme", help="Only the recommendations with this theme (a theme's ID, e.g. torture).")
@click.option("--followed", is_flag=True, help="Only the recommendations the organisation follows.")
@_submission
@_force
def export_matrix_cmd(
    data: str | None,
    review_id: str,
    output: str | None,
    theme: str | None,
    followed: bool,
    submission_id: str | None,
    force: bool,
) -> None:
    """Write OHCHR's matrix of a review's recommendations, with the organisation's assessments, as Word.

    Per theme, each recommendation with its number, text, recommending States, position and where it is
    stated, its themes and groups of persons, and the organisation's latest assessment with its evidence
    as footnotes.

    Example: python3 build_site.py export matrix --review svn-upr4 --followed -o svn-matrix.docx
    """
    from uprkb.exports import reviewdoc as rd
    from uprkb.exports.matrix import export_matrix

    target, mark = _target(output, "matrix", review_id, force, _paths(data))
    kb = _load_knowledge_base(data)
    review = rd.find_review(kb, review_id)
    follower = rd.organisation_for(kb, review, submission_id, required=followed)
    r = export_matrix(kb, review, follower, target, mark, theme=theme, followed=followed)
    click.echo(
        f"Wrote {r.path}: {r.rows} recommendation(s) under {r.themes} theme(s), {r.followed} followed, "
        f"{r.assessed} assessed, {r.footnotes} footnotes ({r.seconds:.2f} s)."
    )
    if follower is not None:
        click.echo("Statuses: " + ", ".join(f"{label} {n}" for label, n in r.by_status.items()) + ".")


@export.command("midterm")
@data_option
@_review
@_output("midterm")
@_submission
@_force
def export_midterm_cmd(
    data: str | None, review_id: str, output: str | None, submission_id: str | None, force: bool
) -> None:
    """Write the organisation's mid-term report on a review's recommendations as Word.

    A cover, an introduction, the methodology, a table of statuses (per status and per theme), then one
    entry per recommendation the organisation follows with its assessment and its sources as footnotes.

    Example: python3 build_site.py export midterm --review svn-upr4 -o svn-midterm.docx
    """
    from uprkb.exports import reviewdoc as rd
    from uprkb.exports.midterm import export_midterm

    target, mark = _target(output, "midterm", review_id, force, _paths(data))
    kb = _load_knowledge_base(data)
    review = rd.find_review(kb, review_id)
    follower = rd.organisation_for(kb, review, submission_id, required=True)
    assert follower is not None
    r = export_midterm(kb, review, follower, target, mark)
    click.echo(
        f"Wrote {r.path}: {r.entries} recommendation(s) followed, {r.assessed} assessed, "
        f"{r.footnotes} footnotes ({r.seconds:.2f} s)."
    )
    click.echo("Statuses: " + ", ".join(f"{label} {n}" for label, n in r.by_status.items()) + ".")
    click.echo(f"Words: {r.words_body:,} in the body; {r.words_with_notes:,} with the footnotes.")
