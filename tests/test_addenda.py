"""The State's addendum read right or refused, on the real addenda and after the changes real documents make.

Expected figures are the addenda's own statements (Slovenia, A/HRC/28/15/Add.1 paras 1–2: 163 received,
142 accepted, 21 noted; A/HRC/59/15/Add.1: 217 supported, 37 noted) and the claim cluster's list, expanded
here by a small reader of the test's own. Each addendum is read again after: its cluster headings printed
without numerals, a running head in the middle of a list, its totals paraphrased; a total worded in a way
no table knows is said, never skipped. Our own sample answers recommendation by recommendation in prose.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import import_options
from tests.project import PROJECT
from uprkb.importers import read, run_import
from uprkb.importers.base import ImportResult

FIXTURES = PROJECT.parent / "shared" / "fixtures"
SVN2 = FIXTURES / "ohchr-slovenia-upr2"
SVN4 = FIXTURES / "ohchr-slovenia-upr4"
SAMPLES = Path(__file__).parent / "samples"
needs_fixtures = pytest.mark.skipif(
    not (SVN2.is_dir() and SVN4.is_dir()), reason="the real addenda are not beside the checkout (../shared/fixtures)"
)


def expand(listing: str, paragraph: str) -> list[str]:
    """``1–5, 14–16, 20`` → the IDs, read by the test's own expander."""
    out: list[str] = []
    for lo, hi in re.findall(r"(\d{1,3})\s*(?:[–-]\s*(\d{1,3}))?", listing):
        out.extend(f"{paragraph}.{n}" for n in range(int(lo), int(hi or lo) + 1))
    return out


def addendum(path: Path, text: str, tmp: Path, data: Path, review: str) -> ImportResult:
    changed = tmp / path.name
    changed.write_text(text, encoding="utf-8")
    return read("responses", changed, import_options(data, review=review))


def svn2_expected(text: str) -> tuple[dict[str, str], set[str]]:
    flat = " ".join(text.split())
    lists = {
        n: m.group(1)
        for n in ("3", "4", "5")
        if (
            m := re.search(
                rf"\b{n}\. (?:For the time being, )?the Government of the Republic of Slovenia (?:accepts|notes) "
                r"(?:the )?recommendations ([\d–, ]+)",
                flat,
                re.I,
            )
        )
    }
    assert set(lists) == {"3", "4", "5"}, lists
    positions = {i: "supported" for n in ("3", "4") for i in expand(lists[n], "115")}
    positions |= {i: "noted" for i in expand(lists["5"], "115")}
    return positions, set(expand(lists["4"], "115"))


def no_numerals(text: str) -> str:
    return re.sub(r"(?m)^(\s*)[IVX]{1,4}\.\s+(?=[A-Z])", r"\1", text)


def running_head_in_list(text: str) -> str:
    """A page break with its running head and page number after the first line that ends in the middle of a list."""
    return re.sub(
        r"(?m)^(.*\d,)\s*$",
        r"\1\n\nGE.15-04261                                      7\nA/HRC/28/15/Add.1\n",
        text,
        count=1,
    )


CHANGES = {
    "as printed": lambda t: t,
    "headings without numerals": no_numerals,
    "running head in a list": running_head_in_list,
}


@needs_fixtures
@pytest.mark.parametrize("change", list(CHANGES))
def test_slovenia_2nd_cycle_addendum_right_after_a_change(change: str, data: Path, tmp_path: Path) -> None:
    run_import("wg-report", SVN2 / "A_HRC_28_15_working-group-report.txt", import_options(data))
    original = (SVN2 / "A_HRC_28_15_Add1_state-responses.txt").read_text(encoding="utf-8")
    positions, claimed = svn2_expected(original)
    assert Counter(positions.values()) == {"supported": 142, "noted": 21}, "as para. 2 states"
    changed = CHANGES[change](original)
    assert change == "as printed" or changed != original
    result = addendum(SVN2 / "addendum.txt", changed, tmp_path, data, "svn-upr2")
    assert not result.problems.errors, [p.format() for p in result.problems.errors]
    recs = {r.id: r.fields for r in result.reviews[0].records}
    assert {i: r["position"] for i, r in recs.items()} == positions
    assert {i for i, r in recs.items() if r.get("claim")} == claimed
    counts = result.reviews[0].review["counts"]
    assert (counts["received"], counts["supported"], counts["noted"]) == (163, 142, 21)
    source = recs["115.18"]["position_source"]
    assert source["paragraph"] == "4" and "accepts the recommendations" in source["sentence"]


