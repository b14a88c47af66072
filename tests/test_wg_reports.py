"""The Working Group reports of 44 States (../shared/fixtures/ohchr-wg-reports), each imported exactly.

The expected figures are in ``tests/expected/wg-reports/<report>.yaml``, counted by reading each
report's section "Conclusions and/or recommendations" (see the README there), never taken from the
importer's output: the paragraphs with their items, the position each paragraph states and the
sentence that states it, the claims, the paragraphs that point back at the dialogue, and a few items
read one by one with their recommending States.

Each report is also imported after the changes real documents make (:func:`perturbations`), and
must give the same records: headings without numerals, the position sentence moved after the list
or said with a pronoun, an item number without its dot or misprinted, a running head in the middle
of an item.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import import_options
from tests.project import PROJECT
from uprkb.importers import read
from uprkb.importers.base import ImportResult
from uprkb.importers.pdf import pdf_text
from uprkb.importers.states import state_key

FIXTURES = PROJECT.parent / "shared" / "fixtures"
REPORTS = FIXTURES / "ohchr-wg-reports"
EXPECTED = Path(__file__).parent / "expected" / "wg-reports"
NAMES = sorted(p.stem for p in EXPECTED.glob("*.yaml"))
"""The 44 reports (``wg-*``) and the reports of the other review sets (``svn-upr2-report`` …)."""

pytestmark = [
    pytest.mark.documents,
    pytest.mark.skipif(not REPORTS.is_dir(), reason="the 44 reports are not beside the checkout (../shared/fixtures)"),
]


@cache
def expected(name: str) -> dict[str, Any]:
    return yaml.safe_load((EXPECTED / f"{name}.yaml").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


@cache
def text_of(name: str) -> str:
    """The report's text as the importer reads it from the PDF, or the text copy itself (made once per run)."""
    document = expected(name).get("document")
    path = FIXTURES / document if document else REPORTS / f"{name}.pdf"
    return pdf_text(path.read_bytes()) if path.suffix == ".pdf" else path.read_text(encoding="utf-8")


def number(value: object) -> int:
    """An item number as the expected files write it: ``7``, ``"95.7"`` or ``95.7``."""
    return int(str(value).split(".")[-1]) if "." in str(value) else int(str(value))


def expected_ids(exp: dict[str, Any]) -> list[str]:
    return [
        f"{p['paragraph']}.{n}" for p in exp["paragraphs"] for n in range(number(p["first"]), number(p["last"]) + 1)
    ]


def claimed(exp: dict[str, Any]) -> dict[str, str]:
    """Per ID, the claim the expected sentences make, read here by their words alone."""
    out: dict[str, str] = {}
    for p in exp["paragraphs"]:
        for claim in p.get("claims") or []:
            s = claim["sentence"].lower()
            progress = "process of" in s or "being implemented" in s
            done = re.search(r"already (?:been )?implemented", s) is not None
            value = "implemented-or-in-progress" if progress and done else ("implemented" if done else "in-progress")
            items = claim["items"]
            if items == "all":
                numbers = range(number(p["first"]), number(p["last"]) + 1)
            else:
                numbers = [n for part in items for n in _range(str(part))]
            out.update({f"{p['paragraph']}.{n}": value for n in numbers})
    return out


def _range(part: str) -> range:
    lo, _, hi = part.rpartition(".")[2].partition("-")
    return range(int(lo), int(hi or lo) + 1)


def words(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.replace("\u2019", "'").lower()))


def imported(text: str, tmp: Path, data: Path, **given: object) -> ImportResult:
    path = tmp / "report.txt"
    path.write_text(text, encoding="utf-8")
    return read("wg-report", path, import_options(data, **given))


