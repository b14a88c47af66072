"""suggest: ranked candidates in a YAML file for a person, never a link written into the data.

Runs on the follow-up test submissions (test data) beside Slovenia's 4th-cycle review imported from
../shared/fixtures/ (skipped where that is absent), except the scoring units, which need no data.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from rapidfuzz import fuzz

from benchmarks.suggest_bench import GOLD, evaluate
from tests.conftest import FOLLOWUP_SUBS as SUBS
from tests.conftest import has_slovenia
from uprkb.authoring.suggest import score, suggest, words
from uprkb.check.validate import check
from uprkb.cli import main
from uprkb.core.errors import UserError
from uprkb.index.kb import KnowledgeBase

REVIEW = "svn-upr4"
needs_review = pytest.mark.skipif(
    not has_slovenia(),
    reason="the Slovenia review material is not beside the checkout (../shared/fixtures/ohchr-slovenia-upr4)",
)


@pytest.fixture(scope="module")
def data(followup_data: Path) -> Path:
    """The shipped data, the imported Slovenia review and the follow-up test submissions (conftest.py)."""
    return followup_data


@pytest.fixture(scope="module")
def kb(data: Path) -> KnowledgeBase:
    result = check(data)
    assert result.ok and result.kb is not None
    return result.kb


def digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_the_score_is_token_set_ratio_over_lowercase_words() -> None:
    assert words("Ratify the Protocol, now!") == "ratify the protocol now"
    assert score("Ratify the Protocol.", "ratify the protocol") == 100.0
    # a text contained in a longer one scores as high as an equal one
    assert score("Ratify the Protocol", "Ratify the Protocol without delay") == 100.0
    assert score("Abolish the death penalty", "Increase funding for schools") < 50
    a, b = "Reduce prison overcrowding", "Make efforts to eliminate overcrowding in prisons"
    assert score(a, b) == fuzz.token_set_ratio(words(a), words(b))


def test_the_benchmark_arithmetic() -> None:
    figures = evaluate({"q1": ["a", "b"], "q2": ["c", "x", "d"]}, {"q1": frozenset("bz"), "q2": frozenset("cd")})
    assert figures["precision_at_1"] == 0.5
    assert figures["recall_at_5"] == (0.5 + 1.0) / 2
    assert figures["recall_at_5_micro"] == 3 / 4
    assert figures["mrr"] == (1 / 2 + 1) / 2


@needs_review
def test_the_benchmark_labels_name_real_records(kb: KnowledgeBase) -> None:
    ours = {r.id for s in kb.submissions if s.id in SUBS for r in s.recommendations}
    assert set(GOLD) == ours
    assert set().union(*GOLD.values()) <= set(kb.reviews[REVIEW].by_id)


@needs_review
def test_take_up_ranks_each_recommendation_of_the_submission(kb: KnowledgeBase) -> None:
    report = suggest(kb, SUBS[0], REVIEW, "take-up", top=5)
    sub = kb.submission(SUBS[0])
    assert [s.record.id for s in report.suggestions] == [r.id for r in sub.recommendations]
    review = kb.reviews[REVIEW]
    for s in report.suggestions:
        assert len(s.candidates) == 5
        got = [c.score for c in s.candidates]
        assert got == sorted(got, reverse=True)
        # the scores are the stated measure, and nothing outside the top scores higher
        for c in s.candidates:
            assert c.score == score(s.record.text, c.recommendation.text)
        floor = got[-1]
        assert sum(1 for r in review.recommendations if score(s.record.text, r.text) > floor) <= 5
    by_id = {s.record.id: s for s in report.suggestions}
    assert by_id["t-fu-r-opicescr"].candidates[0].reference == "svn-upr4/140.7"
    assert by_id["t-fu-r-opicescr"].already == ["svn-upr4/140.7", "svn-upr4/140.8"]
    assert by_id["t-fu-r-juvenile-justice"].candidates[0].reference == "svn-upr4/140.61"


@needs_review
def test_follows_up_ranks_findings_too(kb: KnowledgeBase) -> None:
    report = suggest(kb, SUBS[0], REVIEW, "follows-up", top=3)
    sub = kb.submission(SUBS[0])
    assert len(report.suggestions) == len(sub.findings) + len(sub.recommendations)
    first = report.suggestions[0]
    assert first.record.id == "t-fu-f-opicescr"
    assert first.already == ["svn-upr4/140.7", "svn-upr4/140.8"]
    assert first.candidates[0].reference in ("svn-upr4/140.7", "svn-upr4/140.8", "svn-upr4/140.9", "svn-upr4/140.10")


@needs_review
def test_unknown_submission_or_review_is_a_user_error(kb: KnowledgeBase) -> None:
    with pytest.raises(UserError) as err:
        suggest(kb, "test-folowup-svn-upr4", REVIEW)
    assert "did you mean 'test-followup-svn-upr4'" in err.value.hint
    with pytest.raises(UserError) as err:
        suggest(kb, SUBS[0], "svn-upr9")
    assert "svn-upr4" in err.value.hint


@needs_review
def test_the_command_writes_a_reviewable_file_and_never_touches_the_data(data: Path, tmp_path: Path) -> None:
    before = digest(data)
    out = tmp_path / "out" / "suggestions.yaml"
    args = ["suggest", "--data", str(data), "--submission", SUBS[0], "--review", REVIEW, "-o", str(out)]
    result = CliRunner().invoke(main, [*args, "--top", "3"])
    assert result.exit_code == 0, result.output
    assert "nothing in the data changed" in result.output
    assert digest(data) == before
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Suggested matches, for a person to accept or reject")
    doc = yaml.safe_load(text)
    assert (doc["submission"], doc["review"], doc["for"], doc["field"], doc["top"]) == (
        SUBS[0],
        REVIEW,
        "take-up",
        "taken_up_as",
        3,
    )
    assert len(doc["suggestions"]) == 15
    first = doc["suggestions"][0]
    assert first["record"] == "t-fu-r-opicescr" and len(first["candidates"]) == 3
    assert first["candidates"][0] == {
        "reference": "svn-upr4/140.7",
        "score": first["candidates"][0]["score"],
        "listed": True,
        "position": "supported",
        "recommending_states": ["Maldives", "Portugal"],
        "text": "Ratify the Optional Protocol to the International Covenant on Economic, Social and Cultural Rights",
    }
    # 'where' names the line of the record in its file
    path, line, _col = first["where"].rsplit(":", 2)
    lines = Path(path).read_text(encoding="utf-8").splitlines() if Path(path).is_absolute() else None
    if lines is None:
        lines = (Path.cwd() / path).read_text(encoding="utf-8").splitlines()
    assert "id: t-fu-r-opicescr" in lines[int(line) - 1]

    # an existing file is kept unless --force; the data folder is refused
    again = CliRunner().invoke(main, args)
    assert again.exit_code == 1 and "--force" in again.output
    assert CliRunner().invoke(main, [*args, "--force"]).exit_code == 0
    inside = CliRunner().invoke(main, [*args[:-1], str(data / "suggestions.yaml")])
    assert inside.exit_code == 1 and "inside the data folder" in inside.output
    assert not (data / "suggestions.yaml").exists()
    assert digest(data) == before
