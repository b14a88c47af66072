"""Every Working Group report and addendum in ../shared/fixtures imported, from PDF and from text.

Expected figures are the documents' own statements (Slovenia's Add.1 paras 1–2: 163 received,
142 accepted, 21 noted), the ID ranges the fixtures' README gives, or counts made here by hand
from the printed PDF (the last item of each paragraph) and by a small expander of the test's own.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import import_options
from tests.project import PROJECT
from uprkb.importers import read, run_import

FIXTURES = PROJECT.parent / "shared" / "fixtures"
SVN2 = FIXTURES / "ohchr-slovenia-upr2"
CHN1 = FIXTURES / "ohchr-china-upr1" / "A_HRC_11_25_working-group-report"
CHN2 = FIXTURES / "ohchr-china-upr2" / "A_HRC_25_5_working-group-report.pdf"
KAZ2 = FIXTURES / "ohchr-kazakhstan-upr2" / "A_HRC_28_10_working-group-report.pdf"

pytestmark = pytest.mark.skipif(
    not (SVN2.is_dir() and CHN2.exists() and KAZ2.exists()),
    reason="the real UPR documents are not beside the checkout (../shared/fixtures)",
)
options = import_options


def review_of(path: Path, data: Path, **given: object):  # type: ignore[no-untyped-def]
    result = read("wg-report", path, options(data, **given))
    assert not result.problems.errors, [p.format() for p in result.problems.items]
    (review,) = result.reviews
    return result, review, {r.id: r.fields for r in review.records}


@pytest.mark.parametrize("suffix", [".pdf", ".txt"])
def test_slovenia_2nd_cycle_report_115_1_to_163(data: Path, suffix: str) -> None:
    _, review, recs = review_of(SVN2 / f"A_HRC_28_15_working-group-report{suffix}", data)
    assert review.id == "svn-upr2" and review.review["report"] == "A/HRC/28/15"
    assert list(recs) == [f"115.{n}" for n in range(1, 164)]
    assert all("position" not in r for r in recs.values()), "para. 115: 'will be examined'"
    assert [s["iso3"] for s in recs["115.3"]["recommending_states"]] == ["PRT", "SVK"]
    for r in recs.values():
        assert "GE.14" not in r["text"] and "A/HRC/28/15" not in r["text"] and "  " not in r["text"]


def expand(listing: str) -> list[int]:
    """The test's own reading of a list such as '67–69, 71, 150 – 152'."""
    out: list[int] = []
    for part in re.split(r",\s*", " ".join(listing.split())):
        lo, _, hi = part.replace(" ", "").replace("\u2013", "-").partition("-")
        out.extend(range(int(lo), int(hi or lo) + 1))
    return out


@pytest.mark.parametrize("suffix", [".pdf", ".txt"])
def test_slovenia_2nd_cycle_addendum_states_142_accepted_21_noted(data: Path, suffix: str) -> None:
    run_import("wg-report", SVN2 / "A_HRC_28_15_working-group-report.txt", options(data))
    flat = " ".join((SVN2 / "A_HRC_28_15_Add1_state-responses.txt").read_text(encoding="utf-8").split())
    assert "contains 163 recommendations" in flat and "accepts 142 recommendations" in flat
    assert "notes 21 recommendations" in flat
    para4 = re.search(r"4\. The Government of the Republic of Slovenia accepts the recommendations ([\d–, ]+?)\. ",
                      flat)  # fmt: skip
    assert para4 is not None
    claimed = expand(para4.group(1))
    result = read("responses", SVN2 / f"A_HRC_28_15_Add1_state-responses{suffix}", options(data, review="svn-upr2"))
    assert not result.problems.errors, [p.format() for p in result.problems.items]
    (review,) = result.reviews
    recs = {r.id: r.fields for r in review.records}
    assert sorted(recs, key=lambda i: int(i.split(".")[1])) == [f"115.{n}" for n in range(1, 164)]
    assert Counter(r["position"] for r in recs.values()) == {"supported": 142, "noted": 21}
    counts = review.review["counts"]
    assert (counts["received"], counts["supported"], counts["noted"]) == (163, 142, 21)
    assert sorted(int(i.split(".")[1]) for i, r in recs.items() if r.get("claim")) == sorted(claimed)
    assert len(claimed) == 72
    assert recs["115.6"]["position"] == recs["115.13"]["position"] == "noted"
    assert recs["115.13"]["state_comment"].startswith("The Government of the Republic of Slovenia is currently not")
    assert recs["115.18"]["state_comment"].startswith("We consider that this recommendation is implemented.")
    assert recs["115.163"]["state_comment"] == "See information on recommendations 6–13."


