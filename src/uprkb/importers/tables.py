"""Word tables: OHCHR's matrices and thematic lists as rows of named columns, whatever their order.

A header row is found by its titles (``Recommendation``, ``Position``, ``Recommending
State/s``, ``Full list of themes``, ``Affected persons``, ``Source of position``,
``Assessment``, ``Relevant SDGs``); columns it does not name keep the usual layout
(recommendation, position, themes, SDGs). A merged cell is read once; a row whose cells
are one merged cell (``Theme: …`` headings) is skipped. A legacy ``.doc`` is converted
with LibreOffice first.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from uprkb.core.errors import Location, Problems
from uprkb.importers.base import SourceFile

#: Column role → title patterns (normalised: lower case, single spaces), tried in this order.
ROLES: list[tuple[str, re.Pattern[str]]] = [
    ("source", re.compile(r"source of (?:the )?position")),
    ("states", re.compile(r"recommending (?:state|states|state/s|country|countries)\b(?! under review)")),
    ("assessment", re.compile(r"assessment|comments|level of implementation")),
    ("sdgs", re.compile(r"\bsdgs?\b|sustainable development")),
    ("persons", re.compile(r"^(?:affected persons|groups? of persons|persons affected)")),
    ("themes", re.compile(r"theme")),
    ("position", re.compile(r"position|response")),
    ("recommendation", re.compile(r"recommendation")),
]
DEFAULT_LAYOUT = ("recommendation", "position", "themes", "sdgs")


def column_role(title: str) -> str | None:
    """The role of a column from its title, or ``None``."""
    key = " ".join(title.lower().split())
    if not key:
        return None
    if key.startswith("recommendation") and ("recommending" in key or key == "recommendation"):
        return "recommendation"
    for role, pattern in ROLES:
        if pattern.search(key):
            return role
    return None


def open_docx(data: bytes, source: SourceFile, problems: Problems) -> Any | None:
    """The Word document, or ``None`` with a located ``invalid-format`` problem."""
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    try:
        return Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        problems.add(
            source.at(),
            "invalid-format",
            f"the file is not a Word document ({exc})",
            "give OHCHR's thematic list as .docx (or .doc), or its text",
        )
        return None


def _cells(row: Any) -> list[tuple[int, str]]:
    """A row's cells as (column, text), a merged cell once (at its first column)."""
    out: list[tuple[int, str]] = []
    seen: set[int] = set()
    for c, cell in enumerate(row.cells):
        if id(cell._tc) in seen:
            continue
        seen.add(id(cell._tc))
        out.append((c, "\n".join(p.text for p in cell.paragraphs)))
    return out


def matrix_rows(doc: Any, shown: str) -> Iterator[tuple[Location, dict[str, str]]]:
    """Every body row of every table as role → cell text, located at its table and row."""
    for t, table in enumerate(doc.tables, 1):
        roles: dict[int, str] = {}
        for r, row in enumerate(table.rows, 1):
            cells = _cells(row)
            named = {c: column_role(text) for c, text in cells}
            if sum(1 for c, role in named.items() if role) >= 1 and any(
                role == "recommendation" and " ".join(text.split()).lower().startswith("recommendation")
                for (c, text), role in zip(cells, named.values(), strict=True)
            ):
                roles = {c: role for c, role in named.items() if role}
                for c, _ in enumerate(row.cells):
                    if c not in roles and c < len(DEFAULT_LAYOUT) and DEFAULT_LAYOUT[c] not in roles.values():
                        roles[c] = DEFAULT_LAYOUT[c]
                continue
            if len(cells) == 1:
                continue  # a heading merged across the table ("Theme: …")
            layout = roles or dict(enumerate(DEFAULT_LAYOUT))
            values: dict[str, str] = {}
            for c, text in cells:
                role = layout.get(c)
                if role:
                    values[role] = f"{values[role]}\n{text}" if role in values else text
            yield Location(f"{shown} (table {t})", r, 1), values


def doc_to_docx(source: SourceFile, problems: Problems) -> bytes | None:
    """A legacy Word ``.doc`` as ``.docx`` bytes, converted by LibreOffice (``soffice --headless``)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        problems.add(
            source.at(),
            "missing-tool",
            "a .doc (Word 97-2003) file needs LibreOffice to be read, and 'soffice' is not installed",
            "install LibreOffice (Debian: apt-get install libreoffice-writer), or save the file as .docx in Word",
        )
        return None
    with tempfile.TemporaryDirectory(prefix="uprkb-doc-") as tmp:
        src = Path(tmp) / "input.doc"
        src.write_bytes(source.data)
        try:
            run = subprocess.run(
                [
                    soffice,
                    "--headless",
                    f"-env:UserInstallation=file://{tmp}/profile",
                    "--convert-to",
                    "docx:MS Word 2007 XML",
                    "--outdir",
                    tmp,
                    str(src),
                ],
                capture_output=True,
                text=True,
                timeout=180,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            problems.add(source.at(), "conversion-failed", f"LibreOffice could not convert the file ({exc})", "")
            return None
        out = Path(tmp) / "input.docx"
        if run.returncode != 0 or not out.exists():
            detail = (run.stderr or run.stdout).strip().splitlines()[-1:] or ["no output"]
            problems.add(
                source.at(),
                "conversion-failed",
                f"LibreOffice could not convert the .doc to .docx ({detail[0]})",
                "open the file in Word or LibreOffice and save it as .docx",
            )
            return None
        return out.read_bytes()
