"""Hints that are right: the unknown-field hint lists the fields of the record kind actually at that place
(every kind tested with a misspelling), vocabulary suggestions only when truly close, one summary of unknown
terms, ID suggestions that are valid IDs, value errors that name the record and link the reference."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.project import copy_seed_data
from uprkb.check.validate import check
from uprkb.cli import main
from uprkb.core.errors import Location, Problem
from uprkb.core.hints import close_match, unknown_summary
from uprkb.model.records import ID_PATTERN, suggest_id

from .badinput import BASE, META, Case, plant

SECTION = "submissions/ili-kazakhstan-upr4/sections/06-probe.yaml"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    out = tmp_path / "data"
    copy_seed_data(out)
    return out


def problems_for(data: Path, old: str, new: str, path: str = SECTION) -> list[Problem]:
    if path == SECTION:
        assert old in BASE, old
        plant(data, Case("typo", "", BASE.replace(old, new, 1)))
    else:
        target = data / path
        text = target.read_text(encoding="utf-8")
        assert old in text, old
        target.write_text(text.replace(old, new, 1), encoding="utf-8")
    return check(data, "https://upr-kb.example.org/").problems.errors


# (record kind, file, old, new, misspelt field, expected owner words, right field, a field only that kind has)
KINDS = [
    (
        "paragraph",
        SECTION,
        "    text: Probe text",
        "    txet: Probe text",
        "txet",
        "paragraph 'probe-p1'",
        "text",
        "quotes",
    ),
    ("finding", SECTION, "      kind: fact", "      knid: fact", "knid", "finding 'probe-f1'", "kind", "events"),
    (
        "recommendation",
        SECTION,
        "        themes: [right-to-life]",
        "        theme: [right-to-life]",
        "theme",
        "recommendation 'probe-r1'",
        "themes",
        "action_category",
    ),
    (
        "source",
        SECTION,
        "    url: https://example.org/probe",
        "    ulr: https://example.org/probe",
        "ulr",
        "source 'probe-src'",
        "url",
        "archived_url",
    ),
    (
        "event",
        SECTION,
        "          description: a span",
        "          descripton: a span",
        "descripton",
        "finding 'probe-f1', events[0]",
        "description",
        "end",
    ),
    (
        "submission",
        META,
        "session: 48",
        "sesion: 48",
        "sesion",
        "submission 'ili-kazakhstan-upr4'",
        "session",
        "co_submitters",
    ),
    (
        "vocabulary term",
        "vocabularies/themes.yaml",
        "  label: Right to life",
        "  lable: Right to life",
        "lable",
        "vocabulary term 'right-to-life'",
        "label",
        "equivalents",
    ),
]
# Kinds the probe does not hold: a block is added in front of the recommendations.
EXTRA_BLOCKS = [
    (
        "quotation",
        "  - type: quote\n    id: probe-q1\n    text: Everyone has the right to life.\n    provison: iccpr-art-6\n",
        "provison",
        "quotation 'probe-q1'",
        "provision",
    ),
    ("list", "  - type: list\n    id: probe-l1\n    itmes: [one, two]\n", "itmes", "list 'probe-l1'", "items"),
    (
        "findings list item",
        "  - type: findings\n    items:\n      - id: probe-f2\n        text: A second finding.\n"
        "        kind: fact\n        themse: [right-to-life]\n",
        "themse",
        "finding 'probe-f2'",
        "themes",
    ),
    (
        "figure",
        "  - type: finding\n    finding:\n      id: probe-f3\n      text: 238 died.\n      kind: fact\n"
        "      figures:\n        - value: '238'\n          unti: people\n",
        "unti",
        "finding 'probe-f3', figures[0]",
        "unit",
    ),
]


@pytest.mark.parametrize("kind, path, old, new, bad, owner, right, own_field", KINDS, ids=[k[0] for k in KINDS])
def test_unknown_field_hint_lists_the_fields_of_the_kind_at_that_place(
    data: Path, kind: str, path: str, old: str, new: str, bad: str, owner: str, right: str, own_field: str
) -> None:
    errors = problems_for(data, old, new, path)
    (problem,) = [p for p in errors if p.code == "unknown-field"]
    assert problem.message == f"unknown field '{bad}' in {owner}"
    assert problem.hint.startswith(f"did you mean '{right}'? The fields of ")
    assert f" {kind}" in problem.hint.split(" are: ")[0]
    fields = problem.hint.split(" are: ")[1].split(", ")
    assert right in fields and own_field in fields


@pytest.mark.parametrize("kind, block, bad, owner, right", EXTRA_BLOCKS, ids=[k[0] for k in EXTRA_BLOCKS])
def test_unknown_field_hint_for_blocks_after_the_first(
    data: Path, kind: str, block: str, bad: str, owner: str, right: str
) -> None:
    errors = problems_for(data, "  - type: recommendations\n", block + "  - type: recommendations\n")
    (problem,) = [p for p in errors if p.code == "unknown-field"]
    assert problem.message == f"unknown field '{bad}' in {owner}"
    assert problem.hint.startswith(f"did you mean '{right}'?"), problem.hint
    # never a paragraph's fields (the first block of the body) for another kind
    assert "confidential, id, quotes, text, type" not in problem.hint


def test_a_field_nothing_resembles_gets_the_list_of_fields(data: Path) -> None:
    errors = problems_for(data, "        action_verb: Do\n", "        action_verb: Do\n        recommending_state: X\n")
    (problem,) = errors
    assert problem.message == "unknown field 'recommending_state' in recommendation 'probe-r1'"
    assert problem.hint.startswith("the fields of a recommendation are: action_category, action_verb,")


def test_value_errors_name_the_record_and_the_field_as_written(data: Path) -> None:
    (problem,) = problems_for(data, "date: 2022-01-05", "date: 2022-13-01")
    assert problem.message == "finding 'probe-f1', events[0].date: '2022-13-01' is not a real calendar date"
    assert problem.hint == "see https://upr-kb.example.org/kb/reference/data-model/#event-date"
    assert "body[" not in problem.message and ".finding.finding" not in problem.message


def test_vocabulary_suggestions_only_when_truly_close(data: Path) -> None:
    errors = problems_for(data, "themes: [right-to-life]", "themes: [right-to-lief, right-to-science]")
    hints = {p.message.split("'")[-2]: p.hint for p in errors}
    assert hints["right-to-lief"] == "did you mean 'right-to-life' (Right to life)?"
    assert hints["right-to-science"] == (
        "'right-to-science' is not in the theme vocabulary: add it to data/vocabularies/themes.yaml "
        "under 'terms:': - {id: right-to-science, label: \"Right to science\"}"
    )


def test_an_sdg_target_in_themes_is_named_as_such(data: Path) -> None:
    (problem,) = problems_for(data, "themes: [right-to-life]", "themes: [sdg-4-1]")
    assert problem.hint == "'sdg-4-1' looks like an SDG target: SDG targets are tagged in 'sdg_targets', not here"


def test_sdg_targets_are_never_corrected_to_another_number(data: Path) -> None:
    errors = problems_for(
        data,
        "        findings: [probe-f1]\n",
        "        findings: [probe-f1]\n        sdg_targets: [sdg-4-1, sdg-8-7]\n",
    )
    assert len(errors) == 2
    for p in errors:
        assert "did you mean" not in p.hint
        assert "data/vocabularies/sdgs.yaml" in p.hint
    assert 'number: "4.1"' in errors[0].hint


@pytest.mark.parametrize(
    "value, known, expected",
    [
        ("right-to-science", ["right-to-life"], None),
        ("sdg-4-1", ["sdg-16-1"], None),
        ("sdg-8-7", ["sdg-8-8"], None),
        ("right-to-lief", ["right-to-life"], "right-to-life"),
        ("freedom-of-asembly", ["freedom-of-assembly", "freedom-of-association"], "freedom-of-assembly"),
        ("sdg-16-l", ["sdg-16-1"], None),
        ("tortue", ["torture"], "torture"),
    ],
)
def test_close_match(value: str, known: list[str], expected: str | None) -> None:
    assert close_match(value, known) == expected


def test_pasting_the_suggested_entry_makes_the_term_known(data: Path) -> None:
    errors = problems_for(data, "themes: [right-to-life]", "themes: [right-to-science]")
    entry = errors[0].hint.split("under 'terms:': ")[1]
    themes = data / "vocabularies" / "themes.yaml"
    themes.write_text(themes.read_text(encoding="utf-8") + "\n" + entry + "\n", encoding="utf-8")
    assert check(data).ok


def test_one_summary_lists_each_unknown_term_once_with_its_uses(data: Path) -> None:
    plant(
        data,
        Case(
            "many",
            "",
            BASE.replace("themes: [right-to-life]", "themes: [right-to-science, human-dignity]").replace(
                "      kind: fact\n", "      kind: fact\n      themes: [right-to-science]\n"
            ),
        ),
    )
    result = CliRunner().invoke(main, ["validate", "--data", str(data)])
    assert result.exit_code == 1
    out = result.output
    assert out.count("[unknown-reference]") == 3
    tail = out[out.index("unknown vocabulary term(s)") - 2 :]
    assert tail.startswith("2 unknown vocabulary term(s), used 3 time(s):")
    assert "right-to-science (theme, 2 uses)" in tail and "human-dignity (theme, 1 use)" in tail
    assert tail.count("right-to-science (") == 1


def test_unknown_summary_groups_by_file() -> None:
    text = unknown_summary(Counter({("theme", "a-b"): 2, ("SDG target", "sdg-4-1"): 1}))
    assert text.splitlines()[0] == "2 unknown vocabulary term(s), used 3 time(s):"
    assert "  data/vocabularies/sdgs.yaml:" in text and "  data/vocabularies/themes.yaml:" in text


@pytest.mark.parametrize("value", ["R_Unblock NGO accounts", "Probe--P1", "../../etc/passwd", "HRW 2022 (a)"])
def test_id_suggestions_are_always_valid_ids(data: Path, value: str) -> None:
    errors = problems_for(data, "id: probe-p1", f'id: "{value}"')
    (problem,) = [p for p in errors if p.code == "invalid-value"]
    suggested = re.findall(r"write '([^']*)'", problem.message)
    assert suggested, problem.message
    assert all(re.match(ID_PATTERN, s) for s in suggested), problem.message


def test_suggest_id() -> None:
    assert suggest_id("R_Unblock NGO accounts") == "r-unblock-ngo-accounts"
    assert suggest_id("___") is None
    assert suggest_id("CON") is None  # a reserved name is no suggestion


def test_the_preview_error_box_shows_the_terminal_hint() -> None:
    from uprkb.preview.hook import _banner

    p = Problem(Location("data/x.yaml", 3, 5), "unknown-field", "unknown field 'txet'", "did you mean 'text'?")
    banner = _banner([p])
    assert "did you mean 'text'?" in banner
    assert "unknown field 'txet'" in banner
