"""Stage 2, read: find the data files, load each safely and validate it against its model.

Layout of the data folder::

    data/
      vocabularies/{themes,affected-persons,sdgs,instruments}.yaml
      submissions/<submission-id>/submission.yaml
      submissions/<submission-id>/sections/NN-<slug>.yaml

Anything else in ``data/`` (office lock files, editor swap files, documents) is
ignored with a warning and never reaches the site. Model errors are turned
into located problems with a "did you mean" hint for misspelt field names.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .errors import Location, Problems, display_path
from .loader import LDict, LList, load_file
from .models import (
    InstrumentVocabulary,
    Model,
    SdgVocabulary,
    Section,
    Submission,
    TermVocabulary,
)

VOCABULARY_FILES: dict[str, type[Model]] = {
    "themes": TermVocabulary,
    "affected-persons": TermVocabulary,
    "sdgs": SdgVocabulary,
    "instruments": InstrumentVocabulary,
}
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
    submissions: list[SubmissionData] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    failed_ids: set[str] = field(default_factory=set)
    """IDs of records in files that failed validation (their references are not checked again)."""
    failed_vocabularies: set[str] = field(default_factory=set)


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


def _locate(data: Any, loc: tuple[Any, ...], fallback: Location) -> tuple[Location, Any, bool]:
    """Follow a pydantic error location through located data.

    Returns the best location, the innermost container reached, and whether the
    whole path was found.
    """
    here = fallback
    node = data
    if isinstance(node, (LDict, LList)):
        here = node.mark
    for part in loc:
        if isinstance(node, LDict) and isinstance(part, str) and part in node:
            here = node.value_marks.get(part, here)
            node = node[part]
        elif isinstance(node, LList) and isinstance(part, int) and part < len(node):
            here = node.item_marks[part]
            node = node[part]
        elif isinstance(node, LDict) and isinstance(part, str):
            continue  # a discriminator tag or a union member name
        else:
            return here, node, False
    return here, node, True


def _unwrap(tp: Any) -> list[Any]:
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(tp)[0])
    if origin in (typing.Union, types.UnionType):
        return [t for a in typing.get_args(tp) for t in _unwrap(a)]
    if origin in (list, tuple):
        return _unwrap(typing.get_args(tp)[0])
    return [tp]


def _model_at(root: type[BaseModel], data: Any, loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model class whose field set applies at ``loc`` (for 'did you mean')."""
    cls: type[BaseModel] | None = root
    node = data
    for part in loc:
        if cls is None:
            return None
        if isinstance(part, int):
            node = node[part] if isinstance(node, list) and part < len(node) else None
            continue
        if part not in cls.model_fields:
            continue  # discriminator tag
        candidates = [
            t for t in _unwrap(cls.model_fields[part].annotation) if isinstance(t, type) and issubclass(t, BaseModel)
        ]
        node = node.get(part) if isinstance(node, dict) else None
        cls = _pick(candidates, node)
    return cls


def _pick(candidates: list[type[BaseModel]], node: Any) -> type[BaseModel] | None:
    if not candidates:
        return None
    if len(candidates) == 1:
        return candidates[0]
    item = node[0] if isinstance(node, list) and node else node
    tag = item.get("type") if isinstance(item, dict) else None
    for c in candidates:
        f = c.model_fields.get("type")
        if f is not None and tag in typing.get_args(f.annotation):
            return c
    return None


_MESSAGES = {
    "missing": "the field '{field}' is required but missing",
    "extra_forbidden": "unknown field '{field}'",
}


def model_problems(exc: ValidationError, data: Any, model: type[BaseModel], shown: str, problems: Problems) -> None:
    """Turn a pydantic ValidationError into located problems with hints."""
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        kind = err["type"]
        where, node, _ = _locate(data, loc, Location(shown, 1, 1))
        fieldname = str(loc[-1]) if loc else ""
        hint = ""
        if kind == "extra_forbidden":
            if isinstance(node, LDict) is False:
                # point at the key rather than its value
                parent, _, _ = _locate(data, loc[:-1], Location(shown, 1, 1))
                container = _container(data, loc[:-1])
                if isinstance(container, LDict) and fieldname in container.key_marks:
                    where = container.key_marks[fieldname]
                else:
                    where = parent
            owner = _model_at(model, data, loc[:-1])
            names = sorted(owner.model_fields) if owner else []
            close = difflib.get_close_matches(fieldname, names, n=1, cutoff=0.6)
            hint = (
                f"did you mean '{close[0]}'?"
                if close
                else (f"allowed fields here: {', '.join(names)}" if names else "remove the field")
            )
            message = _MESSAGES[kind].format(field=fieldname)
        elif kind == "missing":
            where, _, _ = _locate(data, loc[:-1], Location(shown, 1, 1))
            message = _MESSAGES[kind].format(field=fieldname)
            owner = _model_at(model, data, loc[:-1])
            doc = owner.model_fields[fieldname].description if owner and fieldname in owner.model_fields else None
            hint = f"add '{fieldname}:'" + (f" ({doc})" if doc else "")
        elif kind == "union_tag_invalid" or kind == "union_tag_not_found":
            message = f"unknown block type at '{_dotted(loc)}'"
            hint = "a body block's 'type' is one of: paragraph, quote, finding, findings, recommendations, list"
        else:
            message = f"'{_dotted(loc)}': {_clean(err['msg'])}"
            hint = _hint_for(kind, err)
        problems.add(where, _code(kind), message, hint)


