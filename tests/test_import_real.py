"""The importers on real UPR material from ../shared/fixtures (skipped where it is absent).

The expected figures are computed here independently (the csv module over UPR Info's
export), or are the ones the documents themselves state.
"""

from __future__ import annotations

import csv
import datetime as dt
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import import_options
from tests.project import PROJECT
from uprkb.check.validate import check
from uprkb.importers import read, run_import
from uprkb.importers.mapping import state_iso3
from uprkb.model.refs import cycle_of_session, review_id

FIXTURES = Path(__file__).resolve().parents[2] / "shared" / "fixtures"
UPR_INFO = FIXTURES / "upr-info" / "upr-info-sessions-17-20.csv"
SVN = FIXTURES / "ohchr-slovenia-upr4"
REPORT = SVN / "A_HRC_59_15_working-group-report.md"
ADDENDUM = SVN / "A_HRC_59_15_Add1_state-responses.txt"
MATRIX = SVN / "thematic-list-of-recommendations.txt"
DAY = dt.date(2026, 1, 5)

needs_fixtures = pytest.mark.skipif(
    not (UPR_INFO.exists() and REPORT.exists()),
    reason="the real UPR material is not beside the checkout (../shared/fixtures)",
)
pytestmark = needs_fixtures


# `data` (a private copy of the shipped data) is a fixture of conftest.py.
options = import_options


def csv_counts() -> dict[str, Counter[str]]:
    """Per review: rows, Accepted, Noted and each action category, straight from the CSV."""
    out: dict[str, Counter[str]] = {}
    with UPR_INFO.open(encoding="mac_roman", newline="") as fh:
        for row in csv.DictReader(fh):
            iso3 = state_iso3(row["To"])
            assert iso3 is not None, row["To"]
            key = review_id(iso3, cycle_of_session(int(row["Session"])))
            c = out.setdefault(key, Counter())
            c["rows"] += 1
            c[row["Response"]] += 1
            c[f"action {row['Action']}"] += 1
    return out


@pytest.mark.slow
def test_upr_info_export_every_review_matches_the_csv(data: Path) -> None:
    report = run_import("upr-info", UPR_INFO, options(data, select_all=True, encoding="mac-roman"), today=DAY)
    assert report.records == 7786 and len(report.reviews) == 41
    result = check(data)
    assert result.ok, [p.format() for p in result.problems.errors[:20]]
    expected = csv_counts()
    assert len(expected) == 41 and sum(c["rows"] for c in expected.values()) == 7786
    got: dict[str, Counter[str]] = {}
    for rid, review in result.kb.reviews.items():
        c = got.setdefault(rid, Counter())
        for r in review.recommendations:
            c["rows"] += 1
            c[{"supported": "Accepted", "noted": "Noted"}[r.position.value]] += 1
            c[f"action {r.action_category.value if r.action_category else ''}"] += 1
    assert got == expected
    # Every row was kept: unmapped issue labels stay on the records.
    unmapped = sum(
        len([u for u in r.unmapped if u.system.value == "upr-info"])
        for rv in result.kb.reviews.values()
        for r in rv.recommendations
    )
    assert unmapped == sum(report.unmapped.values())
    # Only UPR Info's "Other" and "General" issues name no theme (the vocabulary maps the other 52).
    with UPR_INFO.open(encoding="mac_roman", newline="") as fh:
        issues = Counter(p.strip() for row in csv.DictReader(fh) for p in set(row["Issue"].split(",")) if p.strip())
    assert issues["Women's rights"] == 1601 and len(issues) == 54
    assert dict(report.unmapped) == {("upr-info", "themes", k): issues[k] for k in ("Other", "General")}


def test_upr_info_export_is_not_utf8_and_says_where(data: Path) -> None:
    result = read("upr-info", UPR_INFO, options(data, select_all=True))
    (problem,) = result.problems.items
    assert problem.code == "encoding" and problem.location.line > 1 and "mac-roman" in problem.hint


