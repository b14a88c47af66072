"""A failed or killed build never damages the last good site."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.project import PROJECT
from uprkb.build.site import build_site
from uprkb.core.project import Project

from .conftest import copy_project
from .test_bad_input import tree_digest


@pytest.fixture
def good_site(tmp_path: Path) -> Project:
    paths = copy_project(tmp_path / "p")
    build_site(paths)
    return paths


def test_a_failure_after_pages_are_written_leaves_the_site(good_site: Project) -> None:
    before = tree_digest(good_site.site)
    written: list[int] = []

    def explode(tmp: Path) -> None:
        written.append(len(list(tmp.rglob("*.html"))))
        raise RuntimeError("injected failure")

    with pytest.raises(RuntimeError, match="injected failure"):
        build_site(good_site, after_write=explode)
    assert written and written[0] > 50  # pages had been written into the temporary folder
    assert tree_digest(good_site.site) == before
    assert not list(good_site.site.parent.glob(".site-tmp-*"))


def test_killing_a_build_midway_leaves_the_site(good_site: Project) -> None:
    before = tree_digest(good_site.site)
    root = good_site.data.parent
    env = {**os.environ, "UPRKB_NO_BOOTSTRAP": "1"}
    proc = subprocess.Popen(
        [sys.executable, str(PROJECT / "build_site.py"), "--root", str(root), "build"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    killed_with_pages = False
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            tmp = list(root.glob(".site-tmp-*"))
            if tmp and len(list(tmp[0].rglob("*.html"))) > 5:
                proc.send_signal(signal.SIGKILL)
                killed_with_pages = True
                break
            time.sleep(0.01)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=30)
    assert killed_with_pages, "the build finished before it could be killed"
    assert tree_digest(good_site.site) == before
    # the next build clears what the killed one left behind
    build_site(good_site)
    assert not list(root.glob(".site-tmp-*"))
    assert (good_site.site / "index.html").exists()
