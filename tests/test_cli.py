"""The command line, driven through click's runner and as a real subprocess."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.project import PROJECT
from uprkb.cli import main
from uprkb.core.project import Project
from uprkb.model.schema import schemas


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_validate_the_shipped_data() -> None:
    code, out = run("validate")
    assert code == 0, out
    assert re.search(r"^OK: \d+ files valid", out, flags=re.M), out
    assert "words in the body" in out


def test_validate_reports_with_locations(project: Project) -> None:
    section = project.data / "submissions/ili-kazakhstan-upr4/sections/03-freedom-of-association.yaml"
    text = section.read_text(encoding="utf-8")
    section.write_text(text.replace("\nnumber: 3", "\nnumbre: 3"), encoding="utf-8")
    code, out = run("--root", str(project.data.parent), "validate")
    assert code == 1
    line = next(i for i, s in enumerate(text.splitlines(), 1) if s.startswith("number: 3"))
    assert f"03-freedom-of-association.yaml:{line}:1: [unknown-field] unknown field 'numbre'" in out
    assert "hint: did you mean 'number'?" in out
    assert "Traceback" not in out


def test_export_text_of_an_unknown_submission_is_a_usage_error() -> None:
    code, out = run("export", "text", "--submission", "nope")
    assert code == 2
    assert "no submission 'nope'" in out and "ili-kazakhstan-upr4" in out


def test_schema_files_have_not_drifted() -> None:
    for name, text in schemas().items():
        committed = PROJECT / "schema" / name
        assert committed.read_text(encoding="utf-8") == text, f"{name} is stale: run python build_site.py schema"
    code, out = run("schema", "--check")
    assert code == 0, out


def test_every_data_file_points_at_its_schema() -> None:
    for path in sorted(Project.find().data.rglob("*.yaml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), path
        target = (path.parent / first.split("=", 1)[1]).resolve()
        assert target.exists(), f"{path}: {target}"
        kind = (
            "section"
            if path.parent.name == "sections"
            else ("submission" if path.name == "submission.yaml" else path.stem)
        )
        assert target.name == f"{kind}.schema.json"
        schema = json.loads(target.read_text(encoding="utf-8"))
        assert schema["additionalProperties"] is False


def test_build_site_py_is_the_front_door(tmp_path: Path) -> None:
    """``python build_site.py validate`` works as a subprocess without a traceback."""
    env = {**os.environ, "UPRKB_NO_BOOTSTRAP": "1"}
    proc = subprocess.run(
        [sys.executable, str(PROJECT / "build_site.py"), "validate"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert re.search(r"^OK: \d+ files valid", proc.stdout, flags=re.M), proc.stdout


@pytest.mark.slow
def test_build_and_check_commands(project: Project) -> None:
    code, out = run("--root", str(project.data.parent), "check")
    assert code == 0, out
    assert (project.site / "index.html").exists()
    assert "every internal link and anchor" in out
    code, out = run("--root", str(project.data.parent), "build")
    assert code == 0, out
    # mkdocs.yml still carries the placeholder address: said once, and the permalinks stay relative.
    assert out.count("[site-url-placeholder]") == 1
    assert '"permalink": "kb/' in (project.site / "kb" / "downloads" / "knowledge-base.json").read_text("utf-8")
