"""JSON Schemas of the data files, exported from the models for editors' autocompletion.

Each data file names its schema in a first-line comment
``# yaml-language-server: $schema=…`` so editors with the YAML language server
complete field names and show each field's docstring.
"""

from __future__ import annotations

import json
from pathlib import Path

from uprkb.model.ohchr import OHCHR_FILE_MODELS
from uprkb.model.records import FILE_MODELS
from uprkb.model.reviews import REVIEW_FILE_MODELS
from uprkb.model.summary import SUMMARY_FILE_MODELS


def schemas() -> dict[str, str]:
    """File name → JSON text, one schema per kind of data file."""
    out: dict[str, str] = {}
    for kind, model in {**FILE_MODELS, **OHCHR_FILE_MODELS, **REVIEW_FILE_MODELS, **SUMMARY_FILE_MODELS}.items():
        schema = model.model_json_schema(mode="validation")
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["$id"] = f"{kind}.schema.json"
        out[f"{kind}.schema.json"] = json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    return out


def write_schemas(folder: Path, check_only: bool = False) -> list[str]:
    """Write changed schemas (or, with ``check_only``, list the stale ones)."""
    stale: list[str] = []
    folder.mkdir(parents=True, exist_ok=True) if not check_only else None
    for name, text in schemas().items():
        path = folder / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            stale.append(name)
            if not check_only:
                path.write_text(text, encoding="utf-8")
    return stale
