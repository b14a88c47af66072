"""The one writer every importer shares: merge records into ``data/reviews/<id>/`` as reviewable YAML.

* Gather, then write: every file is merged and validated in memory first; any
  problem (in the input or in an existing file) is reported, all at once, and
  nothing is written.
* Re-importing the same input gives byte-identical files (the import date of a
  file whose SHA-256 is unchanged is kept).
* Re-importing changed input updates the upstream fields the format gives and keeps
  every other field (``notes``, ``tags`` and whatever editors added).
* Records gone upstream are reported, never deleted.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from uprkb.core.errors import DataError, Location, Problem, Problems, UserError, display_path
from uprkb.core.yamlout import dump
from uprkb.importers.base import ImportedRecord, ImportedReview, ImportResult
from uprkb.importers.fastcheck import twin
from uprkb.load.loader import load_file
from uprkb.load.problems import model_problems
from uprkb.model.refs import REC_OFFICIAL_RE
from uprkb.model.reviews import ImportFormat, ReceivedRecommendation, ReceivedRecommendations, Review

REVIEW_HEADER = "# yaml-language-server: $schema=../../../schema/review.schema.json\n"
RECS_HEADER = "# yaml-language-server: $schema=../../../schema/recommendations.schema.json\n"
_FORMAT_ORDER = {f.value: i for i, f in enumerate(ImportFormat)}
#: Which source's word on a position counts: the addendum itself, then the lists derived from it.
POSITION_RANK = {"responses": 3, "ohchr-matrix": 2, "uhri": 2, "wg-report": 1, "upr-info": 1}
POSITION_FIELDS = ("position", "claim", "position_source")
_REC_FIELDS = list(ReceivedRecommendation.model_fields)
_FAST_REC = twin(ReceivedRecommendation)
_FAST_REVIEW = twin(Review)
_FAST_RECS: TypeAdapter[list[Any]] = TypeAdapter(list[_FAST_REC])  # type: ignore[valid-type]


@dataclass
class ReviewChange:
    """What an import did to one review."""

    id: str
    created: bool = False
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    gone: list[str] = field(default_factory=list)
    unlisted: list[str] = field(default_factory=list)
    """Records of the review that an update-only file (an addendum) gives no position."""
    files: list[Path] = field(default_factory=list)
    """The files whose text changed (written unless it was a dry run)."""


@dataclass
class ImportReport:
    """The outcome of one import, for the command line to print."""

    format: ImportFormat
    file: str
    reviews: list[ReviewChange] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    unmapped: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    unmatched_states: Counter[str] = field(default_factory=Counter)
    records: int = 0

    @property
    def written(self) -> list[Path]:
        return [p for r in self.reviews for p in r.files]


def _load(path: Path, model: type[Any], problems: Problems) -> Any:
    """An existing data file, checked by the model's twin (fast); by the model itself, for located
    problems, only when the twin refuses it."""
    shown = display_path(path)
    data = load_file(path, shown, problems)
    if data is None:
        return None
    try:
        return twin(model).model_validate(data)
    except ValidationError:
        pass
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        model_problems(exc, data, model, shown, problems)
        return None


def _rec_dump(rec: Any) -> dict[str, Any]:
    """A record's canonical form: JSON values, defaults left out, ``position`` always shown."""
    d: dict[str, Any] = rec.model_dump(mode="json", exclude_defaults=True)
    if "position" not in d:
        d["position"] = rec.position.value
        d = {k: d[k] for k in _REC_FIELDS if k in d}
    return d


