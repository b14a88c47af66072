"""Stage 2, model: find the data files, load each safely and validate it against its model.

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

from . import limits
from .errors import Location, Problems, display_path
from .loader import LDict, LList, load_file
from .models import (
    ActionCategoryVocabulary,
    InstrumentVocabulary,
    Model,
    SdgVocabulary,
    Section,
    Submission,
    TermVocabulary,
    WordLimitVocabulary,
)
from .reviews import ReceivedRecommendation, ReceivedRecommendations, Review, ReviewData

VOCABULARY_FILES: dict[str, type[Model]] = {
    "themes": TermVocabulary,
    "affected-persons": TermVocabulary,
    "sdgs": SdgVocabulary,
    "instruments": InstrumentVocabulary,
    "action-categories": ActionCategoryVocabulary,
    "ohchr-limits": WordLimitVocabulary,
}
OPTIONAL_VOCABULARIES = frozenset({"action-categories", "ohchr-limits"})
"""Editorial rules kept as data; without them the verb check is skipped and the built-in limits apply."""
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
    submissions: list[SubmissionData] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    failed_ids: set[str] = field(default_factory=set)
    """IDs of records in files that failed validation (their references are not checked again)."""
    failed_vocabularies: set[str] = field(default_factory=set)
    reviews: list[ReviewData] = field(default_factory=list)
    """The reviews under ``data/reviews/``, each validated file by file."""


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


#: How each record kind is named in messages, as an editor knows it.
KIND_NAMES: dict[str, str] = {
    "Submission": "submission",
    "Section": "section",
    "Paragraph": "paragraph",
    "QuoteBlock": "quotation",
    "TextList": "list",
    "FindingBlock": "finding block",
    "FindingList": "findings list",
    "RecommendationList": "recommendations list",
    "Finding": "finding",
    "Recommendation": "recommendation",
    "Source": "source",
    "Event": "event",
    "Figure": "figure",
    "Quote": "quotation",
    "StatusChange": "implementation entry",
    "PreviousRecommendation": "earlier recommendation",
    "Organisation": "organisation",
    "StateUnderReview": "State under review",
    "UnDocument": "UN document",
    "Term": "vocabulary term",
    "TermVocabulary": "vocabulary",
    "VocabularySource": "vocabulary source",
    "SdgVocabulary": "SDG vocabulary",
    "SdgGoal": "SDG goal",
    "SdgTarget": "SDG target",
    "InstrumentVocabulary": "instruments vocabulary",
    "Instrument": "instrument",
    "Provision": "provision",
}


def kind_name(cls: type[BaseModel]) -> str:
    """The record kind of a model class in an editor's words."""
    return KIND_NAMES.get(cls.__name__, cls.__name__.lower())


@dataclass(frozen=True)
class Step:
    """One record passed on the way down a pydantic error location."""

    model: type[BaseModel]
    node: Any
    written: tuple[str | int, ...]
    """The keys and indexes as written in the file from the root to this record (tags left out)."""


def _trail(root: type[BaseModel], data: Any, loc: tuple[Any, ...]) -> list[Step]:
    """The records a pydantic location passes through, each with its model class.

    The class at each place is chosen from the data actually there (a body block
    by its own ``type``), never from a neighbour; discriminator tags that pydantic
    puts into locations are skipped, so ``written`` reads as the file does.
    """
    steps = [Step(root, data, ())]
    candidates: list[type[BaseModel]] = [root]
    node = data
    written: tuple[str | int, ...] = ()
    for part in loc:
        if isinstance(part, int):
            node = node[part] if isinstance(node, list) and 0 <= part < len(node) else None
            written += (part,)
            cls = _pick(candidates, node)
            if cls is not None and isinstance(node, dict):
                steps.append(Step(cls, node, written))
            continue
        cls = _pick(candidates, node)
        if cls is None:
            break
        if part not in cls.model_fields:
            continue  # a discriminator tag or a union member's name
        written += (part,)
        candidates = [
            t for t in _unwrap(cls.model_fields[part].annotation) if isinstance(t, type) and issubclass(t, BaseModel)
        ]
        node = node.get(part) if isinstance(node, dict) else None
        if not candidates:
            break
        picked = _pick(candidates, node)
        if picked is not None and isinstance(node, dict):
            steps.append(Step(picked, node, written))
    return steps


