"""Slovenia's 2nd cycle end to end: report, addendum, thematic list, UPR Info rows, reconciliation.

Expected figures: the report's IDs 115.1–115.163 and the addendum's totals (A/HRC/28/15/Add.1
paras 1–2: 163 recommendations, 142 accepted, 21 noted); the recommending States of a few
records as read by hand from the printed report; UPR Info's rows for Slovenia, session 20,
counted here with the csv module. Fixtures in ../shared/fixtures; skipped where absent.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from tests.conftest import import_options
from tests.project import PROJECT
from uprkb.cli import main
from uprkb.importers import read
from uprkb.importers.states import split_state_names
from uprkb.importers.text import split_states

FIXTURES = PROJECT.parent / "shared" / "fixtures"
SVN2 = FIXTURES / "ohchr-slovenia-upr2"
UPR_CSV = FIXTURES / "upr-info" / "upr-info-sessions-17-20.csv"
options = import_options
needs_fixtures = pytest.mark.skipif(
    not (SVN2.is_dir() and UPR_CSV.exists()),
    reason="the real UPR material is not beside the checkout (../shared/fixtures)",
)

# Read by hand from A/HRC/28/15, para. 115 (pages 13-14 of the PDF).
BY_HAND = {
    "115.3": ["PRT", "SVK"],
    "115.4": ["ESP", "TUN", "PRT"],
    "115.6": ["IRN"],
    "115.8": ["SEN", "SLE", "VEN", "PER", "URY"],
    "115.10": ["BIH"],
    "115.12": ["EGY"],
    "115.16": ["BEL", "FRA", "TUN", "SLE", "ARG"],
}


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Korea, Republic of, France", ["Korea, Republic of", "France"]),
        ("France, Korea, Republic of", ["France", "Korea, Republic of"]),
        ("Iran (Islamic Republic of), Chile", ["Iran (Islamic Republic of)", "Chile"]),
        ("Venezuela, Bolivarian Republic of; Cuba", ["Venezuela, Bolivarian Republic of", "Cuba"]),
        ("Trinidad and Tobago and Chile", ["Trinidad and Tobago", "Chile"]),
        ("Antigua and Barbuda, Saint Kitts and Nevis", ["Antigua and Barbuda", "Saint Kitts and Nevis"]),
        ("Spain, Portugal, and Chile", ["Spain", "Portugal", "Chile"]),
        (
            "United Kingdom of Great Britain and Northern Ireland",
            ["United Kingdom of Great Britain and Northern Ireland"],
        ),
        ("see paragraph 98, above", ["see paragraph 98, above"]),
    ],
)
def test_a_list_of_states_keeps_names_with_commas_and_ands_whole(text: str, names: list[str]) -> None:
    assert split_state_names(text) == names


def test_a_report_item_ending_with_a_comma_list_names_every_state() -> None:
    text, states = split_states("Ratify ICRMW (Korea, Republic of, Iran (Islamic Republic of), and Chile);")
    assert text == "Ratify ICRMW"
    assert states == ["Korea, Republic of", "Iran (Islamic Republic of)", "Chile"]


@needs_fixtures
@pytest.mark.parametrize("suffix", [".txt", ".pdf"])
def test_slovenia_2nd_cycle_report_names_every_state_of_a_parenthesis(data: Path, suffix: str) -> None:
    result = read("wg-report", SVN2 / f"A_HRC_28_15_working-group-report{suffix}", options(data))
    assert not result.problems.errors, [p.format() for p in result.problems.items]
    (review,) = result.reviews
    recs = {r.id: r.fields for r in review.records}
    assert list(recs) == [f"115.{n}" for n in range(1, 164)]
    for rid, iso3s in BY_HAND.items():
        assert [s.get("iso3") for s in recs[rid]["recommending_states"]] == iso3s, rid
    assert recs["115.8"]["text"] == "Ratify ICRMW"
    assert all(s.get("iso3") for r in recs.values() for s in r["recommending_states"])


def _csv_rows() -> list[dict[str, str]]:
    text = UPR_CSV.read_bytes().decode("mac_roman")
    return [r for r in csv.DictReader(io.StringIO(text, newline="")) if r["To"] == "Slovenia" and r["Session"] == "20"]


@needs_fixtures
def test_slovenia_2nd_cycle_reconciles_upr_info_with_report_addendum_and_list(data: Path, tmp_path: Path) -> None:
    rows = _csv_rows()
    responses = Counter(r["Response"] for r in rows)
    assert len(rows) == 180 and responses == {"Accepted": 155, "Noted": 25}
    run = CliRunner()
    d = ["--data", str(data)]
    steps = [
        ["import", "wg-report", str(SVN2 / "A_HRC_28_15_working-group-report.txt"), *d],
        ["import", "responses", str(SVN2 / "A_HRC_28_15_Add1_state-responses.txt"), "--review", "svn-upr2", *d],
        ["import", "ohchr-matrix", str(SVN2 / "thematic-list-of-recommendations.docx"), "--review", "svn-upr2", *d],
        ["import", "upr-info", str(UPR_CSV), "--state", "SVN", "--session", "20", "--encoding", "mac-roman", *d],
    ]
    for args in steps:
        got = run.invoke(main, args)
        assert got.exit_code == 0, (args[1], got.output)
    out = tmp_path / "svn-upr2.yaml"
    got = run.invoke(main, ["review", "reconcile", "svn-upr2", *d, "-o", str(out)])
    assert got.exit_code == 0, got.output
    assert "180 UPR Info row(s), 163 official ID(s); 180 matched to 163 ID(s), 0 unmatched, 0 disagreement(s)" in (
        got.output
    )
    written = yaml.safe_load(out.read_text(encoding="utf-8"))
    summary = written["summary"]
    assert (summary["official_ids"], summary["rows"], summary["matched"]) == (163, 180, 180)
    assert (summary["unmatched"], summary["ids_with_rows"], summary["disagreements"]) == (0, 163, 0)
    # The official positions are the addendum's: 142 accepted, 21 noted; UPR Info's 25 Noted rows fall on those 21.
    recs = yaml.safe_load((data / "reviews" / "svn-upr2" / "recommendations.yaml").read_text(encoding="utf-8"))
    official = {r["id"]: r for r in recs["recommendations"] if not r.get("id_assigned")}
    assert Counter(r["position"] for r in official.values()) == {"supported": 142, "noted": 21}
    on_noted = sum(len(v.get("upr-info", [])) for k, v in written["ids"].items() if official[k]["position"] == "noted")
    assert on_noted == responses["Noted"]
    # Each row's State is one of its record's States (UPR Info splits a multi-State recommendation by State).
    for rid, iso3s in BY_HAND.items():
        assert sorted(s for row in written["ids"][rid]["upr-info"] for s in row["states"]) == sorted(iso3s), rid
