"""Commands that help editors: new submission, new section, suggest."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    pass

from uprkb.cli.base import (
    _load_knowledge_base,
    _paths,
    data_option,
    main,
)


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