def test_wg_report_gives_exactly_140_1_to_140_254(data: Path) -> None:
    result = read("wg-report", REPORT, options(data))
    assert not result.problems.items, [p.format() for p in result.problems.items]
    (review,) = result.reviews
    assert review.id == "svn-upr4"
    assert (review.review["report"], review.review["session"], review.review["cycle"]) == ("A/HRC/59/15", 48, 4)
    assert review.review["review_date"] == "2025-01-28"
    ids = [r.id for r in review.records]
    assert ids == [f"140.{n}" for n in range(1, 255)]
    for r in review.records:
        text = r.fields["text"]
        assert text and "GE.25" not in text and "A/HRC/59/15" not in text and "  " not in text, r.id
        assert r.fields["recommending_states"], r.id
    first = review.records[0].fields
    assert len(first["recommending_states"]) == 8
    assert first["recommending_states"][-1] == {"name": "Bolivarian Republic of Venezuela", "iso3": "VEN"}
    assert not result.unmatched_states, result.unmatched_states


def addendum_positions(data: Path) -> dict[str, str]:
    result = read("responses", ADDENDUM, options(data, review="svn-upr4"))
    assert not result.problems.errors, [p.format() for p in result.problems.items]
    (review,) = result.reviews
    return {r.id: r.fields["position"] for r in review.records}


def test_addendum_reproduces_217_supported_and_37_noted(data: Path) -> None:
    text = ADDENDUM.read_text(encoding="utf-8")
    assert "217\n            are supported and 37 noted" in text or "217 are supported and 37 noted" in " ".join(
        text.split()
    )
    positions = addendum_positions(data)
    assert sorted(positions, key=lambda i: int(i.split(".")[1])) == [f"140.{n}" for n in range(1, 255)]
    assert Counter(positions.values()) == {"supported": 217, "noted": 37}
    result = read("responses", ADDENDUM, options(data, review="svn-upr4"))
    counts = result.reviews[0].review["counts"]
    assert (counts["received"], counts["supported"], counts["noted"]) == (254, 217, 37)
    claims = Counter(r.fields["claim"] for r in result.reviews[0].records)
    assert claims["implemented-or-in-progress"] == 39
    comments = {r.id: r.fields.get("state_comment") for r in result.reviews[0].records}
    assert sum(1 for c in comments.values() if c) == 83
    assert (
        comments["140.11"]
        == comments["140.14"]
        == ("The 1961 Convention on the Reduction of Statelessness was ratified on 30 January 2025.")
    )
    assert comments["140.46"] is not None and comments["140.46"].startswith("Slovenia remains committed")
    assert all("A/HRC/59/15" not in c and "GE.25" not in c for c in comments.values() if c)


def test_thematic_list_agrees_with_the_addendum_for_every_id(data: Path) -> None:
    result = read("ohchr-matrix", MATRIX, options(data, review="svn-upr4"))
    assert not result.problems.errors, [p.format() for p in result.problems.items]
    (review,) = result.reviews
    matrix = {r.id: r.fields["position"] for r in review.records}
    assert len(review.records) == 254 and len(matrix) == 254
    assert matrix == addendum_positions(data)
    merged = [r for r in review.records if len(r.fields["recommending_states"]) > 1]
    assert merged, "the matrix holds merged records with several States"
    assert all(r.fields["position_source"]["document"] == "A/HRC/59/15/Add.1" for r in review.records)


@pytest.mark.slow
def test_all_imported_data_passes_validate(data: Path) -> None:
    run_import("upr-info", UPR_INFO, options(data, select_all=True, encoding="mac-roman"), today=DAY)
    run_import("wg-report", REPORT, options(data), today=DAY)
    run_import("responses", ADDENDUM, options(data), today=DAY)
    matrix = run_import("ohchr-matrix", MATRIX, options(data), today=DAY)
    assert not [w for w in matrix.warnings if w.code == "position-conflict"]
    proc = subprocess.run(
        [sys.executable, str(PROJECT / "build_site.py"), "validate", "--data", str(data)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "OK:" in proc.stdout
    result = check(data)
    review = result.kb.reviews["svn-upr4"]
    assert len(result.kb.reviews) == 42
    assert Counter(r.position.value for r in review.recommendations) == {"supported": 217, "noted": 37}
    assert not [p for p in result.problems.items if p.code == "count-mismatch"]
