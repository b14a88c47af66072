"""Pydantic's validation errors as located problems in an editor's words.

Each error is traced back through the file's located values to the line and column
where the value was written, names the record by kind and ID ("finding 'f-2'"),
the field as written, and a hint: a "did you mean" for a misspelt field, the
fields the record has, or the field's entry on the data-model reference.
"""

from __future__ import annotations

import re
import types
import typing
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from uprkb.core.errors import Location, Problems
from uprkb.core.hints import choice_hint, close_match
from uprkb.load.loader import LDict, LList
from uprkb.model.docs import field_url, plain_doc


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
    "ReceivedRecommendation": "received recommendation",
    "ReceivedRecommendations": "recommendations file",
    "Review": "review",
    "Assessment": "assessment",
    "RecommendingState": "recommending State",
    "ImportRecord": "import record",
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
    return close_match(word, names)


_MESSAGES = {
    "missing": "the field '{field}' is required but missing",
    "extra_forbidden": "unknown field '{field}'",
}


def model_problems(
    exc: ValidationError,
    data: Any,
    model: type[BaseModel],
    shown: str,
    problems: Problems,
    site_url: str | None = None,
) -> None:
    """Turn a pydantic ValidationError into located problems with hints."""
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
            if kind == "enum":
                hint = choice_hint(
                    err.get("input"), re.findall(r"'([^']*)'", str(err.get("ctx", {}).get("expected", "")))
                )
            elif kind == "value_error" and isinstance(err.get("input"), str):
                hint = _reference_case_hint(err["input"]) or hint
            url = field_url(
                owner_step.model.__name__, fieldname if loc and isinstance(loc[-1], str) else None, site_url
            )
            hint = (f"{hint} See {url}" if hint.endswith("?") else f"{hint}; see {url}") if hint else f"see {url}"
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


def _reference_case_hint(value: str) -> str | None:
    """'KAZ-UPR2/122.60' → did you mean 'kaz-upr2/122.60'? (review IDs are lower case)."""
    from uprkb.model.refs import parse_review_ref

    if "/" not in value or value == value.lower():
        return None
    head, _, tail = value.strip().partition("/")
    fixed = f"{head.lower()}/{tail}"
    try:
        parse_review_ref(fixed)
    except ValueError:
        return None
    return f"did you mean '{fixed}'? Review IDs are written in lower case"


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
