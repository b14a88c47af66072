"""OHCHR's thematic list read by meaning: the same records after the edits real lists make, or a located refusal.

Each list is read here by a small parser of the test's own (``parse_list``: a record is its ID
line and source line, the position on the next line, the theme lines up to a persons label, the
groups after it, and ``- 16 - …`` SDG lines), which gives the expected records: IDs, positions,
themes and groups (their labels looked up in the vocabulary) and SDG goals. The same reading lays
the list out again with its columns renamed or moved, a comment in one record's cell, or its SDG
lines written ``S16 - …``; as text, and as a Word table made here with python-docx. The real lists
are read from ../shared/fixtures (skipped where absent); the sample list runs everywhere.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import import_options
from tests.project import PROJECT
from uprkb.importers import read, run_import
from uprkb.importers.tables import ID, OTHER, PERSONS, POSITION, SDG, SOURCE, STATES, THEME, line_kind, sdg_goal

FIXTURES = PROJECT.parent / "shared" / "fixtures"
SAMPLES = Path(__file__).parent / "samples"
SVN4 = FIXTURES / "ohchr-slovenia-upr4" / "thematic-list-of-recommendations.txt"
SVN2 = FIXTURES / "ohchr-slovenia-upr2" / "thematic-list-of-recommendations"
CHN2 = FIXTURES / "ohchr-china-upr2" / "matrix-of-recommendations"
needs_fixtures = pytest.mark.skipif(
    not (SVN4.exists() and SVN2.with_suffix(".docx").exists() and CHN2.with_suffix(".docx").exists()),
    reason="the real UPR material is not beside the checkout (../shared/fixtures)",
)
options = import_options
COMMENT = "Comment: the State's position is to be confirmed with the Ministry of Justice"
OTHER_TITLES = ["Text of the recommendation, and the States making it", "Reply", "Issues and people concerned", "Goals"]
_ID_LINE = re.compile(r"^(\d{1,3}\.\d{1,3})\.?\s")
_SDG_LINE = re.compile(r"^- (\d{1,2}) - (.+)$")
_PERSONS = re.compile(r"^(?:Groups of Persons|Affected persons)\s*:", re.I)
_POSITION = {"Supported": "supported", "Noted": "noted"}


# --- the test's own reading of a list, and the list laid out again -----------------------------------------------


@dataclass
class Listing:
    """A thematic list as rows: a ``Theme:`` heading, or a record's four cells (each a list of lines)."""

    titles: list[str]
    rows: list[str | list[list[str]]]
    blank: int
    """Blank lines after each record (the 2nd-cycle exports leave two)."""

    def records(self) -> list[list[list[str]]]:
        return [r for r in self.rows if not isinstance(r, str)]


