"""The text ``new submission`` and ``new section`` write for a person to replace is a located warning in
``validate`` and in ``export`` until it is replaced."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.project import copy_seed_data
from uprkb.check.validate import check
from uprkb.cli import main

SID = "ngo-kaz-upr4"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    out = copy_seed_data(tmp_path / "data")
    result = CliRunner().invoke(
        main,
        ["new", "submission", SID, "--organisation", "Example NGO", "--state", "KAZ", "--cycle", "4"]
        + ["--session", "48", "--joint", "--data", str(out)],
    )
    assert result.exit_code == 0, result.output
    return out


def placeholders(data: Path) -> list[str]:
    result = check(data)
    assert result.ok, [p.format() for p in result.problems.errors]
    return [p.format() for p in result.problems.warnings if p.code == "placeholder-text"]


def test_placeholders_are_located_warnings(data: Path) -> None:
    found = placeholders(data)
    assert len(found) == 2, found
    section, meta = sorted(found)
    assert f"submissions/{SID}/sections/01-introduction.yaml:" in section
    assert "The first paragraph of this section." in section and "replace" in section
    assert f"submissions/{SID}/submission.yaml:" in meta and "Partner organisation" in meta


def test_a_new_section_adds_one_and_replacing_the_text_removes_them(data: Path) -> None:
    result = CliRunner().invoke(main, ["new", "section", SID, "02-detention", "Detention", "--data", str(data)])
    assert result.exit_code == 0, result.output
    assert len(placeholders(data)) == 3
    folder = data / "submissions" / SID
    for path in [folder / "submission.yaml", *sorted((folder / "sections").glob("*.yaml"))]:
        text = path.read_text(encoding="utf-8")
        text = text.replace("The first paragraph of this section.", "Detention is arbitrary in Examplestan.")
        text = text.replace("Partner organisation (replace with its full name)", "Second Example Network")
        path.write_text(text, encoding="utf-8")
    assert placeholders(data) == []


def test_export_warns_about_placeholders(data: Path) -> None:
    result = CliRunner().invoke(main, ["export", "text", "--data", str(data), "--submission", SID])
    assert result.exit_code == 0, result.output
    assert "[placeholder-text]" in result.output and "The first paragraph of this section." in result.output


def test_the_seed_has_no_placeholder(tmp_path: Path) -> None:
    assert placeholders(copy_seed_data(tmp_path / "data")) == []
