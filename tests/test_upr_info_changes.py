"""`import upr-info` after the changes real exports make: the same records, or a located refusal.

Each change rewrites an export: our own sample (tests/samples/upr-info-accents-sample.csv, so this
runs everywhere) and, where ../shared/fixtures is beside the checkout, the rows of four States of
each of UPR Info's real exports (sessions 1-5 and 14-17: Mac Roman with CR line ends; 17-20: Mac
Roman with LF). The expected figures are counted here with the csv module over the original file,
never by the importer: per review (State under review and cycle) the rows, the positions, the
action categories and the set of recommending States.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tests.conftest import import_options
from uprkb.cli import main
from uprkb.core.errors import DataError, Problem, Severity
from uprkb.importers import ImportResult, read, run_import
from uprkb.importers.mapping import state_iso3
from uprkb.model.refs import cycle_of_session, review_id

FIXTURES = Path(__file__).resolve().parents[2] / "shared" / "fixtures"
UPR = FIXTURES / "upr-info"
SAMPLE = Path(__file__).parent / "samples" / "upr-info-accents-sample.csv"
COLUMNS = ["To", "To-Rgrp", "To-Org", "Text", "From", "From-Rgrp", "From-Org", "Response", "Action", "Issue", "Session"]
SOURCES = {
    "sample": (SAMPLE, "utf-8"),
    "sessions-1-5": (UPR / "upr-info-sessions-1-5.csv", "mac_roman"),
    "sessions-14-17": (UPR / "upr-info-sessions-14-17.csv", "mac_roman"),
    "sessions-17-20": (UPR / "upr-info-sessions-17-20.csv", "mac_roman"),
}
POSITIONS = {"accepted": "supported", "noted": "noted", "supported in part": "supported-in-part", "pending": "unknown"}
"""The test's own reading of the Response values it writes."""
options = import_options

Rows = list[list[str]]


# -- the originals, and the test's own counting ----------------------------------------------------


@cache
def original(name: str) -> tuple[list[str], Rows]:
    """The header and rows of a source: the sample whole; of a real export, every row of four States."""
    path, encoding = SOURCES[name]
    if not path.exists():
        pytest.skip("the real UPR material is not beside the checkout (../shared/fixtures)")
    with path.open(encoding=encoding, newline="") as fh:
        header, *rows = list(csv.reader(fh))
    assert header == COLUMNS
    if name == "sample":
        return header, rows
    # The States whose rows hold letters outside ASCII first (so the encodings matter), then the file's first.
    accented = [r[0] for r in rows if not "".join(r).isascii()]
    states = list(dict.fromkeys(accented + [r[0] for r in rows]))[:4]
    return header, [r for r in rows if r[0] in states]


def review_of(row: dict[str, str]) -> str:
    iso3 = state_iso3(row["To"])
    assert iso3 is not None, row["To"]
    return review_id(iso3, cycle_of_session(int(row["Session"])))


def counted(header: list[str], rows: Rows) -> dict[str, dict[str, Any]]:
    """Per review: rows, positions, action categories and recommending States, read by the csv module's rows."""
    out: dict[str, dict[str, Any]] = {}
    for values in rows:
        row = dict(zip(header, values, strict=True))
        c = out.setdefault(review_of(row), {"rows": 0, "positions": Counter(), "actions": Counter(), "states": set()})
        c["rows"] += 1
        c["positions"][POSITIONS[row["Response"].strip().lower()]] += 1
        c["actions"][row["Action"].strip()] += 1
        c["states"].add(row["From"].strip())
    return out


def figures(result: ImportResult) -> dict[str, dict[str, Any]]:
    """The same figures from what the importer read."""
    out: dict[str, dict[str, Any]] = {}
    for review in result.reviews:
        c = out.setdefault(review.id, {"rows": 0, "positions": Counter(), "actions": Counter(), "states": set()})
        for record in review.records:
            f = record.fields
            c["rows"] += 1
            c["positions"][f["position"]] += 1
            c["actions"][str(f.get("action_category", ""))] += 1
            c["states"].update(s["name"] for s in f["recommending_states"])
    return out


