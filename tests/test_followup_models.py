"""Follow-up fields on the models, the retired fields' messages, the derived scales and the guide's recipe.

These need no review data: the seed and small edits of a copy of it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.project import copy_seed_data
from tests.test_guide import apply, plant_reviews, recipes
from uprkb.check.validate import check
from uprkb.core.project import Project
from uprkb.index.followup import GRADES, STATUS_LABELS, TRIGGERED_ACTION, derived_response, grade, triggered_action
from uprkb.model.records import AssessmentStatus

SEED = "ili-kazakhstan-upr4"
RECIPE = "Follow up and assess a received recommendation"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    copy_seed_data(tmp_path / "data")
    return tmp_path / "data"


def section(data: Path, name: str = "01-legal-framework.yaml") -> Path:
    return data / "submissions" / SEED / "sections" / name


def insert_after(path: Path, anchor: str, lines: str) -> int:
    """Insert ``lines`` after the one line ``anchor``; returns the 1-based line of the first inserted line."""
    text = path.read_text(encoding="utf-8")
    assert text.count(anchor) == 1, anchor
    at = text.index(anchor) + len(anchor)
    path.write_text(text[:at] + lines + text[at:], encoding="utf-8")
    return text[:at].count("\n") + 1


def test_the_seed_no_longer_writes_a_response() -> None:
    for path in (Project.find().data / "submissions" / SEED / "sections").glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        assert "response:" not in text and "implementation:" not in text, path


def test_writing_response_is_a_located_error_that_explains_the_change(data: Path) -> None:
    line = insert_after(section(data), "    follows_up: []\n", "    response: supported\n")
    result = check(data)
    assert not result.ok
    [problem] = result.problems.errors
    assert (problem.location.line, problem.location.col) == (line, 15)
    assert problem.location.path.endswith("01-legal-framework.yaml")
    assert "'response' is no longer written by hand" in problem.message
    assert "taken_up_as" in problem.message and "derived" in problem.message
    assert "unknown field" not in problem.message


def test_writing_implementation_points_to_assessments(data: Path) -> None:
    insert_after(
        section(data),
        "    follows_up: []\n",
        '    implementation:\n    - date: "2023-01-01"\n      status: not-started\n',
    )
    [problem] = check(data).problems.errors
    assert "'implementation' is no longer kept" in problem.message and "assessments" in problem.message


def test_the_old_follows_up_form_is_refused_with_the_reference_to_write(data: Path) -> None:
    text = section(data).read_text(encoding="utf-8")
    section(data).write_text(
        text.replace(
            "    follows_up: []\n",
            "    follows_up:\n    - document: A/HRC/43/10\n      paragraph: '139.12'\n      verified: false\n",
        ),
        encoding="utf-8",
    )
    [problem] = check(data).problems.errors
    assert "write 'A/HRC/43/10#139.12'" in problem.message


@pytest.mark.parametrize("ref", ["kaz-upr3 139.12", "A/HRC/43/10 para 139.12", "kaz-upr3/", "KAZ-UPR3/139.12"])
def test_a_malformed_reference_says_how_to_write_one(data: Path, ref: str) -> None:
    insert_after(section(data), "    follows_up: []\n", f'    taken_up_as: ["{ref}"]\n')
    [problem] = check(data).problems.errors
    assert "svn-upr4/140.7" in problem.message or "such as '140.7'" in problem.message


def test_references_to_reviews_not_in_the_knowledge_base_are_citations(data: Path) -> None:
    insert_after(section(data), "    follows_up: []\n", '    taken_up_as: ["A/HRC/59/15#140.7", kaz-upr4/120.1]\n')
    result = check(data)
    assert result.ok and not result.problems.warnings, [p.format() for p in result.problems.items]
    assert result.kb is not None
    fu = result.kb.followup.record(SEED, "r-treaty-body-implementation-mechanism")
    assert fu is not None and fu.take_up is not None
    assert [r.label for r in fu.taken_up_as] == [
        "A/HRC/59/15#140.7 (not in this knowledge base)",
        "kaz-upr4/120.1 (not in this knowledge base)",
    ]
    assert fu.take_up.status == "external"
    assert fu.response == (
        "taken up as A/HRC/59/15#140.7 (the review is not in the knowledge base) and "
        "kaz-upr4/120.1 (the review is not in the knowledge base)"
    )


def test_an_assessment_needs_a_known_status_and_a_real_date(data: Path) -> None:
    body = (
        "    assessments:\n"
        "    - recommendation: kaz-upr3/139.12\n"
        "      status: implemented\n"
        '      as_of: "2024-02-30"\n'
    )
    text = section(data).read_text(encoding="utf-8")
    anchor = "    id: f-61-decisions-none-implemented\n"
    section(data).write_text(text.replace(anchor, anchor + body), encoding="utf-8")
    codes = sorted(p.code for p in check(data).problems.errors)
    assert codes == ["invalid-choice", "invalid-value"]


def test_grades_and_triggered_action_cover_every_status_once() -> None:
    assert set(GRADES) == set(TRIGGERED_ACTION) == set(STATUS_LABELS) == set(AssessmentStatus)
    assert sorted(g.letter for g in GRADES.values()) == ["A", "B", "C", "D", "E"]
    assert grade(AssessmentStatus.fully_implemented).letter == "A"
    assert grade(AssessmentStatus.contrary_measures).letter == "E"
    triggered = {s for s in AssessmentStatus if triggered_action(s) == "triggered action"}
    assert triggered == {AssessmentStatus.fully_implemented, AssessmentStatus.partially_implemented}


def test_no_take_up_reads_differently_with_and_without_the_review() -> None:
    assert derived_response([], "svn-upr4", True) == ("not taken up (yet)", "not-taken-up")
    assert derived_response([], "svn-upr4", False) == ("the review is not in the knowledge base", "review-not-in-kb")


def test_the_guide_recipe_validates_on_a_copy_of_the_data(data: Path) -> None:
    plant_reviews(data)  # the recipe follows up Kazakhstan's 2nd-cycle review, held
    before = {p.format() for p in check(data).problems.items}
    snippets = recipes()[RECIPE]
    assert len(snippets) == 1
    for snippet in snippets:
        apply(snippet, data)
    result = check(data)
    new = [p.format() for p in result.problems.items if p.format() not in before]
    assert result.ok and not new, "\n".join(new)
    assert result.kb is not None
    fu = result.kb.followup.record(SEED, "f-follow-up-association-law")
    assert fu is not None and [e.status.value for e in fu.assessments] == ["not-implemented"]


def test_a_broken_recipe_would_fail(data: Path) -> None:
    """The check above can fail: the recipe with its quote changed does not validate."""
    plant_reviews(data)
    snippet = recipes()[RECIPE][0].replace('quote: "had not been brought into line"', 'quote: "had not changed"')
    apply(snippet, data)
    assert [p.code for p in check(data).problems.errors] == ["quote-not-in-text"]


def test_a_failing_submission_yaml_leaves_follow_up_unresolved_not_crashed(data: Path) -> None:
    meta = data / "submissions" / SEED / "submission.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("\ncycle: 4\n", "\ncycle: four\n"), encoding="utf-8")
    insert_after(section(data), "    follows_up: []\n", "    taken_up_as: [kaz-upr4/120.1]\n")
    result = check(data)
    assert [p.location.path.endswith("submission.yaml") for p in result.problems.errors] == [True]
    assert result.kb is not None
    fu = result.kb.followup.submissions[SEED]
    assert fu.review_id is None and not fu.review_in_kb
