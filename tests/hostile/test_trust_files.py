"""Files the project does not own: links and special files in docs/ and overrides/ are never
published."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from uprkb.cli import main
from uprkb.core.project import Project


def run(project: Project, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--root", str(project.root), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.output


# -- links and special files in docs/ and overrides/ ----------------------------------------------


def plant(project: Project, where: str, kind: str) -> tuple[Path, str]:
    """A hostile entry in ``docs`` or ``overrides``; returns its path and words the refusal must hold."""
    folder = project.root / where
    if kind == "passwd":
        path = folder / "passwd.txt"
        path.symlink_to("/etc/passwd")
        return path, "/etc/passwd"
    if kind == "etc":
        path = folder / "etc"
        path.symlink_to("/etc")
        return path, "/etc"
    if kind == "zero":
        path = folder / "zero.bin"
        path.symlink_to("/dev/zero")
        return path, "device"
    if kind == "dangling":
        path = folder / "gone.md"
        path.symlink_to(project.root / "nowhere.md")
        return path, "does not exist"
    if kind == "fifo":
        path = folder / "pipe.md"
        os.mkfifo(path)
        return path, "pipe"
    if kind == "loop":
        path = folder / "loop"
        path.symlink_to(folder)
        return path, "loop"
    raise AssertionError(kind)


KINDS = ["passwd", "etc", "zero", "dangling", "fifo", "loop"]


@pytest.mark.parametrize("where", ["docs", "overrides"])
@pytest.mark.parametrize("kind", KINDS)
def test_validate_names_every_link_out_and_special_file(project: Project, where: str, kind: str) -> None:
    path, words = plant(project, where, kind)
    code, out = run(project, "validate")
    assert code == 1, out
    assert "Traceback" not in out
    assert f"{where}/{path.name}" in out, out
    assert words in out and "[not-a-file]" in out and "hint:" in out, out


def test_a_link_inside_the_project_is_fine(project: Project) -> None:
    (project.docs / "readme.md").symlink_to(project.root / "mkdocs.yml")
    code, out = run(project, "validate")
    assert code == 0, out


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["passwd", "etc"])  # /dev/zero: refused by validate above (copied, it fills the disk)
def test_the_build_refuses_a_docs_link_out_and_publishes_nothing(project: Project, kind: str) -> None:
    path, words = plant(project, "docs", kind)
    code, out = run(project, "build")
    assert code == 1, out
    assert f"docs/{path.name}" in out and words in out and "hint:" in out, out
    assert not project.site.exists()
    assert not list(project.root.glob(".site-*"))


@pytest.mark.slow
def test_the_build_refuses_a_link_out_in_the_theme_overrides(project: Project) -> None:
    plant(project, "overrides", "passwd")
    code, out = run(project, "build")
    assert code == 1 and "overrides/passwd.txt" in out, out
    assert not project.site.exists()
