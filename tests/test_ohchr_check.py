"""OHCHR's rules for stakeholders (data/vocabularies/ohchr-rules.yaml): the shipped submission passes every
rule; each fault planted in a private copy of the data is named by its rule and located at its line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from uprkb.cli import main
from uprkb.model.ohchr import RuleId

SUB = "ili-kazakhstan-upr4"
WARNING = re.compile(r"^(?P<path>\S+?):(?P<line>\d+):(?P<col>\d+): warning: \[ohchr-rule\] (?P<rule>[a-z-]+): ", re.M)


def run(data: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", "submission", SUB, "--data", str(data), *args])
    return result.exit_code, result.output


def findings(data: Path) -> list[tuple[str, str, int]]:
    """(rule, file name, line) of every finding ``check submission`` prints."""
    _code, out = run(data)
    return [(m["rule"], Path(m["path"]).name, int(m["line"])) for m in WARNING.finditer(out)]


def section(data: Path, name: str) -> Path:
    return data / "submissions" / SUB / "sections" / name


def meta(data: Path) -> Path:
    return data / "submissions" / SUB / "submission.yaml"


def edit(path: Path, old: str, new: str) -> int:
    """Replace ``old`` once and return the line (1-based) where ``new`` starts."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def line_of(path: Path, needle: str) -> int:
    text = path.read_text(encoding="utf-8")
    return text[: text.index(needle)].count("\n") + 1


def test_the_shipped_submission_passes_every_rule(data: Path) -> None:
    code, out = run(data, "--strict")
    assert code == 0, out
    for rule in RuleId:
        assert re.search(rf"^ok   {rule.value}: ", out, re.M), (rule, out)
    assert "9 of 9 rules pass; 0 finding(s)" in out
    assert "2,734 words in the body, 2,789 with the footnotes (OHCHR limit 2,815)" in out
    assert "the period since the previous review of Kazakhstan (session 34, 4 November 2019)" in out


def test_validate_reports_no_rule_on_the_shipped_data_and_warns_of_a_planted_fault(data: Path) -> None:
    ok = CliRunner().invoke(main, ["validate", "--strict", "--data", str(data)])
    assert ok.exit_code == 0, ok.output
    edit(meta(data), "language: en", "language: de")
    bad = CliRunner().invoke(main, ["validate", "--data", str(data)])
    assert bad.exit_code == 0 and "warning: [ohchr-rule] language:" in bad.output
    strict = CliRunner().invoke(main, ["validate", "--strict", "--data", str(data)])
    assert strict.exit_code == 1


def test_over_the_word_limit(data: Path) -> None:
    path = section(data, "05-freedom-of-torture.yaml")
    edit(path, "forced disappearance.[^", "forced disappearance" + " again" * 100 + ".[^")
    assert ("word-limit", "submission.yaml", line_of(meta(data), "submission_type:")) in findings(data)
    code, out = run(data, "--strict")
    assert code == 1 and "over the limit of 2,815 for an individual submission" in out


def test_an_unnumbered_paragraph(data: Path) -> None:
    path = section(data, "01-legal-framework.yaml")
    # The paragraph that the quotation belongs to is removed: the quotation now opens the section, unnumbered.
    text = path.read_text(encoding="utf-8")
    start = text.index("- type: paragraph\n  id: s1-iccpr-undertaking")
    end = text.index("- type: quote")
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    assert findings(data) == [("paragraphs-numbered", path.name, line_of(path, "- type: quote"))]


def test_a_paragraph_with_a_line_break_and_a_long_lead_in(data: Path) -> None:
    path = section(data, "05-freedom-of-torture.yaml")
    edit(path, "label: 'Recommendations:'", "label: '" + "This lead-in runs on " * 8 + "'")
    line = line_of(path, "This lead-in")
    found = findings(data)
    assert ("paragraphs-numbered", path.name, line) in found


def test_a_bare_recommendation_number(data: Path) -> None:
    path = section(data, "05-freedom-of-torture.yaml")
    line = edit(
        path,
        "forced disappearance.[^hrmi-rights-tracker]",
        "forced disappearance.[^hrmi-rights-tracker] Kazakhstan has not implemented recommendation 122.60.",
    )
    assert findings(data) == [("recommendation-references", path.name, line)]
    _code, out = run(data)
    assert "'recommendation 122.60'" in out and "names no report" in out


def test_a_recommendation_number_with_its_symbol_passes(data: Path) -> None:
    path = section(data, "05-freedom-of-torture.yaml")
    edit(
        path,
        "forced disappearance.[^hrmi-rights-tracker]",
        "forced disappearance.[^hrmi-rights-tracker] Recommendation 122.60 (A/HRC/28/10) is not implemented.",
    )
    code, out = run(data, "--strict")
    assert code == 0, out
    assert "not checked: the review is not in the data" in out


