"""The command line's common ground: the command group, the project value, how problems print."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from uprkb import __version__
from uprkb.build.site import load_knowledge_base
from uprkb.core.errors import Problem, UserError
from uprkb.core.project import Project
from uprkb.core.settings import environ
from uprkb.index.kb import KnowledgeBase
from uprkb.index.submission import SubmissionIndex

if TYPE_CHECKING:
    from uprkb.exports.docx import DocxResult


class UserErrorGroup(click.Group):
    """A command group that prints any :class:`UserError` as its own message and exits non-zero.

    Commands raise; they never print-and-exit. ``UPRKB_DEBUG=1`` re-raises, for a traceback.
    """

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except UserError as exc:
            if environ("UPRKB_DEBUG"):
                raise
            click.echo(exc.format(), err=True)
            ctx.exit(exc.exit_code)
        except OSError as exc:
            # A file or folder the user named cannot be read or written.
            if environ("UPRKB_DEBUG"):
                raise
            where = exc.filename or ""
            click.echo(f"{where}: {exc.strerror or exc}" if where else f"error: {exc}", err=True)
            click.echo("    hint: check that the path exists and that you may write there", err=True)
            ctx.exit(1)


def _print_problems(problems: list[Problem]) -> None:
    errors = [p for p in problems if p.is_error]
    for p in problems:
        click.echo(p.format(), err=True)
    if errors:
        click.echo(f"{len(errors)} error(s), {len(problems) - len(errors)} warning(s).", err=True)


def _root() -> Path:
    ctx = click.get_current_context()
    root = ctx.find_root().params.get("root")
    return Path(root) if root else Project.find().root


def _paths(data: str | None, site: str | None = None, docs: str | None = None) -> Project:
    p = Project.at(_root())
    if data:
        p.data = Path(data)
    if site:
        p.site = Path(site)
    if docs:
        p.docs = Path(docs)
    return p


def _load_knowledge_base(data: str | None) -> KnowledgeBase:
    """The validated public knowledge base, or every problem printed and exit 1."""
    return load_knowledge_base(_paths(data))[1]


data_option = click.option("--data", type=click.Path(file_okay=False), help="The data folder (default: data/).")


@click.group(cls=UserErrorGroup, invoke_without_command=True)
@click.version_option(__version__, prog_name="uprkb")
@click.option(
    "--root",
    type=click.Path(file_okay=False, exists=True),
    envvar="UPRKB_ROOT",
    help=(
        "The project folder holding data/, docs/ and mkdocs.yml "
        "(default: the working folder, or the nearest folder above it holding both)."
    ),
)
@click.pass_context
def main(ctx: click.Context, root: str | None) -> None:
    """Build the UPR submission knowledge base from the YAML data in data/."""
    if ctx.invoked_subcommand is None:
        build = main.get_command(ctx, "build")  # registered by uprkb.cli.site
        assert build is not None
        ctx.invoke(build)


def _one_submission(kb: KnowledgeBase, submission_id: str) -> SubmissionIndex:
    found = [s for s in kb.submissions if s.id == submission_id]
    if not found:
        known = ", ".join(s.id for s in kb.submissions) or "none"
        raise click.BadParameter(f"no submission '{submission_id}' (known: {known})", param_hint="--submission")
    return found[0]


def _word_count_lines(r: DocxResult, strict: bool) -> None:
    status = "over" if r.over_limit else "within"
    click.echo(f"Words: {r.words_body:,} in the body ({status} the limit of {r.word_limit:,}); ", nl=False)
    click.echo(f"{r.words_with_notes:,} with the footnotes.")
    if r.over_limit and strict:
        raise UserError(
            f"the body has {r.words_body:,} words, over OHCHR's limit of {r.word_limit:,} for this submission type",
            hint="shorten the text; the file was written so you can read it",
        )
    if r.words_with_notes > r.word_limit and not r.over_limit:
        click.echo("warning: with the footnotes the count is over the limit; check whether OHCHR counts notes.")


def _writable(path: Path, force: bool) -> Path:
    """The output path, refused when a file is there already and ``--force`` was not given."""
    if path.exists() and not force:
        raise UserError(
            f"{path} exists already; nothing was written",
            hint="give another file with -o, or add --force to replace it",
        )
    return path