@needs_fixtures
@pytest.mark.parametrize("change", list(CHANGES))
def test_slovenia_4th_cycle_addendum_right_after_a_change(change: str, data: Path, tmp_path: Path) -> None:
    run_import("wg-report", SVN4 / "A_HRC_59_15_working-group-report.md", import_options(data))
    original = (SVN4 / "A_HRC_59_15_Add1_state-responses.txt").read_text(encoding="utf-8")
    result = addendum(SVN4 / "addendum.txt", CHANGES[change](original), tmp_path, data, "svn-upr4")
    assert not result.problems.errors, [p.format() for p in result.problems.errors]
    recs = [r.fields for r in result.reviews[0].records]
    assert Counter(r["position"] for r in recs) == {"supported": 217, "noted": 37}
    assert Counter(r.get("claim") for r in recs)["implemented-or-in-progress"] == 39
    assert all(r["position_source"].get("sentence") for r in recs)


@needs_fixtures
@pytest.mark.parametrize(
    ("wording", "read"),
    [
        ("The Government of Slovenia supports 142 of them. For the time being, it notes 21 recommendations.", True),
        ("142 recommendations enjoy the support of the Government. The remaining 21 recommendations are noted.", True),
        ("Slovenia has decided to give its backing to a hundred and forty-two of the recommendations.", False),
    ],
)
def test_a_paraphrased_total_is_read_or_said(wording: str, read: bool, data: Path, tmp_path: Path) -> None:
    run_import("wg-report", SVN2 / "A_HRC_28_15_working-group-report.txt", import_options(data))
    original = (SVN2 / "A_HRC_28_15_Add1_state-responses.txt").read_text(encoding="utf-8")
    stated = re.search(
        r"The Government of Slovenia accepts 142 recommendations\.[\s\S]*?notes 21 recommendations\.", original
    )
    assert stated is not None
    result = addendum(SVN2 / "addendum.txt", original.replace(stated.group(), wording), tmp_path, data, "svn-upr2")
    assert not result.problems.errors, [p.format() for p in result.problems.errors]
    counts = result.reviews[0].review["counts"]
    if read:
        assert (counts["supported"], counts["noted"]) == (142, 21)
    else:
        warned = [w for w in result.problems.warnings if w.code == "unread-total"]
        assert warned and "backing" in warned[0].message, [w.format() for w in result.problems.warnings]


@needs_fixtures
def test_a_wrong_total_refuses_the_addendum(data: Path, tmp_path: Path) -> None:
    run_import("wg-report", SVN2 / "A_HRC_28_15_working-group-report.txt", import_options(data))
    original = (SVN2 / "A_HRC_28_15_Add1_state-responses.txt").read_text(encoding="utf-8")
    result = addendum(
        SVN2 / "addendum.txt",
        original.replace("accepts 142 recommendations", "accepts 143 recommendations"),
        tmp_path,
        data,
        "svn-upr2",
    )
    assert [p.code for p in result.problems.errors] == ["count-mismatch"]


def test_a_prose_addendum_answering_one_by_one(data: Path) -> None:
    run_import("wg-report", SAMPLES / "wg-report-sample.txt", import_options(data))
    result = read("responses", SAMPLES / "addendum-prose-sample.txt", import_options(data, review="isl-upr4"))
    assert not result.problems.errors, [p.format() for p in result.problems.items]
    recs = {r.id: r.fields for r in result.reviews[0].records}
    # Read from the sample by eye: 98.1–98.3 and 98.5 accepted, 98.4 noted, 98.6–98.7 accepted and in progress.
    assert {i: r["position"] for i, r in recs.items()} == {
        "98.1": "supported", "98.2": "supported", "98.3": "supported", "98.4": "noted", "98.5": "supported",
        "98.6": "supported", "98.7": "supported",
    }  # fmt: skip
    assert {i for i, r in recs.items() if r.get("claim")} == {"98.6", "98.7"}
    assert recs["98.4"]["state_comment"].startswith("Noted. Iceland is not in a position")
    assert recs["98.4"]["position_source"]["sentence"] == "Noted."


def test_the_review_an_addendum_answers_is_found_by_reading_the_data(tmp_path: Path) -> None:
    """A review file written by hand (a single-quoted symbol, a trailing comment) is read as YAML, not by pattern."""
    from uprkb.importers.responses import find_review

    folder = tmp_path / "reviews" / "isl-upr4"
    folder.mkdir(parents=True)
    (folder / "review.yaml").write_text("id: isl-upr4\nreport: 'A/HRC/99/10'  # the report\n", encoding="utf-8")
    assert find_review(tmp_path, "A/HRC/99/10") == "isl-upr4"
    assert find_review(tmp_path, "A/HRC/99/1") is None