def _model_at(root: type[BaseModel], data: Any, loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model class whose field set applies at ``loc`` (for 'did you mean')."""
    steps = _trail(root, data, loc)
    last = steps[-1]
    return last.model if last.written == _written(root, data, loc) else None


def _written(root: type[BaseModel], data: Any, loc: tuple[Any, ...]) -> tuple[str | int, ...]:
    """``loc`` as written in the file: pydantic's discriminator tags left out."""
    out: tuple[str | int, ...] = ()
    candidates: list[type[BaseModel]] = [root]
    node = data
    for part in loc:
        if isinstance(part, int):
            node = node[part] if isinstance(node, list) and 0 <= part < len(node) else None
            out += (part,)
            continue
        cls = _pick(candidates, node)
        if cls is not None and part not in cls.model_fields:
            continue  # a discriminator tag
        out += (part,)
        if cls is None:
            candidates = []
            node = None
            continue
        candidates = [
            t for t in _unwrap(cls.model_fields[part].annotation) if isinstance(t, type) and issubclass(t, BaseModel)
        ]
        node = node.get(part) if isinstance(node, dict) else None
    return out


def _pick(candidates: list[type[BaseModel]], node: Any) -> type[BaseModel] | None:
    """The candidate class for the mapping ``node`` (by its ``type`` when several are possible)."""
    if not candidates:
        return None
    if len(candidates) == 1:
        return candidates[0]
    tag = node.get("type") if isinstance(node, dict) else None
    for c in candidates:
        f = c.model_fields.get("type")
        if f is not None and tag in typing.get_args(f.annotation):
            return c
    return None


def _record(steps: list[Step]) -> Step:
    """The innermost record on the way that has an ``id`` (else the file's root)."""
    for step in reversed(steps):
        if "id" in step.model.model_fields and isinstance(step.node, dict) and isinstance(step.node.get("id"), str):
            return step
    return steps[0]


def _owner_words(steps: list[Step], written: tuple[str | int, ...]) -> str:
    """'recommendation 'r-x', events[1].date': the record by kind and ID, then the field as written."""
    record = _record(steps)
    rest = written[len(record.written) :]
    field_path = _dotted(rest)
    ident = record.node.get("id") if isinstance(record.node, dict) else None
    if ident is None:
        return field_path if rest else "this file"
    if rest == ("id",):
        return f"the {kind_name(record.model)}'s id"
    if not rest:
        return f"{kind_name(record.model)} '{ident}'"
    return f"{kind_name(record.model)} '{ident}', {field_path}"


def _a(noun: str) -> str:
    return ("an " if noun[:1] in "aeiou" else "a ") + noun


def _suggest(word: str, names: list[str]) -> str | None:
    close = difflib.get_close_matches(word, names, n=1, cutoff=0.6)
    return close[0] if close else None


_MESSAGES = {
    "missing": "the field '{field}' is required but missing",
    "extra_forbidden": "unknown field '{field}'",
}


def model_problems(exc: ValidationError, data: Any, model: type[BaseModel], shown: str, problems: Problems) -> None:
    """Turn a pydantic ValidationError into located problems with hints."""
    from .reference import field_url, plain_doc

    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        kind = err["type"]
        where, node, _ = _locate(data, loc, Location(shown, 1, 1))
        fieldname = str(loc[-1]) if loc else ""
        steps = _trail(model, data, loc[:-1] if kind in ("extra_forbidden", "missing") else loc)
        # The location as written in the file; the last part is the field itself, known to the model or not.
        written = _written(model, data, loc)
        if kind == "extra_forbidden" and loc and written[-1:] != loc[-1:]:
            written += loc[-1:]
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
            close = _suggest(fieldname, names)
            what = _a(kind_name(owner)) if owner else "this place"
            if close:
                hint = f"did you mean '{close}'? The fields of {what} are: {', '.join(names)}"
            elif names:
                hint = f"the fields of {what} are: {', '.join(names)}"
            else:
                hint = "remove the field"
            message = _MESSAGES[kind].format(field=fieldname) + _in(steps, written[:-1])
        elif kind == "missing":
            where, _, _ = _locate(data, loc[:-1], Location(shown, 1, 1))
            message = _MESSAGES[kind].format(field=fieldname) + _in(steps, written[:-1])
            owner = _model_at(model, data, loc[:-1])
            doc = owner.model_fields[fieldname].description if owner and fieldname in owner.model_fields else None
            hint = f"add '{fieldname}:'" + (f" ({plain_doc(doc)})" if doc else "")
        elif kind == "union_tag_invalid" or kind == "union_tag_not_found":
            message = f"unknown block type{_in(steps, written)}"
            hint = "a body block's 'type' is one of: paragraph, quote, finding, findings, recommendations, list"
        else:
            message = f"{_owner_words(steps, written)}: {_clean(err['msg'])}"
            owner_step = _trail(model, data, loc[:-1])[-1] if loc and isinstance(loc[-1], str) else steps[-1]
            hint = _hint_for(kind, err)
            url = field_url(owner_step.model.__name__, fieldname if isinstance(loc[-1], str) else None)
            hint = f"{hint}; see {url}" if hint else f"see {url}"
        problems.add(where, _code(kind), message, hint)


def _in(steps: list[Step], written: tuple[str | int, ...]) -> str:
    """' in recommendation 'r-x', events[0]' — where a field problem stands, or '' at the top."""
    words = _owner_words(steps, written)
    return "" if words == "this file" else f" in {words}"


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
        "control_character": "control-character",
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
        return "the value must follow the format the data-model reference gives"
    return ""


def validate_file(path: Path, model: type[Model], problems: Problems, failed: set[str] | None = None) -> Any:
    """Load one file and validate it against ``model``; ``None`` when it has errors.

    When the file fails, the top-level ``id`` it declares (if readable) goes into ``failed``.
    Inside :func:`uprkb.cache.using`, a file that validated cleanly with the same bytes,
    model and code is taken from the validated-file cache instead.
    """
    from .cache import active

    store = active()
    if store is not None:
        return store.validate(path, model, problems, failed, _validate_file)
    return _validate_file(path, model, problems, failed)


def _validate_file(path: Path, model: type[Model], problems: Problems, failed: set[str] | None = None) -> Any:
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


def read_reviews(root: Path, ds: Dataset, problems: Problems, expected: set[Path]) -> None:
    """Read ``data/reviews/<id>/review.yaml`` and ``recommendations.yaml`` into ``ds.reviews``."""
    review_root = root / "reviews"
    if not review_root.is_dir():
        return
    for folder in sorted(p for p in review_root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        meta_path = folder / "review.yaml"
        recs_path = folder / "recommendations.yaml"
        expected.update((meta_path, recs_path))
        if not meta_path.exists():
            problems.add(
                Location.of(folder),
                "missing-file",
                "the review folder has no review.yaml",
                "import the review again, or remove the folder",
            )
            continue
        ds.files.append(meta_path)
        review = validate_file(meta_path, Review, problems)
        recs: list[ReceivedRecommendation] = []
        if recs_path.exists():
            ds.files.append(recs_path)
            loaded = validate_file(recs_path, ReceivedRecommendations, problems)
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


def read_dataset(root: Path, problems: Problems) -> Dataset:
    """Read every data file below ``root``; problems are collected, never raised."""
    if not root.is_dir():
        return _read_dataset(root, problems)
    with limits.data_root(root):
        return _read_dataset(root, problems)


def _read_dataset(root: Path, problems: Problems) -> Dataset:
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
            if not SECTION_FILE.fullmatch(path.name):
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
    read_reviews(root, ds, problems, expected)
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
