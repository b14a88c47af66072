"""Reviews and received recommendations: the models, the reference form, loading and the checks."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from tests.project import copy_seed_data
from uprkb.check.validate import check
from uprkb.core.errors import Problems
from uprkb.importers.mapping import normalise_label, state_iso3
from uprkb.index.followup import Resolver
from uprkb.model.refs import ReviewRef, cycle_of_session, parse_review_ref
from uprkb.model.reviews import ReceivedRecommendation

REVIEW = """\
id: svn-upr4
state:
  name: Slovenia
  iso3: SVN
cycle: 4
session: 48
report: A/HRC/99/15
counts:
  received: 2
  supported: 1
  noted: 1
  source: A/HRC/99/15/Add.1
imports:
- format: wg-report
  file: sample.txt
  sha256: "{sha}"
  imported: "2026-01-05"
  records: 2
"""

RECS = """\
review: svn-upr4
recommendations:
- id: "140.1"
  text: Adopt a sample measure written for this test
  recommending_states:
  - name: Norway
    iso3: NOR
  position: supported
  themes:
  - torture
  provenance:
  - wg-report
- id: "140.2"
  text: Adopt another sample measure written for this test
  recommending_states:
  - name: Chile
  position: noted
  provenance:
  - wg-report
"""


def write_review(data: Path, review: str = REVIEW, recs: str = RECS, folder: str = "svn-upr4") -> Path:
    target = data / "reviews" / folder
    target.mkdir(parents=True)
    (target / "review.yaml").write_text(review.replace("{sha}", "a" * 64), encoding="utf-8")
    (target / "recommendations.yaml").write_text(recs, encoding="utf-8")
    return target


@pytest.fixture
def data(tmp_path: Path) -> Path:
    copy_seed_data(tmp_path / "data")
    return tmp_path / "data"


def codes(problems: Problems) -> list[str]:
    return [p.code for p in problems.items]


def test_parse_review_ref_both_forms() -> None:
    assert parse_review_ref("svn-upr4/140.7") == ReviewRef("svn-upr4", "140.7", False)
    assert parse_review_ref("A/HRC/59/15#140.7") == ReviewRef("A/HRC/59/15", "140.7", True)
    assert parse_review_ref(" mkd-upr2/u-3f2a9c1b ") == ReviewRef("mkd-upr2", "u-3f2a9c1b", False)


@pytest.mark.parametrize(
    "text", ["svn-upr4", "svn-upr4/", "svn-upr4/140", "A/HRC/59/15 140.7", "svn/140.7", "svn-upr4/140.7.x"]
)
def test_parse_review_ref_refuses_with_a_readable_message(text: str) -> None:
    with pytest.raises(ValueError, match="svn-upr4/140.7|is not a recommendation ID"):
        parse_review_ref(text)


@pytest.mark.parametrize(("session", "cycle"), [(1, 1), (12, 1), (13, 2), (26, 2), (27, 3), (40, 3), (41, 4), (48, 4)])
def test_sessions_map_to_the_published_cycles(session: int, cycle: int) -> None:
    assert cycle_of_session(session) == cycle


def test_ids_are_strings_and_official_or_marked_assigned() -> None:
    base = {"text": "Adopt a measure", "recommending_states": [{"name": "Norway"}]}
    rec = ReceivedRecommendation.model_validate({**base, "id": "140.7"})
    assert rec.id == "140.7" and rec.id_assigned is False
    with pytest.raises(ValidationError, match="id_assigned: true"):
        ReceivedRecommendation.model_validate({**base, "id": "u-3f2a9c1b"})
    with pytest.raises(ValidationError, match="looks official"):
        ReceivedRecommendation.model_validate({**base, "id": "140.7", "id_assigned": True})
    with pytest.raises(ValidationError):
        ReceivedRecommendation.model_validate({**base, "id": "140.7", "colour": "red"})
    with pytest.raises(ValidationError):
        ReceivedRecommendation.model_validate({**base, "id": "140.7", "recommending_states": []})


def test_labels_and_state_names_normalise() -> None:
    assert normalise_label("Refugees &amp; asylum seekers") == normalise_label("refugees and asylum-seekers")
    assert normalise_label("Torture and other CID") != normalise_label("Torture and other CID treatment")
    assert [state_iso3(n) for n in ("DPR Korea", "Macedonia FYR", "Cote d'Ivoire", "Türkiye")] == [
        "PRK",
        "MKD",
        "CIV",
        "TUR",
    ]
    assert state_iso3("Venezuela (Bolivarian Republic of)") == "VEN"
    assert state_iso3("European Union") is None


def test_a_review_loads_into_the_knowledge_base(data: Path) -> None:
    write_review(data)
    result = check(data)
    assert result.ok, [p.format() for p in result.problems.errors]
    kb = result.kb
    review = kb.reviews["svn-upr4"]
    assert [r.id for r in review.recommendations] == ["140.1", "140.2"]
    assert review.by_id["140.2"].recommending_states[0].name == "Chile"
    assert review.counts()["position"] == {"supported": 1, "noted": 1}
    assert [r.id for _, r in kb.received_tagged[("theme", "torture")]] == ["140.1"]
    resolver = Resolver(kb.reviews)
    found = resolver.resolve("A/HRC/99/15#140.1")
    assert found.review_id == "svn-upr4" and found.recommendation is review.by_id["140.1"]
    missing = resolver.resolve("svn-upr4/140.9")
    assert (missing.review_id, missing.recommendation) == ("svn-upr4", None)
    external = resolver.resolve("kaz-upr3/1.1")
    assert external.external and external.recommendation is None


def test_review_problems_are_located(data: Path) -> None:
    recs = RECS.replace('id: "140.2"', 'id: "140.1"').replace("  - torture\n", "  - tortur\n")
    review = REVIEW.replace("session: 48", "session: 20").replace("received: 2", "received: 3")
    write_review(data, review, recs)
    result = check(data)
    by_code = {p.code: p for p in result.problems.items}
    assert {"duplicate-id", "unknown-reference", "session-cycle", "count-mismatch"} <= set(by_code)
    dup = by_code["duplicate-id"]
    assert dup.location.path.endswith("recommendations.yaml") and dup.location.line == 13
    assert "did you mean 'torture'" in by_code["unknown-reference"].hint
    assert by_code["count-mismatch"].location.path.endswith("review.yaml")
    assert not result.ok


def test_review_id_must_match_state_cycle_and_folder(data: Path) -> None:
    write_review(data, REVIEW.replace("cycle: 4", "cycle: 3"), folder="svn-upr4")
    write_review(data, REVIEW, RECS.replace("review: svn-upr4", "review: svn-upr4"), folder="svn-upr5")
    problems = check(data).problems
    messages = [p.message for p in problems.errors]
    assert any("that is 'svn-upr3'" in m for m in messages)
    assert any("differs from its folder name 'svn-upr5'" in m for m in messages)
    assert any("belongs to the review 'svn-upr4'" in m for m in messages)


def test_model_errors_in_review_files_are_located(data: Path) -> None:
    write_review(data, recs=RECS.replace("  position: noted", "  position: rejected\n  colour: red"))
    problems = check(data).problems
    found = {(p.code, p.location.line) for p in problems.errors}
    assert ("invalid-choice", 17) in found
    assert ("unknown-field", 18) in found


def test_equivalents_are_structured_and_checked_for_duplicates(data: Path) -> None:
    path = data / "vocabularies" / "themes.yaml"
    text = path.read_text(encoding="utf-8")
    marker = "  - system: upr-info\n    label: Impunity\n"
    assert marker in text
    path.write_text(text.replace(marker, marker + "  - system: upr-info\n    label: 'impunity '\n"), encoding="utf-8")
    problems = check(data).problems
    dup = [p for p in problems.errors if p.code == "duplicate-equivalent"]
    assert len(dup) == 1 and "also as 'Impunity'" in dup[0].message
    assert dup[0].location.path.endswith("themes.yaml") and dup[0].location.line > 1
    path.write_text(text.replace("  - system: upr-info\n    label: Impunity\n", "  - 'UPR Info: Impunity'\n"))
    old_style = [p for p in check(data).problems.errors if p.location.path.endswith("themes.yaml")]
    assert old_style and old_style[0].code in ("wrong-type", "invalid-value")
