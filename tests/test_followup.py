"""Follow-up on real review data: the test submissions of tests/samples/followup-submission/ (test data written
for these tests) beside Slovenia's 4th-cycle review, imported with the command line from ../shared/fixtures/.

Every expected link, response and count is computed here from the files themselves (the sample's YAML and
the imported review, read with PyYAML, not with the project's loader) and compared with the index.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import FOLLOWUP_SAMPLES, FOLLOWUP_SUBS, has_slovenia
from tests.project import copy_seed_data
from uprkb.check.validate import CheckResult, check
from uprkb.exports.downloads import downloads
from uprkb.index.followup import GRADES, NOT_TAKEN_UP, REVIEW_NOT_IN_KB
from uprkb.index.kb import KnowledgeBase
from uprkb.model.records import AssessmentStatus
from uprkb.present.links import Permalinks

SAMPLES = FOLLOWUP_SAMPLES
SUBS = FOLLOWUP_SUBS
REVIEW = "svn-upr4"
SYMBOL = "A/HRC/59/15"

pytestmark = pytest.mark.skipif(
    not has_slovenia(),
    reason="the Slovenia review material is not beside the checkout (../shared/fixtures/ohchr-slovenia-upr4)",
)


@pytest.fixture(scope="module")
def data(followup_data: Path) -> Path:
    """The shipped data, the imported Slovenia review and the follow-up test submissions (conftest.py)."""
    return followup_data


@pytest.fixture(scope="module")
def result(data: Path) -> CheckResult:
    return check(data)


@pytest.fixture(scope="module")
def kb(result: CheckResult) -> KnowledgeBase:
    assert result.ok, "\n".join(p.format() for p in result.problems.errors)
    assert result.kb is not None
    return result.kb


@pytest.fixture(scope="module")
def received(data: Path) -> dict[str, dict[str, Any]]:
    """The imported recommendations, read with PyYAML: ID → record."""
    doc = yaml.safe_load((data / "reviews" / REVIEW / "recommendations.yaml").read_text(encoding="utf-8"))
    return {r["id"]: r for r in doc["recommendations"]}


def sample_records() -> list[tuple[str, str, dict[str, Any]]]:
    """(submission, kind, record) of every finding and recommendation of the samples, read with PyYAML."""
    out = []
    for sid in SUBS:
        for path in sorted((SAMPLES / sid / "sections").glob("*.yaml")):
            section = yaml.safe_load(path.read_text(encoding="utf-8"))
            for block in section["body"]:
                if block["type"] == "finding":
                    out.append((sid, "finding", block["finding"]))
                elif block["type"] == "findings":
                    out += [(sid, "finding", f) for f in block["items"]]
                elif block["type"] == "recommendations":
                    out += [(sid, "recommendation", r) for r in block["items"]]
    return out


def rec_id_of(ref: str) -> str | None:
    """The Slovenia ID a sample reference names (by review ID or report symbol), else None."""
    for prefix in (f"{REVIEW}/", f"{SYMBOL}#"):
        if ref.startswith(prefix):
            return ref[len(prefix) :]
    return None


def org_of(sid: str) -> str:
    return yaml.safe_load((SAMPLES / sid / "submission.yaml").read_text(encoding="utf-8"))["organisation"]["name"]


def test_the_samples_and_the_imported_review_validate_cleanly(result: CheckResult) -> None:
    assert result.ok, "\n".join(p.format() for p in result.problems.errors)
    # The samples cite svn-upr3 on purpose (a review not held): a warning naming the held svn-upr4, nothing else.
    others = [p.format() for p in result.problems.warnings if p.code != "review-not-held"]
    assert others == []
    held = [p for p in result.problems.warnings if p.code == "review-not-held"]
    assert held and all("svn-upr3" in p.message and "svn-upr4" in p.message for p in held)


def test_every_link_resolves_to_the_imported_recommendation_both_ways(
    kb: KnowledgeBase, received: dict[str, dict[str, Any]]
) -> None:
    review = kb.reviews[REVIEW]
    fields = {"follows_up": "followed_up_by", "taken_up_as": "taken_up_from"}
    checked = 0
    for sid, _kind, raw in sample_records():
        fu = kb.followup.record(sid, raw["id"])
        assert fu is not None
        for name, back in fields.items():
            resolved = getattr(fu, name)
            assert [r.text for r in resolved] == raw.get(name, [])
            for ref in resolved:
                rid = rec_id_of(ref.text)
                if rid is None:
                    assert ref.external and ref.recommendation is None
                    continue
                assert ref.review_id == REVIEW and ref.reference == f"{REVIEW}/{rid}"
                assert ref.recommendation is review.by_id[rid]
                assert ref.recommendation.text == received[rid]["text"]
                other = kb.followup.of_received(REVIEW, rid)
                assert other is not None
                assert (sid, raw["id"]) in [(n.submission.id, n.record.id) for n in getattr(other, back)]
                checked += 1
    assert checked == 17
    # and nothing links back that the samples do not list
    for (rev, rid), other in kb.followup.received.items():
        for back, name in (("followed_up_by", "follows_up"), ("taken_up_from", "taken_up_as")):
            for n in getattr(other, back):
                listed = [rec_id_of(x) for x in getattr(n.record, name)]
                assert rev == REVIEW and rid in listed


def test_both_spellings_of_a_reference_name_the_same_recommendation(kb: KnowledgeBase) -> None:
    fu = kb.followup.record(SUBS[0], "t-fu-r-opicescr")
    assert fu is not None
    assert [r.text for r in fu.taken_up_as] == ["svn-upr4/140.7", "A/HRC/59/15#140.8"]
    assert [r.reference for r in fu.taken_up_as] == ["svn-upr4/140.7", "svn-upr4/140.8"]
    assert fu.taken_up_as[1].recommendation is kb.reviews[REVIEW].by_id["140.8"]


def expected_response(refs: list[str], received: dict[str, dict[str, Any]]) -> str:
    """The derived response, rebuilt from the imported records (positions and States)."""
    words = {"supported": "supported as", "supported-in-part": "supported in part as", "noted": "noted as"}
    groups: dict[str, list[str]] = {}
    for ref in refs:
        rid = rec_id_of(ref)
        assert rid is not None
        r = received[rid]
        states = ", ".join(s["name"] for s in r["recommending_states"])
        groups.setdefault(r["position"], []).append(f"{rid} ({states})")
    parts = []
    for position in ("supported", "supported-in-part", "noted"):
        if position in groups:
            items = groups[position]
            joined = items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
            parts.append(f"{words[position]} {joined}")
    return "; ".join(parts) if parts else NOT_TAKEN_UP


def test_derived_responses_agree_with_the_imported_positions(
    kb: KnowledgeBase, received: dict[str, dict[str, Any]]
) -> None:
    n = 0
    for sid, kind, raw in sample_records():
        if kind != "recommendation":
            continue
        fu = kb.followup.record(sid, raw["id"])
        assert fu is not None and fu.take_up is not None
        assert fu.response == expected_response(raw.get("taken_up_as", []), received), raw["id"]
        n += 1
    assert n == 17
    # the figures as the addendum gives them, spelt out
    responses = {r.id: t.response for r, t in kb.followup.submissions[SUBS[0]].take_up}
    assert responses["t-fu-r-opicescr"] == "supported as 140.7 (Maldives, Portugal) and 140.8 (Spain)"
    assert responses["t-fu-r-statelessness"] == "supported as 140.13 (Rwanda); noted as 140.253 (Costa Rica)"
    assert responses["t-fu-r-defamation"].startswith("noted as 140.69 (Ireland) and 140.70 (United Kingdom")
    assert responses["t-fu-r-child-marriage"] == NOT_TAKEN_UP


def test_take_up_per_submission(kb: KnowledgeBase) -> None:
    sf = kb.followup.submissions[SUBS[0]]
    assert sf.review_id == REVIEW and sf.review_in_kb
    taken = {r.id: t.status for r, t in sf.taken_up()}
    assert taken == {
        "t-fu-r-opicescr": "supported",
        "t-fu-r-statelessness": "mixed",
        "t-fu-r-ombudsman": "supported",
        "t-fu-r-defamation": "noted",
        "t-fu-r-asylum-housing": "supported",
    }
    assert sf.by_status == {"supported": 3, "mixed": 1, "noted": 1, "not-taken-up": 10}
    # 140.7 took up both organisations' recommendations (many to many)
    other = kb.followup.of_received(REVIEW, "140.7")
    assert other is not None
    assert sorted(n.record.id for n in other.taken_up_from) == ["t-fu-r-opicescr", "t-sw-r-opicescr"]


def test_the_seed_answers_a_review_not_in_the_knowledge_base(kb: KnowledgeBase) -> None:
    sf = kb.followup.submissions["ili-kazakhstan-upr4"]
    assert sf.review_id == "kaz-upr4" and not sf.review_in_kb
    assert {t.response for _, t in sf.take_up} == {REVIEW_NOT_IN_KB}
    assert len(sf.take_up) == 19


def sample_assessments() -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (sid, raw["id"], a)
        for sid, kind, raw in sample_records()
        if kind == "finding"
        for a in raw.get("assessments", [])
    ]


def test_assessment_counts_and_latest_per_organisation(kb: KnowledgeBase) -> None:
    ours = [(sid, fid, a) for sid, fid, a in sample_assessments() if rec_id_of(a["recommendation"])]
    expected = Counter(a["status"] for _, _, a in ours)
    counts = kb.followup.reviews[REVIEW]
    assert counts.assessments_by_status == {s.value: expected.get(s.value, 0) for s in AssessmentStatus}
    assert sum(counts.assessments_by_status.values()) == len(ours) == 10
    assert counts.assessments_by_grade == {
        g.letter: expected.get(s.value, 0) for s, g in sorted(GRADES.items(), key=lambda x: x[1])
    }
    # each received recommendation: every assessment, and the latest per organisation
    by_rec: dict[str, list[tuple[str, str, dict[str, Any]]]] = {}
    for item in ours:
        by_rec.setdefault(rec_id_of(item[2]["recommendation"]) or "", []).append(item)
    assert counts.assessed == len(by_rec) == 7
    latest_total = 0
    for rid, items in by_rec.items():
        got = kb.followup.of_received(REVIEW, rid)
        assert got is not None
        assert sorted((e.submission.id, e.finding.id, e.status.value) for e in got.assessments) == sorted(
            (sid, fid, a["status"]) for sid, fid, a in items
        )
        assert [e.as_of for e in got.assessments] == sorted(e.as_of for e in got.assessments)
        latest: dict[str, tuple[str, str]] = {}
        for sid, _fid, a in sorted(items, key=lambda x: x[2]["as_of"]):
            latest[org_of(sid)] = (a["as_of"], a["status"])
        assert {o: (e.as_of.isoformat(), e.status.value) for o, e in got.latest.items()} == latest
        latest_total += len(latest)
    assert sum(counts.latest_by_status.values()) == latest_total
    entry = kb.followup.of_received(REVIEW, "140.44")
    assert entry is not None
    assert [e.status.value for e in entry.latest.values()] == ["partially-implemented"]  # 2026 replaces 2025


def test_an_assessment_carries_organisation_grade_quote_and_evidence(kb: KnowledgeBase) -> None:
    entry = kb.followup.of_received(REVIEW, "140.7")
    assert entry is not None
    first = next(e for e in entry.assessments if e.finding.id == "t-fu-f-opicescr")
    assert first.organisation == "Sample Follow-up Coalition"
    assert (first.status.value, first.grade.letter, first.triggered_action) == ("not-implemented", "C", "no action")
    assert first.quote == "had still not been ratified" and first.quote in first.finding.text
    assert [s.id for s in first.evidence] == ["t-fu-monitor-2025"]
    # the State's own claim stays on the received recommendation, apart from the organisations' assessments
    assert kb.reviews[REVIEW].by_id["140.13"].claim is not None
    assert {e.status.value for e in kb.followup.of_received(REVIEW, "140.13").assessments} == {  # type: ignore[union-attr]
        "partially-implemented"
    }


def test_followed_up_and_taken_up_counts(kb: KnowledgeBase) -> None:
    follows: set[str] = set()
    taken: set[str] = set()
    for _sid, _kind, raw in sample_records():
        follows |= {x for x in map(rec_id_of, raw.get("follows_up", [])) if x}
        taken |= {x for x in map(rec_id_of, raw.get("taken_up_as", [])) if x}
    counts = kb.followup.reviews[REVIEW]
    assert (counts.followed_up, counts.taken_up) == (len(follows), len(taken)) == (6, 8)


def test_references_outside_the_knowledge_base_are_kept_as_citations(kb: KnowledgeBase) -> None:
    cited = [(c.source.record.id, c.field, c.ref.label) for c in kb.followup.external]
    label = "svn-upr3/121.5 (not in this knowledge base)"
    assert sorted(cited) == [
        ("t-fu-f-statelessness", "assessments", label),
        ("t-fu-f-statelessness", "follows_up", label),
        ("t-fu-r-statelessness", "follows_up", label),
    ]
    fu = kb.followup.record(SUBS[0], "t-fu-f-statelessness")
    assert fu is not None
    assert [e.ref.external for e in fu.assessments] == [False, False, True]


def test_the_downloads_carry_every_link_and_assessment(kb: KnowledgeBase) -> None:
    files = downloads(kb, Permalinks("https://example.org/"))
    records = {(r.get("submission"), r["id"]): r for r in json.loads(files["knowledge-base.json"])["records"]}
    rec = records[(SUBS[0], "t-fu-r-statelessness")]
    assert rec["response"] == "supported as 140.13 (Rwanda); noted as 140.253 (Costa Rica)"
    assert rec["take_up_status"] == "mixed"
    assert [x["recommendation"] for x in rec["taken_up_as"]] == ["svn-upr4/140.13", "svn-upr4/140.253"]
    assert rec["follows_up"] == [
        {"reference": "svn-upr3/121.5", "review": None, "recommendation": None, "in_knowledge_base": False}
    ]
    finding = records[(SUBS[0], "t-fu-f-ombudsman")]
    assert finding["assessments"] == [
        {
            "reference": "svn-upr4/140.18",
            "review": "svn-upr4",
            "recommendation": "svn-upr4/140.18",
            "in_knowledge_base": True,
            "organisation": "Sample Follow-up Coalition",
            "status": "contrary-measures",
            "grade": "E",
            "triggered_action": "no action",
            "as_of": "2025-06-30",
            "quote": None,
            "evidence": ["t-fu-monitor-2025"],
        }
    ]
    n_assessments = sum(len(r.get("assessments", [])) for r in records.values() if r["kind"] == "finding")
    assert n_assessments == len(sample_assessments())
    csv_text = files["recommendations.csv"].decode()
    assert "supported as 140.7 (Maldives, Portugal) and 140.8 (Spain)" in csv_text


# ---------------------------------------------------------------------------
# Problems, located, with a suggestion
# ---------------------------------------------------------------------------


@pytest.fixture
def copy(data: Path, tmp_path: Path) -> Path:
    dest = tmp_path / "data"
    shutil.copytree(data, dest)
    return dest


def section(data: Path) -> Path:
    return data / "submissions" / SUBS[0] / "sections" / "01-follow-up.yaml"


def replace_once(path: Path, old: str, new: str) -> int:
    """Replace ``old`` once; returns the 1-based line where it stood."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    return line


