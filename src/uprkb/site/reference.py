"""The data-model reference and the error-code table, read from the models and ``CODES``.

Beside :mod:`uprkb.model.schema` because both describe the data model: the schema for
editors' tools, these pages for people. Each page's template context is a
frozen dataclass whose fields are exactly the template's variables.

The models' docstrings are written with ````code```` spans (reStructuredText
style). Here they become Markdown: a code span stays a code span (so a footnote
marker such as ``[^id]`` shows as typed), everything else is escaped text.
Defaults are shown as the YAML an editor would write (``false``, ``[]``,
``individual``), never as Python. Every field has its own anchor,
``#<model>-<field>``, which the command line's hints link to.
"""

from __future__ import annotations

import enum
import typing
from dataclasses import dataclass
from typing import Any, ClassVar

from uprkb.core import markup
from uprkb.core.errors import CODES
from uprkb.model.docs import CODE_SPAN, field_anchor
from uprkb.model.records import FILE_MODELS, Model


@dataclass(frozen=True, slots=True)
class FieldRow:
    """One field of a model as the reference table shows it (Markdown ready to print)."""

    name: str
    anchor: str
    type: str
    required: bool
    default: str
    doc: str


@dataclass(frozen=True, slots=True)
class ModelEntry:
    name: str
    anchor: str
    summary: str
    fields: list[FieldRow]


@dataclass(frozen=True, slots=True)
class DataModelContext:
    """Context of ``data_model.md.j2``."""

    TEMPLATE: ClassVar[str] = "data_model.md.j2"
    models: list[ModelEntry]


@dataclass(frozen=True, slots=True)
class CodeRow:
    code: str
    meaning: str


@dataclass(frozen=True, slots=True)
class ErrorCodesContext:
    """Context of ``error_codes.md.j2``."""

    TEMPLATE: ClassVar[str] = "error_codes.md.j2"
    codes: list[CodeRow]


def doc_markdown(doc: str) -> str:
    """A docstring as Markdown: ````x```` becomes the code span `` `x` ``, the rest is escaped text."""
    out: list[str] = []
    pos = 0
    for m in CODE_SPAN.finditer(doc):
        out.append(markup.escape(doc[pos : m.start()]))
        out.append(_code_span(m.group(1)))
        pos = m.end()
    out.append(markup.escape(doc[pos:]))
    return "".join(out).strip()


def _code_span(text: str) -> str:
    fence = "``" if "`" in text else "`"
    pad = " " if fence == "``" else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def yaml_default(value: Any) -> str:
    """A default value as an editor writes it in YAML (``""`` when there is none)."""
    if value is None:
        return ""
    if isinstance(value, enum.Enum):
        value = value.value
    if isinstance(value, bool):
        return "false" if value is False else "true"
    if isinstance(value, (list, tuple)):
        return "[]" if not value else "[" + ", ".join(yaml_default(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{}" if not value else str(value)
    return str(value)


def data_model_context() -> DataModelContext:
    """The data-model reference, read from the models' field docstrings."""
    models: dict[str, type[Model]] = {}

    def visit(cls: type[Model]) -> None:
        if cls.__name__ in models:
            return
        models[cls.__name__] = cls
        for f in cls.model_fields.values():
            for t in _nested_models(f.annotation):
                visit(t)

    for cls in FILE_MODELS.values():
        visit(cls)
    entries = []
    for name, cls in models.items():
        rows = []
        for fname, f in cls.model_fields.items():
            required = f.is_required()
            default = "" if required else yaml_default(f.get_default(call_default_factory=True))
            rows.append(
                FieldRow(
                    name=fname,
                    anchor=field_anchor(name, fname),
                    type=markup.escape(_type_name(f.annotation)),
                    required=required,
                    default=_code_span(default) if default else "",
                    doc=doc_markdown(f.description or ""),
                )
            )
        summary = doc_markdown((cls.__doc__ or "").strip().splitlines()[0])
        entries.append(ModelEntry(name, name.lower(), summary, rows))
    return DataModelContext(entries)


def error_codes_context() -> ErrorCodesContext:
    return ErrorCodesContext([CodeRow(code, meaning) for code, meaning in sorted(CODES.items())])


def _nested_models(tp: Any) -> list[type[Model]]:
    out: list[type[Model]] = []
    if isinstance(tp, type) and issubclass(tp, Model):
        return [tp]
    for arg in typing.get_args(tp):
        out += _nested_models(arg)
    return out


def _type_name(tp: Any) -> str:
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        base = typing.get_args(tp)[0]
        meta = typing.get_args(tp)[1:]
        name = _type_name(base)
        label = {
            "_check_id": "ID",
            "_check_text": "text",
            "_check_url": "URL",
            "_parse_date": "date (YYYY-MM-DD)",
            "_check_partial": "date (YYYY[-MM[-DD]])",
            "_check_recommendation_ref": "reference to a received recommendation (review/number)",
        }
        # A validator names the kind of value best; a bare pattern is an ID's.
        for m in meta:
            fn = getattr(m, "func", None) if type(m).__name__ in ("AfterValidator", "BeforeValidator") else None
            if fn is not None and fn.__name__ in label:
                return label[fn.__name__]
        for m in meta:
            if getattr(m, "json_schema_extra", None) and "pattern" in (m.json_schema_extra or {}):
                return "ID"
        return name
    if origin in (typing.Union,) or type(tp).__name__ == "UnionType":
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return " or ".join(_type_name(a) for a in args)
    if origin is list:
        return f"list of {_type_name(typing.get_args(tp)[0])}"
    if origin is typing.Literal:
        return " | ".join(str(a) for a in typing.get_args(tp))
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return " | ".join(str(m.value) for m in tp)
    if isinstance(tp, type):
        return {"str": "text", "int": "number", "bool": "true/false"}.get(tp.__name__, tp.__name__)
    return str(tp)
