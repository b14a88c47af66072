"""Pages shared with a forked process: every unit made once, the same files as one process makes,
and a failed forked process leaves the work to this one."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from benchmarks.synth import write_corpus
from uprkb.build.site import load_knowledge_base, read_link_report
from uprkb.cli import main
from uprkb.core import parallel
from uprkb.core.project import Project, site_url
from uprkb.site.generate import generate

SAMPLES = Path(__file__).parent / "samples"
needs_fork = pytest.mark.skipif(not parallel.available(), reason="one core, or no fork on this system")


@needs_fork
def test_each_unit_is_done_once_by_one_of_the_two(tmp_path: Path) -> None:
    parent = os.getpid()

    def run(i: int) -> None:
        (tmp_path / f"{i}-{os.getpid()}").write_text("")
        time.sleep(0.01)

    ok, theirs = parallel.share(40, run, lambda: os.getpid())
    assert ok and theirs != parent
    done = sorted(p.name for p in tmp_path.iterdir())
    assert sorted(int(name.split("-")[0]) for name in done) == list(range(40))
    assert {int(name.split("-")[1]) for name in done} == {parent, theirs}


@needs_fork
def test_a_failed_forked_process_is_reported(tmp_path: Path) -> None:
    parent = os.getpid()

    def run(i: int) -> None:
        if os.getpid() != parent:
            raise RuntimeError("the forked process fails")
        time.sleep(0.05)  # leaves units for the forked process to take

    assert parallel.share(10, run, lambda: "never") == (False, None)


def _generated(root: Path) -> dict[str, bytes]:
    kb_dir = root / "kb"
    return {p.relative_to(kb_dir).as_posix(): p.read_bytes() for p in sorted(kb_dir.rglob("*")) if p.is_file()}


@needs_fork
def test_two_processes_write_what_one_writes(project: Project, tmp_path: Path) -> None:
    write_corpus(project.data, 6)  # beside the seed: pages of several submissions and reviews to share
    for args in (
        ["wg-report", str(SAMPLES / "wg-report-sample.txt")],
        ["responses", str(SAMPLES / "addendum-sample.txt")],
        ["upr-info", str(SAMPLES / "upr-info-sample.csv"), "--all"],
    ):
        out = CliRunner().invoke(main, ["import", *args, "--data", str(project.data), "--date", "2026-01-15"])
        assert out.exit_code == 0, out.output
    _result, kb = load_knowledge_base(project)
    url, report = site_url(project.config), read_link_report(project.link_report)
    one, _ = generate(kb, tmp_path / "one", url, report, project.templates)
    two, _ = generate(kb, tmp_path / "two", url, report, project.templates, workers=2)
    assert two.pages == one.pages > 100 and len(kb.reviews) >= 3
    assert sorted(two.written) == sorted(one.written)
    assert two.shows == one.shows
    files = _generated(tmp_path / "one")
    assert _generated(tmp_path / "two") == files
    # Run again over the first folder: nothing to write, nothing removed.
    again, _ = generate(kb, tmp_path / "one", url, report, project.templates, workers=2)
    assert again.written == [] and again.removed == [] and again.unchanged == len(files)


def test_a_failed_share_leaves_every_page_to_this_process(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _result, kb = load_knowledge_base(project)
    url, report = site_url(project.config), read_link_report(project.link_report)
    one, _ = generate(kb, tmp_path / "one", url, report, project.templates)

    def fails_halfway(count: int, run: Callable[[int], None], report: Callable[[], object]) -> tuple[bool, None]:
        for i in range(0, count, 2):  # some pages made here, then the forked process is lost
            run(i)
        return False, None

    monkeypatch.setattr(parallel, "available", lambda: True)
    monkeypatch.setattr(parallel, "share", fails_halfway)
    two, _ = generate(kb, tmp_path / "two", url, report, project.templates, workers=2)
    assert two.pages == one.pages and two.shows == one.shows
    assert _generated(tmp_path / "two") == _generated(tmp_path / "one")


def test_one_worker_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(parallel.ENV, "1")
    assert not parallel.available()


def test_the_site_scan_finds_the_same_in_two_processes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from uprkb.build.safety import scan_site

    for i in range(90):
        bad = f'<img src="x" onerror="alert({i})">' if i % 7 == 0 else ""
        page = tmp_path / f"p{i:02d}" / "index.html"
        page.parent.mkdir()
        page.write_text(f"<html><body><p>page {i}</p>{bad}</body></html>", encoding="utf-8")
    found = scan_site(tmp_path)
    assert [p.location.path for p in found] == [f"p{i:02d}/index.html" for i in range(0, 90, 7)]
    monkeypatch.setenv(parallel.ENV, "1")
    assert scan_site(tmp_path) == found


@needs_fork
def test_a_forked_process_that_never_ends_is_stopped(tmp_path: Path) -> None:
    parent = os.getpid()

    def run(i: int) -> None:
        if os.getpid() != parent:
            time.sleep(600)  # stuck
        time.sleep(0.05)

    started = time.monotonic()
    assert parallel.share(6, run, lambda: "never", patience=1.0) == (False, None)
    assert time.monotonic() - started < 30
