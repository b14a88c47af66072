"""What every import shares: the project's lock, staging outside data/, and old Mac exports read without --encoding.

The CSV samples are written here (a header and a row or two in UPR Info's columns), in Mac Roman
with CR line ends as UPR Info's older exports are, or with LF ends.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
from pathlib import Path

import docx
import pytest

from tests.conftest import import_options
from tests.project import PROJECT
from uprkb.core.errors import Severity, UserError
from uprkb.core.lock import LOCK_NAME
from uprkb.importers import read, run_import
from uprkb.importers import writer as writer_module
from uprkb.importers.docx_submission import Overrides, import_docx

DAY = dt.date(2026, 1, 5)
HEADER = "To,To-Rgrp,To-Org,Text,From,From-Rgrp,From-Org,Response,Action,Issue,Session"
ROWS = [
    "Slovenia,WEOG,EU,Ratify the convention on migrant workers,C\u00f4te d'Ivoire,Africa,AU,Noted,5,Migrants,20",
    "Slovenia,WEOG,EU,Strengthen the ombudsman\u2019s mandate,Chile,GRULAC,,Accepted,4,NHRI,20",
]
options = import_options
UPR = PROJECT.parent / "shared" / "fixtures" / "upr-info"


def sample(tmp_path: Path, line_end: str, encoding: str = "mac_roman") -> Path:
    path = tmp_path / "export.csv"
    path.write_bytes(line_end.join([HEADER, *ROWS, ""]).encode(encoding))
    return path


def test_an_old_mac_export_is_read_as_mac_roman_with_a_warning(data: Path, tmp_path: Path) -> None:
    result = read("upr-info", sample(tmp_path, "\r"), options(data, select_all=True))
    (warning,) = result.problems.items
    assert warning.severity == Severity.WARNING and warning.code == "encoding" and "mac-roman" in warning.message
    (review,) = result.reviews
    assert [r.fields["recommending_states"][0]["name"] for r in review.records] == ["C\u00f4te d'Ivoire", "Chile"]
    assert review.records[1].fields["text"] == "Strengthen the ombudsman\u2019s mandate"
    report = run_import("upr-info", sample(tmp_path, "\r"), options(data, select_all=True), today=DAY)
    assert [w.code for w in report.warnings] == ["encoding"] and report.records == 2


def test_utf8_and_a_named_encoding_need_no_guess(data: Path, tmp_path: Path) -> None:
    utf8 = read("upr-info", sample(tmp_path, "\r", "utf-8"), options(data, select_all=True))
    assert not utf8.problems.items
    named = read("upr-info", sample(tmp_path, "\r"), options(data, select_all=True, encoding="mac-roman"))
    assert not named.problems.items


def test_a_non_utf8_export_with_lf_ends_is_still_an_error_naming_the_place(data: Path, tmp_path: Path) -> None:
    result = read("upr-info", sample(tmp_path, "\n"), options(data, select_all=True))
    (problem,) = result.problems.items
    assert problem.severity == Severity.ERROR and problem.code == "encoding" and problem.location.line == 2
    assert "--encoding" in problem.hint


@pytest.mark.skipif(not UPR.is_dir(), reason="the real UPR material is not beside the checkout (../shared/fixtures)")
def test_the_old_upr_info_exports_read_alike_with_and_without_encoding(data: Path) -> None:
    path = UPR / "upr-info-sessions-14-17.csv"
    guessed = read("upr-info", path, options(data, select_all=True))
    named = read("upr-info", path, options(data, select_all=True, encoding="mac-roman"))
    assert [p.code for p in guessed.problems.items] == ["encoding"] and not named.problems.items
    assert [r.fields for rv in guessed.reviews for r in rv.records] == [
        r.fields for rv in named.reviews for r in rv.records
    ]


def _hold_lock(root: Path) -> int:
    """Take the project's lock through a file descriptor of the test's own, as another process would."""
    fd = os.open(root / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    os.pwrite(fd, b"4242 build\n", 0)
    return fd


def test_an_import_waits_for_the_projects_lock_and_writes_nothing_without_it(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("UPRKB_LOCK_WAIT", "0.2")
    csv_path = sample(tmp_path, "\r", "utf-8")
    fd = _hold_lock(data.parent)
    try:
        with pytest.raises(UserError) as info:
            run_import("upr-info", csv_path, options(data, select_all=True), today=DAY)
        assert "4242" in str(info.value)
        assert not (data / "reviews").exists()
        dry = run_import("upr-info", csv_path, options(data, select_all=True), today=DAY, dry_run=True)
        assert dry.records == 2, "a dry run writes nothing and takes no lock"
    finally:
        os.close(fd)
    assert run_import("upr-info", csv_path, options(data, select_all=True), today=DAY).records == 2
    assert (data / "reviews" / "svn-upr2" / "recommendations.yaml").exists()


def _word_file(tmp_path: Path) -> Path:
    document = docx.Document()
    document.add_paragraph("Submission on Examplestan", style="Title")
    document.add_paragraph("Submitted by: Example Rights Centre (ERC)")
    document.add_heading("I. Detention", level=1)
    document.add_paragraph("Conditions in pre-trial detention remain poor.")
    path = tmp_path / "ngo.docx"
    document.save(str(path))
    return path


def test_import_docx_stages_beside_the_data_folder_under_the_lock(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = _word_file(tmp_path)
    renames: list[tuple[Path, Path, bytes]] = []
    real_rename = os.rename

    def spy(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        holder = (data.parent / LOCK_NAME).read_bytes()
        renames.append((Path(src), Path(dst), holder))
        real_rename(src, dst)

    monkeypatch.setattr(writer_module.os, "rename", spy)
    given = Overrides(state="Examplestan", iso3="KAZ", cycle=4, session=48)
    result = import_docx(source, data, "example-upr4", given)
    assert result.folder == data / "submissions" / "example-upr4"
    ((src, dst, holder),) = renames
    assert dst == result.folder and (result.folder / "submission.yaml").exists()
    assert data.resolve() not in src.resolve().parents, "nothing temporary stands in data/"
    assert src.resolve().parent.parent == data.resolve().parent
    assert holder.split()[0] == str(os.getpid()).encode()
    assert sorted(p.name for p in (data / "submissions").iterdir() if p.name.startswith(".")) == []
    assert not [p for p in data.parent.iterdir() if p.name.startswith(".uprkb-import-")]


def test_import_docx_waits_for_the_lock(data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UPRKB_LOCK_WAIT", "0.2")
    source = _word_file(tmp_path)
    fd = _hold_lock(data.parent)
    try:
        with pytest.raises(UserError):
            import_docx(source, data, "example-upr4", Overrides(state="Examplestan", iso3="KAZ", cycle=4, session=48))
    finally:
        os.close(fd)
    assert not (data / "submissions" / "example-upr4").exists()
    assert not [p for p in data.parent.iterdir() if p.name.startswith(".uprkb-import-")]