def assert_exact(result: ImportResult, exp: dict[str, Any]) -> None:
    """The records, IDs, States, positions with their sentences, and claims the report states."""
    assert not result.problems.errors, [p.format() for p in result.problems.errors]
    (review,) = result.reviews
    recs = {r.id: r.fields for r in review.records}
    assert review.id == f"{exp['state'].lower()}-upr{exp['cycle']}"
    assert (review.review["report"], review.review["session"]) == (exp["report"], exp["session"])
    assert list(recs) == expected_ids(exp) and len(recs) == exp["recommendations"]
    for p in exp["paragraphs"]:
        ids = [f"{p['paragraph']}.{n}" for n in range(number(p["first"]), number(p["last"]) + 1)]
        for i in ids:
            got = recs[i]
            if p["position"] == "pending":
                assert "position" not in got, (i, got.get("position_source"))
                continue
            assert got.get("position") == p["position"], (i, got.get("position"))
            source = got["position_source"]
            assert source["paragraph"] == str(p["position_paragraph"]), i
            said = p["position_sentence"]
            assert any(
                words(x)[:60] in words(source["sentence"]) for x in (said if isinstance(said, list) else [said])
            ), (
                i,
                source["sentence"],
            )
    claims = claimed(exp)
    assert {i: r["claim"] for i, r in recs.items() if r.get("claim")} == claims
    back = [int(s["paragraph"]) for s in review.review.get("positions_without_ids", [])]
    assert back == [x["paragraph"] for x in exp.get("positions_without_ids") or []]
    for check in exp["checks"]:
        got = recs[check["id"]]
        text, starts = words(got["text"]), words(check["starts"])[:40]
        assert text.startswith(starts) or starts.startswith(text), (check["id"], got["text"][:80])
        named = {state_key(s["name"]) for s in got["recommending_states"]}
        iso3 = {s.get("iso3") for s in got["recommending_states"]}
        for name in check["states"]:
            assert state_key(name) in named or _iso3(name) in iso3, (check["id"], name, got["recommending_states"])
    assert all(s.get("iso3") for r in recs.values() for s in r["recommending_states"]), "a State not matched"


def _iso3(name: str) -> str | None:
    from uprkb.importers.states import close_state

    return close_state(name)


@pytest.mark.parametrize("name", NAMES)
def test_report_imports_exactly(name: str, data: Path, tmp_path: Path) -> None:
    assert_exact(imported(text_of(name), tmp_path, data), expected(name))


def test_every_report_has_its_expected_figures() -> None:
    assert {p.stem for p in REPORTS.glob("wg-*.pdf")} == {n for n in NAMES if n.startswith("wg-")}
    assert len(NAMES) == 44 + 5


# -- perturbations: the same records after the changes real documents make ---------------------------


def no_numerals(text: str) -> str:
    return re.sub(r"(?m)^\s*[IVX]{1,4}\.\s+(Conclusions\s+and/or\s+recommendations)", r"\1", text, flags=re.I)


def running_head_mid_item(text: str) -> str:
    """A page's furniture inside the first two-line item of each list (the symbol, a page number, a job number)."""
    lines = text.split("\n")
    out: list[str] = []
    planted = 0
    for k, line in enumerate(lines):
        out.append(line)
        nxt = lines[k + 1] if k + 1 < len(lines) else ""
        if planted < 3 and re.match(r"^\d{1,3}\.(?:\d{1,3}\.?)? [A-Z]", line) and nxt and not re.match(r"^\d", nxt):
            out.extend(["", "A/HRC/99/9", "Page 12", "GE.99-12345"][planted % 2 :])
            planted += 1
    return "\n".join(out)


def dotless_item(text: str) -> str:
    """The fifth item printed without its dot (``5 Ratify`` for ``5. Ratify``; ``104.5`` for ``104.5.``)."""
    head, rest = in_section(text)
    rest, n = re.subn(r"(?m)^(5)\.( [A-Z])", r"\1\2", rest, count=1)
    if n:
        return head + rest
    return head + re.sub(r"(?m)^(\d{1,3}\.5)\.( )", r"\1\2", rest, count=1)


def misprinted_item(text: str) -> str:
    """The seventh item of the first list misprinted: with the next paragraph's number (``86.7`` → ``87.7``),
    or, numbered ``1.``, ``2.`` under its paragraph, as the sixth again (``7.`` → ``6.``)."""
    head, rest = in_section(text)
    rest, n = re.subn(r"(?m)^(\d{1,3})(\.7\.? [A-Z])", lambda m: f"{int(m.group(1)) + 1}{m.group(2)}", rest, count=1)
    return head + (rest if n else re.sub(r"(?m)^7(\. [A-Z])", r"6\1", rest, count=1))


