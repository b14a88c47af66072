"""UPR Info's rows matched to official IDs: China and Slovenia, 2nd cycle (../shared/fixtures; skipped if absent).

Row counts are counted here with the csv module; the official IDs are the reports' numbering
(China: 186.1-186.252; Slovenia: 115.1-115.163, stated in A/HRC/28/15/Add.1).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import import_options
from tests.project import PROJECT
from uprkb.cli import main
from uprkb.importers import read
from uprkb.importers.reconcile import reconcile, text_key

FIXTURES = PROJECT.parent / "shared" / "fixtures"
UPR = FIXTURES / "upr-info"
CHINA = FIXTURES / "ohchr-china-upr2" / "matrix-of-recommendations.docx"
SLOVENIA = FIXTURES / "ohchr-slovenia-upr2" / "thematic-list-of-recommendations.docx"
pytestmark = pytest.mark.skipif(
    not (CHINA.exists() and SLOVENIA.exists() and UPR.is_dir()),
    reason="the real UPR material is not beside the checkout (../shared/fixtures)",
)
options = import_options


def _csv_rows(name: str, state: str, session: str) -> int:
    text = (UPR / name).read_bytes().decode("mac_roman")
    return sum(1 for r in csv.DictReader(io.StringIO(text, newline="")) if r["To"] == state and r["Session"] == session)


def test_text_key_drops_the_trailing_states() -> None:
    assert text_key("Ratify the ICCPR (France) ;") == text_key("ratify the ICCPR")


@pytest.mark.parametrize(
    ("csv_name", "state", "iso3", "session", "matrix", "ids"),
    [
        ("upr-info-sessions-14-17.csv", "China", "CHN", 17, CHINA, 252),
        ("upr-info-sessions-17-20.csv", "Slovenia", "SVN", 20, SLOVENIA, 163),
    ],
    ids=["china-upr2", "slovenia-upr2"],
)
def test_every_row_finds_its_official_id(
    data: Path, csv_name: str, state: str, iso3: str, session: int, matrix: Path, ids: int
) -> None:
    upr = read("upr-info", UPR / csv_name, options(data, state=iso3, session=session, encoding="mac-roman"))
    rows = [r.fields for r in upr.reviews[0].records]
    official = [r.fields for r in read("ohchr-matrix", matrix, options(data, state=iso3, cycle=2)).reviews[0].records]
    assert len(rows) == _csv_rows(csv_name, state, str(session))
    assert len(official) == ids
    result = reconcile(f"{iso3.lower()}-upr2", rows, official)
    assert result.unmatched == []
    assert len(result.matched) == len(rows)
    # UPR Info splits a multi-State recommendation into one row per State: each row's State is the record's.
    assert not [d for d in result.disagreements if d["field"] == "recommending_states"]
    by_id = {r["id"]: r for r in official}
    for m in result.matched:
        row = next(r for r in rows if r["id"] == m.row)
        assert row["recommending_states"][0]["iso3"] in {s["iso3"] for s in by_id[m.official]["recommending_states"]}
    print(iso3, len(rows), "rows ->", len(result.aliases()), "IDs;", len(result.disagreements), "disagreements")


def test_china_reconcile_command_folds_rows_into_aliases(data: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    d = ["--data", str(data)]
    csv_path = str(UPR / "upr-info-sessions-14-17.csv")
    args = ["import", "upr-info", csv_path, *d, "--state", "CHN", "--session", "17", "--encoding", "mac-roman"]
    assert runner.invoke(main, args).exit_code == 0
    got = runner.invoke(main, ["import", "ohchr-matrix", str(CHINA), *d, "--review", "chn-upr2"])
    assert got.exit_code == 0, got.output
    foreign = tmp_path / "mine.yaml"
    foreign.write_text("notes: mine\n", encoding="utf-8")
    refused = runner.invoke(main, ["review", "reconcile", "chn-upr2", *d, "-o", str(foreign)])
    assert refused.exit_code != 0 and foreign.read_text(encoding="utf-8") == "notes: mine\n"
    out = tmp_path / "chn-upr2.yaml"
    got = runner.invoke(main, ["review", "reconcile", "chn-upr2", *d, "-o", str(out), "--apply"])
    assert got.exit_code == 0, got.output
    assert "284 UPR Info row(s), 252 official ID(s); 284 matched" in got.output
    import yaml

    written = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert written["summary"]["matched"] == 284 and written["unmatched"] == []
    again = runner.invoke(main, ["review", "reconcile", "chn-upr2", *d, "-o", str(out)])
    assert again.exit_code == 0, (again.output, again.exception)
    alias = written["ids"]["186.10"]["upr-info"][0]["id"]

    from uprkb.check.validate import check
    from uprkb.index.followup import Resolver

    result = check(data)
    assert result.ok, [p.format() for p in result.problems.errors[:5]]
    reviews = result.kb.reviews
    assert len(reviews["chn-upr2"].recommendations) == 252
    resolver = Resolver(reviews)
    by_symbol, by_alias = resolver.resolve("A/HRC/25/5#186.10"), resolver.resolve(f"chn-upr2/{alias}")
    assert by_symbol.recommendation is not None and by_symbol.recommendation.id == "186.10"
    assert by_alias.recommendation is not None and by_alias.recommendation.id == "186.10"
