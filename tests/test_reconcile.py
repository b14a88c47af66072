"""UPR Info's rows matched to official IDs, and ``review reconcile --apply`` merging them.

Our own samples (always run): the Iceland report and addendum of tests/samples with a small
UPR Info export of the same review written here. The real material (China and Slovenia,
2nd cycle, ../shared/fixtures) is used where it stands beside the checkout, and skipped, saying
why, where it does not. Row counts of the real export are counted here with the csv module; the
official IDs are the reports' numbering (China: 186.1-186.252; Slovenia: 115.1-115.163, stated
in A/HRC/28/15/Add.1).
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from tests.conftest import import_options, import_samples
from tests.project import PROJECT
from uprkb.cli import main
from uprkb.core.errors import UserError
from uprkb.core.yamlout import dump
from uprkb.importers import read
from uprkb.importers.reconcile import reconcile, reconcile_review, text_key
from uprkb.importers.writer import RECS_HEADER

FIXTURES = PROJECT.parent / "shared" / "fixtures"
UPR = FIXTURES / "upr-info"
CHINA = FIXTURES / "ohchr-china-upr2" / "matrix-of-recommendations.docx"
CHINA_REPORT = FIXTURES / "ohchr-china-upr2" / "A_HRC_25_5_working-group-report.pdf"
SLOVENIA = FIXTURES / "ohchr-slovenia-upr2" / "thematic-list-of-recommendations.docx"
SLOVENIA_REPORT = FIXTURES / "ohchr-slovenia-upr2" / "A_HRC_28_15_working-group-report.txt"
SLOVENIA_ADDENDUM = FIXTURES / "ohchr-slovenia-upr2" / "A_HRC_28_15_Add1_state-responses.txt"
needs_fixtures = pytest.mark.skipif(
    not (CHINA.exists() and SLOVENIA.exists() and UPR.is_dir()),
    reason="the real UPR material is not beside the checkout (../shared/fixtures)",
)
needs_merge_fixtures = pytest.mark.skipif(
    not all(
        p.exists()
        for p in (
            CHINA,
            CHINA_REPORT,
            SLOVENIA_REPORT,
            SLOVENIA_ADDENDUM,
            UPR / "upr-info-sessions-14-17.csv",
            UPR / "upr-info-sessions-17-20.csv",
        )
    ),
    reason="the real UPR material (China and Slovenia, 2nd cycle) is not beside the checkout (../shared/fixtures)",
)
options = import_options

# ---------------------------------------------------------------------------
# Our own sample: Iceland's review (tests/samples) and UPR Info's rows of it, written here
# ---------------------------------------------------------------------------

FIRST = "Adopt the first sample measure on the rights of migrant workers"
SECOND = "Adopt the second sample measure, funded in full"
ICELAND_ROWS = [
    # Text, From, From-Rgrp, From-Org, Response, Action, Issue
    (FIRST, "Norway", "WEOG", "EFTA, NATO", "Noted", "4", "Torture and other CID treatment"),
    (FIRST, "Ghana", "Africa", "AU, OIF", "Accepted", "5", "Women's rights,Other"),
    (SECOND, "Venezuela", "GRULAC", "ALBA, OAS", "Accepted", "5", "Rights of the Child"),
    ("Adopt the fourth sample measure", "Cabo Verde", "Africa", "AU", "Accepted", "3", "Women's rights"),
    ("Adopt the thirteenth sample measure", "Mexico", "GRULAC", "OAS", "Noted", "2", "Detention"),
    ("Adopt the nineteenth sample measure", "Iran", "Asia", "OIC", "Accepted", "4", "Counter terrorism"),
    ("Adopt a sample measure the report does not hold", "France", "WEOG", "EU, OIF", "Accepted", "5", "Women's rights"),
]
"""UPR Info's rows of the sample review: two States' rows of one merged record (98.1), positions that
agree and disagree with the addendum, a recommendation the addendum leaves without a position (98.4)
and a row the report does not hold (France)."""

REPORT = ("wg-report", "wg-report-sample.txt")
ADDENDUM = ("responses", "addendum-sample.txt")
MATRIX = ("ohchr-matrix", "matrix-sample.txt", "--review", "isl-upr4")


def iceland(data: Path, *official: tuple[str, ...]) -> Path:
    """The sample review imported (the given official documents, then UPR Info's rows); its records' file."""
    import_samples(data, official)
    csv_path = data.parent / "upr-info-iceland.csv"
    with csv_path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(
            [
                "To",
                "To-Rgrp",
                "To-Org",
                "Text",
                "From",
                "From-Rgrp",
                "From-Org",
                "Response",
                "Action",
                "Issue",
                "Session",
            ]
        )
        out.writerows(["Iceland", "WEOG", "", *row, "49"] for row in ICELAND_ROWS)
    got = CliRunner().invoke(main, ["import", "upr-info", str(csv_path), "--all", "--data", str(data)])
    assert got.exit_code == 0, got.output
    return data / "reviews" / "isl-upr4" / "recommendations.yaml"


def records(path: Path) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in yaml.safe_load(path.read_text(encoding="utf-8"))["recommendations"]}


def row_of(recs: dict[str, dict[str, Any]], iso3: str) -> dict[str, Any]:
    (row,) = [r for r in recs.values() if r.get("id_assigned") and r["recommending_states"][0].get("iso3") == iso3]
    return row


def edit(path: Path, change: dict[str, dict[str, Any]]) -> None:
    """Set fields of some records, as an editor would (the file rewritten by the project's writer)."""
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    for rec in doc["recommendations"]:
        rec.update(change.get(rec["id"], {}))
    path.write_text(dump(doc, RECS_HEADER), encoding="utf-8")


def apply(data: Path, review: str = "isl-upr4") -> Any:
    return CliRunner().invoke(main, ["review", "reconcile", review, "--data", str(data), "--apply"])


def backups(data: Path) -> list[Path]:
    return sorted((data.parent / "backups").rglob("*.yaml")) if (data.parent / "backups").exists() else []


def test_apply_keeps_what_every_source_says(data: Path) -> None:
    path = iceland(data, REPORT, ADDENDUM)
    before = records(path)
    norway, ghana, venezuela = row_of(before, "NOR"), row_of(before, "GHA"), row_of(before, "VEN")
    assert before["98.1"]["position"] == "supported" and "themes" not in before["98.1"]

    got = apply(data)

    assert got.exit_code == 0, got.output
    after = records(path)
    assert len(after) == 21  # the report's 20, and France's row, which no record matches
    first = after["98.1"]
    # The report's ID, text and States, the addendum's position: the official documents'.
    assert first["text"].startswith("Adopt the first sample measure on the rights of migrant workers")
    assert first["position"] == "supported"
    assert first["position_source"]["document"] == "A/HRC/99/10/Add.1"
    # UPR Info's regional groups and organisations, on each of the report's States.
    states = {s["iso3"]: s for s in first["recommending_states"]}
    assert list(states) == ["NOR", "GHA"]
    assert states["NOR"]["regional_group"] == "WEOG" and states["NOR"]["organisations"] == ["EFTA", "NATO"]
    assert states["GHA"]["regional_group"] == "Africa" and states["GHA"]["organisations"] == ["AU", "OIF"]
    # UPR Info's labels, where the official documents give none: both rows' themes, and the unmapped one.
    assert first["themes"] == ["torture", "womens-rights"]
    assert first["unmapped"] == [{"system": "upr-info", "kind": "themes", "label": "Other"}]
    # UPR Info's action category (its two rows differ: listed below, the first State's kept).
    assert first["action_category"] == 4
    assert sorted(first["aliases"]) == sorted([norway["id"], ghana["id"]])
    assert first["provenance"] == ["upr-info", "wg-report", "responses"]
    assert first["field_sources"] == {
        "themes": "upr-info",
        "action_category": "upr-info",
        "regional_group": "upr-info",
        "organisations": "upr-info",
    }
    # A position the addendum does not give (98.4 is in none of its lists) is UPR Info's.
    assert after["98.4"]["position"] == "supported"
    assert after["98.4"]["position_source"] == {"database": "UPR Info"}
    assert after["98.4"]["field_sources"]["position"] == "upr-info"
    # Every disagreement is listed, never silently resolved.
    out = got.output
    assert f"98.1 ({norway['id']}) position: official supported, UPR Info noted" in out
    assert "98.19" in out and "supported-in-part" in out
    assert "98.1 action_category" in out and "4" in out and "5" in out
    # The merge says what it did.
    assert "6 UPR Info row(s) merged into 5 official record(s)" in out
    assert venezuela["id"] not in after


def test_apply_keeps_the_editors_notes_and_tags_and_writes_a_backup(data: Path) -> None:
    path = iceland(data, REPORT, ADDENDUM)
    venezuela = row_of(records(path), "VEN")
    edit(
        path,
        {
            "98.2": {"notes": "Checked against the report.", "tags": ["priority"]},
            venezuela["id"]: {"notes": "UPR Info spells the State 'Venezuela'.", "tags": ["check", "priority"]},
        },
    )
    replaced = path.read_bytes()

    got = apply(data)

    assert got.exit_code == 0, got.output
    second = records(path)["98.2"]
    assert second["notes"] == "Checked against the report.\n\nUPR Info spells the State 'Venezuela'."
    assert second["tags"] == ["priority", "check"]
    assert second["aliases"] == [venezuela["id"]]
    (backup,) = backups(data)
    assert backup.read_bytes() == replaced
    assert backup.parent == data.parent / "backups" / "reviews" / "isl-upr4"
    assert backup.name in got.output
    # The backup is outside the data folder: validate neither reads it nor warns about it.
    from uprkb.check.validate import check

    result = check(data)
    assert result.ok, [p.format() for p in result.problems.errors]
    assert not [p for p in result.problems.warnings if p.code == "stray-file"]


def test_apply_takes_upr_info_positions_where_the_official_ones_are_pending(data: Path) -> None:
    path = iceland(data, REPORT)  # the report only: "will be examined", no position yet
    before = records(path)
    assert Counter(r["position"] for r in before.values() if not r.get("id_assigned")) == {"unknown": 20}
    norway = row_of(before, "NOR")

    got = apply(data)

    assert got.exit_code == 0, got.output
    after = records(path)
    assert after["98.2"]["position"] == "supported" and after["98.13"]["position"] == "noted"
    assert after["98.2"]["position_source"] == {"database": "UPR Info"}
    assert after["98.2"]["field_sources"]["position"] == "upr-info"
    # Norway's row says noted, Ghana's accepted: not resolved, listed.
    assert after["98.1"]["position"] == "unknown"
    assert "98.1 position" in got.output and norway["id"] in got.output
    assert Counter(r["position"] for r in after.values() if not r.get("id_assigned")) == {
        "unknown": 16,
        "supported": 3,
        "noted": 1,
    }


def test_apply_keeps_the_official_labels_and_lists_upr_info_s(data: Path) -> None:
    path = iceland(data, REPORT, ADDENDUM, MATRIX)
    matrix_themes = records(path)["98.2"]["themes"]
    assert matrix_themes and "rights-of-the-child" not in matrix_themes

    got = apply(data)

    assert got.exit_code == 0, got.output
    after = records(path)
    assert after["98.2"]["themes"] == matrix_themes
    assert "themes" not in after["98.2"].get("field_sources", {})
    assert after["98.4"]["themes"] == ["womens-rights"]  # the matrix does not list 98.4
    assert "98.2 themes" in got.output and "rights-of-the-child" in got.output


def test_a_follow_up_citing_a_folded_row_still_resolves(data: Path) -> None:
    from uprkb.check.validate import check
    from uprkb.index.followup import Resolver

    path = iceland(data, REPORT, ADDENDUM)
    ghana = row_of(records(path), "GHA")
    section = data / "submissions" / "ili-kazakhstan-upr4" / "sections" / "01-legal-framework.yaml"
    text = section.read_text(encoding="utf-8")
    section.write_text(text.replace("    follows_up: []", f"    follows_up:\n    - isl-upr4/{ghana['id']}", 1))
    assert check(data).ok

    assert apply(data).exit_code == 0

    result = check(data)
    assert result.ok and result.kb is not None, [p.format() for p in result.problems.errors]
    assert not [p for p in result.problems.items if p.code == "unknown-reference"]
    resolved = Resolver(result.kb.reviews).resolve(f"isl-upr4/{ghana['id']}")
    assert resolved.recommendation is not None and resolved.recommendation.id == "98.1"


def test_a_second_apply_has_nothing_to_merge_and_writes_nothing(data: Path) -> None:
    path = iceland(data, REPORT, ADDENDUM)
    assert apply(data).exit_code == 0
    merged = path.read_bytes()

    again = apply(data)

    assert again.exit_code == 0, again.output
    assert "Nothing to merge" in again.output
    assert path.read_bytes() == merged and len(backups(data)) == 1


@pytest.mark.parametrize(
    "given",
    ["../../x", "../x", "isl-upr4/../../x", "/tmp/isl-upr4", "ISL-UPR4", "isl-upr4 ", "isl-upr4\n", "isl_upr4", "."],
)
def test_the_review_must_be_a_review_id(data: Path, given: str) -> None:
    path = iceland(data, REPORT, ADDENDUM)
    outside = data.parent / "x"
    outside.mkdir()
    (outside / "recommendations.yaml").write_bytes(path.read_bytes())
    files = {p: p.read_bytes() for p in data.parent.rglob("*") if p.is_file()}

    got = apply(data, given)

    assert got.exit_code != 0
    assert "Traceback" not in got.output
    assert "is not a review ID" in got.output and "svn-upr4" in got.output
    after = {p: p.read_bytes() for p in data.parent.rglob("*") if p.is_file()}
    assert after == files
    with pytest.raises(UserError, match="is not a review ID"):
        reconcile_review(data, given)


def test_an_unknown_review_is_named_with_the_ones_held(data: Path) -> None:
    iceland(data, REPORT, ADDENDUM)
    got = apply(data, "isl-upr3")
    assert got.exit_code != 0 and "Traceback" not in got.output
    assert "isl-upr3" in got.output and "isl-upr4" in got.output


# ---------------------------------------------------------------------------
# The real material
# ---------------------------------------------------------------------------


def _csv_rows(name: str, state: str, session: str) -> int:
    text = (UPR / name).read_bytes().decode("mac_roman")
    return sum(1 for r in csv.DictReader(io.StringIO(text, newline="")) if r["To"] == state and r["Session"] == session)


def test_text_key_drops_the_trailing_states() -> None:
    assert text_key("Ratify the ICCPR (France) ;") == text_key("ratify the ICCPR")


@needs_fixtures
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


@needs_fixtures
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

    written = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert written["summary"]["matched"] == 284 and written["unmatched"] == []
    again = runner.invoke(main, ["review", "reconcile", "chn-upr2", *d, "-o", str(out)])
    assert again.exit_code == 0, (again.output, again.exception)
    alias = written["ids"]["186.10"]["upr-info"][0]["id"]

    from uprkb.check.validate import check
    from uprkb.index.followup import Resolver

    result = check(data)
    assert result.ok and result.kb is not None, [p.format() for p in result.problems.errors[:5]]
    reviews = result.kb.reviews
    assert len(reviews["chn-upr2"].recommendations) == 252
    resolver = Resolver(reviews)
    by_symbol, by_alias = resolver.resolve("A/HRC/25/5#186.10"), resolver.resolve(f"chn-upr2/{alias}")
    assert by_symbol.recommendation is not None and by_symbol.recommendation.id == "186.10"
    assert by_alias.recommendation is not None and by_alias.recommendation.id == "186.10"
    assert by_alias.reference == "chn-upr2/186.10", "a folded row's ID links to the record that kept it"


FEATURES: dict[str, Any] = {
    "themes": lambda r: bool(r.get("themes")),
    "affected_persons": lambda r: bool(r.get("affected_persons")),
    "action_category": lambda r: r.get("action_category") is not None,
    "regional_group": lambda r: any(s.get("regional_group") for s in r["recommending_states"]),
    "organisations": lambda r: any(s.get("organisations") for s in r["recommending_states"]),
    "unmapped": lambda r: bool(r.get("unmapped")),
    "known position": lambda r: r.get("position", "unknown") != "unknown",
}
"""What a record may carry that --apply must keep, each as a test on the record's fields."""


def had(recs: dict[str, dict[str, Any]], aliases: dict[str, list[str]]) -> dict[str, tuple[set[str], set[str]]]:
    """Before a merge, per feature: the official IDs whose record or matched rows have it, and the rows that have it."""
    owner = {a: oid for oid, rows in aliases.items() for a in rows}
    out: dict[str, tuple[set[str], set[str]]] = {}
    for name, has in FEATURES.items():
        rows = {rid for rid, r in recs.items() if rid in owner and has(r)}
        ids = {rid for rid, r in recs.items() if not r.get("id_assigned") and has(r)} | {owner[r] for r in rows}
        out[name] = (ids, rows)
    return out


def kept(recs: dict[str, dict[str, Any]], before: dict[str, tuple[set[str], set[str]]]) -> dict[str, tuple[int, int]]:
    """After the merge, per feature: the records that have it, and the rows that had it whose record still has it."""
    out: dict[str, tuple[int, int]] = {}
    for name, has in FEATURES.items():
        ids = {rid for rid, r in recs.items() if has(r)}
        rows = {a for rid in ids for a in recs[rid].get("aliases", [])} & before[name][1]
        out[name] = (len(ids), len(rows))
    return out


def merge_real(
    data: Path, iso3: str, steps: list[list[str]]
) -> tuple[dict[str, tuple[int, int]], dict[str, tuple[int, int]], Any]:
    """Import, count per feature (records, rows) before --apply and after it."""
    runner = CliRunner()
    for args in steps:
        got = runner.invoke(main, [*args, "--data", str(data)])
        assert got.exit_code == 0, (args, got.output)
    review = f"{iso3.lower()}-upr2"
    path = data / "reviews" / review / "recommendations.yaml"
    result, _ = reconcile_review(data, review)
    assert result.unmatched == []
    sets = had(records(path), result.aliases())
    before = {name: (len(ids), len(rows)) for name, (ids, rows) in sets.items()}
    got = runner.invoke(main, ["review", "reconcile", review, "--data", str(data), "--apply"])
    assert got.exit_code == 0, got.output
    after = kept(records(path), sets)
    print(review, "(records, rows) before", before, "after", after)
    return before, after, got


@needs_merge_fixtures
def test_slovenia_2nd_cycle_apply_keeps_every_source(data: Path) -> None:
    csv_path = str(UPR / "upr-info-sessions-17-20.csv")
    before, after, got = merge_real(
        data,
        "SVN",
        [
            ["import", "upr-info", csv_path, "--state", "SVN", "--session", "20", "--encoding", "mac-roman"],
            ["import", "wg-report", str(SLOVENIA_REPORT)],
            ["import", "responses", str(SLOVENIA_ADDENDUM), "--review", "svn-upr2"],
        ],
    )
    assert after == before
    assert before["themes"] == (146, 163) and before["action_category"] == (163, 180)
    assert before["regional_group"][1] == 180
    recs = records(data / "reviews" / "svn-upr2" / "recommendations.yaml")
    assert len(recs) == 163 and sum(len(r.get("aliases", [])) for r in recs.values()) == 180
    assert Counter(r["position"] for r in recs.values()) == {"supported": 142, "noted": 21}
    assert "180 UPR Info row(s) merged into 163 official record(s)" in got.output


@needs_merge_fixtures
def test_china_2nd_cycle_apply_keeps_every_source(data: Path) -> None:
    csv_path = str(UPR / "upr-info-sessions-14-17.csv")
    before, after, got = merge_real(
        data,
        "CHN",
        [
            ["import", "upr-info", csv_path, "--state", "CHN", "--session", "17", "--encoding", "mac-roman"],
            ["import", "wg-report", str(CHINA_REPORT)],
            ["import", "ohchr-matrix", str(CHINA), "--review", "chn-upr2"],
        ],
    )
    assert after == before
    assert before["action_category"] == (251, 284) and before["organisations"] == (233, 265)
    recs = records(data / "reviews" / "chn-upr2" / "recommendations.yaml")
    assert len(recs) == 252 and sum(len(r.get("aliases", [])) for r in recs.values()) == 284
    # The matrix's themes are kept; where UPR Info's differ, the output lists them.
    assert "themes" in got.output


def test_the_readme_says_which_source_wins_and_where_the_backup_goes() -> None:
    from uprkb.importers.reconcile import BACKUPS

    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    part = readme[readme.index("### Reconciling UPR Info") :]
    part = part[: part.index("\n## ")]
    assert "python3 build_site.py review reconcile REVIEW" in part
    assert "| action category | UPR Info" in part and "`notes`, `tags`" in part
    assert f"{BACKUPS}/reviews/REVIEW/recommendations-YYYY-MM-DD-HHMMSS.yaml" in part
    assert "field_sources" in part and "aliases" in part
