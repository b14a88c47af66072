"""Find the data files, load each safely and validate it against its model.

Layout of the data folder::

    data/
      vocabularies/{themes,affected-persons,sdgs,instruments}.yaml
      submissions/<submission-id>/submission.yaml
      submissions/<submission-id>/sections/NN-<slug>.yaml

Anything else in ``data/`` (office lock files, editor swap files, documents) is
ignored with a warning and never reaches the site. Model errors become
located problems in :mod:`uprkb.load.problems`.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from uprkb.core import cache as _cache
from uprkb.core import limits
from uprkb.core.errors import Location, Problems, display_path
from uprkb.load.loader import LDict, LList, load_file
from uprkb.load.problems import model_problems
from uprkb.model.ohchr import OhchrRules, UprCalendar
from uprkb.model.records import (
    ActionCategoryVocabulary,
    InstrumentVocabulary,
    Model,
    SdgVocabulary,
    Section,
    Submission,
    TermVocabulary,
    WordLimitVocabulary,
)
from uprkb.model.reviews import ReceivedRecommendation, ReceivedRecommendations, Review, ReviewData
from uprkb.model.summary import StakeholderSummary

_cache.register_tree(LDict, LList)

VOCABULARY_FILES: dict[str, type[Model]] = {
    "themes": TermVocabulary,
    "affected-persons": TermVocabulary,
    "sdgs": SdgVocabulary,
    "instruments": InstrumentVocabulary,
    "action-categories": ActionCategoryVocabulary,
    "ohchr-limits": WordLimitVocabulary,
    "ohchr-rules": OhchrRules,
    "upr-calendar": UprCalendar,
}
OPTIONAL_VOCABULARIES = frozenset({"action-categories", "ohchr-limits", "ohchr-rules", "upr-calendar"})
"""Editorial rules kept as data; without them the verb check is skipped and the built-in limits apply
(without ``ohchr-rules`` no OHCHR rule is checked, without ``upr-calendar`` no session is known)."""
SECTION_FILE = re.compile(r"^(\d{2})-[a-z0-9]+(?:-[a-z0-9]+)*\.yaml$")


@dataclass
class SubmissionData:
    """One submission folder, validated file by file."""

    submission: Submission
    sections: list[Section]
    folder: Path


@dataclass
class Dataset:
    """Everything read from the data folder, before cross-references are checked."""

    root: Path
    themes: TermVocabulary | None = None
    affected_persons: TermVocabulary | None = None
    sdgs: SdgVocabulary | None = None
    instruments: InstrumentVocabulary | None = None
    action_categories: ActionCategoryVocabulary | None = None
    ohchr_limits: WordLimitVocabulary | None = None
    ohchr_rules: OhchrRules | None = None
    upr_calendar: UprCalendar | None = None
    submissions: list[SubmissionData] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    failed_ids: set[str] = field(default_factory=set)
    """IDs of records in files that failed validation (their references are not checked again)."""
    failed_vocabularies: set[str] = field(default_factory=set)
    reviews: list[ReviewData] = field(default_factory=list)
    """The reviews under ``data/reviews/``, each validated file by file."""
    salvaged: set[str] = field(default_factory=set)
    """Section files (as displayed) that failed validation and are kept in part (see :func:`salvage`)."""


def _is_stray(path: Path) -> str | None:
    name = path.name
    if name.startswith("~$") or name.startswith(".~lock"):
        return "an office lock file"
    if name.startswith(".") or name.endswith(("~", ".swp", ".swo", ".bak", ".tmp")):
        return "a hidden, backup or editor swap file"
    if path.suffix == ".yml":
        return "a '.yml' file (data files end in '.yaml')"
    if path.suffix != ".yaml":
        return f"not a data file ({path.suffix or 'no extension'})"
    return None


def validate_file(
    path: Path,
    model: type[Model],
    problems: Problems,
    failed: set[str] | None = None,
    site_url: str | None = None,
    salvaged: list[Any] | None = None,
) -> Any:
    """Load one file and validate it against ``model``; ``None`` when it has errors.

    When the file fails, the top-level ``id`` it declares (if readable) goes into ``failed``,
    and, given a ``salvaged`` list, the part of it that validates goes there (:func:`salvage`).
    Inside :func:`uprkb.core.cache.using`, a file that validated cleanly with the same bytes,
    model and code is taken from the validated-file cache instead.
    """
    from uprkb.core.cache import active

    store = active()
    validate = functools.partial(_validate_file, site_url=site_url, salvaged=salvaged)
    if store is not None:
        return store.validate(path, model, problems, failed, validate)
    return validate(path, model, problems, failed)


def _validate_file(
    path: Path,
    model: type[Model],
    problems: Problems,
    failed: set[str] | None = None,
    site_url: str | None = None,
    salvaged: list[Any] | None = None,
) -> Any:
    shown = display_path(path)
    before = len(problems.errors)
    data = load_file(path, shown, problems)
    if failed is not None and isinstance(data, dict):
        failed.update(_declared_ids(data))
    if len(problems.errors) > before or data is None:
        if failed is not None and data is None:
            failed.add(path.stem[3:] if SECTION_FILE.fullmatch(path.name) else path.stem)
        return None
    if not isinstance(data, LDict):
        problems.add(
            Location(shown, 1, 1),
            "wrong-type",
            "the file must hold a mapping of 'field: value' lines at the top level",
            "see docs/editing.md for what this file holds",
        )
        return None
    try:
        record = model.model_validate(data)
    except ValidationError as exc:
        model_problems(exc, data, model, shown, problems, site_url)
        if salvaged is not None:
            part = salvage(data, model, exc)
            if part is not None:
                salvaged.append(part)
        return None
    if failed is not None and isinstance(data, dict):
        failed.difference_update(_declared_ids(data))
    return record


SALVAGE_ROUNDS = 12


def salvage(data: LDict, model: type[Model], exc: ValidationError) -> Model | None:
    """The part of a file that failed validation that does validate, so its references are checked in the
    same run as its field errors (``None`` when nothing useful is left).

    Each round mends the raw data where the errors point and validates again: an unknown field is dropped;
    an invalid item of a list is dropped; an invalid enumerated value is replaced by a stand-in (the first
    allowed value, so the record's other fields are still checked); any other invalid field is dropped, and
    a record that then lacks a required field is dropped from its list. The raw data is changed in place
    (its problems are already reported). The result is never published: the file's errors stop the build.
    """
    for _ in range(SALVAGE_ROUNDS):
        removals: dict[int, tuple[LList, set[int]]] = {}
        for error in exc.errors():
            if not _mend(data, error, removals):
                return None
        for items, indexes in removals.values():
            for i in sorted(indexes, reverse=True):
                del items[i]
                if i < len(items.item_marks):
                    del items.item_marks[i]
        try:
            return model.model_validate(data)
        except ValidationError as again:
            exc = again
    return None


def _mend(data: LDict, error: Any, removals: dict[int, tuple[LList, set[int]]]) -> bool:
    """Mend the raw data where one error points; ``False`` when the file cannot be mended."""
    trail: list[Any] = [data]
    keys: list[Any] = []
    node: Any = data
    loc = list(error["loc"])
    for n, key in enumerate(loc):
        last = n == len(loc) - 1
        if isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node):
            node = node[key]
        elif isinstance(node, dict) and isinstance(key, str) and (key in node or last):
            if last:
                keys.append(key)
                break
            node = node[key]
        else:
            continue  # a union's tag (``finding``, ``paragraph``), not a key of the data
        trail.append(node)
        keys.append(key)
    if not keys:
        return False
    kind = error["type"]
    key = keys[-1]
    parent = trail[-1] if len(trail) == len(keys) else trail[-2]
    if isinstance(parent, dict) and isinstance(key, str) and kind != "missing":
        expected = re.findall(r"'([^']+)'", str((error.get("ctx") or {}).get("expected", "")))
        if kind in ("enum", "literal_error") and expected and key in parent:
            parent[key] = expected[0]
        else:
            parent.pop(key, None)
        return True
    if isinstance(parent, list) and isinstance(key, int) and kind != "missing":
        removals.setdefault(id(parent), (parent, set()))[1].add(key)  # type: ignore[arg-type]
        return True
    # A record lacks a required field: drop the record from the list that holds it.
    for depth in range(len(trail) - 1, 0, -1):
        holder = trail[depth - 1]
        if isinstance(holder, list):
            removals.setdefault(id(holder), (holder, set()))[1].add(keys[depth - 1])  # type: ignore[arg-type]
            return True
    return False


def _declared_ids(node: Any) -> set[str]:
    """Every ``id`` value declared anywhere in raw data."""
    out: set[str] = set()
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if isinstance(item.get("id"), str):
                out.add(item["id"])
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return out


def read_reviews(root: Path, ds: Dataset, problems: Problems, expected: set[Path], site_url: str | None = None) -> None:
    """Read ``data/reviews/<id>/review.yaml`` and ``recommendations.yaml`` into ``ds.reviews``."""
    review_root = root / "reviews"
    if not review_root.is_dir():
        return
    for folder in sorted(p for p in review_root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        meta_path = folder / "review.yaml"
        recs_path = folder / "recommendations.yaml"
        summary_path = folder / "stakeholder-summary.yaml"
        expected.update((meta_path, recs_path, summary_path))
        if summary_path.exists():  # OHCHR's summary of stakeholders' submissions (import stakeholder-summary)
            ds.files.append(summary_path)
            validate_file(summary_path, StakeholderSummary, problems, site_url=site_url)
        if not meta_path.exists():
            problems.add(
                Location.of(folder),
                "missing-file",
                "the review folder has no review.yaml",
                "import the review again, or remove the folder",
            )
            continue
        ds.files.append(meta_path)
        review = validate_file(meta_path, Review, problems, site_url=site_url)
        recs: list[ReceivedRecommendation] = []
        if recs_path.exists():
            ds.files.append(recs_path)
            loaded = validate_file(recs_path, ReceivedRecommendations, problems, site_url=site_url)
            recs = loaded.recommendations if loaded is not None else []
            if loaded is not None and loaded.review != folder.name:
                problems.add(
                    loaded.field_where("review"),
                    "folder-mismatch",
                    f"the file says it belongs to the review '{loaded.review}', "
                    f"but it is in the folder '{folder.name}'",
                    f"write 'review: {folder.name}'",
                )
        if review is not None:
            ds.reviews.append(ReviewData(review, recs, folder))
        else:
            ds.failed_ids.add(folder.name)


def read_dataset(root: Path, problems: Problems, site_url: str | None = None) -> Dataset:
    """Read every data file below ``root``; problems are collected, never raised."""
    if not root.is_dir():
        return _read_dataset(root, problems, site_url)
    with limits.data_root(root):
        return _read_dataset(root, problems, site_url)


def _read_dataset(root: Path, problems: Problems, site_url: str | None = None) -> Dataset:
    ds = Dataset(root=root)
    if not root.is_dir():
        problems.add(
            Location.of(root),
            "no-data",
            f"the data folder {display_path(root)} does not exist",
            "run the command from the project folder or pass --data",
        )
        return ds
    expected: set[Path] = set()
    _read_vocabularies(root, ds, problems, expected, site_url)
    sub_root = root / "submissions"
    folders = (
        sorted(p for p in sub_root.iterdir() if p.is_dir() and not p.name.startswith(".")) if sub_root.is_dir() else []
    )
    for folder in folders:
        _read_submission(folder, ds, problems, expected, site_url)
    read_reviews(root, ds, problems, expected, site_url)
    _warn_strays(root, expected, problems)
    return ds


def _read_vocabularies(root: Path, ds: Dataset, problems: Problems, expected: set[Path], site_url: str | None) -> None:
    """The vocabulary files (two of them optional)."""
    vocab_dir = root / "vocabularies"
    for name, model in VOCABULARY_FILES.items():
        path = vocab_dir / f"{name}.yaml"
        expected.add(path)
        if not path.exists() and name in OPTIONAL_VOCABULARIES:
            continue
        if not path.exists():
            problems.add(
                Location.of(path),
                "missing-file",
                f"the vocabulary file {name}.yaml is missing",
                "restore it from version control",
            )
            continue
        ds.files.append(path)
        loaded = validate_file(path, model, problems, site_url=site_url)
        if loaded is None:
            ds.failed_vocabularies.add(name)
        setattr(ds, name.replace("-", "_"), loaded)


def _read_submission(folder: Path, ds: Dataset, problems: Problems, expected: set[Path], site_url: str | None) -> None:
    """One submission folder: its ``submission.yaml`` and its section files."""
    meta_path = folder / "submission.yaml"
    expected.add(meta_path)
    if not meta_path.exists():
        problems.add(
            Location.of(folder),
            "missing-file",
            "the submission folder has no submission.yaml",
            "add the metadata file or remove the folder",
        )
        return
    ds.files.append(meta_path)
    meta = validate_file(meta_path, Submission, problems, site_url=site_url)
    sections: list[Section] = []
    for path in sorted((folder / "sections").glob("*.yaml")):
        if _is_stray(path):
            continue
        expected.add(path)
        if not SECTION_FILE.fullmatch(path.name):
            problems.add(
                Location.of(path),
                "file-name",
                f"section file name '{path.name}' does not follow 'NN-slug.yaml'",
                "name it like '02-right-to-life.yaml'",
            )
            continue
        ds.files.append(path)
        salvaged: list[Any] = []
        section = validate_file(path, Section, problems, ds.failed_ids, site_url, salvaged)
        if section is not None:
            sections.append(section)
        elif salvaged:
            # Checked in part, so its references show with its field errors in one run.
            sections.append(salvaged[0])
            ds.salvaged.add(display_path(path))
    if meta is None:
        # Keep checking the sections against a stand-in, so all problems show at once.
        meta = Submission.model_construct(id=folder.name, title=folder.name, sections=[])
        ds.failed_ids.add(folder.name)
        ds.submissions.append(SubmissionData(meta, sections, folder))
    else:
        if meta.id != folder.name:
            problems.add(
                meta.field_where("id"),
                "folder-mismatch",
                f"the submission id '{meta.id}' differs from its folder name '{folder.name}'",
                f"rename the folder to '{meta.id}' or change the id",
            )
        ds.submissions.append(SubmissionData(meta, sections, folder))


def _warn_strays(root: Path, expected: set[Path], problems: Problems) -> None:
    """Every file in the data folder that is not part of its layout: a warning, never published."""
    for path in sorted(root.rglob("*")):
        if path.is_file() and path not in expected:
            why = _is_stray(path) or "not part of the data layout"
            problems.warn(
                Location.of(path),
                "stray-file",
                f"ignored: {why}",
                "move it out of data/; it is never copied to the site",
            )
