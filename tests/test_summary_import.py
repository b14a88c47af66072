"""import stakeholder-summary: OHCHR's summary of stakeholders' submissions, right or refused.

Counts are checked against a small reader of the test's own (:func:`count`), which shares
nothing with the importer: it walks the lines that open with a number in sequence (``N.``
before "Notes" for paragraphs, ``N`` after it for endnotes, so page numbers that break the
sequence are skipped), turns every locator with its numbers (``p. 4``, ``paras. 178, 191
and 198``) into one mark, folds marks joined by a comma (``p. 4, para. 4`` is one citation)
and counts the marks of each endnote; acronyms are the lines of the list with two columns.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import import_options
from uprkb.cli import main
from uprkb.core.errors import DataError, Problems
from uprkb.importers import read
from uprkb.importers.summary_links import run_summary_import
from uprkb.load.dataset import validate_file
from uprkb.model.summary import StakeholderSummary

SAMPLE = Path(__file__).parent / "samples" / "stakeholder-summary-sample.txt"
FIXTURES = Path(__file__).resolve().parents[2] / "shared" / "fixtures"
REAL = FIXTURES / "ohchr-slovenia-upr4" / "A_HRC_WG6_48_SVN_3_stakeholder-summary.md"
DAY = dt.date(2025, 5, 1)

_NUMS = r"\d[\d.]*(?:\s*[-–]\s*\d[\d.]*)?(?:(?:\s*,\s*|\s+and\s+)\d[\d.]*(?:\s*[-–]\s*\d[\d.]*)?)*"
_LOC = re.compile(rf"\b(?:paras|para|pp|p)\s*[.,]?\s*{_NUMS}")


def count(text: str) -> dict[str, object]:
    """Paragraphs, endnotes, citations per endnote and listed acronyms, read by the test's own rules."""
    lines = text.replace("\r\n", "\n").split("\n")
    cut = next(k for k, line in enumerate(lines) if line.strip() == "Notes")
    paragraphs = 0
    for line in lines[:cut]:
        m = re.match(r"\s*(\d+)\.\s", line)
        if m and int(m.group(1)) == paragraphs + 1:
            paragraphs += 1
    notes: dict[int, list[str]] = {}
    for line in lines[cut + 1 :]:
        m = re.match(r"\s*(\d+)(?:\s|$)", line)
        if m and int(m.group(1)) == len(notes) + 1:
            notes[len(notes) + 1] = [line[m.end() :]]
        elif notes:
            notes[len(notes)].append(line)
    listing = next(n for n, body in notes.items() if "stakeholders listed below" in " ".join(body))
    acronyms = sum(1 for line in notes[listing][1:] if re.match(r"\s+[^\s\d(][^\s]*(?: [^\s]+)?(?:\s{3,}|\t)\S", line))
    citations = {}
    for n, body in notes.items():
        if n == listing:
            continue
        marked = _LOC.sub("§", " ".join(" ".join(body).split()))
        citations[n] = re.sub(r"§(?:\s*[,;]\s*§)+", "§", marked).count("§")
    return {"paragraphs": paragraphs, "endnotes": len(notes), "citations": citations, "acronyms": acronyms}


def summary_of(data: Path) -> StakeholderSummary:
    path = next((data / "reviews").glob("*/stakeholder-summary.yaml"))
    problems = Problems()
    summary = validate_file(path, StakeholderSummary, problems)
    assert summary is not None and not problems.items, [p.format() for p in problems.items]
    return summary


def assert_counts(result: object, text: str) -> None:
    expected = count(text)
    assert len(result.paragraphs) == expected["paragraphs"]  # type: ignore[attr-defined]
    assert len(result.endnotes) == expected["endnotes"]  # type: ignore[attr-defined]
    got = {e.number: len(e.citations) for e in result.endnotes if e.number in expected["citations"]}  # type: ignore[attr-defined]
    assert got == expected["citations"]
    assert len(result.stakeholders) == expected["acronyms"]  # type: ignore[attr-defined]