def _container(data: Any, loc: tuple[Any, ...]) -> Any:
    node = data
    for part in loc:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
    return node


def _dotted(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(file)"


def _clean(msg: str) -> str:
    return msg.removeprefix("Value error, ").removeprefix("Assertion failed, ")


def _code(kind: str) -> str:
    return {
        "missing": "missing-field",
        "extra_forbidden": "unknown-field",
        "value_error": "invalid-value",
        "literal_error": "invalid-value",
        "enum": "invalid-choice",
        "string_pattern_mismatch": "invalid-format",
        "string_too_long": "too-long",
        "string_too_short": "too-short",
        "too_short": "too-short",
    }.get(kind, "wrong-type" if kind.endswith(("_type", "_parsing")) else "invalid-value")


def _hint_for(kind: str, err: Any) -> str:
    if kind == "enum":
        return "use one of the listed values exactly as written"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return "this must be a mapping of 'field: value' lines; check the indentation"
    if kind == "list_type":
        return "this must be a list: put each item on its own line starting with '- '"
    if kind == "string_type":
        return "this must be text; put it in double quotes"
    if kind.startswith(("int_", "bool_")):
        return "write a plain number" if kind.startswith("int_") else "write true or false"
    if kind == "string_pattern_mismatch":
        return "see the data-model reference for the expected format"
    return "see the data-model reference (docs/editing.md) for this field"


def validate_file(path: Path, model: type[Model], problems: Problems, failed: set[str] | None = None) -> Any:
    """Load one file and validate it against ``model``; ``None`` when it has errors.

    When the file fails, the top-level ``id`` it declares (if readable) goes into ``failed``.
    """
    shown = display_path(path)
    before = len(problems.errors)
    data = load_file(path, shown, problems)
    if failed is not None and isinstance(data, dict):
        failed.update(_declared_ids(data))
    if len(problems.errors) > before or data is None:
        if failed is not None and data is None:
            failed.add(path.stem[3:] if SECTION_FILE.match(path.name) else path.stem)
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
        model_problems(exc, data, model, shown, problems)
        return None
    if failed is not None and isinstance(data, dict):
        failed.difference_update(_declared_ids(data))
    return record


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


def read_dataset(root: Path, problems: Problems) -> Dataset:
    """Read every data file below ``root``; problems are collected, never raised."""
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
    vocab_dir = root / "vocabularies"
    for name, model in VOCABULARY_FILES.items():
        path = vocab_dir / f"{name}.yaml"
        expected.add(path)
        if not path.exists():
            problems.add(
                Location.of(path),
                "missing-file",
                f"the vocabulary file {name}.yaml is missing",
                "restore it from version control",
            )
            continue
        ds.files.append(path)
        loaded = validate_file(path, model, problems)
        if loaded is None:
            ds.failed_vocabularies.add(name)
        setattr(ds, name.replace("-", "_"), loaded)
    sub_root = root / "submissions"
    folders = (
        sorted(p for p in sub_root.iterdir() if p.is_dir() and not p.name.startswith(".")) if sub_root.is_dir() else []
    )
    for folder in folders:
        meta_path = folder / "submission.yaml"
        expected.add(meta_path)
        if not meta_path.exists():
            problems.add(
                Location.of(folder),
                "missing-file",
                "the submission folder has no submission.yaml",
                "add the metadata file or remove the folder",
            )
            continue
        ds.files.append(meta_path)
        meta = validate_file(meta_path, Submission, problems)
        sections: list[Section] = []
        for path in sorted((folder / "sections").glob("*.yaml")):
            if _is_stray(path):
                continue
            expected.add(path)
            if not SECTION_FILE.match(path.name):
                problems.add(
                    Location.of(path),
                    "file-name",
                    f"section file name '{path.name}' does not follow 'NN-slug.yaml'",
                    "name it like '02-right-to-life.yaml'",
                )
                continue
            ds.files.append(path)
            section = validate_file(path, Section, problems, ds.failed_ids)
            if section is not None:
                sections.append(section)
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
    for path in sorted(root.rglob("*")):
        if path.is_file() and path not in expected:
            why = _is_stray(path) or "not part of the data layout"
            problems.warn(
                Location.of(path),
                "stray-file",
                f"ignored: {why}",
                "move it out of data/; it is never copied to the site",
            )
    return ds
