"""The importers' shared writer: the YAML it emits reads back exactly, re-imports are byte-identical,
editorial fields survive, records gone upstream are reported and kept, and a failed import writes nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import import_options
from uprkb.check.validate import check
from uprkb.core.errors import DataError, Problems
from uprkb.core.yamlout import dump
from uprkb.importers import run_import
from uprkb.load.loader import load_text

SAMPLES = Path(__file__).parent / "samples"
DAY = dt.date(2026, 1, 5)


# `data` (a private copy of the shipped data) is a fixture of conftest.py.
options = import_options


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# Text the loader accepts: no control characters (the loader refuses them in data files).
_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff\ufffe\uffff\u2028\u2029"),
    max_size=150,
)
_value = st.one_of(_text, st.integers(min_value=0, max_value=10**6), st.booleans())


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.from_regex(r"k_[a-z_]{0,10}", fullmatch=True), _value, min_size=1, max_size=6))
def test_emitted_yaml_reads_back_exactly(doc: dict[str, object]) -> None:
    wrapped = {"top": doc, "items": [doc, {"k": [str(v) for v in doc.values()]}], "empty": []}
    problems = Problems()
    loaded = load_text(dump(wrapped), "x.yaml", problems)
    assert not problems.errors, [p.format() for p in problems.items]

    def as_loaded(v: object) -> object:  # the loader keeps every scalar as a string
        if isinstance(v, bool):
            return "true" if v else "false"
        return str(v) if isinstance(v, int) else v

    expect = {k: as_loaded(v) for k, v in doc.items()}
    assert loaded["top"] == expect
    assert loaded["items"][0] == expect
    assert loaded["items"][1] == {"k": [str(v) for v in doc.values()]}
    assert loaded["empty"] == []


def test_words_that_yaml_would_type_are_quoted() -> None:
    text = dump({"a": "no", "b": "140.7", "c": "2025-01-28", "d": "u-3f2a9c1b", "e": "x: y", "f": "- z"})
    assert 'a: "no"' in text and 'b: "140.7"' in text and 'c: "2025-01-28"' in text
    assert "d: u-3f2a9c1b" in text and 'e: "x: y"' in text and 'f: "- z"' in text


def test_reimport_is_byte_identical_even_on_another_day(data: Path) -> None:
    run_import("wg-report", SAMPLES / "wg-report-sample.txt", options(data), today=DAY)
    run_import("responses", SAMPLES / "addendum-sample.txt", options(data), today=DAY)
    first = snapshot(data / "reviews")
    report = run_import("wg-report", SAMPLES / "wg-report-sample.txt", options(data), today=dt.date(2027, 3, 3))
    again = run_import("responses", SAMPLES / "addendum-sample.txt", options(data), today=dt.date(2027, 3, 3))
    assert snapshot(data / "reviews") == first
    assert report.written == [] and again.written == []
    assert report.reviews[0].unchanged == 20 and report.reviews[0].updated == 0
    assert b'imported: "2026-01-05"' in first["isl-upr4/review.yaml"]


def test_changed_input_updates_upstream_fields_and_keeps_editorial_ones(data: Path, tmp_path: Path) -> None:
    run_import("wg-report", SAMPLES / "wg-report-sample.txt", options(data), today=DAY)
    recs = data / "reviews" / "isl-upr4" / "recommendations.yaml"
    text = recs.read_text(encoding="utf-8")
    anchor = '- id: "98.2"\n'
    assert anchor in text
    recs.write_text(
        text.replace(anchor, anchor + '  notes: "Checked against the printed report."\n  tags:\n  - follow-up\n'),
        encoding="utf-8",
    )
    changed = tmp_path / "wg-report-sample.txt"
    source = (SAMPLES / "wg-report-sample.txt").read_text(encoding="utf-8")
    changed.write_text(
        source.replace("Adopt the second sample measure", "Adopt the revised second sample measure")
        .replace("                     98.20   Adopt the twentieth sample measure (State of Palestine).\n", "")
        .replace(
            "98.19   Adopt the nineteenth sample measure (Iran (Islamic Republic of));",
            "98.19   Adopt the nineteenth sample measure (Iran (Islamic Republic of)).",
        ),
        encoding="utf-8",
    )
    report = run_import("wg-report", changed, options(data), today=dt.date(2026, 2, 1))
    change = report.reviews[0]
    assert change.updated == 1 and change.gone == ["98.20"]
    assert [w.code for w in report.warnings] == ["gone-upstream"]
    result = check(data)
    assert result.ok, [p.format() for p in result.problems.errors]
    review = result.kb.reviews["isl-upr4"]
    rec = review.by_id["98.2"]
    assert rec.text.startswith("Adopt the revised second") and rec.notes == "Checked against the printed report."
    assert rec.tags == ["follow-up"]
    assert "98.20" in review.by_id, "a record gone upstream is kept"
    imports = {i.file: i for i in review.review.imports}
    assert len(imports) == 1 and imports["wg-report-sample.txt"].imported == dt.date(2026, 2, 1)


def test_a_failed_import_writes_nothing(data: Path, tmp_path: Path) -> None:
    run_import("wg-report", SAMPLES / "wg-report-sample.txt", options(data), today=DAY)
    before = snapshot(data)
    bad = tmp_path / "addendum.txt"
    text = (SAMPLES / "addendum-sample.txt").read_text(encoding="utf-8")
    bad.write_text(
        text.replace("98.18\n", "98.18, 98.25, 98.2\n").replace("98.9– 10", "98.9– 10, 98.30-28"), encoding="utf-8"
    )
    with pytest.raises(DataError) as info:
        run_import("responses", bad, options(data), today=DAY)
    found = {(p.code, p.location.line) for p in info.value.problems}
    assert ("double-position", 37) in found
    assert ("unknown-reference", 37) in found
    assert ("impossible-id", 27) in found
    assert "Nothing was imported." in info.value.format()
    assert snapshot(data) == before
    assert not list((data / "reviews").rglob(".import-*"))


def test_an_invalid_existing_file_stops_the_import(data: Path) -> None:
    run_import("wg-report", SAMPLES / "wg-report-sample.txt", options(data), today=DAY)
    recs = data / "reviews" / "isl-upr4" / "recommendations.yaml"
    recs.write_text(recs.read_text(encoding="utf-8").replace("position: unknown", "position: maybe", 1))
    before = snapshot(data)
    with pytest.raises(DataError) as info:
        run_import("responses", SAMPLES / "addendum-sample.txt", options(data), today=DAY)
    assert any(
        p.code == "invalid-choice" and p.location.path.endswith("recommendations.yaml") for p in info.value.problems
    )
    assert snapshot(data) == before


_GOOD = {
    "id": "140.7",
    "text": "Adopt a sample measure",
    "recommending_states": [{"name": "Norway", "iso3": "NOR", "organisations": ["EU"]}],
    "position": "supported",
    "position_source": {"document": "A/HRC/99/10/Add.1", "paragraph": "3"},
    "themes": ["torture"],
    "sdg_goals": [16],
    "action_category": 4,
    "unmapped": [{"system": "uhri", "kind": "themes", "label": "Other"}],
    "provenance": ["wg-report"],
}


@pytest.mark.parametrize(
    "change",
    [
        {},
        {"id": "u-3f2a9c1b"},
        {"id": "u-3f2a9c1b", "id_assigned": True},
        {"id": "140.7", "id_assigned": True},
        {"text": "  "},
        {"text": "Adopt\u200b a measure"},
        {"recommending_states": []},
        {"recommending_states": [{"name": "Norway", "iso3": "nor"}]},
        {"position": "rejected"},
        {"position_source": {}},
        {"position_source": {"document": "a/hrc/1"}},
        {"themes": ["Torture"]},
        {"sdg_goals": [18]},
        {"action_category": 6},
        {"unmapped": [{"system": "upr", "kind": "themes", "label": "x"}]},
        {"provenance": ["word"]},
        {"colour": "red"},
        {"upstream": {"uhri": "a b"}},
    ],
)
def test_the_fast_twin_accepts_exactly_what_the_model_accepts(change: dict[str, object]) -> None:
    from pydantic import ValidationError

    from uprkb.importers.fastcheck import twin
    from uprkb.model.reviews import ReceivedRecommendation

    data = {**_GOOD, **change}

    def accepts(model: type) -> bool:
        try:
            model.model_validate(data)  # type: ignore[attr-defined]
        except ValidationError:
            return False
        return True

    assert accepts(twin(ReceivedRecommendation)) == accepts(ReceivedRecommendation)
    if accepts(ReceivedRecommendation):
        full = ReceivedRecommendation.model_validate(data).model_dump(mode="json", exclude_defaults=True)
        fast = twin(ReceivedRecommendation).model_validate(data).model_dump(mode="json", exclude_defaults=True)
        assert fast == full
