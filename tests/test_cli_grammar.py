"""One command-line grammar: --state takes a name or an ISO3 code everywhere; every writer refuses to
overwrite without --force; the guide, the README and the messages say python3 (stock Debian has no python)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.project import PROJECT
from uprkb.authoring.scaffold import resolve_state
from uprkb.cli import main


@pytest.mark.parametrize("given", ["KAZ", "kaz", "Kazakhstan", "kazakhstan"])
def test_state_by_name_or_iso3(given: str) -> None:
    assert resolve_state(given) == ("KAZ", "Kazakhstan")


def test_new_submission_takes_a_state_name(data: Path) -> None:
    args = ["new", "submission", "ngo-kaz-upr4", "--data", str(data), "--organisation", "Example NGO"]
    result = CliRunner().invoke(main, [*args, "--state", "Kazakhstan", "--cycle", "4", "--session", "48"])
    assert result.exit_code == 0, result.output
    text = (data / "submissions" / "ngo-kaz-upr4" / "submission.yaml").read_text(encoding="utf-8")
    assert "iso3: KAZ" in text and "Kazakhstan" in text


def test_an_unknown_state_is_refused_with_a_hint(data: Path) -> None:
    args = ["new", "submission", "x-upr4", "--data", str(data), "--organisation", "X", "--state", "Kazakstan"]
    result = CliRunner().invoke(main, [*args, "--cycle", "4", "--session", "48"])
    assert result.exit_code != 0 and "Kazakhstan" in result.output


def test_export_docx_refuses_to_overwrite_without_force(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "ili.docx"
    out.write_bytes(b"a document someone edited by hand")
    args = ["export", "docx", "--data", str(data), "--submission", "ili-kazakhstan-upr4", "-o", str(out)]
    refused = CliRunner().invoke(main, args)
    assert refused.exit_code != 0 and "--force" in refused.output
    assert out.read_bytes() == b"a document someone edited by hand"
    forced = CliRunner().invoke(main, [*args, "--force"])
    assert forced.exit_code == 0, forced.output
    assert out.read_bytes()[:2] == b"PK"


def test_python3_everywhere() -> None:
    files = [PROJECT / "README.md", PROJECT / "CONTRIBUTING.md", *(PROJECT / "docs").glob("*.md")]
    files += [p for p in (PROJECT / "src" / "uprkb").rglob("*.py") if "preview" not in p.parts] + list(
        (PROJECT / "src" / "uprkb").rglob("*.j2")
    )
    bad = [
        f"{path.relative_to(PROJECT)}: {m.group(0)}"
        for path in files
        for m in re.finditer(r"(?<![\w./-])python (?=build_site|-m |run_tests)", path.read_text(encoding="utf-8"))
    ]
    assert bad == []
