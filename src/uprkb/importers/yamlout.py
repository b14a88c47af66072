"""A small, deterministic YAML emitter for the importers' output.

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


def scalar(value: Any) -> str:
    """One scalar as YAML text."""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if _PLAIN.match(text) and text.lower() not in _TYPED_WORDS and not text.endswith((":", "-")):
        return text
    quoted = json.dumps(text, ensure_ascii=False)
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)


def _emit(value: Any, indent: str, out: list[str]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if item == [] or item == {}:
                out.append(f"{indent}{key}: {'[]' if item == [] else '{}'}\n")
            elif isinstance(item, dict):
                out.append(f"{indent}{key}:\n")
                _emit(item, indent + "  ", out)
            elif isinstance(item, list):
                out.append(f"{indent}{key}:\n")
                _emit(item, indent, out)
            else:
                out.append(f"{indent}{key}: {scalar(item)}\n")
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict):
                first = True
                for key, sub in item.items():
                    lead = f"{indent}- " if first else f"{indent}  "
                    first = False
                    if sub == [] or sub == {}:
                        out.append(f"{lead}{key}: {'[]' if sub == [] else '{}'}\n")
                    elif isinstance(sub, dict):
                        out.append(f"{lead}{key}:\n")
                        _emit(sub, indent + "    ", out)
                    elif isinstance(sub, list):
                        out.append(f"{lead}{key}:\n")
                        _emit(sub, indent + "  ", out)
                    else:
                        out.append(f"{lead}{key}: {scalar(sub)}\n")
            elif isinstance(item, list):
                raise TypeError("nested lists are not part of the data model")
            else:
                out.append(f"{indent}- {scalar(item)}\n")


def dump(value: dict[str, Any], header: str = "") -> str:
    """A mapping as a YAML document (``header`` lines come first, e.g. the schema comment)."""
    out: list[str] = [header] if header else []
    _emit(value, "", out)
    return "".join(out)