def test_sample_counts_and_citations(data: Path) -> None:
    result = read("stakeholder-summary", SAMPLE, import_options(data))
    assert_counts(result, SAMPLE.read_text(encoding="utf-8"))
    assert (result.symbol, result.iso3, result.session, result.review) == ("A/HRC/WG.6/48/KAZ/3", "KAZ", 48, "kaz-upr4")
    paras = {p.number: p for p in result.paragraphs}
    assert paras[1].heading == "I. Background" and paras[1].notes == [1, 2]
    assert paras[3].notes == [5] and "Article 10" in paras[3].text and "in 2024." in paras[3].text
    assert "formal editing" not in paras[3].text + paras[4].text  # the title's note is furniture
    assert paras[4].notes == [6, 7] and paras[5].heading == "Freedom of association"
    notes = {e.number: e for e in result.endnotes}
    assert notes[1].citations == []  # UN documents, not stakeholders
    assert [c.label for c in notes[4].citations] == ["ILI, paras. 3 and 4", "AI, p. 2"]
    assert [c.see_also for c in notes[4].citations] == [False, True]
    assert [c.label for c in notes[5].citations] == ["JS1, para. 12", "AI, pp. 4-5"]  # ";" between two citations
    assert [c.label for c in notes[7].citations] == ["CoE-SAMPLE, Report, para. 8", "JS1, paras. 3-5", "ILI, para. 99"]
    assert notes[7].citations[1].paragraphs == ["3-5"] and notes[7].citations[0].document == "Report"
    listed = {s.acronym: s for s in result.stakeholders}
    assert listed["JS1"].category == "Joint submissions"
    assert listed["JS1"].members == ["First Sample Association", "Second Sample Foundation",
                                     "the Third Sample Institute, Almaty (Kazakhstan)"]  # fmt: skip
    assert [a.acronym for a in listed["CoE"].attachments] == ["CoE-SAMPLE"]
    warnings = [(p.code, p.location.line, p.message) for p in result.problems.warnings]
    assert [(c, line) for c, line, _m in warnings] == [("invalid-format", 69), ("unknown-reference", 70)]
    assert "'Interview with a sample lawyer, 2023'" in warnings[0][2]
    assert "'XYZ'" in warnings[1][2]


def test_linked_to_the_submission_held_and_written_once(data: Path) -> None:
    report = run_summary_import(SAMPLE, import_options(data), today=DAY)
    assert report.changed and report.links == 4  # ILI paras. 2, 3, 4 and 12 (para. 99 is not there)
    assert any("ili-kazakhstan-upr4 has no paragraph 99" in p.message for p in report.warnings)
    summary = summary_of(data)
    notes = {e.number: e for e in summary.endnotes}
    ili = notes[3].citations[0]
    assert ili.submission == "ili-kazakhstan-upr4" and ili.records == ["f-treaty-body-decisions-not-implemented"]
    assert notes[7].citations[2].records == []  # para. 99: not in the submission
    assert notes[4].citations[1].submission is None  # AI: not held
    assert {s.acronym: s.submission for s in summary.stakeholders}["ILI"] == "ili-kazakhstan-upr4"
    assert (data / "reviews" / "kaz-upr4" / "review.yaml").exists()
    again = run_summary_import(SAMPLE, import_options(data), today=DAY + dt.timedelta(days=3))
    assert not again.changed  # the same file: the same bytes


def test_ohchr_acronym_wins_over_the_abbreviation(data: Path) -> None:
    meta = data / "submissions" / "ili-kazakhstan-upr4" / "submission.yaml"
    meta.write_text(meta.read_text(encoding="utf-8") + "ohchr_acronym: JS1\n", encoding="utf-8")
    run_summary_import(SAMPLE, import_options(data), today=DAY)
    notes = {e.number: e for e in summary_of(data).endnotes}
    assert notes[5].citations[0].submission == "ili-kazakhstan-upr4"  # JS1, para. 12
    assert notes[3].citations[0].submission is None  # ILI is no longer its acronym


# Changes real documents make: each must give the same counts (or a located refusal).
PERTURBATIONS = {
    "crlf": lambda t: t.replace("\n", "\r\n"),
    "tabs in the list": lambda t: re.sub(r"(?m)^(\s+(?:AI|ILI|JS1|CoE))\s{3,}", r"\1\t", t),
    "mark after a space": lambda t: t.replace("by 2023.3", "by 2023. 3"),
    "page break in a paragraph": lambda t: t.replace(
        "ILI\n            recommended", "ILI\n\n7\nA/HRC/WG.6/48/KAZ/3\n\nrecommended"
    ),
}


