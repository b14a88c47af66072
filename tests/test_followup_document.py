"""The follow-up in the document OHCHR receives: the Word, PDF and text exports and the full-text page name each
earlier recommendation a record follows up or assesses by its number and the report's symbol, with the State's
position and the organisation's assessment (OHCHR's guidelines for stakeholders ask submissions to refer to the
recommendations of the previous review by their paragraph numbers in the Working Group's report).

The scenario: the seed beside Kazakhstan's 2nd-cycle review (tests/kazakhstan.py); and the follow-up samples
beside Slovenia's 4th-cycle review (tests/samples/followup-submission) for take-up."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from docx2python import docx2python

from tests.kazakhstan import plant_review
from tests.project import copy_seed_data
from uprkb.check.validate import check
from uprkb.cli import main
from uprkb.exports.text import export_text
from uprkb.present.wordcount import count_words, word_counts
from uprkb.site.generate import generate

SID = "ili-kazakhstan-upr4"
SECTION = "submissions/ili-kazakhstan-upr4/sections/03-freedom-of-association.yaml"
FINDING = "    kind: fact\n    provisions:\n    - kz-cao-art-498\n"
RECOMMENDATION = "    findings:\n    - f-art-498-disproportionate-liability\n    follows_up: []\n"

ASSESSED = "Recommendation 122.60 (A/HRC/28/10), supported by Kazakhstan: not implemented as of 1 January 2024."
FOLLOWED = "Follows up recommendation 122.62 (A/HRC/28/10), supported by Kazakhstan."
NOTED = "Follows up recommendation 122.61 (A/HRC/28/10), noted by Kazakhstan."
OUTSIDE = "Follows up recommendation 76.5 (A/HRC/14/10)."


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = copy_seed_data(tmp_path_factory.mktemp("followup-doc") / "data")
    plant_review(out)
    target = out / SECTION
    text = target.read_text(encoding="utf-8")
    assert FINDING in text and RECOMMENDATION in text
    text = text.replace(
        FINDING,
        "    kind: fact\n    follows_up: [kaz-upr2/122.60, A/HRC/28/10#122.62]\n"
        "    assessments:\n"
        "    - {recommendation: kaz-upr2/122.60, status: no-information, as_of: '2023-01-01'}\n"
        "    - {recommendation: kaz-upr2/122.60, status: not-implemented, as_of: '2024-01-01'}\n"
        "    provisions:\n    - kz-cao-art-498\n",
        1,
    ).replace(
        RECOMMENDATION,
        "    findings:\n    - f-art-498-disproportionate-liability\n"
        "    follows_up: ['A/HRC/28/10#122.61', 'A/HRC/14/10#76.5']\n",
        1,
    )
    target.write_text(text, encoding="utf-8")
    return out


def run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_the_scenario_validates(data: Path) -> None:
    result = check(data)
    assert result.problems.errors == [], [p.format() for p in result.problems.errors]


def test_the_text_export_names_each_recommendation_its_position_and_the_assessment(data: Path) -> None:
    text = run("export", "text", "--data", str(data), "--submission", SID)
    for line in (ASSESSED, FOLLOWED, NOTED, OUTSIDE):
        assert text.count(line) == 1, line
    # Under the record that carries them: the finding's lines follow its text, before the next paragraph.
    finding_at = text.index("And for participation in the activities of 50 MCI!")
    assert finding_at < text.index(ASSESSED) < text.index(FOLLOWED)
    assert text.index("replaced with a notification system.") < text.index(NOTED) < text.index(OUTSIDE)
    # Only the latest assessment of a recommendation by the record is the organisation's word now.
    assert "no information as of" not in text


def test_the_word_document_carries_the_same_lines(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "kaz.docx"
    run("export", "docx", "--data", str(data), "--submission", SID, "-o", str(out))
    with docx2python(out) as doc:
        body = doc.text
    for line in (ASSESSED, FOLLOWED, NOTED, OUTSIDE):
        assert body.count(line) == 1, line
    assert body.index("50 MCI!") < body.index(ASSESSED)


def test_the_full_text_page_shows_the_same(data: Path, tmp_path: Path) -> None:
    kb = check(data).kb
    assert kb is not None
    generate(kb, tmp_path / "docs", "https://example.invalid/")
    page = (tmp_path / "docs" / "kb" / SID / "full-text.md").read_text(encoding="utf-8").replace("\\", "")
    for words in (
        "Recommendation 122.60 (A/HRC/28/10), supported by Kazakhstan",
        "not implemented as of 1 January 2024",
        "Recommendation 122.62 (A/HRC/28/10), supported by Kazakhstan",
        "Recommendation 122.61 (A/HRC/28/10), noted by Kazakhstan",
        "Recommendation 76.5 (A/HRC/14/10)",
    ):
        assert words in page, words


def test_the_lines_count_in_the_body(data: Path) -> None:
    """They are printed in the body of the document OHCHR receives, so its word count counts them."""
    result = check(data)
    assert result.kb is not None
    sub = result.kb.submission(SID)
    (wc,) = [w for w in result.word_counts if w.submission == SID]
    added = sum(count_words(line) for line in (ASSESSED, FOLLOWED, NOTED, OUTSIDE))
    assert wc.body == word_counts(sub)[0] + added == word_counts(sub, result.kb.followup)[0]


def test_take_up_in_the_text_export(followup_data: Path) -> None:
    kb = check(followup_data).kb
    assert kb is not None
    sub = kb.submission("test-followup-svn-upr4")
    text = export_text(sub, followup=kb.followup)
    assert "Taken up as recommendation 140.13 (A/HRC/59/15), supported by Slovenia." in text
    # An earlier cycle's review that the knowledge base does not hold: its cycle, no position.
    assert "Follows up recommendation 121.5 of the 3rd cycle." in text
    assert "Recommendation 140.18 (A/HRC/59/15), supported by Slovenia: contrary measures as of 30 June 2025." in text
