"""The document OHCHR receives, read back as a reader reads it: one number per paragraph, no "§", only
what can exist before the review, the word count of what is printed, and a file anyone may read.

The .docx is read with python-docx (and its footnotes part with the standard library), which share no code
with the export. OHCHR's technical guidelines for stakeholders ask for numbered paragraphs, numbered
continuously; a recommendation is one of them, so it carries its paragraph number and no other.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import zipfile
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

import docx
import pytest
import yaml
from click.testing import CliRunner

from tests.kazakhstan import plant_review
from tests.project import SEED_ID, copy_seed_data
from uprkb.cli import main

NUMBERED_STYLES = {"Numbered Paragraph", "Numbered Finding", "Numbered Recommendation"}
COVER_STYLES = {"Title", "Cover"}
"""The cover facts (title, organisations, contact, State, cycle, session): not counted."""
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WORD = re.compile(r"\S*[^\W_]\S*")
"""A word as the project counts one: a run between white space holding a letter or a digit."""
PARAGRAPH_NUMBER = re.compile(r"^(\d+)\.\t")
HEADING_NUMBER = re.compile(r"^[IVXLC]+\.\s")
ITEM_MARK = re.compile(r"(?m)^(?:\([a-z]{1,3}\)|•)\s")
TWO_NUMBERS = re.compile(r"^\s*\d+(?:\.\d+)*\.?\s+\(?\d")


def run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def umask_022() -> Iterator[None]:
    """The umask of a user who shares what they write (Debian's default)."""
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


@pytest.fixture(scope="module")
def kazakhstan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed beside Kazakhstan's 2nd-cycle review, a finding following up and assessing its
    recommendations, with a summary and key words on the cover."""
    data = copy_seed_data(tmp_path_factory.mktemp("ohchr-doc") / "data")
    plant_review(data)
    section = data / "submissions" / SEED_ID / "sections" / "03-freedom-of-association.yaml"
    text = section.read_text(encoding="utf-8")
    finding = "    kind: fact\n    provisions:\n    - kz-cao-art-498\n"
    assert finding in text
    section.write_text(
        text.replace(
            finding,
            "    kind: fact\n    follows_up: [kaz-upr2/122.60, A/HRC/28/10#122.62]\n"
            "    assessments:\n"
            "    - {recommendation: kaz-upr2/122.60, status: not-implemented, as_of: '2024-01-01'}\n"
            "    provisions:\n    - kz-cao-art-498\n",
            1,
        ),
        encoding="utf-8",
    )
    meta = data / "submissions" / SEED_ID / "submission.yaml"
    extra = {"summary": "The submission covers the January 2022 events and torture.", "keywords": ["torture"]}
    meta.write_text(meta.read_text(encoding="utf-8") + yaml.safe_dump(extra), encoding="utf-8")
    return data


def export(data: Path, sid: str, out: Path) -> tuple[Path, str]:
    return out, run("export", "docx", "--data", str(data), "--submission", sid, "-o", str(out))


@pytest.fixture(scope="module")
def seed_doc(kazakhstan: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    return export(kazakhstan, SEED_ID, tmp_path_factory.mktemp("seed-doc") / "seed.docx")


def paragraphs(path: Path) -> list[tuple[str, str]]:
    """(style, text) of every paragraph of the body, in order (footnote marks carry no text)."""
    return [(p.style.name if p.style is not None else "", p.text) for p in docx.Document(str(path)).paragraphs]


def footnote_texts(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as z:
        root = ElementTree.fromstring(z.read("word/footnotes.xml"))
    out = []
    for note in root.iter(W + "footnote"):
        if note.get(W + "type") in (None, "normal"):
            out.append("".join(t.text or "" for t in note.iter(W + "t")))
    return out


def counted_words(path: Path) -> tuple[int, int]:
    """The words of the document as printed: (body, body and footnotes).

    Body: every paragraph after the cover facts (the description, "Summary:" and "Key words:" with their
    text, headings, paragraphs, quotations, list lead-ins, findings, recommendations and the follow-up
    lines under them), less the numbers the document puts before a heading or a paragraph and the marks
    of the items of a list ("(a)", "•"), which are numbering, not words. Footnotes: the text of each.
    """
    body = 0
    for style, text in paragraphs(path):
        if style in COVER_STYLES:
            continue
        if style in NUMBERED_STYLES:
            text = PARAGRAPH_NUMBER.sub("", text)
            text = ITEM_MARK.sub("", text)
        elif style.startswith("Heading"):
            text = HEADING_NUMBER.sub("", text)
        body += len(WORD.findall(text))
    notes = sum(len(WORD.findall(t)) for t in footnote_texts(path))
    return body, body + notes


def printed_counts(output: str) -> tuple[int, int]:
    m = re.search(r"Words: ([\d,]+) in the body \([^)]*\); ([\d,]+) with the footnotes\.", output)
    assert m, output
    return int(m.group(1).replace(",", "")), int(m.group(2).replace(",", ""))


# ---------------------------------------------------------------------------
# One number per paragraph, headings without "§"
# ---------------------------------------------------------------------------


def test_no_paragraph_starts_with_two_numbers(seed_doc: tuple[Path, str]) -> None:
    doubled = [t[:40] for _s, t in paragraphs(seed_doc[0]) if TWO_NUMBERS.match(t)]
    assert doubled == []


def test_every_numbered_paragraph_carries_its_number_once(seed_doc: tuple[Path, str]) -> None:
    numbered = [(s, t) for s, t in paragraphs(seed_doc[0]) if s in NUMBERED_STYLES]
    numbers = []
    for _style, text in numbered:
        m = PARAGRAPH_NUMBER.match(text)
        assert m, text[:60]
        numbers.append(int(m.group(1)))
        rest = text[m.end() :]
        # no second number: not the section's "2.3.", not an item number, not a bullet before a recommendation
        assert not re.match(r"\(?\d", rest), text[:60]
    assert numbers == list(range(1, len(numbered) + 1))
    recommendations = [t for s, t in numbered if s == "Numbered Recommendation"]
    assert len(recommendations) == 19
    assert recommendations[0].startswith("4.\tEnsure, at the legislative and practical level")
    assert any(
        t.startswith("21.\tConduct an investigation into the use of weapons by CSTO troops.") for t in recommendations
    )
    # "3.3", a recommendation's number within its section, is nowhere in the document
    assert not any(re.search(r"(?<![\d.])3\.3\.?\s", t) for _s, t in paragraphs(seed_doc[0]))


def test_headings_carry_no_section_sign(seed_doc: tuple[Path, str]) -> None:
    texts = paragraphs(seed_doc[0])
    assert not [t for _s, t in texts if "§" in t]
    headings = [t for s, t in texts if s == "Heading 1"]
    assert [h.split(" ", 1)[0] for h in headings] == ["I.", "II.", "III.", "IV.", "V."]
    assert headings[0] == "I. Legal and institutional framework for the promotion and protection of human rights"


def test_ordered_plain_lists_are_lettered_inside_their_paragraph(kazakhstan: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(kazakhstan, data)
    torture = data / "submissions" / SEED_ID / "sections" / "05-freedom-of-torture.yaml"
    items = "- type: list\n  id: s5-points\n  style: ordered\n  items:\n  - first point\n  - second point\n\n"
    torture.write_text(torture.read_text(encoding="utf-8").replace("body:\n", "body:\n" + items, 1), encoding="utf-8")
    out, output = export(data, SEED_ID, tmp_path / "list.docx")
    texts = [t for s, t in paragraphs(out) if s in NUMBERED_STYLES]
    assert "49.\t(a) first point\n(b) second point" in texts
    assert not [t for t in texts if TWO_NUMBERS.match(t)]
    assert printed_counts(output) == counted_words(out)


# ---------------------------------------------------------------------------
# Only what can exist before the review
# ---------------------------------------------------------------------------


def test_follow_up_of_the_previous_cycle_stays(seed_doc: tuple[Path, str]) -> None:
    texts = "\n".join(t for _s, t in paragraphs(seed_doc[0]))
    assert (
        "Recommendation 122.60 (A/HRC/28/10), supported by Kazakhstan: not implemented as of 1 January 2024." in texts
    )
    assert "Follows up recommendation 122.62 (A/HRC/28/10), supported by Kazakhstan." in texts


def test_no_line_after_the_review_the_submission_informs(followup_data: Path, tmp_path: Path) -> None:
    """The Slovenia sample: a 4th-cycle submission whose records are taken up as, follow up and assess
    recommendations of the 4th-cycle review itself (A/HRC/59/15), all after the fact; and one of the 3rd."""
    out, output = export(followup_data, "test-followup-svn-upr4", tmp_path / "svn.docx")
    lines = [line for _s, t in paragraphs(out) for line in t.split("\n")]
    assert not [line for line in lines if line.startswith("Taken up as")]
    assert not [line for line in lines if "A/HRC/59/15" in line]
    assert "Recommendation 121.5 of the 3rd cycle: partially implemented as of 1 September 2025." in lines
    assert printed_counts(output) == counted_words(out)


# ---------------------------------------------------------------------------
# The word count is the count of the document
# ---------------------------------------------------------------------------


def test_the_printed_word_count_is_the_count_of_the_document(seed_doc: tuple[Path, str]) -> None:
    path, output = seed_doc
    texts = [t for _s, t in paragraphs(path)]
    assert "Summary: The submission covers the January 2022 events and torture." in texts
    assert "Key words: torture" in texts
    assert printed_counts(output) == counted_words(path)


# ---------------------------------------------------------------------------
# Files a user can share
# ---------------------------------------------------------------------------


def test_the_word_document_is_written_0644(kazakhstan: Path, tmp_path: Path, umask_022: None) -> None:
    out, _ = export(kazakhstan, SEED_ID, tmp_path / "shared.docx")
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o644
    # written again over itself, still 0644
    run("export", "docx", "--data", str(kazakhstan), "--submission", SEED_ID, "-o", str(out))
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o644
    assert not [p.name for p in tmp_path.iterdir() if p.name != "shared.docx"]  # no staging file left


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (libreoffice-writer) is not installed")
def test_the_pdf_is_written_0644(kazakhstan: Path, tmp_path: Path, umask_022: None) -> None:
    out = tmp_path / "shared.pdf"
    run("export", "pdf", "--data", str(kazakhstan), "--submission", SEED_ID, "-o", str(out))
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o644
    assert not [p.name for p in tmp_path.iterdir() if p.name != "shared.pdf"]
