"""Commands over OHCHR's rules and the UPR calendar: check submission, status, export calendar.

``check`` stays the internal check of the site when given no subcommand (``uprkb.cli.site``); this module
makes it a group with that command as its default, so ``check submission ID`` sits beside it.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from uprkb.cli import site as _site  # noqa: F401 - registers the internal 'check' this group wraps
from uprkb.cli.base import _one_submission, _paths, data_option, main
from uprkb.cli.exports import export
from uprkb.core.errors import UserError

_internal = main.commands["check"]


def _today(value: str | None) -> dt.date:
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date; write YYYY-MM-DD", param_hint="--today") from None


_today_option = click.option("--today", metavar="YYYY-MM-DD", help="The date to count from (default: today).")


@click.group(
    "check",
    invoke_without_command=True,
    params=list(_internal.params),
    help=(_internal.help or "")
    + "\n\nWith a subcommand: 'check submission ID' applies OHCHR's rules for stakeholders to one submission.",
)
@click.pass_context
def check_group(ctx: click.Context, **options: object) -> None:
    if ctx.invoked_subcommand is None:
        ctx.invoke(_internal, **options)


main.add_command(check_group)


def _load(data: str | None):  # type: ignore[no-untyped-def]
    """The dataset and the public knowledge base, or every problem printed and exit 1."""
    from uprkb.build.site import load_knowledge_base

    return load_knowledge_base(_paths(data))


@check_group.command("submission")
@click.argument("submission_id", metavar="ID")
@data_option
@click.option("--strict", is_flag=True, help="Exit 1 when any rule has a finding.")
def check_submission_cmd(submission_id: str, data: str | None, strict: bool) -> None:
    """Apply OHCHR's rules for stakeholder submissions (data/vocabularies/ohchr-rules.yaml) to one submission.

    Prints each rule with what it measured, and each finding as path:line:col with how to fix it.
    Example: python3 build_site.py check submission ili-kazakhstan-upr4 --strict
    """
    from uprkb.check.ohchr_rules import check_submission

    result, kb = _load(data)
    ds = result.dataset
    if ds.ohchr_rules is None:
        raise UserError(
            "the data has no OHCHR rules to apply",
            hint="restore data/vocabularies/ohchr-rules.yaml from version control",
        )
    sub = _one_submission(kb, submission_id)
    report = check_submission(ds, kb, sub)
    for r in report.results:
        status = "ok  " if r.passed else "FAIL"
        click.echo(f"{status} {r.rule.id.value}: {r.measured}".rstrip(": "))
        for note in r.notes:
            click.echo(f"     note: {note}")
    for p in report.findings:
        click.echo(p.format(), err=True)
    failed = [r for r in report.results if not r.passed]
    click.echo(
        f"{len(report.results) - len(failed)} of {len(report.results)} rules pass; "
        f"{len(report.findings)} finding(s) in {submission_id}."
    )
    if strict and failed:
        click.echo(f"--strict: {len(report.findings)} finding(s) count as errors.", err=True)
        sys.exit(1)


def _calendar(data: str | None):  # type: ignore[no-untyped-def]
    from uprkb.index.calendar import Calendar

    result, kb = _load(data)
    if result.dataset.upr_calendar is None:
        raise UserError(
            "the data has no UPR calendar",
            hint="restore data/vocabularies/upr-calendar.yaml from version control",
        )
    return Calendar(result.dataset.upr_calendar), kb


@main.command()
@data_option
@_today_option
def status(data: str | None, today: str | None) -> None:
    """Say when each State the knowledge base follows is next reviewed and when submissions are due.

    A deadline OHCHR has not announced is marked 'estimated', with the rule used.
    Example: python3 build_site.py status --today 2026-12-08
    """
    from uprkb.present.ics import explanation, next_reviews, status_line

    day = _today(today)
    calendar, kb = _calendar(data)
    for state, review in next_reviews(calendar, kb, day):
        click.echo(status_line(state, review, day))
        if review is not None:
            click.echo(f"    {explanation(review)}")


@export.command("calendar")
@data_option
@_today_option
@click.option("-o", "--output", type=click.Path(dir_okay=False), required=True, help="The .ics file to write.")
def export_calendar(data: str | None, today: str | None, output: str) -> None:
    """Write the next stakeholder deadline of each State the knowledge base follows as an iCalendar file.

    Example: python3 build_site.py export calendar -o upr-deadlines.ics
    """
    from uprkb.present.ics import calendar_ics

    calendar, kb = _calendar(data)
    path = Path(output)
    path.write_bytes(calendar_ics(calendar, kb, _today(today)).encode("utf-8"))
    click.echo(f"Wrote {path}.")
