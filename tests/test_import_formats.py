"""Each review importer on samples written for the tests (see tests/samples/README.md), bad input
reported with its location, and the command line."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import import_options
from tests.project import PROJECT
from uprkb.check.validate import check
from uprkb.cli import main
from uprkb.core.errors import DataError
from uprkb.importers import read, run_import
from uprkb.importers.responses import parse_id_list
from uprkb.importers.upr_info import assigned_id

SAMPLES = Path(__file__).parent / "samples"
DAY = dt.date(2026, 1, 5)


# `data` (a private copy of the shipped data) is a fixture of conftest.py.
options = import_options


def ids(text: str) -> list[str]:
    listed, bad = parse_id_list(text)
    assert not bad
    return [x.id for x in listed]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("140.11-14", ["140.11", "140.12", "140.13", "140.14"]),
        ("140.82-85, 87", ["140.82", "140.83", "140.84", "140.85", "140.87"]),
        ("122.34- 35", ["122.34", "122.35"]),
        ("122.14\u2013 15", ["122.14", "122.15"]),
        ("140.11-\n14.", ["140.11", "140.12", "140.13", "140.14"]),
        ("140.35. 140.36, 140.37", ["140.35", "140.36", "140.37"]),
        ("140.10-140.12 and 140.20", ["140.10", "140.11", "140.12", "140.20"]),
        ("140.136.\n140.137, 140.138,\n", ["140.136", "140.137", "140.138"]),
        ("140.252.\n140.11-14\nThe Convention was ratified.", ["140.252"]),
        ("140.253\nand wishes to provide", ["140.253"]),
    ],
)
def test_id_lists_in_every_spelling(text: str, expected: list[str]) -> None:
    assert ids(text) == expected


def test_a_backwards_range_is_a_problem() -> None:
    listed, bad = parse_id_list("140.30-28, 140.31")
    assert [x.id for x in listed] == ["140.31"] and "impossible" in bad[0][1]


def test_upr_info_sample(data: Path) -> None:
    result = read("upr-info", SAMPLES / "upr-info-sample.csv", options(data, select_all=True))
    assert not result.problems.items
    by_id = {r.id: r for r in result.reviews}
    assert sorted(by_id) == ["civ-upr3", "mkd-upr2"]
    mkd = by_id["mkd-upr2"]
    assert mkd.review["state"] == {"name": "North Macedonia", "iso3": "MKD"} and mkd.review["session"] == 19
    recs = [r.fields for r in mkd.records]
    assert recs[0]["id"] == assigned_id("Norway", "Adopt a first sample measure on prison conditions")
    assert recs[0]["text"] == "Adopt a first sample measure on prison conditions"
    assert recs[0]["themes"] == ["torture"] and recs[0]["action_category"] == 5
    assert recs[0]["unmapped"] == [{"system": "upr-info", "kind": "themes", "label": "Other"}]
    assert recs[1]["text"] == 'Adopt a second sample measure on "civil society" registration'
    assert recs[1]["themes"] == ["freedom-of-assembly", "freedom-of-association"]
    assert recs[1]["recommending_states"] == [
        {"name": "Chile", "iso3": "CHL", "regional_group": "GRULAC", "organisations": ["OAS", "OEI"]}
    ]
    assert recs[2]["recommending_states"][0]["iso3"] == "PRK"
    assert recs[3]["id"] == recs[2]["id"] + "-2", "a repeated row gets a stable second ID"
    assert [r["position"] for r in recs] == ["supported", "noted", "supported", "supported"]
    civ = by_id["civ-upr3"]
    assert civ.review["cycle"] == 3 and civ.review["state"]["iso3"] == "CIV"
    assert [r.fields["themes"] for r in civ.records][0] == ["counter-terrorism"]
    assert result.unmatched_states == {"European Union": 1}
    assert dict(result.unmapped) == {("upr-info", "themes", "Other"): 1}, "'Other' names no theme"
    assert [r.fields["themes"] for r in civ.records][1] == ["rights-of-the-child", "womens-rights"]


def test_upr_info_selects_by_state_and_session(data: Path) -> None:
    by_code = read("upr-info", SAMPLES / "upr-info-sample.csv", options(data, state="CIV"))
    by_name = read("upr-info", SAMPLES / "upr-info-sample.csv", options(data, state="Macedonia FYR"))
    by_session = read("upr-info", SAMPLES / "upr-info-sample.csv", options(data, session=33))
    assert [r.id for r in by_code.reviews] == ["civ-upr3"] == [r.id for r in by_session.reviews]
    assert [r.id for r in by_name.reviews] == ["mkd-upr2"]


def test_wg_report_sample(data: Path) -> None:
    result = read("wg-report", SAMPLES / "wg-report-sample.txt", options(data))
    assert not result.problems.items, [p.format() for p in result.problems.items]
    (review,) = result.reviews
    assert review.id == "isl-upr4"
    assert review.review["report"] == "A/HRC/99/10" and review.review["session"] == 49
    assert review.review["review_date"] == "2026-05-06"
    recs = {r.id: r.fields for r in review.records}
    assert list(recs) == [f"98.{n}" for n in range(1, 21)]
    assert [s["name"] for s in recs["98.1"]["recommending_states"]] == ["Norway", "Ghana"]
    assert recs["98.1"]["text"] == "Adopt the first sample measure on the rights of migrant workers"
    assert recs["98.3"]["text"] == "Adopt the third sample measure, including through a well-funded plan"
    assert recs["98.3"]["recommending_states"] == [{"name": "Venezuela (Bolivarian Republic of)", "iso3": "VEN"}]
    assert recs["98.6"]["text"].endswith("against Torture (CAT)"), "a parenthesis that names no State stays in the text"
    assert recs["98.7"]["text"].endswith("runs on across the page break of the report")
    assert recs["98.20"]["recommending_states"] == [{"name": "State of Palestine", "iso3": "PSE"}]
    assert "position" not in recs["98.1"], "'will be examined' states no position"


def test_wg_report_numbering_gaps_are_located(data: Path, tmp_path: Path) -> None:
    bad = tmp_path / "report.txt"
    text = (SAMPLES / "wg-report-sample.txt").read_text(encoding="utf-8")
    bad.write_text(text.replace("98.9    Adopt", "Adopt"), encoding="utf-8")
    with pytest.raises(DataError) as info:
        run_import("wg-report", bad, options(data), today=DAY)
    found = {(p.code, p.location.line) for p in info.value.problems}
    assert ("impossible-id", 44) in found, found  # 98.10 follows 98.8: 98.9 is missing
    assert not (data / "reviews").exists()


def test_wg_report_misprinted_number_is_read_in_its_sequence_and_said(data: Path, tmp_path: Path) -> None:
    bad = tmp_path / "report.txt"
    text = (SAMPLES / "wg-report-sample.txt").read_text(encoding="utf-8")
    bad.write_text(text.replace("98.9    Adopt", "98.19   Adopt"), encoding="utf-8")
    report = run_import("wg-report", bad, options(data), today=DAY)
    assert [(w.code, w.location.line) for w in report.warnings] == [("misprinted-number", 43)]
    assert "printed 98.19, read as 98.9" in report.warnings[0].message


def test_addendum_sample_positions_and_counts(data: Path) -> None:
    run_import("wg-report", SAMPLES / "wg-report-sample.txt", options(data), today=DAY)
    report = run_import("responses", SAMPLES / "addendum-sample.txt", options(data), today=DAY)
    assert [(w.code, "98.4" in w.message) for w in report.warnings] == [("no-position", True)]
    result = check(data)
    assert result.ok, [p.format() for p in result.problems.errors]
    review = result.kb.reviews["isl-upr4"]
    pos = {r.id: (r.position.value, r.claim.value if r.claim else None) for r in review.recommendations}
    assert [k for k, v in pos.items() if v == ("supported", None)] == [f"98.{n}" for n in (1, 2, 3, 5, 6, 7, 8)]
    assert [k for k, v in pos.items() if v[1] == "implemented-or-in-progress"] == ["98.9", "98.10", "98.11", "98.12"]
    assert sorted(k for k, v in pos.items() if v[0] == "noted") == sorted(f"98.{n}" for n in range(13, 19))
    assert pos["98.19"] == pos["98.20"] == ("supported-in-part", None) and pos["98.4"] == ("unknown", None)
    assert review.by_id["98.13"].position_source is not None
    assert review.by_id["98.13"].position_source.paragraph == "5"
    assert [review.by_id[f"98.{n}"].state_comment for n in (1, 3, 9, 12, 13, 15)] == [
        "A sample explanation of the first three.",
        "A sample explanation of the first three.",
        "A sample explanation.",
        "A sample explanation.",
        "A sample explanation of why.",
        "A sample explanation of why.",
    ]
    assert review.by_id["98.5"].state_comment is None and review.by_id["98.19"].state_comment is None
    assert review.review.addendum == "A/HRC/99/10/Add.1"
    assert review.review.counts is not None and (review.review.counts.supported, review.review.counts.noted) == (11, 6)


def test_an_explanation_of_an_id_the_review_lacks_is_located(data: Path, tmp_path: Path) -> None:
    run_import("wg-report", SAMPLES / "wg-report-sample.txt", options(data), today=DAY)
    bad = tmp_path / "addendum.txt"
    text = (SAMPLES / "addendum-sample.txt").read_text(encoding="utf-8")
    bad.write_text(text.replace("            98.13-15\n", "            98.13-15, 98.40\n"), encoding="utf-8")
    with pytest.raises(DataError) as info:
        run_import("responses", bad, options(data), today=DAY)
    found = sorted((p.code, p.location.line) for p in info.value.problems)
    assert found == [("no-position", 39)], "explained but given no position anywhere"
    assert all("98.40" in p.message for p in info.value.problems)


def test_addendum_for_a_review_not_in_the_data(data: Path) -> None:
    with pytest.raises(DataError) as info:
        run_import("responses", SAMPLES / "addendum-sample.txt", options(data), today=DAY)
    assert [p.code for p in info.value.problems] == ["unknown-review"]


def test_matrix_sample_adds_tags_and_keeps_the_addendums_position(data: Path, tmp_path: Path) -> None:
    run_import("wg-report", SAMPLES / "wg-report-sample.txt", options(data), today=DAY)
    run_import("responses", SAMPLES / "addendum-sample.txt", options(data), today=DAY)
    matrix = tmp_path / "matrix.txt"
    matrix.write_text(
        (SAMPLES / "matrix-sample.txt").read_text(encoding="utf-8").replace("Para.5\nNoted", "Para.5\nSupported"),
        encoding="utf-8",
    )
    report = run_import("ohchr-matrix", matrix, options(data), today=DAY)
    assert [w.code for w in report.warnings] == ["position-conflict"] and "98.13" in report.warnings[0].message
    review = check(data).kb.reviews["isl-upr4"]
    r1, r2, r13 = (review.by_id[i] for i in ("98.1", "98.2", "98.13"))
    assert r13.position.value == "noted", "the addendum outranks the matrix"
    assert (r1.themes, r1.affected_persons, r1.sdg_goals) == (
        ["rights-of-migrants", "ratification-of-international-instruments"],
        ["migrants", "public-officials"],
        [8, 10],
    )
    assert r1.unmapped == []
    assert r2.themes == ["asylum-and-refugees"] and r2.affected_persons == ["refugees-and-asylum-seekers"]
    assert r13.themes == ["torture"] and [p.value for p in r13.provenance] == ["wg-report", "responses", "ohchr-matrix"]


def test_matrix_alone_needs_a_state_and_cycle(data: Path) -> None:
    with pytest.raises(DataError) as info:
        run_import("ohchr-matrix", SAMPLES / "matrix-sample.txt", options(data), today=DAY)
    assert [p.code for p in info.value.problems] == ["unknown-review"]
    run_import("ohchr-matrix", SAMPLES / "matrix-sample.txt", options(data, state="ISL", cycle=4), today=DAY)
    review = check(data).kb.reviews["isl-upr4"]
    assert [r.id for r in review.recommendations] == ["98.1", "98.2", "98.13"]
    assert review.by_id["98.2"].position_source is not None
    assert review.by_id["98.2"].position_source.paragraph == "3", "'Para.3vv' is paragraph 3"


def uhri_rows() -> list[dict[str, object]]:
    return json.loads((SAMPLES / "uhri-sample.json").read_text(encoding="utf-8"))


def test_uhri_json_sample(data: Path) -> None:
    run_import("uhri", SAMPLES / "uhri-sample.json", options(data), today=DAY)
    result = check(data)
    assert result.ok, [p.format() for p in result.problems.errors]
    review = result.kb.reviews["isl-upr4"]
    assert (review.review.report, review.review.session) == ("A/HRC/99/10", 49)
    r1 = review.by_id["98.1"]
    assert r1.upstream is not None and r1.upstream.uhri == "a1b2c3d4-0001"
    assert (r1.position.value, r1.sdg_goals) == ("supported", [8, 10])
    assert r1.themes == ["rights-of-migrants", "ratification-of-international-instruments"]
    assert [s.iso3 for s in r1.recommending_states] == ["NOR", "GHA"]
    r13 = review.by_id["98.13"]
    assert r13.themes == ["torture"] and (r13.sdg_goals, r13.sdg_targets) == ([16], ["sdg-16-3"])
    assert [(u.kind, u.label) for u in r13.unmapped] == [("sdgs", "16.99 A target no vocabulary lists")]
    odd = review.by_id["uhri-a1b2c3d4-0003"]
    assert odd.id_assigned and odd.themes == ["equality-and-non-discrimination"] and odd.unmapped == []


def test_uhri_excel_with_the_misspelled_columns(data: Path, tmp_path: Path) -> None:
    """The Excel export is made here from the JSON sample, with the column titles UHRI's Excel uses."""
    from openpyxl import Workbook

    titles = {
        "AnnotationId": "Annotation Id",
        "Symbol": "Symbol",
        "Text": "Text",
        "Countries": "Countries",
        "Themes": "Themes",
        "AffectedPersons": "Affected Persons",
        "Sdgs": "SDGs",
        "UprCycle": "UPR Cycle",
        "UprPositions": "UPR Position",
        "UprRecommendingCountry": "UPR Reccomending States",
        "UprSession": "UPR Session",
        "PublicationDate": "Publication Date",
    }
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append([*titles.values(), "Reccomending Body"])
    for row in uhri_rows():
        ws.append([v if isinstance(v, str) else "\n".join(v) for k, v in ((k, row[k]) for k in titles)] + ["UPR"])
    path = tmp_path / "uhri.xlsx"
    wb.save(path)
    run_import("uhri", path, options(data), today=DAY)
    review = check(data).kb.reviews["isl-upr4"]
    assert sorted(r.id for r in review.recommendations) == ["98.1", "98.13", "uhri-a1b2c3d4-0003"]
    assert review.by_id["98.13"].position.value == "noted"
    assert [s.name for s in review.by_id["98.1"].recommending_states] == ["Norway", "Ghana"]


