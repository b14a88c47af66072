"""Commands that check and build the site: build, validate, serve, check, links, schema."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import click

from uprkb.build.outputs import check_output_file
from uprkb.build.site import build_site
from uprkb.core.errors import DataError, UserError

if TYPE_CHECKING:
    pass

from uprkb.cli.base import (
    _load_knowledge_base,
    _paths,
    _print_problems,
    _root,
    data_option,
    main,
)


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

    Also checks that docs/ and overrides/ hold no link out of the project and no special file, and
    prints each submission's OHCHR word count. Example: python3 build_site.py validate --strict
    """
    from uprkb.build.inputs import source_problems
    from uprkb.check.validate import check
    from uprkb.core.hints import unknown_summary

    t0 = time.perf_counter()
    project = _paths(data)
    result = check(project.data, project.site_url())
    result.problems.extend(source_problems(project))
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
    help="Where to write the JSON report (default: link-report.json in the project folder).",
)
@click.option("--strict", is_flag=True, help="Exit 1 when a URL is broken (broken lines become errors).")
@click.option("--timeout", type=float, default=20.0, show_default=True, help="Seconds per request.")
@click.option("--deadline", type=float, default=600.0, show_default=True, help="Seconds for the whole run.")
@click.option(
    "--cache",
    type=click.Path(dir_okay=False),
    help="Cache of successful checks (default: links.json in the project's cache folder).",
)
@click.option("--max-age", type=float, default=86400.0, show_default=True, help="Seconds a cached success stays valid.")
@click.option("--probe-name", "probe_names", multiple=True, hidden=True, help="A name that must resolve when online.")
@click.option("--force", is_flag=True, help="Replace the report file even when it is not a link report.")
@click.option(
    "--allow-private",
    is_flag=True,
    help="Also check URLs at loopback, private and link-local addresses (an intranet); never the metadata service.",
)
def links(
    data: str | None,
    report: str | None,
    strict: bool,
    timeout: float,
    deadline: float,
    cache: str | None,
    max_age: float,
    probe_names: tuple[str, ...],
    force: bool,
    allow_private: bool,
) -> None:
    """Check every external source URL of the public data.

    Broken URLs are warnings, or errors that fail the run with --strict. Without
    a network the URLs are marked unverified ("no network"), never broken. URLs at
    loopback, private, link-local or cloud-metadata addresses are not requested
    (a located warning) unless --allow-private is given for an intranet.
    Example: python3 build_site.py links --strict
    """
    from uprkb.linkcheck import CheckOptions, check_links, link_targets, report_lines, summarize, write_report

    project = _paths(data)
    report_path = Path(report) if report else project.root / "link-report.json"
    cache_path = Path(cache) if cache else project.cache / "links.json"
    check_output_file(report_path, "link-report", force, project)
    kb = _load_knowledge_base(data)
    opts = CheckOptions(
        timeout=timeout, deadline=deadline, cache_path=cache_path, cache_max_age=max_age, allow_private=allow_private
    )
    if probe_names:
        opts.probe_names = probe_names
    results = check_links(link_targets(kb), opts)
    write_report(results, report_path)
    for line in report_lines(results, strict):
        click.echo(line, err=True)
    counts = summarize(results)
    click.echo(
        f"{len(results)} URLs: "
        + ", ".join(f"{counts.get(k, 0)} {k}" for k in ("ok", "unverified", "broken"))
        + f". Report: {report_path}"
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
