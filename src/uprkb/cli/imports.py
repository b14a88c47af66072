"""Commands that bring other formats in: import … and review reconcile."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    pass

from uprkb.cli.base import (
    _paths,
    data_option,
    main,
)


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
    """The recommendations of a Working Group report (PDF or text) into data/reviews/<iso3>-upr<cycle>/.

    Example: python3 build_site.py import wg-report A_HRC_59_15.pdf
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


@import_.command("stakeholder-summary")
@_review_options
@click.option("--symbol", help="The summary's symbol, e.g. A/HRC/WG.6/48/SVN/3, when the text does not give it.")
def import_stakeholder_summary_cmd(
    file: str, data: str | None, date: str | None, dry_run: bool, encoding: str, symbol: str | None
) -> None:
    """OHCHR's summary of stakeholders' submissions (PDF, Word or text) into data/reviews/<review>/.

    Its paragraphs, endnotes with their citations read ("JS2, para. 43") and list of submissions go to
    stakeholder-summary.yaml; a citation of a submission held (by ohchr_acronym or the organisation's
    abbreviation) is linked to the paragraphs it cites.

    Example: python3 build_site.py import stakeholder-summary A_HRC_WG6_48_SVN_3.pdf
    """
    import datetime as dt

    from uprkb.importers import ReadOptions, load_mapper
    from uprkb.importers.summary_links import report_lines, run_summary_import

    try:
        today = dt.date.fromisoformat(date) if date else None
    except ValueError:
        raise click.BadParameter(f"{date!r} is not a date written YYYY-MM-DD", param_hint="--date") from None
    data_dir = _paths(data).data
    options = ReadOptions(data_dir=data_dir, mapper=load_mapper(data_dir), symbol=symbol, encoding=encoding)
    report = run_summary_import(Path(file), options, today=today, dry_run=dry_run)
    for line in report_lines(report, dry_run):
        click.echo(line)


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
    "--apply",
    "apply_",
    is_flag=True,
    help="Merge matched UPR Info rows into their official records (nothing erased; a backup is written first).",
)
def review_reconcile(review: str, data: str | None, output: str | None, force: bool, apply_: bool) -> None:
    """Match a review's UPR Info rows to the official IDs of its report or matrix, and show where they disagree.

    REVIEW is the review's ID, e.g. chn-upr2. With --apply each matched row is merged into its
    official record: every field any source gives is kept (by source, see the README), the
    editors' notes and tags stay, the rows' IDs become aliases, differences are listed and the
    replaced file is copied to backups/ beside the data folder.

    Example: python3 build_site.py review reconcile chn-upr2 -o chn-upr2-reconciled.yaml
    """
    import json

    import yaml

    from uprkb.importers.reconcile import (
        GENERATED,
        apply_review,
        check_review_id,
        merge_lines,
        reconcile_review,
        report_lines,
    )

    check_review_id(review)
    data_dir = _paths(data).data
    target = Path(output) if output else None
    if target and target.exists() and not force:
        if GENERATED not in target.read_text(encoding="utf-8", errors="replace"):
            raise click.UsageError(f"{output} exists and was not written by this command; give --force to overwrite it")
    if apply_:
        result, out, merged = apply_review(data_dir, review)
        out["applied"] = {
            "folded": merged.folded,
            "into": merged.into,
            "taken_from_upr_info": dict(sorted(merged.taken.items())),
            "differences": [d.line() for d in merged.differences],
            "backup": str(merged.backup) if merged.backup else None,
        }
    else:
        result, out = reconcile_review(data_dir, review)
    for line in report_lines(out):
        click.echo(line)
    if apply_:
        for line in merge_lines(merged, len(out["disagreements"])):
            click.echo(line)
    if target:
        if target.suffix.lower() == ".json":
            text = json.dumps(out, indent=2, ensure_ascii=False) + "\n"
        else:
            text = yaml.safe_dump(out, allow_unicode=True, sort_keys=False, width=120)
        target.write_text(text, encoding="utf-8")
        click.echo(f"wrote {output}")


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
