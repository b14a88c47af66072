"""PDF export: the Word document laid out by the real LibreOffice, its pages rendered with pdftoppm.

The page images are kept in ``test-artifacts/pdf-export/`` to look at.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.project import PROJECT
from uprkb.cli import main

SEED_ID = "ili-kazakhstan-upr4"
ARTIFACTS = PROJECT / "test-artifacts" / "pdf-export"

needs_office = pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdftoppm")),
    reason="LibreOffice (libreoffice-writer) and poppler-utils are not installed; run_tests.py installs them",
)


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("pdf") / "seed.pdf"
    result = CliRunner().invoke(main, ["export", "pdf", "--submission", SEED_ID, "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out, result.output


def pdf_pages(path: Path) -> list[str]:
    """The text of each page (pdftotext separates pages with a form feed)."""
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True)
    return text.stdout.split("\f")[:-1]


@pytest.mark.slow
@needs_office
def test_the_pdf_renders_to_pages(pdf: tuple[Path, str]) -> None:
    path, output = pdf
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))  # type: ignore[union-attr]
    assert 5 <= pages <= 8  # about 2,800 words at 12 pt on A4
    assert f"Wrote {path}: {pages} pages" in output
    assert re.search(r"^Page size:\s+595\.\d* x 841\.\d* pts \(A4\)", info, re.M)
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True)
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(path), str(ARTIFACTS / "page")], check=True)
    images = sorted(ARTIFACTS.glob("page-*.png"))
    assert len(images) == pages
    assert all(image.stat().st_size > 5000 for image in images)  # not blank pages


@pytest.mark.slow
@needs_office
def test_page_numbers_and_footnotes_at_the_foot_of_their_page(pdf: tuple[Path, str]) -> None:
    pages = pdf_pages(pdf[0])
    for number, page in enumerate(pages, 1):
        assert page.rstrip().splitlines()[-1].strip() == str(number)  # the footer's PAGE field
    for marker, url in (
        ("tried to deny", "currenttime.tv/a/kazakhstan-protests-execution"),
        ("including children", "hrw.org/news/2022/01/26/kazakhstan-killings"),
        ("forced disappearance", "https://rightstracker.org"),
    ):
        page = next(p for p in pages if marker in p)
        assert url in page, marker
    text = "\n".join(pages)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    notes = ["Current Time https://www.currenttime.tv/", "Human Rights Watch, “Kazakhstan: Killings"]
    notes += ["Law of the Republic of Kazakhstan «On Refugees»"]
    notes += ["Law of the Republic of Kazakhstan “About citizenship", "HRMI Rights Tracker"]
    for number, start in enumerate(notes, 1):  # footnotes count on through the document, not per section
        at = max(i for i, line in enumerate(lines) if line.startswith(start))
        assert lines[at - 1] == str(number), start
    numbers = [int(n) for n in re.findall(r"^\s{0,12}(\d{1,2})\.\s{2,}\S", text, re.M)]
    assert numbers[:5] == [1, 2, 3, 4, 5] and numbers == sorted(numbers)


def test_without_libreoffice_the_error_says_what_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # a PATH on which no LibreOffice can be found
    out = tmp_path / "x.pdf"
    result = CliRunner().invoke(main, ["export", "pdf", "--submission", SEED_ID, "-o", str(out)])
    assert result.exit_code == 1
    assert "LibreOffice is not installed" in result.output and "libreoffice-writer" in result.output
    assert not out.exists()
