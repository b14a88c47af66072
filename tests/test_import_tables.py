"""OHCHR's Word tables in their real layouts, UPR Info's .xls, and CSV with any line end or encoding.

Samples are made here (our own sentences); the real documents are read from ../shared/fixtures
and the expected figures are the documents' own statements or counted here with a few lines
of the test's own.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import import_options
from tests.project import PROJECT
from uprkb.importers import read
from uprkb.importers.tables import column_role

FIXTURES = PROJECT.parent / "shared" / "fixtures"
CHINA = FIXTURES / "ohchr-china-upr2"
SLOVENIA2 = FIXTURES / "ohchr-slovenia-upr2"
UPR_INFO = FIXTURES / "upr-info"
needs_fixtures = pytest.mark.skipif(
    not (CHINA.is_dir() and SLOVENIA2.is_dir() and UPR_INFO.is_dir()),
    reason="the real UPR material is not beside the checkout (../shared/fixtures)",
)
options = import_options


def _sample_docx(path: Path) -> None:
    """A matrix in another column order, with a States column, merged headings and persons labels."""
    from docx import Document

    doc = Document()
    table = doc.add_table(rows=0, cols=5)
    for cell, title in zip(
        table.add_row().cells,
        ["Full list of themes", "Recommendation", "Recommending State/s", "Position", "Assessment"],
        strict=True,
    ):
        cell.text = title
    heading = table.add_row()
    heading.cells[0].merge(heading.cells[4]).text = "Theme: A12 Acceptance of international norms"
    rows = [
        (
            "Migrants\nAffected persons:\n- migrants",
            "98.1. Adopt a sample measure on migrant workers;\nSource of position: A/HRC/99/10/Add.1 - Para. 98.1.",
            "Norway\nGhana",
            "Supported/Noted",
        ),
        (
            "Prohibition of torture and cruel, inhuman or degrading treatment\nGroups of Persons:\n- Migrants",
            "98.2. Adopt a second sample measure (Mexico);\nSource of position: A/HRC/99/10/Add.1 - Para. 98.2.",
            "C\u00f4te d\u2019Ivoire",
            "Noted",
        ),
        (
            "Affected persons:\n- children",
            "98.3 Adopt a third sample measure;\nSource of position: A/HRC/99/10/Add.1",
            "the Netherlands",
            "",
        ),
    ]
    for themes, rec, states, position in rows:
        cells = table.add_row().cells
        cells[0].text, cells[1].text, cells[2].text, cells[3].text = themes, rec, states, position
    doc.save(str(path))


def test_column_titles_give_the_roles() -> None:
    assert column_role("Recommendation") == "recommendation"
    assert column_role("Recommendation and recommending State") == "recommendation"
    assert column_role("Recommending State/s") == "states"
    assert column_role("Position") == "position"
    assert column_role("Position of the State under review") == "position"
    assert column_role("Source of position") == "source"
    assert column_role("Full list of themes") == "themes"
    assert column_role("Affected persons") == "persons"
    assert column_role("Assessment/comments on level of implementation") == "assessment"
    assert column_role("Relevant SDGs") == "sdgs"


def test_matrix_docx_in_any_column_order(data: Path, tmp_path: Path) -> None:
    path = tmp_path / "matrix.docx"
    _sample_docx(path)
    result = read("ohchr-matrix", path, options(data, state="ISL", cycle=4))
    assert not result.problems.items, [p.format() for p in result.problems.items]
    recs = {r.id: r.fields for r in result.reviews[0].records}
    assert list(recs) == ["98.1", "98.2", "98.3"]
    r1, r2, r3 = recs.values()
    assert r1["text"] == "Adopt a sample measure on migrant workers"
    assert [s["iso3"] for s in r1["recommending_states"]] == ["NOR", "GHA"]
    assert r1["position"] == "supported-in-part"
    assert r1["position_source"] == {"document": "A/HRC/99/10/Add.1", "paragraph": "98.1"}
    assert (r1["themes"], r1["affected_persons"]) == (["rights-of-migrants"], ["migrants"])
    # The text's own parenthesis is the State's name: it is not kept in the text.
    assert r2["text"] == "Adopt a second sample measure" and r2["recommending_states"][0]["iso3"] == "CIV"
    # "Migrants" under "Groups of Persons:" is a group, never the theme of the same name.
    assert (r2["themes"], r2["affected_persons"]) == (["torture"], ["migrants"])
    assert r2["position"] == "noted"
    assert "position" not in r3 and r3["recommending_states"] == [{"name": "the Netherlands", "iso3": "NLD"}]
    assert (r3["themes"], r3["affected_persons"]) == ([], ["children"])
    assert not [u for r in recs.values() for u in r["unmapped"] if u["kind"] == "themes"]


def test_a_legacy_doc_without_libreoffice_is_a_located_error(data: Path, tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    path = tmp_path / "matrix.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0 not really a Word 97 file")
    result = read("ohchr-matrix", path, options(data, state="ISL", cycle=4))
    assert [p.code for p in result.problems.items] == ["missing-tool"]
    assert "libreoffice" in result.problems.items[0].hint.lower()
    assert "matrix.doc" in str(result.problems.items[0].location)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
@needs_fixtures
def test_a_legacy_doc_is_read_through_libreoffice(data: Path, tmp_path: Path) -> None:
    """China's matrix saved by LibreOffice as a Word 97 .doc, read back through LibreOffice: all of its table."""
    import subprocess

    subprocess.run(
        [
            "soffice",
            "--headless",
            "--convert-to",
            "doc",
            "--outdir",
            str(tmp_path),
            str(CHINA / "matrix-of-recommendations.docx"),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    result = read("ohchr-matrix", tmp_path / "matrix-of-recommendations.doc", options(data, state="CHN", cycle=2))
    assert not result.problems.errors, [p.format() for p in result.problems.errors[:3]]
    ids = [r.id for r in result.reviews[0].records]
    # The report numbers its recommendations 186.1-186.252 (the fixtures' README: 252 IDs).
    assert sorted(ids, key=lambda i: int(i.split(".")[1])) == [f"186.{n}" for n in range(1, 253)]


# --- the real tables ----------------------------------------------------------------------------------


def _text_positions(path: Path, encoding: str) -> tuple[int, Counter[str]]:
    """Records and positions of a thematic list's text twin: each 'Source of position' line, then its position."""
    lines = [ln.strip() for ln in path.read_bytes().decode(encoding).replace("\r", "\n").split("\n")]
    ids = {m.group(1) for ln in lines if (m := re.match(r"^(\d{3}\.\d{1,3})\.?\s", ln))}
    positions = Counter(
        lines[i + 1] for i, ln in enumerate(lines) if ln.lower().startswith("source of position") and i + 1 < len(lines)
    )
    return len(ids), positions


@needs_fixtures
@pytest.mark.parametrize(
    ("path", "kwargs"),
    [
        (CHINA / "matrix-of-recommendations.docx", {"state": "CHN", "cycle": 2}),
        (CHINA / "matrix-of-recommendations.txt", {"state": "CHN", "cycle": 2, "encoding": "mac-roman"}),
    ],
    ids=["docx", "mac-roman-text"],
)
def test_china_matrix(data: Path, path: Path, kwargs: dict[str, Any]) -> None:
    result = read("ohchr-matrix", path, options(data, **kwargs))
    assert not result.problems.errors, [p.format() for p in result.problems.errors[:5]]
    recs = result.reviews[0].records
    # The report numbers its recommendations 186.1-186.252 (the fixtures' README: 252 IDs).
    assert sorted(r.id for r in recs) == sorted(f"186.{n}" for n in range(1, 253))
    n, positions = _text_positions(CHINA / "matrix-of-recommendations.txt", "mac_roman")
    assert n == 252
    got = Counter(r.fields.get("position") for r in recs)
    assert got == {"supported": positions["Supported"], "noted": positions["Noted"]}
    assert all(s.get("iso3") for r in recs for s in r.fields["recommending_states"])
    assert all(r.fields["position_source"]["paragraph"] == r.id for r in recs)
    # Persons labels ("Affected persons:", "- general") never land among the themes.
    assert not [u for r in recs for u in r.fields["unmapped"] if u["kind"] == "themes" and u["label"] == "general"]
    assert not [u for r in recs for u in r.fields["unmapped"] if u["label"].lower().startswith("affected persons")]


@needs_fixtures
def test_slovenia_2nd_cycle_thematic_list_docx(data: Path) -> None:
    result = read("ohchr-matrix", SLOVENIA2 / "thematic-list-of-recommendations.docx", options(data, review="svn-upr2"))
    assert not result.problems.errors, [p.format() for p in result.problems.errors[:5]]
    recs = result.reviews[0].records
    # A/HRC/28/15/Add.1, paras. 1-2: 163 recommendations; 142 accepted, 21 noted.
    assert sorted(r.id for r in recs) == sorted(f"115.{n}" for n in range(1, 164))
    assert Counter(r.fields.get("position") for r in recs) == {"supported": 142, "noted": 21}
    assert all(s.get("iso3") for r in recs for s in r.fields["recommending_states"])
    multi = {r.id: [s["iso3"] for s in r.fields["recommending_states"]] for r in recs}
    assert multi["115.3"] == ["PRT", "SVK"]
    assert not [u for r in recs for u in r.fields["unmapped"] if u["kind"] == "themes" and u["label"] == "general"]


# --- UPR Info: the .xls export and CSV with any line end -----------------------------------------------


def test_upr_info_csv_with_any_line_end_and_encoding(data: Path, tmp_path: Path) -> None:
    rows = [
        ["To", "To-Rgrp", "To-Org", "Text", "From", "From-Rgrp", "From-Org", "Response", "Action", "Issue", "Session"],
        [
            "Iceland",
            "WEOG",
            "",
            "Adopt a sample measure on the r\u00f4le of women",
            "Norway",
            "WEOG",
            "",
            "Accepted",
            "4",
            "Women's rights",
            "99",
        ],
        [
            "Iceland",
            "WEOG",
            "",
            "Adopt a second \u201csample\u201d measure",
            "C\u00f4te d'Ivoire",
            "Africa",
            "",
            "Noted",
            "5",
            "Justice",
            "99",
        ],
    ]
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    expected = None
    for i, (end, encoding) in enumerate([("\n", "utf-8"), ("\r", "mac-roman"), ("\r\n", "cp1252")]):
        path = tmp_path / f"export-{i}.csv"
        path.write_bytes(buf.getvalue().replace("\n", end).encode(encoding.replace("-", "_")))
        result = read("upr-info", path, options(data, select_all=True, encoding=encoding))
        assert not result.problems.items, [p.format() for p in result.problems.items]
        got = [r.fields for r in result.reviews[0].records]
        assert len(got) == 2 and got[1]["recommending_states"][0]["iso3"] == "CIV"
        assert got[1]["text"] == "Adopt a second \u201csample\u201d measure"
        assert expected is None or got == expected
        expected = got


def test_upr_info_xls_headers_of_the_old_export() -> None:
    from uprkb.importers.upr_info import column_names

    old = ["SuR", "Rgrp", "Org", "Recommendation", "RS", "Rgrp", "Org", "Response", "Action", "Issue", "Session"]
    assert column_names(old) == [
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


@needs_fixtures
def test_upr_info_xls_matches_its_csv_twin_record_by_record(data: Path) -> None:
    xls = read("upr-info", UPR_INFO / "upr-info-sessions-1-5.xls", options(data, select_all=True))
    twin = read(
        "upr-info", UPR_INFO / "upr-info-sessions-1-5.csv", options(data, select_all=True, encoding="mac-roman")
    )
    assert not xls.problems.errors and not twin.problems.errors
    # The README: 6,094 rows; counted again here with the csv module.
    text = (UPR_INFO / "upr-info-sessions-1-5.csv").read_bytes().decode("mac_roman")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert len(rows) == 6094
    per_review = Counter((r["To"], r["Session"]) for r in rows)
    assert sum(len(r.records) for r in xls.reviews) == 6094
    assert sorted(len(r.records) for r in xls.reviews) == sorted(per_review.values())
    assert [r.id for r in xls.reviews] == [r.id for r in twin.reviews]
    differ = []
    for a, b in zip(xls.reviews, twin.reviews, strict=True):
        for ra, rb in zip(a.records, b.records, strict=True):
            if ra.fields != rb.fields:
                differ.append((a.id, ra.fields, rb.fields))
    assert differ == []


# --- merging: the report's text, the addendum's position, the matrix's position where the addendum is silent


def test_matrix_keeps_the_reports_text_and_fills_a_position_the_addendum_left_unknown() -> None:
    from uprkb.core.errors import Location
    from uprkb.importers.base import ImportedRecord
    from uprkb.importers.writer import _merge_record
    from uprkb.model.reviews import ImportFormat

    states = [{"name": "Norway", "iso3": "NOR"}]
    old = {"id": "98.1", "text": "Adopt the measure (as the report words it)", "recommending_states": states}
    matrix = ImportedRecord(
        {"id": "98.1", "text": "Adopt the measure", "recommending_states": states, "position": "supported"},
        Location("matrix.docx", 3, 1),
    )
    conflicts: list[tuple[str, str]] = []
    silent = {**old, "position": "unknown", "provenance": ["wg-report", "responses"]}
    merged = _merge_record(silent, matrix, ImportFormat.ohchr_matrix, conflicts)
    assert merged["text"] == "Adopt the measure (as the report words it)", "the report's text is the record's text"
    assert merged["position"] == "supported", "the addendum stated nothing: the matrix's position is kept"
    stated = {**old, "position": "noted", "provenance": ["wg-report", "responses"]}
    merged = _merge_record(stated, matrix, ImportFormat.ohchr_matrix, conflicts)
    assert merged["position"] == "noted" and conflicts == [("noted", "supported")]
    # Without the report, the matrix's text is the only one there is.
    alone = {**old, "position": "unknown", "provenance": ["ohchr-matrix"]}
    assert _merge_record(alone, matrix, ImportFormat.ohchr_matrix, [])["text"] == "Adopt the measure"