def records(result: ImportResult, drop: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    return [{k: v for k, v in r.fields.items() if k not in drop} for rv in result.reviews for r in rv.records]


def quoted(value: str) -> str:
    """A field as the csv module's minimal quoting writes it (checked against the written file)."""
    return f'"{value.replace(chr(34), 2 * chr(34))}"' if any(c in value for c in ',"\r\n') else value


def column_of(row: list[str], index: int) -> int:
    """The 1-based column where field ``index`` of a written row begins."""
    return sum(len(quoted(v)) + 1 for v in row[:index]) + 1


# -- the changes ----------------------------------------------------------------------------------


@dataclass
class Export:
    """A changed export: its header and rows as written, its bytes' encoding and line end."""

    header: list[str]
    rows: Rows
    encoding: str = "utf-8"
    line_end: str = "\n"

    def write(self, path: Path) -> Path:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator=self.line_end)
        writer.writerows([self.header, *self.rows])
        text = buffer.getvalue()
        assert text.split(self.line_end)[1:-1] == [",".join(quoted(v) for v in r) for r in self.rows]
        path.write_bytes(text.encode(self.encoding))
        return path

    def line_of(self, index: int) -> int:
        """The line row ``index`` starts on (no original text runs over lines)."""
        return index + 2


def unchanged(header: list[str], rows: Rows) -> Export:
    return Export(header, [list(r) for r in rows])


def bom_crlf(header: list[str], rows: Rows) -> Export:
    return Export(header, [list(r) for r in rows], "utf-8-sig", "\r\n")


def mac_roman_cr(header: list[str], rows: Rows) -> Export:
    return Export(header, [list(r) for r in rows], "mac_roman", "\r")


ORDER = [10, 3, 7, 0, 4, 9, 8, 2, 1, 6, 5]
"""Another column order: Session first, Text second, the regional groups and organisations apart."""


def reordered(header: list[str], rows: Rows) -> Export:
    return Export([header[i] for i in ORDER], [[r[i] for i in ORDER] for r in rows])


def extra_column(header: list[str], rows: Rows) -> Export:
    return Export([*header[:4], "Notes", *header[4:]], [[*r[:4], f"checked {n}", *r[4:]] for n, r in enumerate(rows)])


SPELLINGS = {"Accepted": ("accepted ", "ACCEPTED", " Accepted  "), "Noted": ("NOTED", " noted", "Noted ")}


def response_case(header: list[str], rows: Rows) -> Export:
    at = header.index("Response")
    out = [list(r) for r in rows]
    for n, r in enumerate(out):
        r[at] = SPELLINGS[r[at]][n % 3]
    return Export(header, out)


def no_position(header: list[str], rows: Rows) -> Export:
    """Every 7th row Pending, every 11th other row Supported in part."""
    at = header.index("Response")
    out = [list(r) for r in rows]
    for n, r in enumerate(out):
        if n % 7 == 3:
            r[at] = "Pending"
        elif n % 11 == 5:
            r[at] = "Supported in part"
    return Export(header, out)


def all_at_once(header: list[str], rows: Rows) -> Export:
    changed = extra_column(*astuple(reordered(*astuple(response_case(header, rows)))))
    return Export(changed.header, changed.rows, "mac_roman", "\r")


def astuple(export: Export) -> tuple[list[str], Rows]:
    return export.header, export.rows


def first_accented(export: Export) -> tuple[int, int]:
    """Line and column of the first character outside ASCII (the encoding warning points at its byte)."""
    for n, row in enumerate(export.rows):
        line = ",".join(quoted(v) for v in row)
        for col, ch in enumerate(line, 1):
            if not ch.isascii():
                return export.line_of(n), col
    raise AssertionError("no letter outside ASCII")


def encoding_warning(export: Export, path: Path) -> list[tuple[Any, ...]]:
    line, col = first_accented(export)
    return [(Severity.WARNING, "encoding", str(path), line, col)]


def column_warning(export: Export, path: Path) -> list[tuple[Any, ...]]:
    index = export.header.index("Notes")
    return [(Severity.WARNING, "unknown-field", str(path), 1, column_of(export.header, index))]


def pending_warnings(export: Export, path: Path) -> list[tuple[Any, ...]]:
    at = export.header.index("Response")
    return [
        (Severity.WARNING, "no-position", str(path), export.line_of(n), column_of(r, at))
        for n, r in enumerate(export.rows)
        if r[at] == "Pending"
    ]


def no_problems(export: Export, path: Path) -> list[tuple[Any, ...]]:
    return []