def test_an_annex(data: Path) -> None:
    folder = data / "submissions" / SUB
    (folder / "sections" / "06-annex.yaml").write_text(
        "id: annex\nnumber: 6\ntitle: Annex I. List of the victims\n\nbody:\n"
        "- type: paragraph\n  id: s6-list\n  text: The names of the victims are listed here.\n",
        encoding="utf-8",
    )
    edit(meta(data), "- freedom-of-torture\n", "- freedom-of-torture\n- annex\n")
    assert ("no-annex", "06-annex.yaml", 3) in findings(data)


def test_a_reference_to_an_annex_in_the_text(data: Path) -> None:
    path = section(data, "05-freedom-of-torture.yaml")
    line = edit(path, "forced disappearance.[^", "forced disappearance (see annex 2).[^")
    assert ("no-annex", path.name, line) in findings(data)


def test_a_missing_joint_submitter(data: Path) -> None:
    line = edit(meta(data), "title: Submission of", "title: Joint submission of")
    assert findings(data) == [("joint-submitters", "submission.yaml", line)]


def test_a_joint_submission_without_its_partners_is_refused_where_it_stands(data: Path) -> None:
    edit(meta(data), "submission_type: individual", "submission_type: joint")
    result = CliRunner().invoke(main, ["validate", "--data", str(data)])
    assert result.exit_code == 1
    assert "submission.yaml:2:1: [invalid-value]" in result.output  # the file's first key: the rule spans it
    assert "a joint submission lists its co_submitters" in result.output


def test_co_submitters_listed_but_filed_as_individual(data: Path) -> None:
    edit(meta(data), "submission_type: individual", "submission_type: individual\nco_submitters:\n- name: Partner NGO")
    assert ("joint-submitters", "submission.yaml", line_of(meta(data), "- name: Partner NGO")) in findings(data)


def test_another_state(data: Path) -> None:
    edit(meta(data), "- symbol: A/HRC/WG.6/48/KAZ/3", "- symbol: A/HRC/WG.6/48/SVN/3")
    assert ("one-state", "submission.yaml", line_of(meta(data), "A/HRC/WG.6/48/SVN/3")) in findings(data)


def test_an_endnote_with_substantive_text(data: Path) -> None:
    path = section(data, "05-freedom-of-torture.yaml")
    edit(path, "  citation: HRMI Rights Tracker\n", "  citation: " + "The authorities deny it all " * 10 + "\n")
    assert findings(data) == [("endnotes", path.name, line_of(path, "- id: hrmi-rights-tracker"))]


def test_an_endnote_that_points_nowhere(data: Path) -> None:
    path = section(data, "05-freedom-of-torture.yaml")
    edit(path, '  url: "https://rightstracker.org"\n  link_text: Kazakhstan (rightstracker.org)\n', "")
    edit(path, "  author: Human Rights Measurement Initiative\n", "")
    rules = [rule for rule, _name, _line in findings(data)]
    assert rules == ["endnotes"]


def test_a_finding_before_the_period(data: Path) -> None:
    path = section(data, "02-right-to-life.yaml")
    edit(path, '- date: "2022-01-05"\n      end: "2022-01-10"', '- date: "2015-01-05"\n      end: "2015-01-10"')
    assert ("period-covered", path.name, line_of(path, '- date: "2015-01-05"')) in findings(data)


def test_an_older_fact_no_longer_said_to_continue_is_outside_the_period(data: Path) -> None:
    # The shipped finding dated 2011 says "from 2011 to the present" (it passes); without those words it fails.
    path = section(data, "01-legal-framework.yaml")
    edit(path, "from 2011 to the present, there have been", "between 2011 and 2012, there were")
    edit(path, "At the time of writing this report, according", "According")
    assert findings(data) == [("period-covered", path.name, line_of(path, '- date: "2011"'))]


@pytest.mark.parametrize(("code", "finding"), [("de", True), ("ru", False), ("fr", False)])
def test_language(data: Path, code: str, finding: bool) -> None:
    edit(meta(data), "language: en", f"language: {code}")
    assert (("language", "submission.yaml", line_of(meta(data), "language:")) in findings(data)) is finding
    _c, out = run(data)
    assert ("OHCHR prefers en, fr, es" in out) is (code == "ru")


def test_a_rule_left_out_of_the_file_is_not_applied_and_thresholds_are_data(data: Path) -> None:
    rules = data / "vocabularies" / "ohchr-rules.yaml"
    edit(rules, "  threshold: 40\n", "  threshold: 10\n")  # the endnotes' threshold: notes of 13-18 words now fail
    assert {r for r, _n, _l in findings(data)} == {"endnotes"}
    text = rules.read_text(encoding="utf-8")
    start = text.index("- id: endnotes")
    rules.write_text(text[:start] + text[text.index("- id: no-annex") :], encoding="utf-8")
    code, out = run(data, "--strict")
    assert code == 0 and "8 of 8 rules pass" in out


def test_a_rule_listed_twice_is_a_located_error(data: Path) -> None:
    rules = data / "vocabularies" / "ohchr-rules.yaml"
    text = rules.read_text(encoding="utf-8")
    block = text[text.index("- id: language") :]
    rules.write_text(text + block, encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", "--data", str(data)])
    assert result.exit_code == 1 and "ohchr-rules.yaml:" in result.output and "listed twice" in result.output
