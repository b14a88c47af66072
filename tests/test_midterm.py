"""export midterm: the organisation's mid-term report on a review, read back with python-docx.

The same scenario as tests/test_matrix_export.py (our own samples, so it runs everywhere); the expected entries,
statuses, per-theme counts, footnotes and word count are worked out here from the files with PyYAML.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document

from tests.test_matrix_export import REVIEW, STATUS, Expected, footnotes, make_data, number_key, read_expected, run

HEADINGS = [
    "1. Introduction",
    "2. Methodology",
    "3. Summary of implementation",
    "4. Implementation of the recommendations",
]
COLUMNS = [*STATUS.values(), "not yet assessed"]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WORD = re.compile(r"\S*[^\W_]\S*")


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_data(tmp_path_factory.mktemp("midterm"))


@pytest.fixture(scope="module")
def expected(data: Path) -> Expected:
    return read_expected(data)


@pytest.fixture(scope="module")
def report(data: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("midterm-out") / "isl-midterm.docx"
    return out, run("export", "midterm", "--data", str(data), "--review", REVIEW, "-o", str(out))


def cap(text: str) -> str:
    return text[0].upper() + text[1:]


def test_cover_and_sections(report: tuple[Path, str]) -> None:
    doc = Document(str(report[0]))
    title = doc.paragraphs[0]
    assert title.style.name == "Title"
    assert title.text == "Mid-term report on the implementation of the recommendations of the 4th UPR cycle: Iceland"
    cover = [p.text for p in doc.paragraphs if p.style.name == "Cover"]
    assert cover[0] == "Submitted by: Sample Mid-term Watch (SMW)"
    assert (
        "State under review: Iceland" in cover
        and "Report of the Working Group: A/HRC/99/10; addendum: A/HRC/99/10/Add.1" in cover
    )
    assert [p.text for p in doc.paragraphs if p.style.name == "Heading 1"] == HEADINGS
    numbered = [p.text for p in doc.paragraphs if p.style.name == "Numbered Paragraph"]
    assert [int(t.split(".")[0]) for t in numbered] == list(range(1, len(numbered) + 1))


def test_one_entry_per_recommendation_followed(report: tuple[Path, str], expected: Expected) -> None:
    doc = Document(str(report[0]))
    entries = [p.text for p in doc.paragraphs if p.style.name == "Heading 2"]
    followed = sorted(expected.followed, key=number_key)
    states = {rid: ", ".join(s["name"] for s in expected.received[rid]["recommending_states"]) for rid in followed}
    assert entries == [f"Recommendation {rid} ({states[rid]})" for rid in followed]
    text = "\n".join(p.text for p in doc.paragraphs)
    for rid in followed:
        rec = expected.received[rid]
        assert rec["text"] in text
        latest = expected.latest(rid)
        if latest is None:
            continue
        status = expected.status(rid)
        assert f"Assessment: {cap(status)} as of " in text
        assert re.sub(r"\[\^[^\]]+\]", "", latest["finding"]["text"]) in text
    # 98.1 was assessed twice: the latest is the entry's status, the earlier one listed after it
    assert len(expected.assessments["98.1"]) == 2
    assert "Earlier assessments: no information as of 10 September 2026." in text


def test_the_summary_tables(report: tuple[Path, str], expected: Expected) -> None:
    path, output = report
    doc = Document(str(path))
    by_status, by_theme = doc.tables
    counts = {label: 0 for label in COLUMNS}
    for rid in expected.followed:
        counts[expected.status(rid)] += 1
    rows = [[c.text for c in row.cells] for row in by_status.rows]
    assert rows[0] == ["Status", "Recommendations"]
    assert rows[1:] == [[cap(k), str(n)] for k, n in counts.items()] + [["Total", str(len(expected.followed))]]
    themes: dict[str, dict[str, int]] = {}
    for rid in expected.followed:
        for tid in expected.received[rid].get("themes") or [None]:
            label = expected.themes[tid] if tid else "Recommendations without a theme"
            themes.setdefault(label, dict.fromkeys(COLUMNS, 0))[expected.status(rid)] += 1

    def listed(c: dict[str, int]) -> str:
        return "; ".join(f"{k} {n}" for k, n in c.items() if n)

    rows = [[c.text for c in row.cells] for row in by_theme.rows]
    assert rows[0] == ["Theme", "Recommendations", "By status"]
    assert sorted(rows[1:-1]) == sorted([label, str(sum(c.values())), listed(c)] for label, c in themes.items())
    assert rows[-1] == ["All recommendations followed", str(len(expected.followed)), listed(counts)]
    # themes in the vocabulary's order, the recommendations without a theme last
    order = {label: i for i, label in enumerate(expected.themes.values())}
    labels = [r[0] for r in rows[1:-1]]
    assert labels == sorted(labels, key=lambda t: order.get(t, len(order)))
    assert labels[-1] == "Recommendations without a theme"
    assert "Statuses: " + ", ".join(f"{k} {n}" for k, n in counts.items()) + "." in output


def test_footnotes_and_the_word_count(report: tuple[Path, str], expected: Expected) -> None:
    path, output = report
    cited = [sid for rid in expected.followed for sid in expected.notes_of(rid)]
    references, texts = footnotes(path)
    assert references == len(texts) == len(cited) == 5
    assert f"{len(cited)} footnotes" in output
    titles = sorted(expected.sources[sid]["title"] for sid in cited)
    assert sorted(next(t for t in titles if t in text) for text in texts) == titles
    # the body's words counted here from the document: from the introduction on, paragraph numbers left out
    doc = Document(str(path))
    body = doc.element.body
    words = 0
    started = False
    for p in body.iter(f"{W}p"):
        text = "".join(t.text or "" for t in p.iter(f"{W}t"))
        started = started or text == HEADINGS[0]
        if started:
            words += len(WORD.findall(re.sub(r"^\d+\.", "", text)))
    note_words = sum(len(WORD.findall(t)) for t in texts)
    assert f"Words: {words:,} in the body; {words + note_words:,} with the footnotes." in output


def test_nobody_follows_the_review(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from uprkb.cli import main

    data = make_data(tmp_path)
    shutil.rmtree(data / "submissions" / "test-midterm-isl-upr4")
    out = tmp_path / "m.docx"
    result = CliRunner().invoke(main, ["export", "midterm", "--data", str(data), "--review", REVIEW, "-o", str(out)])
    assert result.exit_code == 1 and "no organisation's record follows up" in result.output
    assert not out.exists()
    # the matrix is still OHCHR's list, its assessment column left empty
    run("export", "matrix", "--data", str(data), "--review", REVIEW, "-o", str(out))
    assert footnotes(out)[0] == 0


@pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftotext")), reason="LibreOffice is not installed")
def test_libreoffice_lays_both_documents_out(report: tuple[Path, str], data: Path, tmp_path: Path) -> None:
    matrix = tmp_path / "matrix.docx"
    run("export", "matrix", "--data", str(data), "--review", REVIEW, "-o", str(matrix))
    for docx_path, first in ((report[0], "Mid-term report"), (matrix, "Matrix of recommendations: Iceland")):
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{tmp_path}/profile",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(tmp_path),
                str(docx_path),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
        pdf = tmp_path / (docx_path.stem + ".pdf")
        page = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, text=True)
        assert page.stdout.lstrip().startswith(first)