def test_china_2nd_cycle_report_186_1_to_252_with_every_state(data: Path) -> None:
    _, review, recs = review_of(CHN2, data)
    assert review.id == "chn-upr2" and review.review["report"] == "A/HRC/25/5" and review.review["session"] == 17
    assert list(recs) == [f"186.{n}" for n in range(1, 253)], "IDs printed '186.1.' and once '186.15'"
    states = [s["name"] for s in recs["186.1"]["recommending_states"]]
    # 186.1 as printed: nine sentences, each ending with its State.
    assert states == ["Albania", "Chile", "Belgium", "Hungary", "Japan", "Maldives", "Spain", "Sierra Leone", "France"]
    assert recs["186.1"]["text"].startswith("Ratify ICCPR (Albania); Ratify ICCPR and CPED (Chile);")
    assert recs["186.15"]["recommending_states"][0]["iso3"] == "GBR"
    assert all("not been edited" not in r["text"] and "A/HRC/25/5" not in r["text"] for r in recs.values())
    assert all(s.get("iso3") for r in recs.values() for s in r["recommending_states"])


@pytest.mark.parametrize("suffix", [".pdf", ".txt"])
def test_china_1st_cycle_positions_stated_in_the_report(data: Path, suffix: str) -> None:
    result, review, recs = review_of(CHN1.with_suffix(suffix), data, symbol="A/HRC/11/25")
    assert review.id == "chn-upr1" and review.review["session"] == 4
    # Counted by hand from the PDF: para. 114 items 1.–42., para. 115 items 1.–3., para. 116 items 1.–4.
    expected = [f"{p}.{n}" for p, last in (("114", 42), ("115", 3), ("116", 4)) for n in range(1, last + 1)]
    assert list(recs) == expected
    assert {recs[i].get("position") for i in expected[:42]} == {"supported"}
    said = {(recs[i]["position"], recs[i]["claim"]) for i in expected[42:45]}
    assert said == {("noted", "implemented-or-in-progress")}
    assert all("position" not in recs[i] for i in expected[45:]), "para. 116: 'will be examined'"
    assert [s["name"] for s in recs["114.1"]["recommending_states"]] == [
        "Sweden", "Algeria", "Argentina", "Brazil", "Austria"
    ]  # fmt: skip
    assert [s["name"] for s in recs["116.2"]["recommending_states"]] == ["Australia", "Canada"]
    (stated,) = review.review["positions_without_ids"]
    assert stated["paragraph"] == "117" and stated["position"] == "noted"
    assert stated["text"].startswith("The recommendations noted in the report in paragraphs 27 (b)")
    assert [p.code for p in result.problems.items if p.code == "position-without-ids"] == ["position-without-ids"]


def test_kazakhstan_2nd_cycle_positions_stated_in_paras_124_to_126(data: Path) -> None:
    _, review, recs = review_of(KAZ2, data)
    assert review.id == "kaz-upr2" and review.review["report"] == "A/HRC/28/10"
    # Counted by hand from the PDF: 124.1–124.47, 125.1–125.96, 126.1–126.51.
    spans = {"124": 47, "125": 96, "126": 51}
    assert list(recs) == [f"{p}.{n}" for p, last in spans.items() for n in range(1, last + 1)]
    got = Counter((r.get("position"), r.get("claim"), i.split(".")[0]) for i, r in recs.items())
    assert got == {
        ("supported", "implemented", "124"): 47,  # "supported … and already implemented"
        ("supported", "in-progress", "125"): 96,  # "supported … and in the process of implementation"
        ("noted", None, "126"): 51,
    }
    assert recs["125.34"]["recommending_states"] == [{"name": "Democratic People’s Republic of Korea", "iso3": "PRK"}]
    assert recs["125.35"]["recommending_states"] == [{"name": "Lao People’s Democratic Republic", "iso3": "LAO"}]
    assert [s["iso3"] for s in recs["125.9"]["recommending_states"]] == ["PRT", "URY", "ARG"]
    assert "principle of non-refoulement when" in recs["124.33"]["text"]
    assert recs["126.5"]["text"].endswith("(ICCPR-OP 2)")
    assert recs["124.1"]["position_source"] == {
        "document": "A/HRC/28/10",
        "paragraph": "124",
        "sentence": "The following recommendations enjoy the support of Kazakhstan, "
        "which considers that they have already been implemented.",
    }


def test_a_pdf_addendum_with_unknown_wording_is_located_and_writes_nothing(data: Path, tmp_path: Path) -> None:
    run_import("wg-report", SVN2 / "A_HRC_28_15_working-group-report.txt", options(data))
    text = (SVN2 / "A_HRC_28_15_Add1_state-responses.txt").read_text(encoding="utf-8")
    bad = tmp_path / "add1.txt"
    text = re.sub(r"I\.\s+Accepted recommendations\n", "I. Recommendations\n", text, count=1)
    bad.write_text(text.replace("Slovenia accepts the recommendations 1", "Slovenia welcomes the recommendations 1"))
    before = (data / "reviews" / "svn-upr2" / "recommendations.yaml").read_text(encoding="utf-8")
    with pytest.raises(Exception) as info:
        run_import("responses", bad, options(data, review="svn-upr2"))
    problems = getattr(info.value, "problems", [])
    wording = [p for p in problems if p.code == "unknown-wording"]
    assert wording and wording[0].location.line > 1 and "welcomes" in wording[0].message
    assert (data / "reviews" / "svn-upr2" / "recommendations.yaml").read_text(encoding="utf-8") == before