def parse_list(text: str) -> Listing:
    lines = [html.unescape(ln).strip() for ln in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    lines = [ln for ln in lines if not re.search(r"Page \d+ of \d+$", ln)]
    i = 0
    titles: list[str] = []
    while not (lines[i].startswith("Theme:") or _ID_LINE.match(lines[i])):
        titles += [lines[i]] if lines[i] else []
        i += 1
    rows: list[str | list[list[str]]] = []
    blanks = Counter()
    while i < len(lines):
        if not lines[i]:
            i += 1
            continue
        if lines[i].startswith("Theme:"):
            rows.append(lines[i])
            i += 1
            continue
        assert _ID_LINE.match(lines[i]) and lines[i + 1].lower().startswith("source of position"), lines[i : i + 2]
        labels: list[str] = []
        sdgs: list[str] = []
        j = i + 3
        while j < len(lines) and lines[j] and not _ID_LINE.match(lines[j]) and not lines[j].startswith("Theme:"):
            (sdgs if _SDG_LINE.match(lines[j]) else labels).append(lines[j])
            j += 1
        rows.append([lines[i : i + 2], [lines[i + 2]], labels, sdgs])
        k = j
        while k < len(lines) and not lines[k]:
            k += 1
        blanks[k - j] += 1
        i = j
    return Listing(titles, rows, blanks.most_common(1)[0][0])


def lay_out(listing: Listing, order: tuple[int, ...] = (0, 1, 2, 3), titles: list[str] | None = None) -> str:
    out = [(titles or listing.titles)[k] for k in order if k < len(titles or listing.titles)]
    for row in listing.rows:
        if isinstance(row, str):
            out.append(row)
        else:
            out += [line for k in order for line in row[k]] + [""] * listing.blank
    return "\n".join(out) + "\n"


def edit_records(listing: Listing, edit: Callable[[list[list[str]]], list[list[str]]]) -> Listing:
    rows = [r if isinstance(r, str) else edit([list(c) for c in r]) for r in listing.rows]
    return replace(listing, rows=rows)


def s_coded(cells: list[list[str]]) -> list[list[str]]:
    """``- 16 - PEACE, JUSTICE …`` written ``S16 - peace, justice …``."""
    cells[3] = [f"S{m.group(1)} - {m.group(2).lower()}" if (m := _SDG_LINE.match(x)) else x for x in cells[3]]
    return cells


def with_sdg_in_themes(cells: list[list[str]]) -> list[list[str]]:
    """An S-coded SDG line in the themes cell, after the groups (a list without an SDG column)."""
    cells[2] = [*cells[2], "S16 - Peace, justice and strong institutions"]
    return cells


@dataclass(frozen=True)
class Expected:
    position: str
    themes: list[str]
    persons: list[str]
    goals: list[int]
    unmapped: list[str]


def expected(listing: Listing, mapper: Any) -> dict[str, Expected]:
    """Per ID: what the test's own reading of the list says, its labels looked up in the vocabulary."""
    out: dict[str, Expected] = {}
    for rec, position, labels, sdgs in listing.records():
        m = _ID_LINE.match(rec[0])
        assert m is not None
        themes: list[str] = []
        persons: list[str] = []
        unmapped: list[str] = []
        target, look = themes, mapper.theme
        for raw in labels:
            if _PERSONS.match(raw):
                target, look = persons, mapper.person
                continue
            label = raw.removeprefix("- ").strip()
            coded = re.match(r"^[A-Z]\d{1,2} (.+)$", label)
            ids = look("uhri", label) or (look("uhri", coded.group(1)) if coded else ())
            unmapped += [] if ids else [label]
            target += [t for t in ids if t not in target]
        goals = list(dict.fromkeys(int(g.group(1)) for x in sdgs if (g := _SDG_LINE.match(x))))
        out[m.group(1)] = Expected(_POSITION[position[0]], themes, persons, sorted(goals), unmapped)
    return out


def got(result: Any) -> dict[str, Expected]:
    assert not result.problems.errors, [p.format() for p in result.problems.errors[:5]]
    return {
        r.id: Expected(
            r.fields.get("position", ""),
            r.fields["themes"],
            r.fields["affected_persons"],
            sorted(r.fields["sdg_goals"]),
            [u["label"] for u in r.fields["unmapped"]],
        )
        for review in result.reviews
        for r in review.records
    }


# --- Word tables made here --------------------------------------------------------------------------------------


def table_docx(listing: Listing, path: Path, bullets: bool = True) -> None:
    """The list as OHCHR's Word table: a title row, merged ``Theme:`` rows, one row per record."""
    from docx import Document

    doc = Document()
    table = doc.add_table(rows=0, cols=4)
    for cell, title in zip(table.add_row().cells, listing.titles, strict=False):
        cell.text = title
    for row in listing.rows:
        cells = table.add_row().cells
        if isinstance(row, str):
            cells[0].merge(cells[3]).text = row
            continue
        for cell, lines in zip(cells, row, strict=True):
            lines = lines if bullets else [x.removeprefix("- ") for x in lines]
            cell.text = "\n".join(lines)
    doc.save(str(path))


def docx_variant(src: Path, dst: Path, order: tuple[int, ...] | None = None, titles: list[str] | None = None,
                 edit: Callable[[Any], None] | None = None) -> None:  # fmt: skip
    """A copy of a Word matrix with its titles renamed, a cell edited, and its columns in another order."""
    from docx import Document

    doc = Document(str(src))
    table = doc.tables[0]
    if titles:
        for cell, title in zip(table.rows[0].cells, titles, strict=True):
            cell.text = title
    if edit:
        edit(table)
    for tr in table._tbl.tr_lst if order else []:
        tcs = list(tr.tc_lst)
        if len(tcs) == len(order):
            for tc in tcs:
                tr.remove(tc)
            for k in order:
                tr.append(tcs[k])
    doc.save(str(dst))


def row_of(table: Any, rid: str) -> int:
    """The 0-based index of the table row holding record ``rid``."""
    return next(i for i, r in enumerate(table.rows) if re.match(rf"^{re.escape(rid)}\.?\s", r.cells[0].text))


def comment_for_source(rid: str) -> Callable[[Any], None]:
    def edit(table: Any) -> None:
        cell = table.rows[row_of(table, rid)].cells[0]
        (source,) = [p for p in cell.paragraphs if p.text.lower().startswith("source of position")]
        source.text = COMMENT

    return edit


def s_coded_in_themes(table: Any) -> None:
    for row in table.rows:
        if _ID_LINE.match(row.cells[0].text):
            row.cells[2].add_paragraph("S16 - Peace, justice and strong institutions")


# --- the real lists ------------------------------------------------------------------------------------------------

TEXTS = [
    pytest.param(SVN4, "utf-8", "svn-upr4", 254, id="svn-upr4-text"),
    pytest.param(SVN2.with_suffix(".txt"), "utf-8", "svn-upr2", 163, id="svn-upr2-text"),
    pytest.param(CHN2.with_suffix(".txt"), "mac-roman", "chn-upr2", 252, id="chn-upr2-text"),
]
ORDERS = [(2, 1, 0, 3), (1, 3, 2, 0), (3, 2, 1, 0)]


def _listing(path: Path, encoding: str) -> Listing:
    return parse_list(path.read_bytes().decode(encoding.replace("-", "_")))


@needs_fixtures
@pytest.mark.parametrize(("path", "encoding", "review", "count"), TEXTS)
def test_real_text_lists_keep_their_records_under_every_edit(
    data: Path, tmp_path: Path, path: Path, encoding: str, review: str, count: int
) -> None:
    listing = _listing(path, encoding)
    want = expected(listing, options(data).mapper)
    assert len(want) == count
    positions = Counter(e.position for e in want.values())
    assert positions == {"svn-upr4": {"supported": 217, "noted": 37}, "svn-upr2": {"supported": 142, "noted": 21},
                         "chn-upr2": {"supported": 204, "noted": 48}}[review]  # fmt: skip
    opts = options(data, review=review, encoding=encoding)
    assert got(read("ohchr-matrix", path, opts)) == want, "the list as published"
    opts = options(data, review=review)
    cases = {
        "renamed": lay_out(listing, titles=OTHER_TITLES),
        **{f"order {o}": lay_out(listing, o) for o in ORDERS},
        "renamed and moved": lay_out(listing, (3, 1, 2, 0), OTHER_TITLES),
    }
    for name, text in cases.items():
        case = tmp_path / "list.txt"
        case.write_text(text, encoding="utf-8")
        result = read("ohchr-matrix", case, opts)
        assert got(result) == want, name
        assert not result.problems.items, (name, [p.format() for p in result.problems.items[:3]])
    # SDG lines written S16 - …: the same goals, and never a theme.
    case = tmp_path / "s-coded.txt"
    if any(r[3] for r in listing.records()):
        case.write_text(lay_out(edit_records(listing, s_coded), (1, 0, 3, 2)), encoding="utf-8")
        assert got(read("ohchr-matrix", case, opts)) == want
    case.write_text(lay_out(edit_records(listing, with_sdg_in_themes)), encoding="utf-8")
    plus16 = {k: replace(e, goals=sorted({*e.goals, 16})) for k, e in want.items()}
    assert got(read("ohchr-matrix", case, opts)) == plus16


@needs_fixtures
@pytest.mark.parametrize(("path", "encoding", "review", "count"), TEXTS)
def test_real_text_list_with_a_comment_for_a_source_imports_the_other_records(
    data: Path, tmp_path: Path, path: Path, encoding: str, review: str, count: int
) -> None:
    listing = _listing(path, encoding)
    want = expected(listing, options(data).mapper)
    victim = listing.records()[count // 2]
    rid = _ID_LINE.match(victim[0][0]).group(1)  # type: ignore[union-attr]
    victim[0][1] = COMMENT
    case = tmp_path / "list.txt"
    for order in [(0, 1, 2, 3), (2, 0, 3, 1)]:
        text = lay_out(listing, order)
        case.write_text(text, encoding="utf-8")
        result = read("ohchr-matrix", case, options(data, review=review))
        assert got(result) == want
        line = text.split("\n").index(COMMENT) + 1
        (warning,) = result.problems.items
        assert (warning.code, warning.location.line, warning.is_error) == ("invalid-format", line, False)
        assert f"record {rid}:" in warning.message and "source of position" in warning.message
        (rec,) = [r for r in result.reviews[0].records if r.id == rid]
        assert "position_source" not in rec.fields
        assert sum("position_source" in r.fields for r in result.reviews[0].records) == count - 1


@needs_fixtures
@pytest.mark.parametrize(
    ("name", "twin", "review", "count"),
    [pytest.param(SVN2, "utf-8", "svn-upr2", 163, id="svn-upr2"), pytest.param(CHN2, "mac-roman", "chn-upr2", 252,
                                                                               id="chn-upr2")],
)  # fmt: skip
def test_real_word_tables_keep_their_records_under_every_edit(
    data: Path, tmp_path: Path, name: Path, twin: str, review: str, count: int
) -> None:
    listing = _listing(name.with_suffix(".txt"), twin)
    want = expected(listing, options(data).mapper)
    assert len(want) == count
    opts = options(data, review=review)
    src, case = name.with_suffix(".docx"), tmp_path / "matrix.docx"
    assert got(read("ohchr-matrix", src, opts)) == want, "the table as published"
    misleading = [listing.titles[k] for k in (2, 3, 0, 1)]
    for variant in [
        {"titles": OTHER_TITLES},
        {"titles": misleading},
        *({"order": o} for o in ORDERS),
        {"order": (3, 1, 2, 0), "titles": OTHER_TITLES},
    ]:
        docx_variant(src, case, **variant)  # type: ignore[arg-type]
        result = read("ohchr-matrix", case, opts)
        assert got(result) == want, variant
        assert not result.problems.items, (variant, [p.format() for p in result.problems.items[:3]])
    docx_variant(src, case, order=(1, 2, 0, 3), edit=s_coded_in_themes)
    plus16 = {k: replace(e, goals=[16]) for k, e in want.items()}
    assert got(read("ohchr-matrix", case, opts)) == plus16
    # A comment where one record's source line stands: a warning at its cell, every record imported.
    rid = sorted(want)[count // 3]
    docx_variant(src, case, order=(2, 0, 1, 3), edit=comment_for_source(rid))
    result = read("ohchr-matrix", case, opts)
    assert got(result) == want
    (warning,) = result.problems.items
    assert not warning.is_error and f"record {rid}:" in warning.message and COMMENT[:20] in warning.message
    assert str(warning.location).endswith(":2") and "(table 1):" in str(warning.location)


@needs_fixtures
def test_slovenia_4th_cycle_as_a_word_table_with_its_sdg_column_moved_and_renamed(data: Path, tmp_path: Path) -> None:
    listing = _listing(SVN4, "utf-8")
    want = expected(listing, options(data).mapper)
    # The list's 413 "- N - GOAL" lines (counted by grep); 140.205 prints "4 - QUALITY EDUCATION" twice.
    assert sum(len(r[3]) for r in listing.records()) == 413 and sum(len(e.goals) for e in want.values()) == 412
    made, case = tmp_path / "made.docx", tmp_path / "matrix.docx"
    opts = options(data, review="svn-upr4")
    for bullets in (True, False):
        table_docx(listing, made, bullets=bullets)
        assert got(read("ohchr-matrix", made, opts)) == want
        docx_variant(made, case, order=(3, 2, 0, 1), titles=OTHER_TITLES)
        assert got(read("ohchr-matrix", case, opts)) == want
    table_docx(edit_records(listing, s_coded), made)
    docx_variant(made, case, order=(0, 3, 1, 2), titles=["Recommendation", "Themes", "Position", "SDGs"])
    assert got(read("ohchr-matrix", case, opts)) == want


# --- the sample list (runs everywhere) ---------------------------------------------------------------------------


def _sample(data: Path) -> tuple[Listing, dict[str, Expected]]:
    listing = parse_list((SAMPLES / "matrix-sample.txt").read_text(encoding="utf-8"))
    return listing, expected(listing, options(data).mapper)


def test_sample_list_under_every_edit_as_text_and_as_a_table(data: Path, tmp_path: Path) -> None:
    listing, want = _sample(data)
    assert sorted(want) == ["98.1", "98.13", "98.2"] and want["98.1"].goals == [8, 10]
    opts = options(data, state="ISL", cycle=4)
    assert got(read("ohchr-matrix", SAMPLES / "matrix-sample.txt", opts)) == want
    text, table = tmp_path / "list.txt", tmp_path / "matrix.docx"
    for order in [(0, 1, 2, 3), *ORDERS, (1, 0, 3, 2)]:
        for titles in (None, OTHER_TITLES):
            text.write_text(lay_out(listing, order, titles), encoding="utf-8")
            assert got(read("ohchr-matrix", text, opts)) == want, (order, titles)
            table_docx(listing, tmp_path / "made.docx", bullets=titles is None)
            docx_variant(tmp_path / "made.docx", table, order=order, titles=titles)
            assert got(read("ohchr-matrix", table, opts)) == want, (order, titles, "docx")
    text.write_text(lay_out(edit_records(listing, s_coded), (2, 3, 0, 1)), encoding="utf-8")
    assert got(read("ohchr-matrix", text, opts)) == want
    # Without the Theme: headings, the lines before the first record and after the last tell the sides.
    bare = replace(listing, rows=listing.records())
    for order in ORDERS:
        text.write_text(lay_out(bare, order), encoding="utf-8")
        assert got(read("ohchr-matrix", text, opts)) == want, order


def test_a_comment_in_one_record_is_a_warning_and_the_others_are_imported(data: Path, tmp_path: Path) -> None:
    listing, want = _sample(data)
    listing.records()[1][0][1] = COMMENT  # 98.13's source line
    path = tmp_path / "list.txt"
    path.write_text(text := lay_out(listing), encoding="utf-8")
    report = run_import("ohchr-matrix", path, options(data, state="ISL", cycle=4), today=dt.date(2026, 1, 5))
    assert report.records == 3
    (warning,) = [w for w in report.warnings if w.code == "invalid-format"]
    assert str(warning.location).endswith(f"list.txt:{text.split(chr(10)).index(COMMENT) + 1}:1")
    assert "record 98.13:" in warning.message and warning.hint
    # A comment where the position stands: that record has no position; the others keep theirs.
    # A source line naming no document: that record has no source of position, and says so.
    listing, want = _sample(data)
    listing.records()[2][0][1] = "Source of position: Pending"
    path.write_text(lay_out(listing), encoding="utf-8")
    result = read("ohchr-matrix", path, options(data, state="ISL", cycle=4))
    assert got(result) == want
    assert [r.id for r in result.reviews[0].records if "position_source" not in r.fields] == ["98.2"]
    (warning,) = result.problems.items
    assert "record 98.2:" in warning.message and "'Source of position: Pending'" in warning.message
    # Whichever side of the recommendation the position column stands on.
    listing, want = _sample(data)
    listing.records()[1][1] = ["To be confirmed after the consultations"]
    for order in [(0, 1, 2, 3), (1, 0, 2, 3), (2, 1, 0, 3), (3, 1, 0, 2)]:
        path.write_text(text := lay_out(listing, order), encoding="utf-8")
        result = read("ohchr-matrix", path, options(data, state="ISL", cycle=4))
        assert got(result) == {**want, "98.13": replace(want["98.13"], position="")}, order
        (warning,) = result.problems.items
        assert "record 98.13:" in warning.message and "without its position" in warning.message, order
        assert warning.location.line == text.split("\n").index("To be confirmed after the consultations") + 1


def test_a_position_cell_holding_a_comment_and_a_row_without_an_id_are_warnings(data: Path, tmp_path: Path) -> None:
    listing, want = _sample(data)
    made = tmp_path / "made.docx"
    table_docx(listing, made)

    def edit(table: Any) -> None:
        table.rows[row_of(table, "98.13")].cells[1].text = "Pending: see the comment below"
        table.rows[row_of(table, "98.2")].cells[0].text = "(recommendation withdrawn)"

    docx_variant(made, tmp_path / "matrix.docx", order=(1, 0, 2, 3), edit=edit)
    result = read("ohchr-matrix", tmp_path / "matrix.docx", options(data, state="ISL", cycle=4))
    assert got(result) == {"98.1": want["98.1"], "98.13": replace(want["98.13"], position="")}
    found = {(p.code, p.location.line, p.location.col) for p in result.problems.items}
    assert found == {("invalid-choice", 4, 1), ("missing-value", 6, 2)}
    assert all(not p.is_error and p.hint for p in result.problems.items)


def test_what_is_read_as_nothing_is_said_once_and_a_lone_state_name_names_no_state(data: Path, tmp_path: Path) -> None:
    listing, want = _sample(data)
    opts = options(data, state="ISL", cycle=4)
    # A column whose cells hold nothing the grammar knows: one warning at the column.
    made, case = tmp_path / "made.docx", tmp_path / "matrix.docx"
    table_docx(edit_records(listing, lambda cells: [*cells[:2], ["Quantum welfare", "Cosmic rights"], cells[3]]), made)
    docx_variant(made, case, order=(0, 2, 1, 3))
    result = read("ohchr-matrix", case, opts)
    assert {k: (e.themes, e.persons, e.position) for k, e in got(result).items()} == {
        k: ([], [], e.position) for k, e in want.items()
    }
    (warning,) = result.problems.items
    assert (warning.location.line, warning.location.col) == (3, 2) and "not read" in warning.message
    # Text in every record that is none of the kinds: a column of comments, said once (not under its title).
    comment = "Implementation under way, according to the ministry."
    text = tmp_path / "list.txt"
    noted = edit_records(listing, lambda cells: [*cells[:3], [*cells[3], comment]])
    for titles, warned in ((None, 1), (["Recommendation", "Position", "Themes", "Assessment/comments"], 0)):
        text.write_text(lay_out(noted, titles=titles), encoding="utf-8")
        result = read("ohchr-matrix", text, opts)
        assert got(result) == want and len(result.problems.items) == warned
    # A State's name alone among one record's themes is no recommending State.
    listing.records()[0][2].insert(1, "Chad")
    text.write_text(lay_out(listing), encoding="utf-8")
    result = read("ohchr-matrix", text, opts)
    assert got(result) == want
    recs = {r.id: r.fields for r in result.reviews[0].records}
    assert [s["iso3"] for s in recs["98.1"]["recommending_states"]] == ["NOR", "GHA"]
    (warning,) = result.problems.items
    assert "'Chad'" in warning.message and "record 98.1:" in warning.message


def test_a_table_without_recommendation_ids_or_text_is_refused_where_it_stands(data: Path, tmp_path: Path) -> None:
    from docx import Document

    opts = options(data, state="ISL", cycle=4)
    for first in (["Adopt a sample measure (Norway);", "Adopt another (Chile);"], ["98.1", "98.2"]):
        doc = Document()
        table = doc.add_table(rows=0, cols=2)
        for a, b in [("Recommendation", "Position"), (first[0], "Supported"), (first[1], "Noted")]:
            table.add_row().cells[0].text, table.rows[-1].cells[1].text = a, b
        doc.save(str(tmp_path / "matrix.docx"))
        result = read("ohchr-matrix", tmp_path / "matrix.docx", opts)
        (error,) = result.problems.errors
        assert error.code == "missing-column" and "(table 1)" in str(error.location) and "140.7" in error.message
        assert not result.reviews
    # IDs in a column of their own, the text in another: read.
    table.add_column(2000).cells[0].text = "Text"
    table.rows[1].cells[2].text, table.rows[2].cells[2].text = "Adopt a sample measure (Norway);", "Adopt it (Chile);"
    doc.save(str(tmp_path / "matrix.docx"))
    recs = {r.id: r.fields for r in read("ohchr-matrix", tmp_path / "matrix.docx", opts).reviews[0].records}
    assert recs["98.2"]["text"] == "Adopt it" and recs["98.2"]["position"] == "noted"
    text = tmp_path / "list.txt"
    text.write_text("Recommendation\nPosition\nAdopt a sample measure (Norway);\nSupported\n", encoding="utf-8")
    (error,) = read("ohchr-matrix", text, opts).problems.errors
    assert (error.code, error.location.line) == ("no-records", 1) and "140.7" in error.message


# --- the grammar of a line: a table of cases -----------------------------------------------------------------------

LINES = [
    ("140.7 Ratify the Optional Protocol (Maldives) (Portugal);", ID),
    ("186.1. Ratify ICCPR (Brazil);", ID),
    ("Source of Position: A/HRC/59/15/Add.1 - Para.3", SOURCE),
    ("Source of position: A/HRC/25/5/Add.1 - Para. 186.28. ", SOURCE),
    ("Supported", POSITION),
    ("Supported/Noted", POSITION),
    ("- Ratification of & accession to international instruments", THEME),
    ("A12 Acceptance of international norms", THEME),
    ("- 2030 Agenda & other voluntary commitments", THEME),
    ("Groups of Persons: ", PERSONS),
    ("Affected persons:", PERSONS),
    ("- 16 - PEACE, JUSTICE AND STRONG INSTITUTIONS", SDG),
    ("16 - PEACE, JUSTICE AND STRONG INSTITUTIONS", SDG),
    ("S16 - peace, justice and strong institutions", SDG),
    ("- S16 - Peace, justice and strong institutions", SDG),
    ("SDG 5: Gender equality", SDG),
    ("16.3 - Promote the rule of law at the national and international levels", SDG),
    ("Norway", STATES),
    (COMMENT, OTHER),
]


@pytest.mark.parametrize(("line", "kind"), LINES, ids=[c[0][:30] for c in LINES])
def test_each_line_is_known_by_what_it_holds(line: str, kind: str) -> None:
    assert line_kind(line) == kind


@pytest.mark.parametrize(
    ("line", "goal"),
    [("- 1 - NO POVERTY", 1), ("S16 - peace, justice …", 16), ("Goal 17: Partnerships", 17), ("S18 - x", None),
     ("- 2030 Agenda & other voluntary commitments", None), ("A12 Acceptance of international norms", None),
     ("16.3 - Promote the rule of law", 16), ("1. Adopt a plan", None)],
)  # fmt: skip
def test_sdg_lines_give_their_goal(line: str, goal: int | None) -> None:
    assert sdg_goal(line) == goal
