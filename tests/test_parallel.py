"""Pages shared with a forked process: every unit made once, the same files as one process makes,
and a failed forked process leaves the work to this one."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from benchmarks.synth import write_corpus
from tests.conftest import import_samples
from tests.project import SEED_VOCABULARIES
from uprkb.build.site import load_knowledge_base, read_link_report
from uprkb.core import parallel
from uprkb.core.project import Project, site_url
from uprkb.site.generate import Renderer, generate
from uprkb.site.pages import Page

needs_fork = pytest.mark.skipif(not parallel.available(), reason="one core, or no fork on this system")


@needs_fork
def test_each_unit_is_done_once_by_one_of_the_two(tmp_path: Path) -> None:
    parent = os.getpid()

    def run(i: int) -> list[int]:
        (tmp_path / f"{i}-{os.getpid()}").write_text("")
        time.sleep(0.01)
        return [i, os.getpid()]

    results = parallel.map_units(40, run)
    assert [i for i, _pid in results] == list(range(40))
    done = sorted(p.name for p in tmp_path.iterdir())
    assert sorted(int(name.split("-")[0]) for name in done) == list(range(40))
    pids = {pid for _i, pid in results}
    assert parent in pids and len(pids) == 2
    assert {int(name.split("-")[1]) for name in done} == pids


@needs_fork
def test_the_units_of_a_failed_forked_process_are_done_here() -> None:
    parent = os.getpid()

    def run(i: int) -> list[int]:
        if os.getpid() != parent:
            raise RuntimeError("the forked process fails")
        time.sleep(0.05)  # leaves units for the forked process to take
        return [i, os.getpid()]

    assert parallel.map_units(10, run) == [[i, parent] for i in range(10)]


def _generated(root: Path) -> dict[str, bytes]:
    kb_dir = root / "kb"
    return {p.relative_to(kb_dir).as_posix(): p.read_bytes() for p in sorted(kb_dir.rglob("*")) if p.is_file()}


@needs_fork
def test_two_processes_write_what_one_writes(project: Project, tmp_path: Path) -> None:
    write_corpus(
        project.data, 6, vocabularies=SEED_VOCABULARIES
    )  # beside the seed: pages of several submissions and reviews to share
    import_samples(project.data)
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


@needs_fork
def test_a_failed_forked_process_leaves_every_page_to_this_process(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _result, kb = load_knowledge_base(project)
    url, report = site_url(project.config), read_link_report(project.link_report)
    one, _ = generate(kb, tmp_path / "one", url, report, project.templates)
    parent, render = os.getpid(), Renderer.render

    def fails_when_forked(self: Renderer, page: Page) -> str:
        if os.getpid() != parent:
            raise RuntimeError("the forked process fails")
        return render(self, page)

    monkeypatch.setattr(Renderer, "render", fails_when_forked)
    two, _ = generate(kb, tmp_path / "two", url, report, project.templates, workers=2)
    assert two.pages == one.pages and two.shows == one.shows
    assert sorted(two.written) == sorted(one.written)
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
def test_a_forked_process_that_never_ends_is_stopped() -> None:
    parent = os.getpid()

    def run(i: int) -> int:
        if os.getpid() != parent:
            time.sleep(600)  # stuck
        time.sleep(0.05)
        return i

    started = time.monotonic()
    assert parallel.map_units(6, run, patience=1.0) == list(range(6))
    assert time.monotonic() - started < 30
