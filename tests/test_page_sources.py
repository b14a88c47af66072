"""Pages that say where their data came from, and read lightly.

A review page names its documents (linked by symbol to undocs.org), the databases its rows came from (an
internal build's page the files imported, with their formats and dates), and what a row without an official
number is; a submission's recommendations
table says once, above the table, that the review is not held; a card shows one line of key facts with
the rest, and "Cite this", folded away. The Markdown is generated from our samples without MkDocs.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import copy_project
from tests.kazakhstan import plant_review
from tests.project import PROJECT
from uprkb.build.site import generate_docs
from uprkb.cli import main
from uprkb.core.project import Project

SAMPLES = Path(__file__).parent / "samples"
CSS = PROJECT / "docs" / "assets" / "stylesheets" / "uprkb.css"


def run_import(paths: Project, *args: str) -> None:
    result = CliRunner().invoke(main, ["import", *args, "--data", str(paths.data), "--date", "2026-01-15"])
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The generated Markdown of the seed with Iceland's sample review (report, addendum, UHRI), the UPR Info
    sample (North Macedonia, Côte d'Ivoire) and Kazakhstan's 2nd cycle: docs/kb."""
    paths = copy_project(tmp_path_factory.mktemp("sources"))
    run_import(paths, "wg-report", str(SAMPLES / "wg-report-sample.txt"))
    run_import(paths, "responses", str(SAMPLES / "addendum-sample.txt"))
    run_import(paths, "uhri", str(SAMPLES / "uhri-sample.json"))
    run_import(paths, "upr-info", str(SAMPLES / "upr-info-sample.csv"), "--all")
    plant_review(paths.data)
    generate_docs(paths)
    return paths.docs / "kb"


@pytest.fixture(scope="module")
def internal_pages(pages: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same data generated as an internal build's pages (its own docs folder)."""
    paths = Project.at(pages.parents[1])
    docs = tmp_path_factory.mktemp("sources-internal") / "docs"
    generate_docs(paths.with_(docs=docs), include_confidential=True)
    return docs / "kb"


def plain(text: str) -> str:
    """Generated Markdown without its backslash escapes (``upr\\-info`` → ``upr-info``)."""
    return re.sub(r"\\(.)", r"\1", text)


def read(path: Path) -> str:
    return plain(path.read_text(encoding="utf-8"))


def sources_part(page: str) -> str:
    m = re.search(r"^## Sources\n(.*?)(?=^## )", page, re.M | re.S)
    assert m, "the review page has a Sources section"
    return m.group(1)


def test_a_review_page_names_its_documents_linked_by_symbol(pages: Path) -> None:
    part = sources_part(read(pages / "reviews" / "isl-upr4.md"))
    assert "[A/HRC/99/10](https://undocs.org/A/HRC/99/10)" in part
    assert "[A/HRC/99/10/Add.1](https://undocs.org/A/HRC/99/10/Add.1)" in part
    assert "Working Group report" in part and "addendum" in part.lower()


def test_an_internal_review_page_names_the_files_imported_with_format_and_date(
    pages: Path, internal_pages: Path
) -> None:
    part = sources_part(read(internal_pages / "reviews" / "isl-upr4.md"))
    for name in ("wg-report-sample.txt", "addendum-sample.txt", "uhri-sample.json"):
        assert name in part, name
    assert part.count("15 January 2026") >= 3
    assert "Universal Human Rights Index" in part  # the database, by name
    # A reader's page names the documents and the database, not the editors' files.
    public = sources_part(read(pages / "reviews" / "isl-upr4.md"))
    assert "Universal Human Rights Index" in public and "A/HRC/99/10" in public
    for name in ("wg-report-sample.txt", "addendum-sample.txt", "uhri-sample.json", "No file import"):
        assert name not in public, name


def test_a_review_from_upr_info_names_the_database_and_explains_rows_without_a_number(pages: Path) -> None:
    page = read(pages / "reviews" / "mkd-upr2.md")
    part = sources_part(page)
    assert "UPR Info" in part and "upr-info-sample.csv" not in part
    assert "[no official number](#rec-u-" in page
    assert not re.search(r"\]\(#rec-u-[0-9a-f-]+\)", page.replace("[no official number](#rec-u-", "")), (
        "every row with an assigned ID shows no number"
    )
    explained = part.lower()
    assert "no official number" in explained and "paragraph number" in explained and "matched" in explained
    assert "reconcile" not in explained and "u-3f2a9c1b" not in explained


def test_a_review_with_official_ids_only_does_not_explain_assigned_ones(pages: Path) -> None:
    page = read(pages / "reviews" / "kaz-upr2.md")
    assert "no official number" not in page and "alias" not in page


def test_a_review_written_by_hand_still_names_its_documents(pages: Path, internal_pages: Path) -> None:
    part = sources_part(read(pages / "reviews" / "kaz-upr2.md"))
    assert "[A/HRC/28/10](https://undocs.org/A/HRC/28/10)" in part
    assert "A_HRC_28_10_working-group-report.txt" not in part
    internal = sources_part(read(internal_pages / "reviews" / "kaz-upr2.md"))
    assert "A_HRC_28_10_working-group-report.txt" in internal and "5 January 2026" in internal


def test_the_recommendations_table_says_once_that_the_review_is_not_held(pages: Path) -> None:
    page = read(pages / "recommendations.md")
    assert "review not held here" not in page
    assert page.count("Kazakhstan's 4th-cycle review is not in this knowledge base") == 1
    note = page.index("Kazakhstan's 4th-cycle review is not in this knowledge base")
    assert note < page.index("| No. |"), "the note stands above the table"


def test_no_page_says_review_not_held_here(pages: Path) -> None:
    for md in pages.rglob("*.md"):
        assert "not held here" not in md.read_text(encoding="utf-8"), md


def cards(page: str) -> list[str]:
    return re.findall(r'<div class="uprkb-card .*?\n</div>\n', page, re.S)


def test_a_card_shows_one_line_of_key_facts_and_folds_the_rest(pages: Path) -> None:
    page = (pages / "ili-kazakhstan-upr4" / "right-to-life.md").read_text(encoding="utf-8")
    found = cards(page)
    assert len(found) > 5
    for card in found:
        visible = card.split("<details", 1)[0]
        assert len(re.findall(r"^- \*\*", visible, re.M)) == 0, card  # no metadata list outside the details
        assert len(re.findall(r'class="uprkb-keys"', visible)) <= 1
        assert '<details class="uprkb-more"' in card or "uprkb-keys" not in card
        assert '<details class="uprkb-cite"' in card and "<details open" not in card
    finding = next(c for c in found if "uprkb-finding" in c)
    assert "Themes:" in finding.split("<details", 1)[0]


def test_css_keeps_ids_whole_and_lets_cards_break_across_printed_pages() -> None:
    css = CSS.read_text(encoding="utf-8")
    assert re.search(r"\.uprkb-id[^{]*\{[^}]*white-space:\s*nowrap", css)
    printing = css[css.index("@media print") :]
    assert not re.search(r"\.uprkb-card\s*\{[^}]*break-inside:\s*avoid", printing)