def in_section(text: str) -> tuple[str, str]:
    """The text before the recommendations section's heading, and from it on."""
    found = list(re.finditer(r"(?mi)^\s*(?:[IVX]{1,4}\.\s+)?Conclusions\s+and/or\s+recommendations\s*$", text))
    cut = found[-1].start() if found else 0
    return text[:cut], text[cut:]


def pronoun(text: str) -> str:
    """Every "enjoy the support of <State>" said as "enjoy its support" (where the name ends on its line)."""
    return re.sub(
        r"enjoy(ed)? the support of (?:the )?[A-Z][\w ’'()-]{2,60}?(?=[:.,]?\s*\Z|[:.,]\s*$|, which| which)",
        r"enjoy\1 its support",
        text,
        flags=re.M,
    )


def moved_after(text: str) -> str:
    """The last "did not enjoy the support" list's sentence taken from its lead-in and said after the list, in
    a paragraph of its own numbered before the closing one ("The recommendations in paragraph N above …")."""
    lines = text.split("\n")

    def lists(k: int) -> int | None:
        para = lines[k].split(".")[0]
        return next((j for j in range(k + 1, k + 5) if re.match(rf"^{para}\.1\b|^1\.", lines[j])), None)

    leads = [
        k
        for k, line in enumerate(lines)
        if re.match(r"^\d{2,3}\. ", line) and "not enjoy" in " ".join(lines[k : k + 3]) and lists(k)
    ]
    closing = next((k for k, line in enumerate(lines) if re.match(r"^\d{2,3}\. All conclusions and", line)), None)
    if not leads or closing is None or leads[-1] > closing:
        return text
    k = leads[-1]
    para = lines[k].split(".")[0]
    end = lists(k)
    assert end is not None
    n = int(lines[closing].split(".")[0])
    moved = f"{n}. The recommendations in paragraph {para} above did not enjoy the support of the State under review."
    closing_line = f"{n + 1}." + lines[closing][len(str(n)) + 1 :]
    out = [*lines[:k], f"{para}. The following recommendations were made:", *lines[end:closing], moved, closing_line]
    return "\n".join([*out, *lines[closing + 1 :]])


PERTURBATIONS: dict[str, Callable[[str], str]] = {
    "headings without numerals": no_numerals,
    "running head mid-item": running_head_mid_item,
    "item number without its dot": dotless_item,
    "misprinted item number": misprinted_item,
    "position said with a pronoun": pronoun,
    "position sentence after the list": moved_after,
}


@pytest.mark.parametrize("change", list(PERTURBATIONS))
@pytest.mark.parametrize("name", NAMES)
def test_report_imports_exactly_after_a_change(name: str, change: str, data: Path, tmp_path: Path) -> None:
    exp = expected(name)
    text = text_of(name)
    changed = PERTURBATIONS[change](text)
    result = imported(changed, tmp_path, data)
    if change == "position sentence after the list" and changed != text:
        exp = _moved_expectation(exp, changed)
    if change == "position said with a pronoun":
        exp = {
            **exp,
            "paragraphs": [
                {**p, "position_sentence": [p["position_sentence"], pronoun(p["position_sentence"] or "")]}
                for p in exp["paragraphs"]
            ],
        }
    assert_exact(result, exp)
    if change == "misprinted item number" and changed != text:
        assert any(w.code == "misprinted-number" for w in result.problems.warnings), "a misprint read silently"


def _moved_expectation(exp: dict[str, Any], changed: str) -> dict[str, Any]:
    """The expected figures once the last list's sentence moved after it: same positions, another paragraph."""
    m = re.search(r"(?m)^(\d{2,3})\. The recommendations in paragraph (\d{2,3}) above", changed)
    assert m is not None
    out = {**exp, "paragraphs": [dict(p) for p in exp["paragraphs"]]}
    for p in out["paragraphs"]:
        if str(p["paragraph"]) == m.group(2):
            p["position_paragraph"] = int(m.group(1))
            p["position_sentence"] = "did not enjoy the support of"
    return out


def test_every_change_applies_to_many_reports() -> None:
    """A change that applies to no report would let its tests pass by doing nothing."""
    changed = {change: sum(f(text_of(n)) != text_of(n) for n in NAMES) for change, f in PERTURBATIONS.items()}
    assert all(count >= 15 for count in changed.values()), changed