Expect = Callable[[Export, Path], list[tuple[Any, ...]]]
CHANGES: dict[str, tuple[Callable[[list[str], Rows], Export], Expect]] = {
    "unchanged, UTF-8": (unchanged, no_problems),
    "UTF-8 with a BOM and CRLF line ends": (bom_crlf, no_problems),
    "Mac Roman with CR line ends, no --encoding": (mac_roman_cr, encoding_warning),
    "columns in another order": (reordered, no_problems),
    "an extra column": (extra_column, column_warning),
    "Response in other spacing and case": (response_case, no_problems),
    "Response Pending or Supported in part": (no_position, pending_warnings),
    "all at once, Mac Roman with CR": (
        all_at_once,
        lambda e, p: sorted(encoding_warning(e, p) + column_warning(e, p), key=lambda t: t[3]),
    ),
}


def located(problems: list[Problem]) -> list[tuple[Any, ...]]:
    return [(p.severity, p.code, p.location.path, p.location.line, p.location.col) for p in problems]


@pytest.mark.parametrize("change", list(CHANGES))
@pytest.mark.parametrize("source", list(SOURCES))
def test_a_changed_export_gives_the_same_reviews(data: Path, tmp_path: Path, source: str, change: str) -> None:
    header, rows = original(source)
    make, expect = CHANGES[change]
    export = make(header, rows)
    path = export.write(tmp_path / "export.csv")

    result = read("upr-info", path, options(data, select_all=True))

    assert sorted(located(result.problems.items), key=lambda t: (t[3], t[4])) == expect(export, path)
    # The figures the csv module counts over the original file, with the change's positions.
    want = counted(header, rows)
    if make is no_position:
        want = counted(header, [[*r[:7], export.rows[n][7], *r[8:]] for n, r in enumerate(rows)])
        assert sum(c["positions"]["unknown"] for c in want.values()) == len(pending_warnings(export, path)) > 0
        assert sum(c["positions"]["supported-in-part"] for c in want.values()) > 0
    assert figures(result) == want
    assert sum(c["rows"] for c in want.values()) == len(rows)
    # The same records as the original's, field for field (the positions aside where the change made them).
    first = read("upr-info", unchanged(header, rows).write(tmp_path / "original.csv"), options(data, select_all=True))
    drop = ("position",) if make is no_position else ()
    assert records(result, drop) == records(first, drop)


# -- the original .xls reads as its CSV -----------------------------------------------------------


def test_the_original_xls_gives_the_reviews_of_its_csv(data: Path) -> None:
    xls = UPR / "upr-info-sessions-1-5.xls"
    if not xls.exists():
        pytest.skip("the real UPR material is not beside the checkout (../shared/fixtures)")
    with (UPR / "upr-info-sessions-1-5.csv").open(encoding="mac_roman", newline="") as fh:
        header, *rows = list(csv.reader(fh))
    result = read("upr-info", xls, options(data, select_all=True))
    assert not result.problems.items, [p.format() for p in result.problems.items]
    want = counted(header, rows)
    assert len(want) == 80 and sum(c["rows"] for c in want.values()) == 6094
    assert figures(result) == want


# -- what cannot be read: located, never a default ------------------------------------------------

BAD = [
    # column, value written, severity, code, words the message holds
    ("Action", "7", Severity.ERROR, "invalid-choice", "'7'"),
    ("Action", "x", Severity.ERROR, "invalid-choice", "'x'"),
    ("Action", "", Severity.WARNING, "missing-value", "without an action category"),
    ("Session", "abc", Severity.ERROR, "invalid-value", "'abc'"),
    ("Session", "0", Severity.ERROR, "invalid-value", "'0'"),
    ("Response", "Maybe", Severity.ERROR, "invalid-choice", "'Maybe'"),
    ("Response", "", Severity.WARNING, "no-position", "position unknown"),
    ("To", "Atlantis", Severity.ERROR, "unknown-state", "'Atlantis'"),
    ("Text", " ", Severity.ERROR, "missing-value", "no Text"),
]


