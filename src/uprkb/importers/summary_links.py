"""The summary of stakeholders' submissions linked to the knowledge base and written as data.

:func:`link_submissions` names, on every stakeholder and citation, the submission the knowledge
base holds under the same acronym (its ``ohchr_acronym``, else its organisation's abbreviation),
and the records the cited paragraph numbers are: the numbers the Word export prints
(:mod:`uprkb.present.numbering`). :func:`plan_summary` makes the file
``data/reviews/<review>/stakeholder-summary.yaml`` with the one YAML writer; the command writes it
with the importers' one :func:`.writer.commit`, under the project's lock.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from uprkb.core import limits
from uprkb.core.errors import DataError, Problem, Problems
from uprkb.core.yamlout import dump
from uprkb.importers import read
from uprkb.importers.base import ReadOptions
from uprkb.importers.summary import SummaryResult, acronym_owners
from uprkb.importers.writer import REVIEW_HEADER, commit, data_lock
from uprkb.index.submission import SubmissionIndex, index_submission, ordered_sections, public_section
from uprkb.load.dataset import validate_file
from uprkb.model.records import Section, Submission
from uprkb.model.refs import cycle_of_session
from uprkb.model.summary import StakeholderSummary, SummarySource
from uprkb.present.numbering import numbered_paragraphs

SUMMARY_FILE = "stakeholder-summary.yaml"
HEADER = "# yaml-language-server: $schema=../../../schema/stakeholder-summary.schema.json\n"
_INT_RANGE = re.compile(r"^(\d+)(?:-(\d+))?$")


def held_submissions(data_dir: Path, iso3: str, session: int) -> dict[str, SubmissionIndex]:
    """The knowledge base's submissions on the review (same State, same cycle) by acronym: ``ohchr_acronym``,
    else the organisation's ``abbreviation``; each indexed, its confidential records left out."""
    found: dict[str, SubmissionIndex] = {}
    root = data_dir / "submissions"
    for meta_path in sorted(root.glob("*/submission.yaml")) if root.is_dir() else []:
        quiet = Problems()
        meta = validate_file(meta_path, Submission, quiet)
        if meta is None or meta.state.iso3 != iso3 or meta.cycle != cycle_of_session(session):
            continue
        acronym = meta.ohchr_acronym or meta.organisation.abbreviation
        if not acronym:
            continue
        sections = [validate_file(p, Section, quiet) for p in sorted((meta_path.parent / "sections").glob("*.yaml"))]
        public = [public_section(s) for s in sections if s is not None]
        found[acronym] = index_submission(meta, ordered_sections(meta, public))
    return found


def link_submissions(result: SummaryResult, data_dir: Path) -> int:
    """Name the held submission on every stakeholder and citation whose acronym it has, and the records its
    cited paragraph numbers are; a number the submission does not have is a warning. Returns the links made."""
    if result.iso3 is None or result.session is None:
        return 0
    held = held_submissions(data_dir, result.iso3, result.session)
    if not held:
        return 0
    owners = acronym_owners(result.stakeholders)
    by_listed: dict[str, str] = {}
    for acronym, sub in held.items():
        listed = owners.get(acronym)
        if listed:
            by_listed[listed] = sub.id
    for s in result.stakeholders:
        s.submission = by_listed.get(s.acronym)
    numbers = {sub.id: {p.number: p.id for p in numbered_paragraphs(sub)} for sub in held.values()}
    links = 0
    for note in result.endnotes:
        for c in note.citations:
            c.submission = by_listed.get(c.acronym)
            if c.submission is None:
                continue
            paras = numbers[c.submission]
            for item in c.paragraphs:
                m = _INT_RANGE.match(item)
                wanted = range(int(m.group(1)), int(m.group(2) or m.group(1)) + 1) if m else range(0)
                missing = [n for n in wanted if n not in paras]
                c.records += [paras[n] for n in wanted if n in paras]
                if not m or missing:
                    result.problems.warn(
                        result.source.at(result.note_lines.get(note.number, 0)),
                        "unknown-reference",
                        f"endnote {note.number} cites {c.label!r}, but {c.submission} has no "
                        f"paragraph {item} (its paragraphs are numbered 1–{len(paras)})",
                        "check the number against the submission's Word export; the citation is kept without that link",
                    )
            links += len(c.records)
    return links