def _error_text(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors(include_url=False):
        loc = ".".join(str(p) for p in err["loc"]) or "(record)"
        parts.append(f"{loc}: {err['msg'].removeprefix('Value error, ')}")
    return "; ".join(parts)


def _merge_record(
    old: dict[str, Any] | None, new: ImportedRecord, fmt: ImportFormat, conflicts: list[tuple[str, str]]
) -> dict[str, Any]:
    """The record with the import's upstream fields applied; other fields (editorial ones) are kept.

    A position stated by a higher-ranked source (the addendum) is not overwritten by a
    lower one (OHCHR's matrix, UHRI); a disagreement is noted in ``conflicts``. Where the
    higher source stated none (``unknown``), the lower one's position is kept. Once the
    Working Group report wrote a record, its text stays the record's text.
    """
    if old is None:
        merged = {k: v for k, v in new.fields.items() if v is not None}
        merged["provenance"] = [fmt.value]
        return merged
    merged = dict(old)
    provenance = merged.get("provenance", [])
    # A higher-ranked source outranks this one only where it stated a position.
    stated = merged.get("position", "unknown") != "unknown"
    outranked = stated and any(POSITION_RANK[f] > POSITION_RANK[fmt.value] for f in provenance)
    # The report's text is the record's text: the lists derived from it do not reword it.
    text_kept = "wg-report" in provenance and fmt is not ImportFormat.wg_report
    for key, value in new.fields.items():
        if text_kept and key == "text":
            continue
        if outranked and key in POSITION_FIELDS:
            if key == "position" and value != merged.get("position", "unknown"):
                conflicts.append((merged.get("position", "unknown"), value))
            continue
        if key == "upstream" and isinstance(merged.get("upstream"), dict) and isinstance(value, dict):
            merged["upstream"] = {**merged["upstream"], **value}
        elif key == "unmapped":
            systems = {u["system"] for u in value}
            kept = [u for u in merged.get("unmapped", []) if u["system"] not in systems]
            merged["unmapped"] = kept + list(value)
        else:
            merged[key] = value
    formats = set(merged.get("provenance", [])) | {fmt.value}
    merged["provenance"] = sorted(formats, key=_FORMAT_ORDER.__getitem__)
    return merged


def _order_key(rid: str) -> tuple[int, ...]:
    return tuple(int(p) for p in rid.split("."))


class _ReviewMerge:
    def __init__(self, data_dir: Path, imported: ImportedReview, result: ImportResult, today: dt.date) -> None:
        self.folder = data_dir / "reviews" / imported.id
        self.imported = imported
        self.result = result
        self.today = today
        self.change = ReviewChange(imported.id)

    def run(self, problems: Problems, out: dict[Path, str]) -> None:
        """Merge the imported review into the one on disk, in phases; what changed goes into ``out``."""
        imp = self.imported
        review_path = self.folder / "review.yaml"
        recs_path = self.folder / "recommendations.yaml"
        existing = self._existing(review_path, recs_path, problems)
        if existing is None:
            return
        old_review, old_recs = existing
        fmt = self.result.format
        old_by_id = {r.id: _rec_dump(r) for r in old_recs}
        order = [r.id for r in old_recs]
        merged: dict[str, dict[str, Any]] = dict(old_by_id)
        before = len(problems.errors)
        pending, seen = self._pending(old_by_id, problems)
        for rec, old, dumped in self._validate(pending, problems):
            rid = rec.id
            if old is None:
                self.change.added += 1
                order.append(rid)
            elif dumped != old:
                self.change.updated += 1
            else:
                self.change.unchanged += 1
            merged[rid] = dumped
        if len(problems.errors) > before:
            return
        if imp.update_only:
            self.change.unlisted = [rid for rid in order if rid not in seen]
        if imp.complete:
            for rid in order:
                if rid not in seen and fmt.value in merged[rid].get("provenance", []):
                    self.change.gone.append(rid)
        if all(REC_OFFICIAL_RE.fullmatch(rid) for rid in order):
            order.sort(key=_order_key)
        review = self._review(old_review, len(imp.records), problems)
        if review is None:
            return
        recs_doc = {"review": imp.id, "recommendations": [merged[rid] for rid in order]}
        for path, header, doc in ((review_path, REVIEW_HEADER, review), (recs_path, RECS_HEADER, recs_doc)):
            text = dump(doc, header)
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                out[path] = text
                self.change.files.append(path)

    def _existing(
        self, review_path: Path, recs_path: Path, problems: Problems
    ) -> tuple[Review | None, list[ReceivedRecommendation]] | None:
        """The review on disk and its records (none for a new review); ``None`` when the import cannot go on."""
        if review_path.exists():
            old_review = _load(review_path, Review, problems)
            old_recs: list[ReceivedRecommendation] = []
            if recs_path.exists():
                loaded = _load(recs_path, ReceivedRecommendations, problems)
                old_recs = loaded.recommendations if loaded else []
            return None if old_review is None else (old_review, old_recs)
        if self.imported.update_only:
            problems.add(
                self.result.source.at(),
                "unknown-review",
                f"the review '{self.imported.id}' is not in the data yet, so there is nothing to add positions to",
                "import the Working Group report (import wg-report) or UPR Info's export first",
            )
            return None
        self.change.created = True
        return None, []

    def _pending(
        self, old_by_id: dict[str, dict[str, Any]], problems: Problems
    ) -> tuple[list[tuple[ImportedRecord, dict[str, Any] | None, dict[str, Any], list[tuple[str, str]]]], set[str]]:
        """Each imported record merged with the one on disk (not yet validated), and the IDs the import gives."""
        imp = self.imported
        seen: set[str] = set()
        pending: list[tuple[ImportedRecord, dict[str, Any] | None, dict[str, Any], list[tuple[str, str]]]] = []
        for rec in imp.records:
            rid = rec.id
            if rid in seen:
                problems.add(
                    rec.where,
                    "duplicate-id",
                    f"the recommendation ID '{rid}' is given twice in this file",
                    "each recommendation appears once; check the numbering",
                )
                continue
            seen.add(rid)
            old = old_by_id.get(rid)
            if old is None and imp.update_only:
                problems.add(
                    rec.where,
                    "unknown-reference",
                    f"recommendation {rid} is not in the review '{imp.id}'",
                    f"check the number against data/reviews/{imp.id}/recommendations.yaml",
                )
                continue
            conflicts: list[tuple[str, str]] = []
            pending.append((rec, old, _merge_record(old, rec, self.result.format, conflicts), conflicts))
        return pending, seen

    def _validate(
        self,
        pending: list[tuple[ImportedRecord, dict[str, Any] | None, dict[str, Any], list[tuple[str, str]]]],
        problems: Problems,
    ) -> list[tuple[ImportedRecord, dict[str, Any] | None, dict[str, Any]]]:
        """Validate the merged records in one call (one by one, to locate them, when any fails)."""
        try:
            models = _FAST_RECS.validate_python([m for _, _, m, _ in pending])
        except ValidationError:
            models = []
            for rec, _, data, _ in pending:
                try:
                    models.append(_FAST_REC.model_validate(data))
                except ValidationError as exc:
                    problems.add(
                        rec.where, "invalid-value", f"recommendation {rec.id}: {_error_text(exc)}", "correct the input"
                    )
            return []
        out = []
        for (rec, old, _, conflicts), dumped in zip(
            pending, _FAST_RECS.dump_python(models, mode="json", exclude_defaults=True), strict=True
        ):
            for kept, given in conflicts:
                problems.warn(
                    rec.where,
                    "position-conflict",
                    f"this file gives recommendation {rec.id} the position '{given}', but the addendum says '{kept}'",
                    "the addendum's position is kept; check which source is wrong",
                )
            if "position" not in dumped:
                dumped["position"] = "unknown"
                dumped = {k: dumped[k] for k in _REC_FIELDS if k in dumped}
            out.append((rec, old, dumped))
        return out

    def _review(self, old: Review | None, count: int, problems: Problems) -> dict[str, Any] | None:
        imp = self.imported
        merged: dict[str, Any] = old.model_dump(mode="json", exclude_defaults=True) if old else {}
        for key, value in imp.review.items():
            if value is None:
                continue
            if isinstance(value, dict) and isinstance(merged.get(key), dict):
                merged[key] = {**merged[key], **{k: v for k, v in value.items() if v is not None}}
            else:
                merged[key] = value
        source = self.result.source
        fmt = self.result.format.value
        imports = list(merged.get("imports", []))
        entry = {
            "format": fmt,
            "file": source.path.name,
            "sha256": source.sha256,
            "imported": self.today.isoformat(),
            "records": count,
        }
        for i, prev in enumerate(imports):
            if prev["format"] == fmt and prev["file"] == source.path.name:
                if prev["sha256"] == source.sha256:
                    entry["imported"] = prev["imported"]
                imports[i] = entry
                break
        else:
            imports.append(entry)
        merged["imports"] = imports
        try:
            review = _FAST_REVIEW.model_validate(merged)
        except ValidationError as exc:
            problems.add(source.at(), "invalid-value", f"review {imp.id}: {_error_text(exc)}", "correct the input")
            return None
        return review.model_dump(mode="json", exclude_defaults=True)


def plan_import(result: ImportResult, data_dir: Path, today: dt.date) -> tuple[dict[Path, str], ImportReport]:
    """Every file the import would write (path → text), and what it would change; raises on any problem."""
    problems = Problems()
    problems.extend(result.problems)
    report = ImportReport(
        result.format,
        result.source.shown,
        unmapped=result.unmapped,
        unmatched_states=result.unmatched_states,
    )
    out: dict[Path, str] = {}
    if not result.reviews and not problems.errors:
        problems.add(
            result.source.at(),
            "no-records",
            "the file holds no recommendation that this import selects",
            "check the file and the --state / --session options",
        )
    # Merge even when the reader found problems, so every problem shows in one run.
    for imported in result.reviews:
        merge = _ReviewMerge(data_dir, imported, result, today)
        merge.run(problems, out)
        report.reviews.append(merge.change)
        report.records += len(imported.records)
    if problems.errors:
        raise DataError(problems.items, footer="Nothing was imported.")
    for change in report.reviews:
        if change.gone:
            shown = ", ".join(change.gone[:10]) + (" …" if len(change.gone) > 10 else "")
            problems.warn(
                Location.of(data_dir / "reviews" / change.id / "recommendations.yaml"),
                "gone-upstream",
                f"{len(change.gone)} recommendation(s) of '{change.id}' are no longer in {result.source.shown}: "
                f"{shown}; they are kept",
                "check whether they were withdrawn upstream; delete them by hand if so",
            )
        if change.unlisted:
            shown = ", ".join(change.unlisted[:10]) + (" …" if len(change.unlisted) > 10 else "")
            problems.warn(
                result.source.at(),
                "no-position",
                f"{len(change.unlisted)} recommendation(s) of '{change.id}' are not in this file: {shown}",
                "their positions are left as they were; check the file for a missed ID",
            )
    report.warnings = problems.warnings
    return out, report


def data_lock(data_dir: Path, what: str = "import") -> contextlib.AbstractContextManager[None]:
    """The project's lock (:func:`uprkb.core.lock.project_lock`) on the folder that holds ``data_dir``.

    With the default data folder that is the project's root, the lock the build holds, so an
    import never writes while a build reads, nor two imports write the same files at once.
    """
    from uprkb.core.lock import project_lock

    return project_lock(data_dir.resolve().parent, what)


def commit(files: dict[Path, str], staging: Path | None = None) -> None:
    """Write every file: all of them to temporary files first, then each moved into place.

    With ``staging`` (the folder holding the data folder: outside it, on the same disk) the
    temporary files live there, so no temporary or partial file ever stands in the data
    folder; otherwise (or when that folder cannot be written) each is staged beside its target.
    """
    staged: list[tuple[Path, str]] = []
    umask = os.umask(0)
    os.umask(umask)
    stage: str | None = None
    if staging is not None:
        with contextlib.suppress(OSError):
            stage = tempfile.mkdtemp(prefix=".uprkb-import-", dir=staging)
    try:
        for path, text in sorted(files.items()):
            if stage is None:
                path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".import-", suffix=".tmp", dir=stage or path.parent)
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
            os.chmod(tmp, 0o666 & ~umask)
            staged.append((path, tmp))
        for path, tmp in staged:
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.replace(tmp, path)
            except OSError as exc:
                if exc.errno != errno.EXDEV:
                    raise
                # The staging folder is on another disk: copy beside the target, then rename.
                fd, near = tempfile.mkstemp(prefix=".import-", suffix=".tmp", dir=path.parent)
                os.close(fd)
                try:
                    shutil.copyfile(tmp, near)
                    os.chmod(near, 0o666 & ~umask)
                    os.replace(near, path)
                finally:
                    if os.path.exists(near):
                        os.unlink(near)
    finally:
        for _path, tmp in staged:
            if os.path.exists(tmp):
                os.unlink(tmp)
        if stage is not None:
            shutil.rmtree(stage, ignore_errors=True)


