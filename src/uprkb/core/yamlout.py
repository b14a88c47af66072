"""The one YAML writer of data files: a small, deterministic emitter (importers, the Word import, suggestions).

The output is a plain subset the project's safe loader reads back exactly:
block mappings and sequences, ``true``/``false``, plain integers, plain scalars
only for words that no YAML reader types (IDs, enum values, symbols), and every
other text as a double-quoted scalar with JSON escapes (a subset of YAML's).
Keys keep the order they are given in. The same values always give the same bytes.

PyYAML's C emitter writes about 4,000 records a second and ruamel.yaml about
500; the importers' target is 20,000 rows a second, so the writer emits this
subset itself. ``tests/test_import_writer.py`` round-trips arbitrary text through
it and the loader.
"""

from __future__ import annotations

import json
import re
from typing import Any

_PLAIN = re.compile(r"^[A-Za-z][A-Za-z0-9._/()-]*(?: [A-Za-z0-9._/()-]+)*$")
_TYPED_WORDS = frozenset(
    "y n yes no true false on off null".split() + ["~"],
)
_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff]")


_CACHE: dict[str, str] = {}
_ENCODE = json.JSONEncoder(ensure_ascii=False).encode


def scalar(value: Any) -> str:
    """One scalar as YAML text."""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    text = str(value)
    found = _CACHE.get(text)
    if found is not None:
        return found
    if len(text) > 100:  # long text is quoted without trying the plain form
        return _quote(text)
    if _PLAIN.match(text) and text.lower() not in _TYPED_WORDS and not text.endswith((":", "-")):
        out = text
    else:
        out = _quote(text)
    if len(_CACHE) < 100_000:
        _CACHE[text] = out
    return out


def _quote(text: str) -> str:
    quoted = _ENCODE(text)
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted) if _UNSAFE.search(quoted) else quoted


def _emit(value: Any, indent: str, out: list[str]) -> None:
    """A mapping (or a sequence) at ``indent``; sequences sit at their key's indentation."""
    if isinstance(value, list):
        _emit_list(value, indent, out)
        return
    append = out.append
    for key, item in value.items():
        kind = type(item)
        if kind is str:
            text = _CACHE.get(item)
            append(f"{indent}{key}: {text if text is not None else scalar(item)}\n")
        elif kind is dict:
            if item:
                append(f"{indent}{key}:\n")
                _emit(item, indent + "  ", out)
            else:
                append(f"{indent}{key}: {{}}\n")
        elif kind is list:
            if item:
                append(f"{indent}{key}:\n")
                _emit_list(item, indent, out)
            else:
                append(f"{indent}{key}: []\n")
        else:
            append(f"{indent}{key}: {scalar(item)}\n")


def _emit_list(items: list[Any], indent: str, out: list[str]) -> None:
    inner = indent + "  "
    dash = indent + "- "
    cut = len(inner)
    for item in items:
        kind = type(item)
        if kind is str:
            text = _CACHE.get(item)
            out.append(f"{dash}{text if text is not None else scalar(item)}\n")
        elif kind is dict:
            start = len(out)
            _emit(item, inner, out)
            if len(out) > start:  # the first line of the item carries the dash
                out[start] = dash + out[start][cut:]
            else:
                out.append(f"{dash}{{}}\n")
        elif kind is list:
            raise TypeError("nested lists are not part of the data model")
        else:
            out.append(f"{dash}{scalar(item)}\n")


def dump(value: dict[str, Any], header: str = "") -> str:
    """A mapping as a YAML document (``header`` lines come first, e.g. the schema comment)."""
    out: list[str] = [header] if header else []
    _emit(value, "", out)
    return "".join(out)
