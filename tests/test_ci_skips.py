"""In CI (``CI=true``) a test that needs the real material beside the checkout fails when it is missing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.project import PROJECT

SAMPLE = """
import pytest

def test_needs_shared():
    pytest.skip("the real UPR material is not beside the checkout (../shared/fixtures)")

@pytest.mark.skipif(True, reason="shared/seeds is not beside this checkout")
def test_marked():
    pass

@pytest.mark.skipif(True, reason="actionlint's wheel is built for x86_64 only")
def test_other_reason():
    pass
"""


def run(tmp_path: Path, ci: str | None) -> str:
    (tmp_path / "conftest.py").write_text("from tests.conftest import pytest_runtest_makereport  # noqa: F401\n")
    (tmp_path / "test_sample.py").write_text(SAMPLE)
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["PYTHONPATH"] = os.pathsep.join([str(PROJECT), str(PROJECT / "src")])
    if ci is not None:
        env["CI"] = ci
    args = [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:randomly", "-p", "no:cacheprovider", str(tmp_path)]
    return subprocess.run(args, cwd=tmp_path, env=env, capture_output=True, text=True, check=False).stdout


@pytest.mark.slow  # two pytest runs in subprocesses
def test_missing_material_skips_outside_ci_and_fails_in_ci(tmp_path: Path) -> None:
    assert "3 skipped" in run(tmp_path, None)
    out = run(tmp_path, "true")
    # A skip in the test fails it; a skip mark fails its setup (an error): either way the run fails.
    assert "1 failed, 1 skipped, 1 error" in out, out
    assert "test_sample.py:5: CI is set and the real material is missing: the real UPR material is not beside" in out
    assert "test_sample.py:7: CI is set and the real material is missing: shared/seeds is not beside" in out
    assert "SKIPPED [1] test_sample.py:11: actionlint's wheel is built for x86_64 only" in out
