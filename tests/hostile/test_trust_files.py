"""Files the project does not own: links and special files in docs/ and overrides/ are never
published, an output folder holding anything the build did not write is never replaced, and an
export never writes over a document it did not write."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.project import SEED_ID
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


# -- the output folder: replaced only when the build wrote every file in it -----------------------


@pytest.mark.slow
def test_a_pages_checkout_holding_a_copied_site_keeps_its_git_and_cname(built: Project, tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    shutil.copytree(built.site, pages)
    (pages / ".git").mkdir()
    (pages / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n")
    (pages / "CNAME").write_text("upr.example.org\n")
    project = built.with_()
    code, out = run(project, "build", "--site-dir", str(pages))
    assert code == 1, out
    assert ".git" in out and "CNAME" in out and "hint:" in out, out
    assert (pages / ".git" / "HEAD").read_text() == "ref: refs/heads/gh-pages\n"
    assert (pages / "CNAME").read_text() == "upr.example.org\n"


@pytest.mark.slow
def test_a_file_added_to_the_site_is_named_and_kept(built: Project, tmp_path: Path) -> None:
    from uprkb.build.outputs import check_site_folder
    from uprkb.core.errors import UserError

    site = tmp_path / "site"
    shutil.copytree(built.site, site)
    check_site_folder(built.with_(site=site))  # a copy of a site the build made: every file listed
    (site / "kb" / "notes.txt").write_text("mine\n")
    with pytest.raises(UserError, match=r"kb/notes\.txt"):
        check_site_folder(built.with_(site=site))


def test_a_marker_copied_in_by_hand_proves_nothing(project: Project, tmp_path: Path) -> None:
    from uprkb.build.outputs import MARKER, check_site_folder
    from uprkb.core.errors import UserError

    folder = tmp_path / "checkout"
    folder.mkdir()
    (folder / "CNAME").write_text("upr.example.org\n")
    (folder / MARKER).write_text("This folder was made by `uprkb build`; the next build replaces it whole.\n")
    with pytest.raises(UserError, match="CNAME"):
        check_site_folder(project.with_(site=folder))


# -- exports write over their own documents only --------------------------------------------------


def word_document(path: Path, text: str) -> bytes:
    import docx

    d = docx.Document()
    d.add_paragraph(text)
    d.save(str(path))
    return path.read_bytes()


def test_an_unrelated_word_document_survives_export(project: Project, tmp_path: Path) -> None:
    victim = tmp_path / "letter.docx"
    before = word_document(victim, "A letter that took a week to write.")
    code, out = run(project, "export", "docx", "--submission", SEED_ID, "-o", str(victim))
    assert code == 1, out
    assert "--force" in out and "letter.docx" in out and "Traceback" not in out, out
    assert victim.read_bytes() == before


def test_an_export_replaces_its_own_document_and_no_other(project: Project, tmp_path: Path) -> None:
    mine = tmp_path / "mine.docx"
    code, out = run(project, "export", "docx", "--submission", SEED_ID, "-o", str(mine))
    assert code == 0, out
    code, out = run(project, "export", "docx", "--submission", SEED_ID, "-o", str(mine))
    assert code == 0, out  # the same submission, written by this project: replaced without --force
    other = project.with_(root=tmp_path / "other")
    shutil.copytree(project.root, other.root)
    code, out = run(other, "export", "docx", "--submission", SEED_ID, "-o", str(mine))
    assert code == 1 and "--force" in out, out  # another project's export is not this one's
    code, out = run(other, "export", "docx", "--submission", SEED_ID, "-o", str(mine), "--force")
    assert code == 0, out


def test_the_mark_names_the_submission(project: Project, tmp_path: Path) -> None:
    from uprkb.build.outputs import check_output_file
    from uprkb.core.errors import UserError

    mine = tmp_path / "mine.docx"
    code, out = run(project, "export", "docx", "--submission", SEED_ID, "-o", str(mine))
    assert code == 0, out
    check_output_file(mine, "docx", False, project, submission=SEED_ID)
    with pytest.raises(UserError, match="another submission") as refused:
        check_output_file(mine, "docx", False, project, submission="another-submission")
    assert "--force" in refused.value.format()