def write_new_folder(folder: Path, texts: dict[Path, str], data_dir: Path) -> None:
    """Write a new folder of files (``texts``: path inside ``folder`` → text) in one rename.

    The folder is staged beside the data folder (as :func:`commit` stages files), so nothing
    temporary ever stands in ``data/``; beside the target when that place cannot be written or
    lies on another disk. The project's lock is held from the last existence check to the rename;
    a folder that exists is never overwritten.
    """
    with data_lock(data_dir):
        if folder.exists():
            raise UserError(
                f"the folder {folder} already exists; an import never overwrites",
                hint="choose another ID, or move the existing folder away first",
                where=folder,
            )
        folder.parent.mkdir(parents=True, exist_ok=True)
        try:
            stage = Path(tempfile.mkdtemp(prefix=".uprkb-import-", dir=data_dir.resolve().parent))
        except OSError:
            stage = Path(tempfile.mkdtemp(prefix=f".{folder.name}-import-", dir=folder.parent))
        try:
            staged = stage / folder.name
            for target, text in texts.items():
                out = staged / target.relative_to(folder)
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_text(text, encoding="utf-8")
            try:
                os.rename(staged, folder)
            except OSError as exc:
                if exc.errno != errno.EXDEV:
                    raise
                # The staging folder is on another disk: copy beside the target, then rename.
                near = Path(tempfile.mkdtemp(prefix=f".{folder.name}-import-", dir=folder.parent))
                try:
                    shutil.copytree(staged, near / folder.name)
                    os.rename(near / folder.name, folder)
                finally:
                    shutil.rmtree(near, ignore_errors=True)
        finally:
            shutil.rmtree(stage, ignore_errors=True)
