"""Importers: UPR records from other formats into reviewable YAML under ``data/reviews/``.

One reader per format (:data:`READERS`), each behind the :class:`~.base.Reader`
interface, and one shared writer (:mod:`.writer`). :func:`run_import` is what the
command line calls::

    report = run_import("upr-info", Path("export.csv"), options, today=date(2025, 5, 1))
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from uprkb.core import limits
from uprkb.core.errors import DataError, Problem, Problems
from uprkb.importers.base import ImportResult, Reader, ReadOptions, SourceFile, legacy_encoding
from uprkb.importers.mapping import Mapper
from uprkb.importers.ohchr_matrix import OhchrMatrixReader
from uprkb.importers.responses import ResponsesReader
from uprkb.importers.summary import SummaryReader
from uprkb.importers.uhri import UhriReader
from uprkb.importers.upr_info import UprInfoReader
from uprkb.importers.wg_report import WgReportReader
from uprkb.importers.writer import ImportReport, commit, data_lock, plan_import
from uprkb.load.dataset import validate_file
from uprkb.model.records import SdgVocabulary, TermVocabulary

READERS: dict[str, type[Reader]] = {
    "upr-info": UprInfoReader,
    "wg-report": WgReportReader,
    "responses": ResponsesReader,
    "ohchr-matrix": OhchrMatrixReader,
    "uhri": UhriReader,
    "stakeholder-summary": SummaryReader,
}

__all__ = ["READERS", "ImportReport", "ImportResult", "ReadOptions", "load_mapper", "read", "run_import"]


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause Python's cycle collector: an import allocates many small objects and no cycles worth
    collecting, and the collector's passes over them took more than half of the import's time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load_mapper(data_dir: Path) -> Mapper:
    """The label mapper from the themes, affected-persons and SDG vocabularies; their problems raise."""
    problems = Problems()
    vocab = data_dir / "vocabularies"
    themes = (
        validate_file(vocab / "themes.yaml", TermVocabulary, problems) if (vocab / "themes.yaml").exists() else None
    )
    persons = (
        validate_file(vocab / "affected-persons.yaml", TermVocabulary, problems)
        if (vocab / "affected-persons.yaml").exists()
        else None
    )
    sdgs = validate_file(vocab / "sdgs.yaml", SdgVocabulary, problems) if (vocab / "sdgs.yaml").exists() else None
    if problems.errors:
        raise DataError(problems.items, footer="Fix the vocabularies first; nothing was imported.")
    mapper = Mapper.from_vocabularies(themes, persons)
    mapper.targets = {t.number: t.id for g in (sdgs.goals if sdgs else []) for t in g.targets}
    return mapper


def read(fmt: str, path: Path, options: ReadOptions) -> ImportResult:
    """Read one file with the reader of ``fmt`` (nothing is written).

    The file passes the door first (:mod:`uprkb.core.limits`): a FIFO, a device or an oversized
    file is refused before it is read, and a zip bomb, XML entities, a CSV quote that
    swallows rows or JSON nested too deep are reported before the reader parses.
    """
    reader = READERS[fmt]()
    source = SourceFile.open(path)
    problems = door_problems(fmt, source, options)
    if problems:
        result = ImportResult(reader.format, source)
        result.problems.extend(problems)
        return result
    return reader.read(source, options)


def oversized_reviews(result: ImportResult) -> list[Problem]:
    """Reviews whose texts alone exceed what a data file may hold: refused before any merging.

    The texts stand in the written file at least once each, so their size is a lower bound.
    """
    out = []
    for review in result.reviews:
        size = sum(len(str(r.fields.get("text") or "").encode("utf-8")) for r in review.records)
        if size > limits.MAX_DATA_FILE_BYTES:
            where = review.records[0].where if review.records else result.source.at()
            out.append(
                Problem(
                    where,
                    "file-too-large",
                    f"the {len(review.records):,} recommendations of {review.id} hold {size:,} bytes of text, "
                    f"more than the {limits.MAX_DATA_FILE_BYTES:,} bytes a data file may hold; nothing was written",
                    "check that the file's records are what you meant to import (a quote left open makes "
                    "huge texts); import fewer records at a time with --state or --session",
                )
            )
    return out


def door_problems(fmt: str, source: SourceFile, options: ReadOptions) -> list[Problem]:
    """What the shared input checks find in ``source`` before its reader parses it."""
    if limits.is_zip(source.data):  # any zip, whatever its name says (a zip bomb named .doc included)
        return limits.zip_problems(source.data, source.shown)
    if source.path.suffix.lower() in (".docx", ".xlsx", ".xlsm"):
        return []  # not a zip: its reader says so
    if fmt not in ("upr-info", "uhri"):
        return []
    encoding = (legacy_encoding(source.data, options.encoding) if fmt == "upr-info" else None) or options.encoding
    try:
        text = source.data.decode(encoding).removeprefix("\ufeff")
    except (LookupError, UnicodeDecodeError):
        return []  # the reader reports the encoding, located
    if fmt == "upr-info":
        return limits.csv_problems(text.replace("\r\n", "\n").replace("\r", "\n"), source.shown)
    return limits.json_problems(text, source.shown)


def run_import(
    fmt: str, path: Path, options: ReadOptions, today: dt.date | None = None, dry_run: bool = False
) -> ImportReport:
    """Read, merge and write one file; raises :class:`DataError` with every problem, writing nothing.

    A real import holds the project's lock (:func:`.writer.data_lock`) from reading the data it
    merges into until its files are written; a dry run takes no lock.
    """
    lock = contextlib.nullcontext() if dry_run else data_lock(options.data_dir)
    with lock:
        with _gc_paused(), limits.data_root(options.data_dir):
            result = read(fmt, path, options)
            early = oversized_reviews(result)
            if early:
                raise DataError(early, footer="Nothing was imported.")
            files, report = plan_import(result, options.data_dir, today or dt.date.today())
        too_large = limits.output_problems(files, result.source.at())
        if too_large:
            raise DataError(too_large, footer="Nothing was imported.")
        if not dry_run:
            commit(files, options.data_dir.resolve().parent)
    return report


def report_lines(report: ImportReport, dry_run: bool = False) -> list[str]:
    """What an import did, for the command line: per review, then the labels left unmapped, with counts."""
    lines = [p.format() for p in report.warnings]
    verb = "would change" if dry_run else "wrote"
    for r in report.reviews:
        state = "new" if r.created else "updated" if r.files else "unchanged"
        detail = f"{r.added} added, {r.updated} updated, {r.unchanged} unchanged"
        if r.gone:
            detail += f", {len(r.gone)} gone upstream (kept)"
        files = f"; {verb} " + ", ".join(p.name for p in r.files) if r.files else ""
        lines.append(f"{r.id}: {state} ({detail}){files}")
    if report.unmapped:
        lines.append(f"Unmapped labels ({len(report.unmapped)}; kept on the records as 'unmapped'):")
        for (system, kind, label), n in sorted(report.unmapped.items(), key=lambda kv: (-kv[1], kv[0])):
            lines.append(f"  {n:6d}  {system} {kind}: {label}")
        lines.append("  hint: add the label to a term's 'equivalents' in data/vocabularies/ to map it")
    if report.unmatched_states:
        lines.append("Recommending States with no ISO 3166 code (kept by name):")
        for name, n in sorted(report.unmatched_states.items(), key=lambda kv: (-kv[1], kv[0])):
            lines.append(f"  {n:6d}  {name}")
        lines.append(
            "  hint: a State's other or former name goes in its 'aliases' or 'former' in "
            "src/uprkb/importers/states.yaml; anything else in the parenthesis is not a State: check the document"
        )
    total = len(report.reviews)
    lines.append(
        f"{'Dry run: ' if dry_run else ''}{report.records} record(s) from {report.file} into {total} review(s)."
    )
    return lines
