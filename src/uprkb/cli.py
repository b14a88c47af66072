"""The command line: a thin layer over the pipeline stages.

``python3 build_site.py`` builds the site; ``validate``, ``export text``,
``serve``, ``check``, ``links`` and ``schema`` are the other commands. Data
problems print as ``path:line:col: [code] message`` with a hint and exit 1;
a failed build never replaces the last good site.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from uprkb import __version__
from uprkb.build.outputs import check_output_file
from uprkb.build.site import build_site, load_knowledge_base
from uprkb.check.editorial import placeholder_problems
from uprkb.core.errors import DataError, Problem, UserError
from uprkb.core.project import Project
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
            if os.environ.get("UPRKB_DEBUG"):
                raise
            click.echo(exc.format(), err=True)
            ctx.exit(exc.exit_code)
        except OSError as exc:
            # A file or folder the user named cannot be read or written.
            if os.environ.get("UPRKB_DEBUG"):
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
        ctx.invoke(build)


@main.command()
@data_option
@click.option("--site-dir", type=click.Path(file_okay=False), help="Output folder (default: site/).")
@click.option(
    "--include-confidential",
    is_flag=True,
    help="Internal build: include confidential records, into site-internal/ with a banner.",
)
@click.option(
    "--link-report",
    type=click.Path(dir_okay=False),
    help="A report of 'links' whose link health the sources pages show (default: link-report.json if present).",
)
def build(data: str | None, site_dir: str | None, include_confidential: bool, link_report: str | None) -> None:
    """Validate the data, generate the pages and build the site (the default command)."""
    paths = _paths(data, site_dir)
    if include_confidential and not site_dir:
        paths.site = _root() / "site-internal"
    if include_confidential and paths.site.resolve() == (_root() / "site").resolve():
        raise click.UsageError("an internal build never writes to site/; choose another --site-dir")
    default_report = _root() / "link-report.json"
    paths.link_report = Path(link_report) if link_report else (default_report if default_report.exists() else None)
    try:
        result = build_site(paths, include_confidential=include_confidential)
    except DataError as exc:
        exc.footer = "Build failed; the previous site is unchanged."
        raise
    _print_problems(result.warnings)
    g = result.generated
    assert g is not None
    click.echo(
        f"Built {paths.site} in {result.timings['total']:.2f} s "
        f"({g.pages} generated pages: {len(g.written)} written, {g.unchanged} unchanged, {len(g.removed)} removed)."
    )


@main.command()
@data_option
@click.option("--strict", is_flag=True, help="Treat warnings (such as a submission over OHCHR's word limit) as errors.")
def validate(data: str | None, strict: bool) -> None:
    """Check every data file and every cross-reference; report all problems at once.

    Also prints each submission's OHCHR word count. Example: python3 build_site.py validate --strict
    """
    from uprkb.check.validate import check
    from uprkb.core.hints import unknown_summary

    t0 = time.perf_counter()
    project = _paths(data)
    result = check(project.data, project.site_url())
    _print_problems(result.problems.sorted())
    summary = unknown_summary(result.unknown_terms)
    if summary:
        click.echo(summary, err=True)
    for wc in result.word_counts:
        click.echo(("over the limit: " if wc.over else "") + wc.line())
    if not result.ok:
        sys.exit(1)
    if strict and result.problems.warnings:
        click.echo(f"--strict: {len(result.problems.warnings)} warning(s) count as errors.", err=True)
        sys.exit(1)
    n = len(result.dataset.files)
    click.echo(f"OK: {n} files valid ({time.perf_counter() - t0:.2f} s).")


@main.group()
def new() -> None:
    """Start a submission or a section from a commented skeleton that validates at once (never overwrites)."""


@new.command("submission")
@data_option
@click.argument("submission_id", metavar="ID")
@click.option("--organisation", required=True, help="The submitting organisation's full name.")
@click.option(
    "--state", "iso3", required=True, help="The State under review: its name or ISO3 code, e.g. Kazakhstan or KAZ."
)
@click.option("--cycle", type=int, required=True, help="The UPR cycle, e.g. 4.")
@click.option("--session", type=int, required=True, help="The Working Group session, e.g. 48.")
@click.option("--joint", is_flag=True, help="A joint submission (it lists its co-submitters).")
def new_submission_cmd(
    data: str | None, submission_id: str, organisation: str, iso3: str, cycle: int, session: int, joint: bool
) -> None:
    """Write data/submissions/ID/ with submission.yaml and a first section.

    Example: python3 build_site.py new submission ngo-kaz-upr4 --organisation "Example NGO" --state KAZ
    --cycle 4 --session 48
    """
    from uprkb.authoring.scaffold import NewSubmission, new_submission, resolve_state

    code, name = resolve_state(iso3)
    args = NewSubmission(submission_id, organisation, code, name, cycle, session, joint)
    for path in new_submission(_paths(data).data, args):
        click.echo(f"wrote {path}")
    click.echo("Next: fill in the title and text, then run: python3 build_site.py validate")


@new.command("section")
@data_option
@click.argument("submission")
@click.argument("name", metavar="NN-slug")
@click.argument("title")
def new_section_cmd(data: str | None, submission: str, name: str, title: str) -> None:
    """Write sections/NN-slug.yaml and list it in submission.yaml (keeping its comments and layout).

    Example: python3 build_site.py new section ili-kazakhstan-upr4 06-right-to-education "Right to education"
    """
    from uprkb.authoring.scaffold import new_section

    for path in new_section(_paths(data).data, submission, name, title):
        click.echo(f"wrote {path}")


@main.group()
def export() -> None:
    """Export the data in other forms."""


@main.group("import")
def import_() -> None:
    """Import records from other formats into reviewable YAML under data/ (nothing is written on error)."""


def _review_import(fmt: str, file: str, data: str | None, date: str | None, dry_run: bool, **given: object) -> None:
    """Run one review importer and print what it did (problems raise and print through the group)."""
    import datetime as dt

    from uprkb.importers import ReadOptions, load_mapper, report_lines, run_import

    try:
        today = dt.date.fromisoformat(date) if date else None
    except ValueError:
        raise click.BadParameter(f"{date!r} is not a date written YYYY-MM-DD", param_hint="--date") from None
    data_dir = _paths(data).data
    options = ReadOptions(data_dir=data_dir, mapper=load_mapper(data_dir), **given)  # type: ignore[arg-type]
    report = run_import(fmt, Path(file), options, today=today, dry_run=dry_run)
    for line in report_lines(report, dry_run):
        click.echo(line)


def _review_options(f: Callable[..., None]) -> Callable[..., None]:
    for option in reversed(
        [
            click.argument("file", type=click.Path(exists=True, dir_okay=False)),
            data_option,
            click.option("--date", help="The import date to record, YYYY-MM-DD (default: today)."),
            click.option("--dry-run", is_flag=True, help="Report what would change; write nothing."),
            click.option("--encoding", default="utf-8", show_default=True, help="The file's text encoding."),
        ]
    ):
        f = option(f)
    return f


@import_.command("upr-info")
@_review_options
@click.option("--state", help="Only this State under review: its name as the export writes it, or an ISO3 code.")
@click.option("--session", type=int, help="Only this Working Group session.")
@click.option("--all", "select_all", is_flag=True, help="Every State and session in the file (one review each).")
def import_upr_info_cmd(
    file: str, data: str | None, date: str | None, dry_run: bool, encoding: str, **given: object
) -> None:
    """UPR Info's CSV export into data/reviews/<iso3>-upr<cycle>/ (IDs are assigned, not official).

    Example: python3 build_site.py import upr-info export.csv --state SVN --session 20 --encoding mac-roman
    """
    if not (given["select_all"] or given["state"] or given["session"]):
        raise click.UsageError("choose what to import: --state, --session, or --all")
    _review_import("upr-info", file, data, date, dry_run, encoding=encoding, **given)


@import_.command("wg-report")
@_review_options
@click.option("--state", help="The State under review (name or ISO3), when the report does not say.")
@click.option("--session", type=int, help="The Working Group session, when the report does not say.")
@click.option("--cycle", type=int, help="The UPR cycle, when it cannot be told from the session.")
@click.option("--symbol", help="The report's symbol, e.g. A/HRC/59/15, when the text does not give it.")
def import_wg_report_cmd(
    file: str, data: str | None, date: str | None, dry_run: bool, encoding: str, **given: object
) -> None:
    """The recommendations of a Working Group report (text) into data/reviews/<iso3>-upr<cycle>/.

    Example: python3 build_site.py import wg-report A_HRC_59_15.txt
    """
    _review_import("wg-report", file, data, date, dry_run, encoding=encoding, **given)


@import_.command("responses")
@_review_options
@click.option("--review", help="The review it answers, e.g. svn-upr4 (default: found by the report's symbol).")
@click.option("--symbol", help="The addendum's symbol, e.g. A/HRC/59/15/Add.1, when the text does not give it.")
def import_responses_cmd(
    file: str, data: str | None, date: str | None, dry_run: bool, encoding: str, **given: object
) -> None:
    """The State's positions from its addendum (text) onto the review's recommendations.

    Example: python3 build_site.py import responses A_HRC_59_15_Add1.txt --review svn-upr4
    """
    _review_import("responses", file, data, date, dry_run, encoding=encoding, **given)


@import_.command("ohchr-matrix")
@_review_options
@click.option("--review", help="The review, e.g. svn-upr4 (default: found by the report's symbol).")
@click.option("--state", help="The State under review (name or ISO3), for a review not yet in the data.")
@click.option("--cycle", type=int, help="The UPR cycle, for a review not yet in the data.")
def import_ohchr_matrix_cmd(
    file: str, data: str | None, date: str | None, dry_run: bool, encoding: str, **given: object
) -> None:
    """OHCHR's thematic list of recommendations (text or .docx): positions, themes, groups of persons, SDGs.

    Example: python3 build_site.py import ohchr-matrix thematic-list.txt
    """
    _review_import("ohchr-matrix", file, data, date, dry_run, encoding=encoding, **given)


@import_.command("uhri")
@_review_options
@click.option("--state", help="The State under review (name or ISO3), when the export does not say.")
@click.option("--cycle", type=int, help="The UPR cycle, when the export does not say.")
def import_uhri_cmd(
    file: str, data: str | None, date: str | None, dry_run: bool, encoding: str, **given: object
) -> None:
    """A Universal Human Rights Index export (.json or .xlsx) into data/reviews/.

    Example: python3 build_site.py import uhri uhri-export.xlsx
    """
    _review_import("uhri", file, data, date, dry_run, encoding=encoding, **given)


@main.group("review")
def review_group() -> None:
    """Work on the reviews under data/reviews/."""


@review_group.command("reconcile")
@click.argument("review")
@data_option
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), help="Write the reconciliation to this .yaml/.json file."
)
@click.option("--force", is_flag=True, help="Overwrite an output file this command did not write.")
@click.option(
    "--apply", "apply_", is_flag=True, help="Fold matched UPR Info rows into their official records as aliases."
)
def review_reconcile(review: str, data: str | None, output: str | None, force: bool, apply_: bool) -> None:
    """Match a review's UPR Info rows to the official IDs of its report or matrix, and show where they disagree.

    Example: python3 build_site.py review reconcile chn-upr2 -o chn-upr2-reconciled.yaml
    """
    import json

    import yaml

    from uprkb.importers.reconcile import GENERATED, apply_aliases, reconcile_review, report_lines

    data_dir = _paths(data).data
    result, out = reconcile_review(data_dir, review)
    for line in report_lines(out):
        click.echo(line)
    if output:
        target = Path(output)
        if target.exists() and not force and GENERATED not in target.read_text(encoding="utf-8", errors="replace"):
            raise click.UsageError(f"{output} exists and was not written by this command; give --force to overwrite it")
        if target.suffix.lower() == ".json":
            text = json.dumps(out, indent=2, ensure_ascii=False) + "\n"
        else:
            text = yaml.safe_dump(out, allow_unicode=True, sort_keys=False, width=120)
        target.write_text(text, encoding="utf-8")
        click.echo(f"wrote {output}")
    if apply_:
        n = apply_aliases(data_dir, result)
        click.echo(f"folded {n} UPR Info row(s) into their official records as aliases")


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


@export.command("docx")
@data_option
@click.option("--submission", "submission_id", required=True, help="The submission's ID.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="The .docx to write (default: ID.docx).")
@click.option("--strict", is_flag=True, help="Exit 1 when the body is over OHCHR's word limit.")
@click.option("--force", is_flag=True, help="Replace the output file even when this command did not write it.")
def export_docx_cmd(data: str | None, submission_id: str, output: str | None, strict: bool, force: bool) -> None:
    """Write a submission as the Word document OHCHR receives.

    Example: python3 build_site.py export docx --submission ili-kazakhstan-upr4 -o ili.docx
    """
    from uprkb.exports.docx import export_docx

    target = Path(output or f"{submission_id}.docx")
    check_output_file(target, "docx", force, _paths(data))
    kb = _load_knowledge_base(data)
    sub = _one_submission(kb, submission_id)
    _print_problems(placeholder_problems(sub.submission, sub.sections))
    r = export_docx(sub, target, followup=kb.followup)
    click.echo(f"Wrote {r.path}: {r.paragraphs} numbered paragraphs, {r.footnotes} footnotes ({r.seconds:.2f} s).")
    _word_count_lines(r, strict)


@export.command("pdf")
@data_option
@click.option("--submission", "submission_id", required=True, help="The submission's ID.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="The .pdf to write (default: ID.pdf).")
@click.option("--strict", is_flag=True, help="Exit 1 when the body is over OHCHR's word limit.")
@click.option("--force", is_flag=True, help="Replace the output file even when this command did not write it.")
def export_pdf_cmd(data: str | None, submission_id: str, output: str | None, strict: bool, force: bool) -> None:
    """Write a submission as PDF: the Word document, laid out by LibreOffice.

    Example: python3 build_site.py export pdf --submission ili-kazakhstan-upr4 -o ili.pdf
    """
    from uprkb.exports.pdf import export_pdf

    target = Path(output or f"{submission_id}.pdf")
    check_output_file(target, "pdf", force, _paths(data))
    kb = _load_knowledge_base(data)
    sub = _one_submission(kb, submission_id)
    _print_problems(placeholder_problems(sub.submission, sub.sections))
    r = export_pdf(sub, target, followup=kb.followup)
    click.echo(f"Wrote {r.path}: {r.pages} pages, {r.docx.paragraphs} numbered paragraphs ({r.seconds:.2f} s).")
    _word_count_lines(r.docx, strict)


@import_.command("docx")
@data_option
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--submission", "submission_id", required=True, help="The ID of the new submission (its folder name).")
@click.option("--organisation", help="The organisation's name, when the document does not give it.")
@click.option("--state", help="The State under review (name or ISO3), when the document does not give it.")
@click.option("--iso3", hidden=True, help="The State's ISO3 code (the same as --state KAZ).")
@click.option("--cycle", type=int, help="The UPR cycle, when the document does not give it.")
@click.option("--session", type=int, help="The Working Group session, when the document does not give it.")
def import_docx_cmd(
    data: str | None,
    file: str,
    submission_id: str,
    organisation: str | None,
    state: str | None,
    iso3: str | None,
    cycle: int | None,
    session: int | None,
) -> None:
    """Turn a submission written in Word into a YAML skeleton under data/submissions/ID/.

    Example: python3 build_site.py import docx ngo-2019.docx --submission ngo-kaz-upr3 --state KAZ
    """
    from uprkb.importers.docx_submission import Overrides, import_docx

    if state or iso3:
        from uprkb.authoring.scaffold import resolve_state

        iso3, state = resolve_state(state or iso3 or "")
    given = Overrides(organisation=organisation, state=state, iso3=iso3, cycle=cycle, session=session)
    r = import_docx(Path(file), _paths(data).data, submission_id, given)
    for line in r.report_lines():
        click.echo(line)
    click.echo(
        f"Wrote {r.folder}: {r.sections} sections, {r.paragraphs} paragraphs, "
        f"{r.recommendations} recommendations, {r.sources} sources. "
        "Fill in what is marked missing, then run: python3 build_site.py validate"
    )


@main.command()
@data_option
@click.option("--dev-addr", default="127.0.0.1:8000", show_default=True, help="Address to serve on.")
def serve(data: str | None, dev_addr: str) -> None:
    """Live preview: rebuild what a change to the data, templates or docs touches (restart after a code change)."""
    from uprkb.preview.server import serve as run

    paths = _paths(data)
    # The same link report as the build, so the preview starts from the pages the build left.
    report = _root() / "link-report.json"
    paths.link_report = report if report.exists() else None
    run(paths, dev_addr)


@main.command("check")
@data_option
@click.option("--site-dir", type=click.Path(file_okay=False), help="Build into this folder (default: site/).")
def check_cmd(data: str | None, site_dir: str | None) -> None:
    """Internal checks: references, a strict build, and every href and #fragment of the site.

    Example: python3 build_site.py check
    """
    from uprkb.linkcheck.internal import check_site, find_lychee

    lychee = find_lychee()  # before the build: a missing tool fails at once
    paths = _paths(data, site_dir)
    build_site(paths, verify=lambda site: check_site(site, lychee))
    click.echo(f"OK: references, strict build and every internal link and anchor of {paths.site} resolve.")


@main.command()
@data_option
@click.option(
    "--report",
    type=click.Path(dir_okay=False),
    default="link-report.json",
    show_default=True,
    help="Where to write the JSON report.",
)
@click.option("--strict", is_flag=True, help="Exit 1 when a URL is broken (broken lines become errors).")
@click.option("--timeout", type=float, default=20.0, show_default=True, help="Seconds per request.")
@click.option("--deadline", type=float, default=600.0, show_default=True, help="Seconds for the whole run.")
@click.option(
    "--cache",
    type=click.Path(dir_okay=False),
    default=".cache/links.json",
    show_default=True,
    help="Cache of successful checks.",
)
@click.option("--max-age", type=float, default=86400.0, show_default=True, help="Seconds a cached success stays valid.")
@click.option("--probe-name", "probe_names", multiple=True, hidden=True, help="A name that must resolve when online.")
@click.option("--force", is_flag=True, help="Replace the report file even when it is not a link report.")
def links(
    data: str | None,
    report: str,
    strict: bool,
    timeout: float,
    deadline: float,
    cache: str,
    max_age: float,
    probe_names: tuple[str, ...],
    force: bool,
) -> None:
    """Check every external source URL of the public data.

    Broken URLs are warnings, or errors that fail the run with --strict. Without
    a network the URLs are marked unverified ("no network"), never broken.
    Example: python3 build_site.py links --strict
    """
    from uprkb.linkcheck import CheckOptions, check_links, link_targets, report_lines, summarize, write_report

    check_output_file(Path(report), "link-report", force, _paths(data))
    kb = _load_knowledge_base(data)
    opts = CheckOptions(timeout=timeout, deadline=deadline, cache_path=Path(cache), cache_max_age=max_age)
    if probe_names:
        opts.probe_names = probe_names
    results = check_links(link_targets(kb), opts)
    write_report(results, Path(report))
    for line in report_lines(results, strict):
        click.echo(line, err=True)
    counts = summarize(results)
    click.echo(
        f"{len(results)} URLs: "
        + ", ".join(f"{counts.get(k, 0)} {k}" for k in ("ok", "unverified", "broken"))
        + f". Report: {report}"
    )
    if strict and counts["broken"]:
        raise UserError(
            f"{counts['broken']} broken URL(s) (--strict)",
            hint="replace or remove the URLs marked 'error' above; each has an archive search in the report",
        )


@main.command()
@click.option("--check", "check_only", is_flag=True, help="Fail when the committed schemas are out of date.")
def schema(check_only: bool) -> None:
    """Write the JSON Schemas of the data files to schema/."""
    from uprkb.model.schema import write_schemas

    stale = write_schemas(_paths(None).schema, check_only=check_only)
    if check_only and stale:
        click.echo("Out of date: " + ", ".join(stale) + ". Run: python3 build_site.py schema", err=True)
        sys.exit(1)
    click.echo("Schemas are up to date." if check_only else f"Wrote {len(stale)} changed schema file(s).")


@main.command("suggest")
@data_option
@click.option("--submission", "submission_id", required=True, help="The submission whose records to match.")
@click.option("--review", "review_id", required=True, help="The review to match them against, e.g. svn-upr4.")
@click.option(
    "--for",
    "purpose",
    type=click.Choice(["take-up", "follows-up"]),
    default="take-up",
    show_default=True,
    help="take-up: recommendations against the review they informed; follows-up: findings and recommendations "
    "against an earlier review.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="The YAML file to write (default: suggestions-SUBMISSION-REVIEW.yaml).",
)
@click.option("--top", type=click.IntRange(1, 50), default=5, show_default=True, help="Candidates per record.")
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
def suggest_cmd(
    data: str | None, submission_id: str, review_id: str, purpose: str, output: str | None, top: int, force: bool
) -> None:
    """Suggest received recommendations that match a submission's records, scored, for a person to review.

    Writes a YAML file of candidates; never writes a link into the data.
    Example: python3 build_site.py suggest --submission my-ngo-svn-upr4 --review svn-upr4 --top 5
    """
    from uprkb.authoring.suggest import suggest, to_yaml, write_report

    paths = _paths(data)
    kb = _load_knowledge_base(data)
    report = suggest(kb, submission_id, review_id, purpose, top)  # type: ignore[arg-type]
    target = Path(output) if output else Path(f"suggestions-{submission_id}-{review_id}.yaml")
    write_report(to_yaml(report), target, paths.data, force=force)
    n = sum(len(s.candidates) for s in report.suggestions)
    click.echo(
        f"Wrote {n} candidate(s) for {len(report.suggestions)} record(s) to {target}; nothing in the data changed."
    )
