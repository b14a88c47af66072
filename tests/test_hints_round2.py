"""Hints that never mislead, on the scenario of a Kazakh NGO: its 4th-cycle submission (the seed) beside
Kazakhstan's 2nd-cycle review (tests/kazakhstan.py). One "did you mean" engine (rapidfuzz, core/hints.py)
for vocabulary terms, enum values, references, section IDs and review IDs; a hint to add a term first looks
for the term under its label; every problem in one pass."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.kazakhstan import plant_review
from tests.project import PROJECT, copy_seed_data
from uprkb.check.validate import check
from uprkb.core.errors import Problem
from uprkb.core.hints import close_match

SECTION = "submissions/ili-kazakhstan-upr4/sections/03-freedom-of-association.yaml"
FINDING_KIND = "    kind: fact\n    provisions:\n    - kz-cao-art-498"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    out = copy_seed_data(tmp_path / "data")
    plant_review(out)
    return out


def edit(data: Path, old: str, new: str, path: str = SECTION) -> None:
    target = data / path
    text = target.read_text(encoding="utf-8")
    assert old in text, old
    target.write_text(text.replace(old, new, 1), encoding="utf-8")


def problems(data: Path) -> tuple[list[Problem], list[Problem]]:
    result = check(data)
    return result.problems.errors, result.problems.warnings


def test_the_seed_beside_the_review_is_clean(data: Path) -> None:
    errors, warnings = problems(data)
    assert errors == [] and warnings == []


def test_a_hint_to_add_a_term_points_to_the_term_with_that_label(data: Path) -> None:
    edit(data, "    - civil-society\n", "    - freedom-of-peaceful-assembly\n")
    (p,) = problems(data)[0]
    assert "'freedom-of-assembly'" in p.hint and "Freedom of peaceful assembly" in p.hint
    assert "add it to" not in p.hint


def test_a_term_found_by_an_equivalent_label(data: Path) -> None:
    edit(data, "    - civil-society\n", "    - right-to-peaceful-assembly\n")
    (p,) = problems(data)[0]
    assert "'freedom-of-assembly'" in p.hint and "add it to" not in p.hint


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (FINDING_KIND, FINDING_KIND.replace("fact", "facts"), "did you mean 'fact'?"),
        (
            FINDING_KIND,
            FINDING_KIND.replace(
                "    kind: fact\n",
                "    kind: fact\n    assessments:\n"
                "    - {recommendation: kaz-upr2/122.60, status: not implemented, as_of: '2024-01-01'}\n",
            ),
            "did you mean 'not-implemented'?",
        ),
        (
            FINDING_KIND,
            FINDING_KIND.replace("    kind: fact\n", "    kind: fact\n    follows_up: [KAZ-UPR2/122.60]\n"),
            "did you mean 'kaz-upr2/122.60'?",
        ),
    ],
    ids=["finding-kind", "assessment-status", "upper-case-reference"],
)
def test_did_you_mean_for_values_and_references(data: Path, old: str, new: str, expected: str) -> None:
    edit(data, old, new)
    errors = problems(data)[0]
    assert any(expected in p.hint for p in errors), [p.format() for p in errors]


def test_did_you_mean_for_a_section_id(data: Path) -> None:
    edit(
        data,
        "- freedom-of-association\n",
        "- freedom-of-asociation\n",
        "submissions/ili-kazakhstan-upr4/submission.yaml",
    )
    errors = problems(data)[0]
    assert any("did you mean 'freedom-of-association'?" in p.hint for p in errors), [p.format() for p in errors]


def test_a_review_not_held_for_a_state_whose_other_review_is_held_is_a_warning(data: Path) -> None:
    edit(
        data,
        FINDING_KIND,
        FINDING_KIND.replace("    kind: fact\n", "    kind: fact\n    follows_up: [kaz-upr3/122.60, kaz-upr9/1.1]\n"),
    )
    errors, warnings = problems(data)
    assert errors == []
    held = [w for w in warnings if w.code == "review-not-held"]
    assert len(held) == 2, [w.format() for w in warnings]
    assert all("kaz-upr2" in w.message or "kaz-upr2" in w.hint for w in held)


def test_take_up_of_another_cycle_is_an_error(data: Path) -> None:
    edit(
        data,
        "    number: 1\n    text: The registration",
        "    number: 1\n    taken_up_as: [kaz-upr2/122.60]\n    text: The registration",
    )
    errors = problems(data)[0]
    assert [p.code for p in errors] == ["take-up-cycle"], [p.format() for p in errors]


def test_all_problems_in_one_pass(data: Path) -> None:
    """Field errors in a section do not hide its references: a wrong theme and a wrong recommendation ID too."""
    edit(
        data,
        "    kind: fact\n    provisions:\n    - kz-cao-art-498\n    - iccpr-art-22\n    - kz-constitution-art-23\n"
        "    themes:\n    - freedom-of-association\n",
        "    kind: facts\n    follows_up: [kaz-upr2/122.600]\n    provisions:\n    - kz-cao-art-498\n"
        "    - iccpr-art-22\n    - kz-constitution-art-23\n    themes:\n    - freedom-of-asociation\n",
    )
    edit(data, "  id: s3-political-parties\n  text:", "  id: s3-political-parties\n  txet:")
    codes = sorted(p.code for p in problems(data)[0])
    assert codes.count("unknown-reference") == 2 and "invalid-choice" in codes and "unknown-field" in codes, codes


def test_sdg_targets_are_never_corrected_to_another_target(data: Path) -> None:
    """The README's promise, in the reviews' check too: sdg-16-2 is never 'corrected' to sdg-16-3 or sdg-16-b."""
    edit(
        data,
        "  themes: [freedom-of-assembly]\n",
        "  themes: [freedom-of-assembly]\n  sdg_targets: [sdg-16-2]\n",
        "reviews/kaz-upr2/recommendations.yaml",
    )
    (p,) = problems(data)[0]
    assert "did you mean" not in p.hint
    assert close_match("sdg-16-2", ["sdg-16-3", "sdg-16-b", "sdg-16-1"]) is None


def test_one_did_you_mean_engine() -> None:
    """No module but core/hints.py computes near misses: difflib is used nowhere."""
    for path in (PROJECT / "src" / "uprkb").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        names |= {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        assert "difflib" not in names, path


def test_a_record_left_out_of_the_partial_check_does_not_make_its_source_unused(data: Path) -> None:
    """The paragraph that cites a source fails; the rest of its section is checked, the source is not 'unused'."""
    edit(
        data,
        "  text: According to the Human Rights Measurement Initiative",
        "  txet: According to the Human Rights Measurement Initiative",
        "submissions/ili-kazakhstan-upr4/sections/05-freedom-of-torture.yaml",
    )
    edit(data, "    - civil-society\n", "    - civil-societies\n")
    errors, warnings = problems(data)
    assert sorted(p.code for p in errors + warnings) == ["missing-field", "unknown-field", "unknown-reference"], [
        p.format() for p in errors + warnings
    ]


def test_a_source_that_fails_leaves_its_footnotes_unflagged(data: Path) -> None:
    edit(
        data,
        "- id: hrmi-rights-tracker\n  kind: dataset\n",
        "- id: hrmi-rights-tracker\n  kind: datasets\n  colour: blue\n",
        "submissions/ili-kazakhstan-upr4/sections/05-freedom-of-torture.yaml",
    )
    codes = sorted(p.code for p in problems(data)[0])
    assert codes == ["invalid-choice", "unknown-field"], codes
