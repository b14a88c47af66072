"""Validate the importers' records quickly with the very rules of the data models.

The data models (:class:`uprkb.model.records.Model`) remember where each record was written,
which costs a Python call and two private attributes per record: right for files, but
most of the time of an import of thousands of rows that have no location. :func:`twin`
builds, once per model, a plain pydantic model with the same fields, types, constraints
and model validators (nested models twinned too), so a record the twin accepts is one
the data model accepts; the tests check both agree.
"""

from __future__ import annotations

import copy
import types
import typing
from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator
from pydantic_core import PydanticUndefined

from uprkb.model.records import Model

_TWINS: dict[type[Model], type[BaseModel]] = {}


def _substitute(tp: Any) -> Any:
    if isinstance(tp, type) and issubclass(tp, Model):
        return twin(tp)
    origin = typing.get_origin(tp)
    if origin is None:
        return tp
    args = typing.get_args(tp)
    if origin is typing.Annotated:
        return typing.Annotated[(_substitute(args[0]), *tp.__metadata__)]
    if origin in (typing.Union, types.UnionType):
        return typing.Union[tuple(_substitute(a) for a in args)]  # noqa: UP007
    if origin is list:
        return list[_substitute(args[0])]  # type: ignore[misc]
    return tp


def twin(model: type[Model]) -> type[BaseModel]:
    """A location-free pydantic model with ``model``'s fields and model validators."""
    found = _TWINS.get(model)
    if found is not None:
        return found
    namespace: dict[str, Any] = {
        "__module__": model.__module__,
        "__annotations__": {},
        "model_config": ConfigDict(extra="forbid"),
    }
    for name, field in model.model_fields.items():
        namespace["__annotations__"][name] = _substitute(field.annotation)
        if field.default == [] and field.default_factory is None:
            field = copy.copy(field)  # a factory instead of a deep copy of [] on every record
            field.default = PydanticUndefined
            field.default_factory = list
        namespace[name] = field
    for name, dec in model.__pydantic_decorators__.model_validators.items():
        if name in Model.__pydantic_decorators__.model_validators:
            continue  # the base's location keeping is what the twin leaves out
        namespace[name] = model_validator(mode=dec.info.mode)(dec.func)  # type: ignore[call-overload]
    made = typing.cast(type[BaseModel], type(f"Fast{model.__name__}", (BaseModel,), namespace))
    _TWINS[model] = made
    return made
