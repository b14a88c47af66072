"""Units: the safe loader keeps scalars as strings and remembers where everything stands."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from uprkb.core.errors import Problems
from uprkb.load.loader import LDict, LList, load_file, load_text


def load(text: str) -> tuple[object, Problems]:
    problems = Problems()
    return load_text(text, "t.yaml", problems), problems


@pytest.mark.parametrize("raw", ["no", "yes", "on", "off", "1.10", "017", "12:30", "0x1F", "1e3", "2024-01-05", "~x"])
def test_scalars_stay_strings(raw: str) -> None:
    data, problems = load(f"value: {raw}\n")
    assert problems.items == []
    assert isinstance(data, LDict) and data["value"] == raw


@pytest.mark.parametrize("raw", ["", "~", "null"])
def test_empty_values_are_none(raw: str) -> None:
    data, _ = load(f"value: {raw}\n")
    assert isinstance(data, LDict) and data["value"] is None


def test_quoted_null_word_stays_text() -> None:
    data, _ = load('value: "null"\n')
    assert isinstance(data, LDict) and data["value"] == "null"


def test_positions_of_keys_values_and_items() -> None:
    data, problems = load("a: 1\nlist:\n  - x\n  - {b: 2}\n")
    assert problems.items == []
    assert isinstance(data, LDict)
    assert (data.key_marks["list"].line, data.key_marks["list"].col) == (2, 1)
    items = data["list"]
    assert isinstance(items, LList)
    assert [(m.line, m.col) for m in items.item_marks] == [(3, 5), (4, 5)]
    assert items[1].mark.line == 4


def test_url_with_hash_comment_warns_but_loads() -> None:
    data, problems = load("url: https://example.org/a #frag\n")
    assert isinstance(data, LDict) and data["url"] == "https://example.org/a"
    (warning,) = problems.warnings
    assert warning.code == "url-cut-by-comment" and warning.location.line == 1


def test_aliases_are_never_expanded() -> None:
    laughs = "a: &a [x, x]\nb: [*a, *a, *a, *a]\n"
    data, problems = load(laughs)
    codes = [p.code for p in problems.errors]
    assert codes.count("yaml-anchor") == 1 and codes.count("yaml-alias") == 4


def test_bom_is_accepted(tmp_path: Path) -> None:
    f = tmp_path / "x.yaml"
    f.write_bytes(b"\xef\xbb\xbfa: b\n")
    problems = Problems()
    assert load_file(f, "x.yaml", problems) == {"a": "b"}
    assert problems.items == []


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_arbitrary_bytes_never_crash_the_loader(tmp_path_factory: pytest.TempPathFactory, raw: bytes) -> None:
    f = tmp_path_factory.mktemp("fuzz") / "x.yaml"
    f.write_bytes(raw)
    problems = Problems()
    load_file(f, "x.yaml", problems)
    for p in problems.items:
        assert p.code and p.message and p.location.path == "x.yaml"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_text_never_crashes_the_loader(text: str) -> None:
    data, problems = load(text)
    if problems.errors:
        assert all(p.location.line >= 1 for p in problems.errors)
    else:
        assert data is None or isinstance(data, (str, LDict, LList))
