"""Themes on the recommendations imported from the real fixtures (../shared/fixtures; skipped if absent).

Each fixture is imported into a private copy of the seed data; the themed share is then counted
from the written ``recommendations.yaml`` files, and the expected figures come from the documents:
UPR Info's rows carrying an issue other than "Other" or "General" (the two issues that name no
theme), counted here with the csv module, and the thematic lists' record counts (254 for
Slovenia's 4th cycle, 163 stated in A/HRC/28/15/Add.1, 252 for China's 2nd cycle).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import pytest
import yaml

from tests.conftest import import_options
from tests.project import PROJECT
from uprkb.check.validate import check
from uprkb.importers import run_import

FIXTURES = PROJECT.parent / "shared" / "fixtures"
UPR = FIXTURES / "upr-info"
SVN4_LIST = FIXTURES / "ohchr-slovenia-upr4" / "thematic-list-of-recommendations.txt"
SVN2_LIST = FIXTURES / "ohchr-slovenia-upr2" / "thematic-list-of-recommendations.docx"
CHN2_MATRIX = FIXTURES / "ohchr-china-upr2" / "matrix-of-recommendations.docx"
DAY = dt.date(2026, 1, 5)
NO_THEME = {"Other", "General"}

pytestmark = pytest.mark.skipif(
    not (UPR.is_dir() and SVN4_LIST.exists() and SVN2_LIST.exists() and CHN2_MATRIX.exists()),
    reason="the real UPR material is not beside the checkout (../shared/fixtures)",
)
options = import_options


def written(data: Path) -> list[dict[str, object]]:
    """Every recommendation the import wrote, read back from the YAML files."""
    out: list[dict[str, object]] = []
    for path in sorted((data / "reviews").glob("*/recommendations.yaml")):
        out.extend(yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)["recommendations"])
    return out


def themed(records: list[dict[str, object]]) -> int:
    return sum(1 for r in records if r.get("themes"))


def csv_rows(name: str) -> list[dict[str, str]]:
    text = (UPR / name).read_bytes().decode("mac_roman")
    return list(csv.DictReader(io.StringIO(text, newline="")))


@pytest.mark.parametrize(
    ("name", "rows"),
    [("upr-info-sessions-1-5.csv", 6094), ("upr-info-sessions-14-17.csv", 9598), ("upr-info-sessions-17-20.csv", 7786)],
)
def test_upr_info_exports_are_themed(data: Path, name: str, rows: int) -> None:
    expected_rows = csv_rows(name)
    assert len(expected_rows) == rows
    with_theme = sum(1 for r in expected_rows if {p.strip() for p in r["Issue"].split(",") if p.strip()} - NO_THEME)
    report = run_import("upr-info", UPR / name, options(data, select_all=True, encoding="mac-roman"), today=DAY)
    assert report.records == rows
    records = written(data)
    assert len(records) == rows
    got = themed(records)
    print(f"{name}: {got}/{rows} themed ({100 * got / rows:.1f} %)")
    assert got == with_theme, "every issue except 'Other' and 'General' maps to a theme"
    assert got / rows >= 0.9
    assert {label for (system, kind, label) in report.unmapped} == NO_THEME & {
        p.strip() for r in expected_rows for p in r["Issue"].split(",")
    }


def test_upr_info_xls_export_is_themed_like_its_csv(data: Path) -> None:
    expected = sum(
        1
        for r in csv_rows("upr-info-sessions-1-5.csv")
        if {p.strip() for p in r["Issue"].split(",") if p.strip()} - NO_THEME
    )
    run_import("upr-info", UPR / "upr-info-sessions-1-5.xls", options(data, select_all=True), today=DAY)
    assert themed(written(data)) == expected


def _persons_in_list(text: str, group: str) -> int:
    """Records of the text thematic list naming ``group`` under 'Groups of Persons:' (the test's own reading)."""
    n = 0
    for block in re.split(r"\n(?=\d{1,3}\.\d{1,3} )", text):
        _, sep, persons = block.partition("Groups of Persons:")
        n += bool(sep) and f"\n- {group}\n" in persons + "\n"
    return n


def test_slovenia_4th_cycle_thematic_list_themes_and_groups(data: Path) -> None:
    text = SVN4_LIST.read_text(encoding="utf-8")
    ids = re.findall(r"^(\d{1,3}\.\d{1,3}) ", text, re.M)
    assert len(ids) == 254
    report = run_import("ohchr-matrix", SVN4_LIST, options(data, state="SVN", cycle=4), today=DAY)
    records = written(data)
    assert len(records) == 254 and themed(records) == 254
    # Groups of persons go to affected persons only, never to themes.
    officials = _persons_in_list(text, "Public officials")
    women = _persons_in_list(text, "Women &amp; girls")
    assert officials > 200 and women > 40
    assert sum(1 for r in records if "public-officials" in r.get("affected_persons", [])) == officials
    assert sum(1 for r in records if "women-and-girls" in r.get("affected_persons", [])) == women
    assert not any(t in ("public-officials", "women-and-girls") for r in records for t in r["themes"])
    r7 = next(r for r in records if r["id"] == "140.7")
    assert r7["themes"] == ["ratification-of-international-instruments", "economic-social-cultural-rights-general"]
    # Only the law-enforcement group stays unmapped (the vocabulary keeps it out on purpose).
    assert {label for (_, kind, label) in report.unmapped} == {"Law enforcement / police & prison officials"}
    assert check(data).ok


@pytest.mark.parametrize(
    ("path", "iso3", "count"), [(SVN2_LIST, "SVN", 163), (CHN2_MATRIX, "CHN", 252)], ids=["svn-upr2", "chn-upr2"]
)
def test_word_thematic_lists_are_themed(data: Path, path: Path, iso3: str, count: int) -> None:
    report = run_import("ohchr-matrix", path, options(data, state=iso3, cycle=2), today=DAY)
    records = written(data)
    assert len(records) == count
    got = themed(records)
    print(f"{path.name} ({iso3}): {got}/{count} themed")
    assert got == count
    # The older lists put a code before each theme ("A12 Acceptance of international norms").
    themes = {t for r in records for t in r["themes"]}
    assert "ratification-of-international-instruments" in themes and "equality-and-non-discrimination" in themes
    left = {label for (_, kind, label) in report.unmapped if kind == "themes"}
    assert left <= {"A6 Context, statistics, budget, civil society"}, left
    assert check(data).ok