@pytest.mark.parametrize("name", sorted(PERTURBATIONS))
def test_sample_perturbed(data: Path, tmp_path: Path, name: str) -> None:
    text = PERTURBATIONS[name](SAMPLE.read_text(encoding="utf-8"))
    path = tmp_path / "summary.txt"
    path.write_bytes(text.encode("utf-8"))
    result = read("stakeholder-summary", path, import_options(data))
    assert_counts(result, text)
    assert [p.code for p in result.problems.warnings] == ["invalid-format", "unknown-reference"]


def test_without_a_symbol_nothing_is_written(data: Path, tmp_path: Path) -> None:
    path = tmp_path / "summary.txt"
    path.write_text(SAMPLE.read_text(encoding="utf-8").replace("A/HRC/WG.6/48/KAZ/3", "A/HRC/WG.6/48"), "utf-8")
    with pytest.raises(DataError) as exc:
        run_summary_import(path, import_options(data), today=DAY)
    assert "--symbol" in exc.value.format()
    assert not (data / "reviews").exists()
    run_summary_import(path, import_options(data, symbol="A/HRC/WG.6/48/KAZ/3"), today=DAY)
    assert summary_of(data).symbol == "A/HRC/WG.6/48/KAZ/3"


def test_command_line(data: Path) -> None:
    args = ["import", "stakeholder-summary", str(SAMPLE), "--data", str(data), "--date", "2025-05-01"]
    out = CliRunner().invoke(main, args)
    assert out.exit_code == 0, out.output
    assert "5 paragraphs, 9 endnotes, 11 citations, 4 stakeholders, 4 paragraphs linked" in out.output
    assert "[unknown-reference] endnote 9 cites 'XYZ'" in out.output


@pytest.mark.skipif(not REAL.exists(), reason="the real UPR material is not beside the checkout (../shared/fixtures)")
def test_real_summary_slovenia(data: Path) -> None:
    result = read("stakeholder-summary", REAL, import_options(data))
    assert_counts(result, REAL.read_text(encoding="utf-8"))
    assert (len(result.paragraphs), len(result.endnotes), len(result.stakeholders)) == (89, 124, 12)
    assert sum(len(e.citations) for e in result.endnotes) == 147
    warnings = [p.message for p in result.problems.warnings]
    assert warnings == [
        "endnote 107 cites 'CoE-CM', which the list of submissions does not name: 'CoE-CM, Recommendation, p. 2'"
    ]
    notes = {e.number: e for e in result.endnotes}
    assert [c.label for c in notes[101].citations] == [
        "CoE-ACFC, p. 5, para. 11", "CoE-CoM, Resolution, para. 1", "AI, para. 31", "JS2, paras. 8-17",
    ]  # fmt: skip
    assert notes[3].citations[0].acronym == "Ombudsman/HRORS" and notes[25].citations[0].label == "ICAN, p. 1"
    paras = {p.number: p for p in result.paragraphs}
    assert paras[64].notes == [] and paras[64].heading == "Women" and paras[5].notes == [6, 7]


def test_the_summary_file_is_part_of_the_data(data: Path) -> None:
    """validate reads the written summary with its model: no stray-file warning, a broken one located."""
    from uprkb.check.validate import check

    run_summary_import(SAMPLE, import_options(data), today=DAY)
    result = check(data)
    assert result.ok, [p.format() for p in result.problems.errors]
    assert not [p for p in result.problems.warnings if p.code == "stray-file"], [
        p.format() for p in result.problems.warnings
    ]
    (written,) = (data / "reviews").glob("*/stakeholder-summary.yaml")
    written.write_text(written.read_text(encoding="utf-8").replace("paragraphs:", "paragrafs:", 1), encoding="utf-8")
    assert any(
        p.code == "unknown-field" and "stakeholder-summary.yaml" in p.location.path for p in check(data).problems.errors
    )
