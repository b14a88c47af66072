"""An import stages its files outside the data folder and leaves no temporary file anywhere."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.conftest import import_options
from uprkb.importers import run_import, writer

from . import payloads as p


def test_a_clean_import_leaves_no_temporary_file(data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "in" / "export.csv"
    source.parent.mkdir()
    source.write_text(p.good_csv(2), encoding="utf-8")
    staged: list[str] = []
    real = writer.tempfile.mkstemp

    def spy(*args: object, **kwargs: object) -> tuple[int, str]:
        fd, name = real(*args, **kwargs)  # type: ignore[call-overload]
        staged.append(name)
        return fd, name

    monkeypatch.setattr(writer.tempfile, "mkstemp", spy)
    run_import("upr-info", source, import_options(data, select_all=True), today=dt.date(2026, 1, 5))
    assert staged and all(not Path(name).resolve().is_relative_to(data.resolve()) for name in staged)
    assert (data / "reviews" / "kaz-upr3" / "recommendations.yaml").is_file()
    leftovers = [q for q in data.parent.rglob("*") if ".import-" in q.name or ".uprkb-import-" in q.name]
    assert leftovers == []
