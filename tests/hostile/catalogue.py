"""The catalogue of attacks: one line each — the payload, the place it goes, the outcome expected.

``place`` is a command (``import upr-info``, ``import uhri``, ``import ohchr-matrix``,
``import docx``) that reads the payload as its input file, or ``validate``, which
plants the payload in the data folder as the probe section of ``tests/badinput.py``.
``expect`` is text the command's output must hold (a problem code or the plain words
of a refusal); every outcome is also exit status 1, no traceback, a location and a
hint, and the data folder left byte for byte as it was.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tests.badinput import BASE

from . import payloads as p

Maker = Callable[[Path], "bytes | str | Path"]
"""Builds the payload: bytes or text (written to a file), or a path it made itself (FIFO, symlink)."""


def fifo(tmp: Path) -> Path:
    path = tmp / "fifo"
    os.mkfifo(path)
    return path


def link_to(target: str) -> Maker:
    def make(tmp: Path) -> Path:
        path = tmp / "link"
        path.symlink_to(target)
        return path

    return make


def outside_yaml(tmp: Path) -> Path:
    real = tmp / "outside" / "secret.yaml"
    real.parent.mkdir()
    real.write_text(BASE, encoding="utf-8")
    path = tmp / "link"
    path.symlink_to(real)
    return path


def sub(old: str, new: str) -> str:
    assert old in BASE, old
    return BASE.replace(old, new, 1)


@dataclass(frozen=True)
class Attack:
    name: str
    place: str
    payload: Maker
    expect: str
    suffix: str = ""
    process: bool = False
    """Run in a real process with a time limit (the attack could hang or exhaust the test process)."""


def _big_field_csv(_: Path) -> str:
    return p.CSV_HEADER + p.csv_row("Ratify " + "x" * (200 * 1024))


def _swallow_csv(_: Path) -> str:
    rows = [p.csv_row(f"Ratify measure {i}.") for i in range(6)]
    rows[1] = rows[1].replace('"Ratify measure 1."', '"Ratify measure 1.')
    return p.CSV_HEADER + "".join(rows)


def _unclosed_at_end_csv(_: Path) -> str:
    return p.CSV_HEADER + p.csv_row("Ratify.") + 'Kazakhstan,Asia-Pacific,,"Ratify the\n' + p.csv_row("Ratify more.")


def _oversized_output_csv(_: Path) -> str:
    return p.CSV_HEADER + "".join(p.csv_row(f"Ratify measure {i} " + "word " * 20000) for i in range(30))


ATTACKS: list[Attack] = [
    # -- CSV (UPR Info) ---------------------------------------------------------------
    Attack("csv-field-over-128k", "import upr-info", _big_field_csv, "[field-too-large]", ".csv"),
    Attack("csv-unclosed-quote-swallows-rows", "import upr-info", _swallow_csv, "[unclosed-quote]", ".csv"),
    Attack("csv-unclosed-quote-at-end", "import upr-info", _unclosed_at_end_csv, "[unclosed-quote]", ".csv"),
    Attack("csv-output-over-loader-limit", "import upr-info", _oversized_output_csv, "[file-too-large]", ".csv"),
    Attack(
        "csv-esc-in-text",
        "import upr-info",
        lambda _: p.good_csv(1).replace("measure", "mea\x1bsure"),
        "control character",
        ".csv",
    ),
    Attack(
        "csv-nul-in-text",
        "import upr-info",
        lambda _: p.good_csv(1).replace("measure", "mea\x00sure"),
        "control character",
        ".csv",
    ),
    Attack("csv-random-binary", "import upr-info", lambda _: bytes(range(256)) * 8, "[encoding]", ".csv"),
    Attack("csv-input-is-a-fifo", "import upr-info", fifo, "[not-a-file]", process=True),
    Attack("csv-input-is-dev-zero", "import upr-info", lambda _: Path("/dev/zero"), "[not-a-file]", process=True),
    Attack("csv-input-links-to-dev-zero", "import upr-info", link_to("/dev/zero"), "[not-a-file]", process=True),
    # -- JSON (UHRI) ------------------------------------------------------------------
    Attack("json-100000-deep", "import uhri", lambda _: p.deep_json(100_000), "[too-deep]", ".json"),
    Attack("json-5000-digit-number", "import uhri", lambda _: p.long_digits_json(), "[invalid-format]", ".json"),
    Attack(
        "json-esc-in-text",
        "import uhri",
        lambda _: (
            b'[{"Symbol": "A/HRC/1/1", "Text": "1.1 Ratify \\u001b[31m now", "Countries": "Kazakhstan",'
            b' "UprCycle": "4", "UprRecommendingCountry": "France"}]'
        ),
        "control character",
        ".json",
    ),
    Attack(
        "json-text-is-a-mapping",
        "import uhri",
        lambda _: b'[{"Symbol": "A/HRC/1/1", "Text": {"a": [1]}, "UprRecommendingCountry": ["France"]}]',
        "[missing-value]",
        ".json",
    ),
    # -- Excel (UHRI) -----------------------------------------------------------------
    Attack(
        "xlsx-zip-bomb",
        "import uhri",
        lambda _: p.bomb(p.xlsx_bytes(), "xl/worksheets/sheet1.xml", 64 << 20),
        "[zip-bomb]",
        ".xlsx",
    ),
    Attack(
        "xlsx-xxe-shared-strings",
        "import uhri",
        lambda _: p.rewrite_zip(p.xlsx_bytes(), {"xl/worksheets/sheet1.xml": p.XXE}),
        "[xml-entity]",
        ".xlsx",
    ),
    Attack("xlsx-random-bytes", "import uhri", lambda _: b"PK\x03\x04" + os.urandom(2000), "[invalid-format]", ".xlsx"),
    # -- Word (OHCHR matrix) ----------------------------------------------------------
    Attack(
        "matrix-docx-zip-bomb",
        "import ohchr-matrix",
        lambda _: p.bomb(p.docx_bytes(table=True), "word/document.xml", 64 << 20),
        "[zip-bomb]",
        ".docx",
    ),
    Attack(
        "matrix-zip-bomb-named-doc",  # a zip named .doc went to LibreOffice, which inflated it to 3.2 GB
        "import ohchr-matrix",
        lambda _: p.bomb(p.docx_bytes(table=True), "word/document.xml", 64 << 20),
        "[zip-bomb]",
        ".doc",
    ),
    Attack(
        "matrix-docx-laughs",
        "import ohchr-matrix",
        lambda _: p.rewrite_zip(p.docx_bytes(table=True), {"word/document.xml": p.LAUGHS}),
        "[xml-entity]",
        ".docx",
    ),
    Attack(
        "matrix-docx-malformed",
        "import ohchr-matrix",
        lambda _: p.rewrite_zip(p.docx_bytes(table=True), {"word/document.xml": p.MALFORMED}),
        "word/document.xml",
        ".docx",
    ),
    # -- Word (submission) ------------------------------------------------------------
    Attack(
        "docx-zip-bomb",
        "import docx",
        lambda _: p.bomb(p.docx_bytes(), "word/document.xml", 64 << 20),
        "[zip-bomb]",
        ".docx",
    ),
    Attack(
        "docx-footnotes-malformed", "import docx", lambda _: p.docx_bytes(p.MALFORMED), "word/footnotes.xml:2:", ".docx"
    ),
    Attack("docx-footnotes-xxe", "import docx", lambda _: p.docx_bytes(p.XXE), "[xml-entity]", ".docx"),
    Attack("docx-footnotes-billion-laughs", "import docx", lambda _: p.docx_bytes(p.LAUGHS), "[xml-entity]", ".docx"),
    Attack("docx-input-is-a-fifo", "import docx", fifo, "[not-a-file]", process=True),
    # -- data files (the loader) ------------------------------------------------------
    Attack(
        "id-with-trailing-newline", "validate", lambda _: sub("id: probe-p1", 'id: "probe-p1\\n"'), "[invalid-value]"
    ),
    Attack(
        "url-with-trailing-newline",
        "validate",
        lambda _: sub("url: https://example.org/probe", 'url: "https://example.org/probe\\n"'),
        "[invalid-value]",
    ),
    Attack("esc-by-yaml-escape", "validate", lambda _: sub("title: Probe", 'title: "Pro\\ebe"'), "[control-character]"),
    Attack(
        "nul-by-yaml-escape",
        "validate",
        lambda _: sub("text: A probe finding.", 'text: "A probe\\0 finding."'),
        "[control-character]",
    ),
    Attack(
        "bel-by-yaml-escape-in-id",
        "validate",
        lambda _: sub("id: probe-f1", 'id: "probe\\a-f1"'),
        "[control-character]",
    ),
    Attack("data-file-is-a-fifo", "validate", fifo, "[not-a-file]", process=True),
    Attack("data-file-links-to-dev-zero", "validate", link_to("/dev/zero"), "[not-a-file]", process=True),
    Attack("data-file-links-outside-data", "validate", outside_yaml, "[not-a-file]", process=True),
]
