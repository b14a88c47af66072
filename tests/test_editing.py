"""Errors in plain words (the YAML syntax table), the OHCHR word count with --strict, the action category
from the verb, and the data-model reference rendered as Markdown with YAML defaults."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.project import PROJECT, SEED_DATA, copy_seed_data
from uprkb.check.editorial import leading_verb, suggested_category
from uprkb.check.validate import check
from uprkb.cli import main
from uprkb.core.errors import Problems
from uprkb.core.project import Project
from uprkb.load.loader import load_text
from uprkb.model.records import ActionCategoryVocabulary, WordLimitVocabulary
from uprkb.present.wordcount import WORD_LIMITS
from uprkb.site.reference import data_model_context, doc_markdown, yaml_default

FIXTURES = PROJECT.parent / "shared" / "fixtures"
META = "submissions/ili-kazakhstan-upr4/submission.yaml"

SYNTAX = [
    (
        "tab",
        "id: x\nbody:\n  - type: p\n\tid: y\n",
        (4, 1),
        "there is a tab character at column 1; YAML only accepts spaces for indentation",
        "replace the tab at column 1 with spaces (set your editor to insert spaces for Tab)",
    ),
    ("tab-at-start", "id: x\nbody:\n\t- a\n", (3, 1), "there is a tab character at column 1", "replace the tab"),
    (
        "colon-in-value",
        "id: x\ntext: The law says: nothing\n",
        (2, 19),
        "the value of 'text' contains ': ', which YAML reads as the start of another field",
        'put the whole value in double quotes: text: "The law says: nothing"',
    ),
    (
        "indented-too-far",
        "id: x\ntitle: y\n  number: 3\n",
        (3, 9),
        "this line is indented further than the field above it",
        "line it up with the other fields",
    ),
    (
        "list-out-of-line",
        "body:\n  - a\n - b\n",
        (3, 2),
        "the indentation is off: this line does not line up with the lines above it",
        "give the fields of one record",
    ),
    (
        "unclosed-quote",
        'id: x\ntitle: "abc\nnumber: 3\n',
        (2, 8),
        'the quote " opened here (line 2, column 8) is never closed',
        'add the closing " at the end of the value',
    ),
    (
        "no-colon",
        "id: x\ntitle\nnumber: 3\n",
        (2, 1),
        "line 2 is neither 'field: value' nor a list item",
        "add ': ' after the field name",
    ),
    (
        "at-sign",
        "title: @handle\n",
        (1, 8),
        "a value cannot start with '@' unless it is in quotes",
        'put the whole value in double quotes: title: "@handle"',
    ),
    (
        "text-after-quote",
        'title: "abc" def\n',
        (1, 14),
        "there is more text after the closing quote",
        "put the whole value inside the quotes",
    ),
]


@pytest.mark.parametrize("name, text, where, message, hint", SYNTAX, ids=[s[0] for s in SYNTAX])
def test_yaml_syntax_errors_in_plain_words(
    name: str, text: str, where: tuple[int, int], message: str, hint: str
) -> None:
    problems = Problems()
    assert load_text(text, "f.yaml", problems) is None
    (p,) = problems.items
    assert p.code == "yaml-syntax"
    assert (p.location.line, p.location.col) == where
    assert p.message.startswith(message), p.message
    assert p.hint.startswith(hint), p.hint
    for jargon in ("scalar", "token", "block end", "mapping values", "while scanning", "while parsing"):
        assert jargon not in p.message and jargon not in p.hint


def test_the_quoting_fix_reads_back_as_the_intended_value() -> None:
    problems = Problems()
    load_text('text: She said "no": twice\n', "f.yaml", problems)
    fix = problems.items[0].hint.split("double quotes: ")[1]
    good = Problems()
    assert load_text(fix + "\n", "f.yaml", good) == {"text": 'She said "no": twice'}
    assert not good


@pytest.fixture
def data(tmp_path: Path) -> Path:
    out = tmp_path / "data"
    copy_seed_data(out)
    return out


def test_validate_prints_the_word_count(data: Path) -> None:
    result = CliRunner().invoke(main, ["validate", "--data", str(data)])
    assert result.exit_code == 0, result.output
    m = re.search(
        r"ili-kazakhstan-upr4: ([\d,]+) words in the body, ([\d,]+) with the footnotes \(OHCHR limit 2,815\)",
        result.output,
    )
    assert m, result.output
    body, notes = (int(g.replace(",", "")) for g in m.groups())
    assert 2000 < body < notes


def test_over_the_limit_is_a_warning_and_strict_makes_it_an_error(data: Path) -> None:
    limits = data / "vocabularies" / "ohchr-limits.yaml"
    limits.write_text(limits.read_text(encoding="utf-8").replace("words: 2815", "words: 1000"), encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", "--data", str(data)])
    assert result.exit_code == 0, result.output
    assert "warning: [word-limit] the submission has" in result.output
    assert "OHCHR's limit for an individual submission is 1,000" in result.output
    assert re.search(r"the count is [\d,]+ for the body and [\d,]+ with the footnotes", result.output)
    strict = CliRunner().invoke(main, ["validate", "--strict", "--data", str(data)])
    assert strict.exit_code == 1
    assert "--strict: 1 warning(s) count as errors." in strict.output


def test_the_limits_can_hold_the_count_with_footnotes(data: Path) -> None:
    limits = data / "vocabularies" / "ohchr-limits.yaml"
    text = limits.read_text(encoding="utf-8").replace("counts: body", "counts: body-and-notes")
    result = check(data)
    body, notes = result.word_counts[0].body, result.word_counts[0].with_notes
    limits.write_text(text.replace("words: 2815", f"words: {(body + notes) // 2}"), encoding="utf-8")
    over = check(data)
    assert [p.code for p in over.problems.warnings] == ["word-limit"]


def test_the_shipped_limits_are_the_built_in_ones() -> None:
    from uprkb.load.loader import load_file

    raw = load_file(SEED_DATA / "vocabularies" / "ohchr-limits.yaml", "x", Problems())
    vocab = WordLimitVocabulary.model_validate(raw)
    assert {e.submission_type: e.words for e in vocab.limits} == WORD_LIMITS
    assert set(WORD_LIMITS.values()) == {2815, 5630}


def _verbs() -> ActionCategoryVocabulary:
    from uprkb.load.loader import load_file

    raw = load_file(SEED_DATA / "vocabularies" / "action-categories.yaml", "x", Problems())
    return ActionCategoryVocabulary.model_validate(raw)


@pytest.mark.parametrize(
    "verb, expected",
    [
        ("Ensure", 4),
        ("Ratify the Convention", 5),
        ("Continue to", 2),
        ("Consider ratifying", 3),
        ("Urgently pass", None),
        ("Take measures", 4),
        ("Adopt", None),
        ("Review", None),
        ("To ratify", 5),
        ("Speed up the reform", 4),
        ("Request technical assistance", 1),
    ],
)
def test_suggested_category(verb: str, expected: int | None) -> None:
    found = suggested_category(_verbs(), verb)
    assert (found[0] if found else None) == expected


def test_leading_verb() -> None:
    assert leading_verb("Urgently  pass the law") == "pass the law"
    assert leading_verb("The State should fully implement") == "implement"


def test_a_category_that_contradicts_the_verb_is_a_warning(data: Path) -> None:
    section = data / "submissions/ili-kazakhstan-upr4/sections/02-right-to-life.yaml"
    text = section.read_text(encoding="utf-8")
    assert "    action_category: 5\n    action_verb: Declassify" in text
    section.write_text(
        text.replace("    text: Declassify all cases", "    text: Ensure the declassification of all cases").replace(
            "    action_verb: Declassify", "    action_verb: Ensure"
        ),
        encoding="utf-8",
    )
    result = check(data)
    assert result.ok
    (w,) = [p for p in result.problems.warnings if p.code == "action-category"]
    assert w.message == (
        "recommendation 'r-declassify-january-cases' starts with 'ensure', which UPR Info files under category 4 "
        "(general action), but its action_category is 5 (specific action)"
    )
    assert "write 'action_category: 4'" in w.hint
    assert w.location.line == text.splitlines().index("    action_category: 5") + 1 or w.location.line > 0


def test_the_seed_has_no_category_warning() -> None:
    result = check(Project.find().data)
    assert result.ok
    assert [p.format() for p in result.problems.warnings if p.code == "action-category"] == []


def test_the_verb_map_agrees_with_upr_info_on_real_recommendations() -> None:
    path = FIXTURES / "upr-info" / "upr-info-sessions-17-20.csv"
    if not path.exists():
        pytest.skip("../shared/fixtures (UPR Info's recommendations) is not beside the checkout")
    vocab = _verbs()
    agree = total = 0
    with path.open(encoding="latin-1", newline="") as f:
        for row in csv.DictReader(f):
            found = suggested_category(vocab, row["Text"])
            if found:
                total += 1
                agree += str(found[0]) == row["Action"].strip()
    print(f"verb map: {agree} of {total} recommendations agree with UPR Info ({agree / total:.1%})")
    assert total > 5000
    assert agree / total >= 0.9


def test_reference_docstrings_render_as_markdown() -> None:
    assert doc_markdown("Stable identifier, used in the text as ``[^id]``.") == (
        "Stable identifier, used in the text as `[^id]`\\."
    )
    assert yaml_default(False) == "false" and yaml_default([]) == "[]" and yaml_default(None) == ""
    from uprkb.model.records import SubmissionType

    assert yaml_default(SubmissionType.individual) == "individual"
    ctx = data_model_context()
    source = next(m for m in ctx.models if m.name == "Source")
    row = next(f for f in source.fields if f.name == "id")
    assert "`[^id]`" in row.doc
    for model in ctx.models:
        for f in model.fields:
            assert "``" not in f.doc and "<" not in f.default and "None" not in f.default, (model.name, f)


@pytest.mark.slow
def test_the_published_reference_page(built: Project) -> None:
    """The real MkDocs build: footnote syntax survives as code, no literal double backticks, YAML defaults,
    and every field anchor that the command line's hints link to exists."""
    html = (built.site / "kb" / "reference" / "data-model" / "index.html").read_text(encoding="utf-8")
    assert "<code>[^id]</code>" in html
    assert "``" not in html
    for python in ("SubmissionType.", "&lt;ListStyle", "<code>None</code>", "<code>False</code>", "<td>None</td>"):
        assert python not in html, python
    assert not re.search(r"<td>(?:<code>)?(?:True|False|None|'[a-z-]*')(?:</code>)?</td>", html)
    assert "<code>false</code>" in html and "<code>individual</code>" in html and "<code>[]</code>" in html
    for anchor in ("event-date", "recommendation-action-category", "source-id", "paragraph-text"):
        assert f'id="{anchor}"' in html, anchor