@dataclass
class SummaryReport:
    """What an import of a summary did."""

    file: str
    path: Path
    changed: bool
    paragraphs: int
    endnotes: int
    citations: int
    stakeholders: int
    links: int
    warnings: list[Problem]


def plan_summary(result: SummaryResult, data_dir: Path, today: dt.date) -> tuple[dict[Path, str], SummaryReport]:
    """The files the import writes (``stakeholder-summary.yaml``, and ``review.yaml`` for a review not held
    yet); raises :class:`DataError` with every problem when the reader found errors."""
    symbol, iso3, session, review_id = result.symbol, result.iso3, result.session, result.review
    if result.problems.errors or symbol is None or iso3 is None or session is None or review_id is None:
        raise DataError(result.problems.items, footer="Nothing was imported.")
    links = link_submissions(result, data_dir)
    folder = data_dir / "reviews" / review_id
    path = folder / SUMMARY_FILE
    imported = today
    if path.exists():
        old = validate_file(path, StakeholderSummary, Problems())
        if old is not None and old.source.sha256 == result.source.sha256:
            imported = old.source.imported  # the same file again: the same bytes written
    summary = StakeholderSummary(
        review=review_id,
        symbol=symbol,
        state=iso3,
        session=session,
        source=SummarySource(file=result.source.path.name, sha256=result.source.sha256, imported=imported),
        paragraphs=result.paragraphs,
        endnotes=result.endnotes,
        stakeholders=result.stakeholders,
    )
    out: dict[Path, str] = {}
    text = dump(summary.model_dump(mode="json", exclude_defaults=True), HEADER)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        out[path] = text
    if not (folder / "review.yaml").exists():
        state = {"name": result.state_name or iso3, "iso3": iso3}
        review = {"id": review_id, "state": state, "cycle": cycle_of_session(session), "session": session}
        out[folder / "review.yaml"] = dump(review, REVIEW_HEADER)
    citations = sum(len(n.citations) for n in result.endnotes)
    report = SummaryReport(
        result.source.shown,
        path,
        bool(out),
        len(result.paragraphs),
        len(result.endnotes),
        citations,
        len(result.stakeholders),
        links,
        result.problems.warnings,
    )
    return out, report


def report_lines(report: SummaryReport, dry_run: bool = False) -> list[str]:
    """What the import did, for the command line."""
    verb = "would write" if dry_run else "wrote"
    done = f"{verb} {report.path}" if report.changed else f"{report.path} unchanged"
    return [p.format() for p in report.warnings] + [
        f"{'Dry run: ' if dry_run else ''}{report.file}: {report.paragraphs} paragraphs, {report.endnotes} endnotes, "
        f"{report.citations} citations, {report.stakeholders} stakeholders, {report.links} paragraphs linked to "
        f"submissions held; {done}."
    ]


def run_summary_import(
    path: Path, options: ReadOptions, today: dt.date | None = None, dry_run: bool = False
) -> SummaryReport:
    """Read, link and write one summary under the project's lock; raises :class:`DataError`, writing nothing."""
    lock = contextlib.nullcontext() if dry_run else data_lock(options.data_dir)
    with lock, limits.data_root(options.data_dir):
        result = read("stakeholder-summary", path, options)
        if not isinstance(result, SummaryResult):  # the door refused the file before the reader read it
            raise DataError(result.problems.items, footer="Nothing was imported.")
        files, report = plan_summary(result, options.data_dir, today or dt.date.today())
        if not dry_run:
            commit(files, options.data_dir.resolve().parent)
    return report
