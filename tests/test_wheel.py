"""The package as users install it: a wheel, its console script, run in a project folder of its own."""

from __future__ import annotations

import configparser
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import copy_project
from tests.project import PROJECT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The wheel built from the checkout, and the folder it is installed into (no checkout on the path)."""
    out = tmp_path_factory.mktemp("wheel")
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(PROJECT)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if built.returncode != 0:
        pytest.fail(f"the wheel does not build: {built.stderr[-2000:]}")
    (wheel,) = out.glob("uprkb-*.whl")
    target = out / "site-packages"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target", str(target), str(wheel)],
        check=True,
        timeout=300,
    )
    return wheel, target


def test_the_wheel_ships_the_templates_and_declares_the_console_script(installed: tuple[Path, Path]) -> None:
    wheel, _ = installed
    names = zipfile.ZipFile(wheel).namelist()
    assert "uprkb/site/templates/section.md.j2" in names
    assert "uprkb/exports/reference.docx" in names
    assert "uprkb/importers/states.yaml" in names
    (entry_points,) = [n for n in names if n.endswith("entry_points.txt")]
    config = configparser.ConfigParser()
    config.read_string(zipfile.ZipFile(wheel).read(entry_points).decode())
    assert config["console_scripts"]["uprkb"] == "uprkb.cli:main"


def test_the_installed_command_builds_a_project_folder(installed: tuple[Path, Path], tmp_path: Path) -> None:
    """``uprkb`` as the console script calls it, from the installed package, run in a project folder."""
    _, target = installed
    project = copy_project(tmp_path / "project")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "UPRKB_ROOT")}
    env["PYTHONPATH"] = str(target)
    script = (
        "import sys, uprkb; print(uprkb.__file__, file=sys.stderr); from uprkb.cli import main; main(prog_name='uprkb')"
    )
    for args in (["validate"], ["build"]):
        run = subprocess.run(
            [sys.executable, "-c", script, *args],
            cwd=project.root,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert run.returncode == 0, run.stderr[-3000:]
        assert run.stderr.splitlines()[0].startswith(str(target)), "the command ran the checkout, not the wheel"
    assert (project.root / "site" / "index.html").is_file()