@pytest.mark.parametrize(("column", "value", "severity", "code", "words"), BAD)
@pytest.mark.parametrize("order", ["as exported", "columns moved"])
def test_a_value_that_cannot_be_read_is_located(
    data: Path, tmp_path: Path, column: str, value: str, severity: Severity, code: str, words: str, order: str
) -> None:
    header, rows = original("sample")
    export = unchanged(header, rows) if order == "as exported" else reordered(header, rows)
    at = export.header.index(column)
    n = 6  # Peru, session 2: a row of its own review
    export.rows[n][at] = value
    path = export.write(tmp_path / "export.csv")

    result = read("upr-info", path, options(data, select_all=True))

    (problem,) = result.problems.items
    assert located([problem]) == [(severity, code, str(path), export.line_of(n), column_of(export.rows[n], at))]
    assert words in problem.message and problem.hint
    if severity == Severity.ERROR:
        with pytest.raises(DataError):
            run_import("upr-info", path, options(data, select_all=True))
        assert not (data / "reviews").exists()


def test_the_command_line_says_where_and_writes_nothing(data: Path, tmp_path: Path) -> None:
    header, rows = original("sample")
    export = unchanged(header, rows)
    export.rows[2][8] = "x"
    export.rows[9][10] = "abc"
    path = export.write(tmp_path / "export.csv")

    got = CliRunner().invoke(main, ["import", "upr-info", str(path), "--all", "--data", str(data)])

    assert got.exit_code != 0 and "Traceback" not in got.output
    assert f"{path}:4:{column_of(export.rows[2], 8)}: " in got.output and "Action is 'x'" in got.output
    assert f"{path}:11:{column_of(export.rows[9], 10)}: " in got.output and "Session is 'abc'" in got.output
    assert not (data / "reviews").exists()


def test_a_field_after_a_text_over_two_lines_is_located_on_its_line(data: Path, tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(
        ",".join(COLUMNS) + "\n"
        'Peru,GRULAC,OAS,"Adopt a sample law,\nin two ""lines""",Chile,GRULAC,OAS,Accepted,x,Justice,14\n',
        encoding="utf-8",
    )
    (problem,) = read("upr-info", path, options(data, select_all=True)).problems.items
    assert (problem.code, problem.location.line, problem.location.col) == (
        "invalid-choice",
        3,
        len('in two ""lines""",Chile,GRULAC,OAS,Accepted,') + 1,
    )


# -- the encoding: one guess, said, and --encoding over it ----------------------------------------


def test_mac_roman_with_lf_line_ends_is_refused_showing_both_readings(data: Path, tmp_path: Path) -> None:
    header, rows = original("sample")
    export = Export(header, [list(r) for r in rows], "mac_roman", "\n")
    path = export.write(tmp_path / "export.csv")

    (problem,) = read("upr-info", path, options(data, select_all=True)).problems.items

    assert (problem.severity, problem.code) == (Severity.ERROR, "encoding")
    assert (problem.location.line, problem.location.col) == first_accented(export)
    assert "'C\\x99te' reads 'Côte' in mac-roman and as 'C™te' in cp1252" in problem.message
    assert "--encoding mac-roman" in problem.hint and "--encoding cp1252" in problem.hint
    named = read("upr-info", path, options(data, select_all=True, encoding="mac-roman"))
    assert not named.problems.items and figures(named) == counted(header, rows)


@pytest.mark.parametrize("encoding", ["cp1252", "mac-roman", "utf-8"])
def test_a_named_encoding_is_read_without_a_guess(data: Path, tmp_path: Path, encoding: str) -> None:
    header, rows = original("sample")
    path = Export(header, [list(r) for r in rows], encoding, "\r").write(tmp_path / "export.csv")
    result = read("upr-info", path, options(data, select_all=True, encoding=encoding))
    assert not result.problems.items and figures(result) == counted(header, rows)


# -- headers that are not UPR Info's --------------------------------------------------------------


def test_a_column_given_twice_is_refused_where_it_stands(data: Path, tmp_path: Path) -> None:
    header, rows = original("sample")
    export = Export([*header, "text"], [[*r, "another text"] for r in rows])
    path = export.write(tmp_path / "export.csv")
    (problem,) = read("upr-info", path, options(data, select_all=True)).problems.items
    assert located([problem]) == [(Severity.ERROR, "duplicate-key", str(path), 1, column_of(export.header, 11))]
    assert "columns 4 and 12" in problem.message


def test_a_semicolon_separated_export_is_refused_saying_so(data: Path, tmp_path: Path) -> None:
    header, rows = original("sample")
    path = tmp_path / "export.csv"
    path.write_text("\n".join(";".join(r) for r in [header, *rows[:2]]) + "\n", encoding="utf-8")
    (problem,) = read("upr-info", path, options(data, select_all=True)).problems.items
    assert problem.code == "missing-column" and "separated by ';'" in problem.hint
