"""Random input to every importer: a located error or a clean import, never a traceback, and
never a partial write (the data folder is unchanged whenever the import fails).

Few examples and no deadline, so the fast tier stays fast; run with
``HOSTILE_EXAMPLES=200`` to search harder.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.project import copy_seed_data
from uprkb.cli import main

from . import payloads as p
from .test_catalogue import digest

EXAMPLES = int(os.environ.get("HOSTILE_EXAMPLES", "12"))
FAST = settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=EXAMPLES <= 12
)

FORMATS = [
    ("upr-info", ".csv", ["--all"]),
    ("uhri", ".json", []),
    ("uhri", ".xlsx", []),
    ("ohchr-matrix", ".txt", []),
    ("ohchr-matrix", ".docx", []),
    ("wg-report", ".txt", []),
    ("responses", ".txt", ["--review", "kaz-upr4"]),
]


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("props")
    copy_seed_data(root / "data")
    return root


def attempt(workdir: Path, fmt: str, suffix: str, extra: list[str], payload: bytes) -> None:
    data = workdir / "data"
    source = workdir / f"input{suffix}"
    source.write_bytes(payload)
    before = digest(data)
    if fmt == "docx":
        args = ["import", "docx", str(source), "--data", str(data), "--submission", "random-kaz-upr4"]
    else:
        args = ["import", fmt, str(source), "--data", str(data), "--date", "2026-01-05", *extra]
    result = CliRunner().invoke(main, args)
    crashed = result.exception is not None and not isinstance(result.exception, SystemExit)
    assert not crashed, f"{type(result.exception).__name__}: {result.exception}\n{result.output}"
    assert "Traceback" not in result.output
    if result.exit_code != 0:
        assert result.exit_code in (1, 2), result.output
        if result.exit_code == 1:
            assert source.name in result.output, f"the error does not name the file:\n{result.output}"
        assert digest(data) == before, "a failed import changed the data folder"
        assert not [q for q in data.rglob("*") if q.name.startswith(".") and "import" in q.name]
    else:
        shutil.rmtree(data / "submissions" / "random-kaz-upr4", ignore_errors=True)


@pytest.mark.parametrize(("fmt", "suffix", "extra"), FORMATS, ids=[f"{f}{s}" for f, s, _ in FORMATS])
@FAST
@given(payload=st.binary(max_size=4096))
def test_random_bytes(workdir: Path, fmt: str, suffix: str, extra: list[str], payload: bytes) -> None:
    attempt(workdir, fmt, suffix, extra, payload)


@FAST
@given(payload=st.binary(max_size=4096))
def test_random_bytes_as_a_word_submission(workdir: Path, payload: bytes) -> None:
    attempt(workdir, "docx", ".docx", [], b"PK\x03\x04" + payload)


cells = st.lists(st.sampled_from(list('ab ,"\n\r\t;\x1b\x00é') + ["Kazakhstan", "34", "France"]), max_size=12).map(
    "".join
)


@FAST
@given(rows=st.lists(st.lists(cells, min_size=0, max_size=13), max_size=8), raw=st.booleans())
def test_random_csv(workdir: Path, rows: list[list[str]], raw: bool) -> None:
    out = io.StringIO()
    if raw:  # fields joined without quoting: stray quotes and short rows
        out.write(p.CSV_HEADER + "\n".join(",".join(r) for r in rows))
    else:
        out.write(p.CSV_HEADER)
        csv.writer(out).writerows(rows)
    attempt(workdir, "upr-info", ".csv", ["--all"], out.getvalue().encode("utf-8"))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)
keys = st.sampled_from(
    [
        "Symbol",
        "Text",
        "UprRecommendingCountry",
        "Countries",
        "UprCycle",
        "UprSession",
        "UprPositions",
        "AnnotationId",
        "Themes",
        "Sdgs",
    ]
)


@FAST
@given(items=st.lists(st.dictionaries(keys, json_values, max_size=10) | json_values, max_size=5))
def test_random_json(workdir: Path, items: list[object]) -> None:
    attempt(workdir, "uhri", ".json", [], json.dumps(items).encode("utf-8"))


xml_text = st.lists(
    st.sampled_from(list("<>&;/=\"' ab!-[]") + ["<w:p>", "</w:p>", "<!DOCTYPE", "&amp;"]), max_size=40
).map("".join)


@FAST
@given(body=xml_text, where=st.sampled_from(["footnotes", "document"]))
def test_random_xml_in_a_word_document(workdir: Path, body: str, where: str) -> None:
    if where == "footnotes":
        payload = p.docx_bytes(p.footnotes(body))
    else:
        payload = p.rewrite_zip(p.docx_bytes(), {"word/document.xml": p.footnotes(body)})
    attempt(workdir, "docx", ".docx", [], payload)
    attempt(workdir, "ohchr-matrix", ".docx", [], payload)
