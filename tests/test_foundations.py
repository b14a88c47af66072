"""Foundations: collisions refused, and no traceback for any user error, whatever the command.

Every command is run against each fault a user can cause (a bad ``--data`` path,
a malformed data file, a malformed link report, an output folder that cannot be
written); each must print a located message with a hint and exit non-zero.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.project import PROJECT
from uprkb.cli import main
from uprkb.core.errors import UserError
from uprkb.core.project import Project
from uprkb.site.generate import GenerateStats, TreeWriter

SUB = "ili-kazakhstan-upr4"


def run(*args: str) -> tuple[int, str, BaseException | None]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output, result.exception


def assert_user_error(code: int, out: str, exc: BaseException | None) -> None:
    assert code != 0, out
    assert "Traceback" not in out
    # click's runner records SystemExit for a clean exit; anything else escaped as a crash.
    assert exc is None or isinstance(exc, SystemExit), f"{type(exc).__name__}: {exc}\n{out}"
    assert out.strip(), "a failing command must say why"


# -- collisions ---------------------------------------------------------------------


@pytest.mark.parametrize("reserved", ["sources", "full-text"])
def test_a_section_id_that_names_a_generated_page_is_a_located_error(project: Project, reserved: str) -> None:
    folder = project.data / "submissions" / SUB
    section = folder / "sections" / "03-freedom-of-association.yaml"
    section.write_text(
        section.read_text(encoding="utf-8").replace("id: freedom-of-association", f"id: {reserved}", 1),
        encoding="utf-8",
    )
    meta = folder / "submission.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("- freedom-of-association", f"- {reserved}"), "utf-8")
    code, out, exc = run("--root", str(project.data.parent), "validate")
    assert_user_error(code, out, exc)
    assert f"03-freedom-of-association.yaml:2:5: [reserved-id] the section ID '{reserved}'" in out
    assert f"kb/{SUB}/{reserved}/" in out
    assert "hint: choose another ID" in out


def test_a_submission_id_that_names_a_top_level_page_is_a_located_error(project: Project) -> None:
    old = project.data / "submissions" / SUB
    new = old.with_name("themes")
    old.rename(new)
    meta = new / "submission.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace(f"id: {SUB}", "id: themes", 1), encoding="utf-8")
    code, out, exc = run("--root", str(project.data.parent), "validate")
    assert_user_error(code, out, exc)
    assert "submissions/themes/submission.yaml" in out
    assert "[reserved-id] the submission ID 'themes' is the name of a page of the site" in out


def test_the_writer_refuses_a_second_write_to_one_path(tmp_path: Path) -> None:
    writer = TreeWriter(tmp_path, GenerateStats())
    writer.write("a/sources.md", "first")
    with pytest.raises(UserError, match="two generated pages would be written to kb/a/sources.md"):
        writer.write("a/sources.md", "second")
    assert (tmp_path / "a" / "sources.md").read_text() == "first"


# -- no traceback -------------------------------------------------------------------

DATA_COMMANDS = [
    ["validate"],
    ["build"],
    ["export", "text"],
    ["export", "docx", "--submission", SUB],
    ["export", "pdf", "--submission", SUB],
    ["check"],
    ["links", "--deadline", "5"],
    ["suggest", "--submission", SUB, "--review", "kaz-upr4"],
    ["new", "section", SUB, "06-another", "Another section"],
]


@pytest.mark.parametrize("command", DATA_COMMANDS, ids=" ".join)
def test_a_missing_data_folder(tmp_path: Path, command: list[str]) -> None:
    code, out, exc = run(*command, "--data", str(tmp_path / "nowhere"))
    assert_user_error(code, out, exc)
    # `new section` looks for the submission it adds to, and says it is not there.
    assert "nowhere: [no-data] the data folder" in out or "there is no submission" in out
    assert "hint:" in out


@pytest.mark.parametrize("command", DATA_COMMANDS, ids=" ".join)
def test_a_malformed_data_file(project: Project, command: list[str]) -> None:
    meta = project.data / "submissions" / SUB / "submission.yaml"
    meta.write_text(meta.read_text(encoding="utf-8") + "\n  broken: [unclosed\n", encoding="utf-8")
    code, out, exc = run("--root", str(project.data.parent), *command)
    assert_user_error(code, out, exc)
    assert "submission.yaml:" in out and "hint:" in out


@pytest.mark.slow
def test_an_output_folder_that_cannot_be_written(project: Project, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    code, out, exc = run("--root", str(project.data.parent), "build", "--site-dir", str(blocker / "site"))
    assert_user_error(code, out, exc)
    assert "a-file" in out and "hint:" in out


@pytest.mark.slow
def test_a_malformed_link_report(project: Project, tmp_path: Path) -> None:
    report = tmp_path / "link-report.json"
    report.write_text("{not json", encoding="utf-8")
    code, out, exc = run("--root", str(project.data.parent), "build", "--link-report", str(report))
    assert_user_error(code, out, exc)
    assert "link-report.json" in out and "hint:" in out


@pytest.mark.parametrize(
    "command",
    [["import", f, "missing-file.txt"] for f in ("wg-report", "responses", "ohchr-matrix", "upr-info", "uhri")]
    + [["import", "docx", "missing-file.docx", "--submission", "x-upr4"]],
    ids=lambda c: " ".join(c[:2]),
)
def test_an_input_file_that_does_not_exist(tmp_path: Path, command: list[str]) -> None:
    code, out, exc = run(*[str(tmp_path / a) if a.startswith("missing-file") else a for a in command])
    assert_user_error(code, out, exc)
    assert "missing-file" in out


def test_the_index_is_built_once_per_run(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    """Validation indexes the data; the public build reuses that index when nothing is confidential."""
    import uprkb.check.validate
    import uprkb.index.kb
    from uprkb.build.site import load_knowledge_base

    calls: list[bool] = []
    real = uprkb.index.kb.build_index

    def counting(ds: object, include_confidential: bool = False) -> object:
        calls.append(include_confidential)
        return real(ds, include_confidential=include_confidential)  # type: ignore[arg-type]

    # Every module that holds the function under its name counts, so a new caller cannot hide.
    holders = [m for m in list(sys.modules.values()) if getattr(m, "build_index", None) is real]
    assert uprkb.index.kb in holders and uprkb.check.validate in holders
    for module in holders:
        monkeypatch.setattr(module, "build_index", counting)
    _, kb = load_knowledge_base(project)
    assert calls == [True] and not kb.include_confidential


def test_a_data_path_that_is_a_file(tmp_path: Path) -> None:
    f = tmp_path / "data.yaml"
    f.write_text("x: 1\n")
    code, out, exc = run("validate", "--data", str(f))
    assert_user_error(code, out, exc)


def test_a_real_process_prints_no_traceback(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, str(PROJECT / "build_site.py"), "export", "text", "--data", str(tmp_path / "none")],
        capture_output=True,
        text=True,
        env={"UPRKB_NO_BOOTSTRAP": "1", "PATH": "/usr/bin:/bin"},
        timeout=120,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr + proc.stdout
    assert "[no-data]" in proc.stderr
