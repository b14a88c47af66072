"""Importers: UPR records from other formats into reviewable YAML under ``data/reviews/``.

One reader per format (:data:`READERS`), each behind the :class:`~.base.Reader`
interface, and one shared writer (:mod:`.writer`). :func:`run_import` is what the
command line calls::

    report = run_import("upr-info", Path("export.csv"), options, today=date(2025, 5, 1))
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from uprkb.core.errors import DataError, Problems
from uprkb.importers.base import ImportResult, Reader, ReadOptions, SourceFile
from uprkb.importers.mapping import Mapper
from uprkb.importers.ohchr_matrix import OhchrMatrixReader
from uprkb.importers.responses import ResponsesReader
from uprkb.importers.uhri import UhriReader
from uprkb.importers.upr_info import UprInfoReader
from uprkb.importers.wg_report import WgReportReader
from uprkb.importers.writer import ImportReport, commit, plan_import
from uprkb.load.dataset import validate_file
from uprkb.model.records import SdgVocabulary, TermVocabulary

READERS: dict[str, type[Reader]] = {
    "upr-info": UprInfoReader,
    "wg-report": WgReportReader,
    "responses": ResponsesReader,
    "ohchr-matrix": OhchrMatrixReader,
    "uhri": UhriReader,
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
    """Read one file with the reader of ``fmt`` (nothing is written)."""
    return READERS[fmt]().read(SourceFile.open(path), options)


def run_import(
    fmt: str, path: Path, options: ReadOptions, today: dt.date | None = None, dry_run: bool = False
) -> ImportReport:
    """Read, merge and write one file; raises :class:`DataError` with every problem, writing nothing."""
    with _gc_paused():
        result = read(fmt, path, options)
        files, report = plan_import(result, options.data_dir, today or dt.date.today())
    if not dry_run:
        commit(files)
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
    total = len(report.reviews)
    lines.append(
        f"{'Dry run: ' if dry_run else ''}{report.records} record(s) from {report.file} into {total} review(s)."
    )
    return lines