def test_unknown_ids_are_located_errors_with_a_suggestion_all_at_once(copy: Path) -> None:
    path = section(copy)
    l1 = replace_once(path, "    - svn-upr4/140.18\n    assessments:", "    - svn-upr4/140.1888\n    assessments:")
    l2 = replace_once(
        path,
        "    - A/HRC/59/15#140.8\n  - id: t-fu-r-statelessness",
        "    - A/HRC/59/15#140.08\n  - id: t-fu-r-statelessness",
    )
    l3 = replace_once(path, "    - recommendation: svn-upr4/140.61", "    - recommendation: svn-upr4/140.610")
    result = check(copy)
    unknown = [p for p in result.problems.errors if p.code == "unknown-reference"]
    assert len(unknown) == 3, [p.format() for p in result.problems.items]
    by_line = {p.location.line: p for p in unknown}
    assert set(by_line) == {l1 + 0, l2 + 0, l3 + 0}
    assert all(p.location.path.endswith("01-follow-up.yaml") and p.location.col > 1 for p in unknown)
    assert "no recommendation 140.1888" in by_line[l1].message
    assert "did you mean 'svn-upr4/140.188'?" in by_line[l1].hint
    assert "did you mean 'svn-upr4/140.8'?" in by_line[l2].hint and "Spain" in by_line[l2].hint
    assert "did you mean 'svn-upr4/140.61'?" in by_line[l3].hint