@pytest.mark.parametrize(
    ("name", "content", "code", "line"),
    [
        ("bad.csv", b"To,From,Text\nA,B,C\n", "missing-column", 1),
        ("latin.csv", "To,Text\nC\u00f4te,x\n".encode("latin-1"), "encoding", 2),
        (
            "rows.csv",
            b"To,To-Rgrp,To-Org,Text,From,From-Rgrp,From-Org,Response,Action,Issue,Session\n"
            b"Chile,GRULAC,,Do a thing,Peru,GRULAC,,Accepted,4,,19\n"
            b"Chile,GRULAC,,Do a thing,Peru,GRULAC,,Maybe,9,,19\n"
            b'Chile,GRULAC,,"Do, a thing,Peru,GRULAC,,Accepted,4,,19\n',
            "invalid-choice",
            3,
        ),
    ],
)
def test_bad_upr_info_input_is_located(
    data: Path, tmp_path: Path, name: str, content: bytes, code: str, line: int
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DataError) as info:
        run_import("upr-info", path, options(data, select_all=True), today=DAY)
    assert (code, line) in {(p.code, p.location.line) for p in info.value.problems}
    assert not (data / "reviews").exists()


def test_bad_uhri_input_is_located(data: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('[{"AnnotationId": "1",\n "Text": }]', encoding="utf-8")
    with pytest.raises(DataError) as info:
        run_import("uhri", broken, options(data), today=DAY)
    assert [(p.code, p.location.line) for p in info.value.problems] == [("invalid-format", 2)]
    not_excel = tmp_path / "fake.xlsx"
    not_excel.write_bytes(b"not a workbook")
    with pytest.raises(DataError) as info:
        run_import("uhri", not_excel, options(data), today=DAY)
    assert [p.code for p in info.value.problems] == ["invalid-format"]


def test_cli_imports_and_reports_unmapped_labels(data: Path) -> None:
    runner = CliRunner()
    args = ["import", "upr-info", str(SAMPLES / "upr-info-sample.csv"), "--data", str(data), "--date", "2026-01-05"]
    result = runner.invoke(main, args)
    assert result.exit_code == 2 and "--state, --session, or --all" in result.output
    result = runner.invoke(main, [*args, "--all"])
    assert result.exit_code == 0, result.output
    assert "mkd-upr2: new (4 added" in result.output
    assert "1  upr-info themes: Other" in result.output
    assert "1  European Union" in result.output
    again = runner.invoke(main, [*args, "--all"])
    assert "mkd-upr2: unchanged (0 added, 0 updated, 4 unchanged)" in again.output
    bad = runner.invoke(main, ["import", "responses", str(SAMPLES / "addendum-sample.txt"), "--data", str(data)])
    assert bad.exit_code == 1 and "[unknown-review]" in bad.output and "Traceback" not in bad.output
    dry = runner.invoke(
        main, ["import", "wg-report", str(SAMPLES / "wg-report-sample.txt"), "--data", str(data), "--dry-run"]
    )
    assert dry.exit_code == 0 and "Dry run" in dry.output and not (data / "reviews" / "isl-upr4").exists()


def test_the_readme_names_every_review_import_command() -> None:
    import click

    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    group = main.commands["import"]
    assert isinstance(group, click.Group)
    for name in ("upr-info", "wg-report", "responses", "ohchr-matrix", "uhri"):
        assert name in group.commands, name
        assert f"python3 build_site.py import {name} FILE" in readme, name
        assert "Example: python3 build_site.py import " + name in (group.commands[name].help or ""), name


def test_matrix_as_docx_reads_like_the_text(data: Path, tmp_path: Path) -> None:
    """A .docx made here with python-docx: a table like OHCHR's, whose bullets are formatting, not text."""
    from docx import Document

    doc = Document()
    table = doc.add_table(rows=0, cols=4)
    table.add_row().cells[0].text = "Recommendation and recommending State"
    heading = table.add_row()
    heading.cells[0].merge(heading.cells[3]).text = "Theme: Sample theme heading & more"
    rows = [
        (
            "98.1 Adopt the first sample measure on the rights of migrant workers (Norway) (Ghana);",
            "Source of Position: A/HRC/99/10/Add.1 - Para.3",
            "Supported",
            ["Migrants", "Children: definition; general principles; protection", "Groups of Persons:", "Migrants"],
            ["8 - DECENT WORK AND ECONOMIC GROWTH", "10 - REDUCED INEQUALITIES"],
        ),
        (
            "98.13 Adopt the thirteenth sample measure (Mexico);",
            "Source of position: A/HRC/99/10/Add.1 - Para.5",
            "Noted",
            ["Prohibition of torture and cruel, inhuman or degrading treatment", "Groups of Persons:"],
            ["16 - PEACE, JUSTICE AND STRONG INSTITUTIONS"],
        ),
    ]
    for rec, src, position, tags, sdgs in rows:
        cells = table.add_row().cells
        cells[0].text = rec
        cells[0].add_paragraph(src)
        cells[1].text = position
        cells[2].text = tags[0]
        for tag in tags[1:]:
            cells[2].add_paragraph(tag)
        cells[3].text = sdgs[0]
        for sdg in sdgs[1:]:
            cells[3].add_paragraph(sdg)
    path = tmp_path / "matrix.docx"
    doc.save(str(path))
    result = read("ohchr-matrix", path, options(data, state="ISL", cycle=4))
    assert not result.problems.items, [p.format() for p in result.problems.items]
    (review,) = result.reviews
    recs = {r.id: r.fields for r in review.records}
    assert list(recs) == ["98.1", "98.13"]
    assert recs["98.1"]["themes"] == ["rights-of-migrants", "rights-of-the-child"]
    assert recs["98.1"]["affected_persons"] == ["migrants"] and recs["98.1"]["unmapped"] == []
    assert recs["98.1"]["sdg_goals"] == [8, 10] and recs["98.13"]["position"] == "noted"
    assert recs["98.13"]["themes"] == ["torture"]
    assert str(review.records[1].where) == f"{result.source.shown} (table 1):4:1"
    fake = tmp_path / "fake.docx"
    fake.write_bytes(b"not a document")
    assert [p.code for p in read("ohchr-matrix", fake, options(data)).problems.items] == ["invalid-format"]


@pytest.mark.parametrize(
    ("lead", "errors", "warnings"),
    [
        ("were welcomed by Iceland:", ["unread-sentence"], ["no-stated-position"]),
        ("enjoy the support of Iceland, except 98.4, which is noted:", ["unread-sentence"], ["no-stated-position"]),
        ("were made to Iceland:", [], []),
        ("had Iceland's attention; it will give its replies later:", [], []),
    ],
)
def test_wg_report_lead_in_read_or_said(lead: str, errors: list[str], warnings: list[str], tmp_path: Path) -> None:
    """A lead-in is understood, or the import says so: never a silent 'position not known'."""
    text = (SAMPLES / "wg-report-sample.txt").read_text(encoding="utf-8")
    old = "will be examined by Iceland, which will\n              provide responses in due time:"
    assert old in text
    report = tmp_path / "report.txt"
    report.write_text(text.replace(old, lead), encoding="utf-8")
    result = read("wg-report", report, options(tmp_path))
    assert [p.code for p in result.problems.errors] == errors
    assert [p.code for p in result.problems.warnings] == warnings
    if errors:
        assert result.problems.errors[0].location.line == 25 and lead[:20] in result.problems.errors[0].message