def test_an_id_far_from_any_says_what_the_review_holds(copy: Path) -> None:
    path = section(copy)
    replace_once(path, "    - svn-upr4/140.247\n", "    - svn-upr4/999.1\n")
    problems = [p for p in check(copy).problems.errors if p.code == "unknown-reference"]
    assert len(problems) == 1
    assert "140.1 to 140.254" in problems[0].hint and "suggest" in problems[0].hint


def test_a_recommendation_listed_twice_in_two_spellings(copy: Path) -> None:
    replace_once(section(copy), "    - svn-upr4/140.247\n", "    - svn-upr4/140.247\n    - A/HRC/59/15#140.247\n")
    dup = [p for p in check(copy).problems.errors if p.code == "duplicate-reference"]
    assert len(dup) == 1 and "svn-upr4/140.247 twice" in dup[0].message and "A/HRC/59/15#140.247" in dup[0].message


def test_an_assessment_quote_must_stand_in_the_finding(copy: Path) -> None:
    line = replace_once(section(copy), "      quote: had still not been ratified", "      quote: had been ratified")
    problems = [p for p in check(copy).problems.errors if p.code == "quote-not-in-text"]
    assert [p.location.line for p in problems] == [line]


def test_take_up_from_another_review_and_dates_before_the_review_are_warnings(copy: Path) -> None:
    seed = copy / "submissions" / "ili-kazakhstan-upr4" / "sections" / "01-legal-framework.yaml"
    replace_once(seed, "    follows_up: []\n", "    follows_up: []\n    taken_up_as: [svn-upr4/140.20]\n")
    replace_once(section(copy), 'as_of: "2025-06-30"', 'as_of: "2024-06-30"')
    result = check(copy)
    assert result.ok
    codes = Counter(p.code for p in result.problems.warnings)
    del codes["review-not-held"]  # the samples' svn-upr3 citations
    # The planted take-up names another State's review: OHCHR's one-State rule says so too.
    assert codes == Counter({"take-up-review": 1, "assessment-date": 1, "ohchr-rule": 1})
    warning = next(p for p in result.problems.warnings if p.code == "take-up-review")
    assert "kaz-upr4" in warning.message and warning.location.path.endswith("01-legal-framework.yaml")


def test_a_review_with_its_ids_is_needed_to_check_them(tmp_path: Path) -> None:
    """Without the review in the data, the same references are citations, not errors."""
    data = tmp_path / "data"
    copy_seed_data(data)
    for sid in SUBS:
        shutil.copytree(SAMPLES / sid, data / "submissions" / sid)
    result = check(data)
    assert result.ok, [p.format() for p in result.problems.errors]
    assert result.kb is not None
    assert {t.status for _, t in result.kb.followup.submissions[SUBS[0]].take_up} <= {"external", "review-not-in-kb"}
