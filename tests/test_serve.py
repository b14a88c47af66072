"""The live preview: a real `build_site.py serve` on loopback reacts to data edits,
keeps the last good pages, with the errors shown, when the data turns invalid,
runs one build per save, follows the data folder moved away and back, and refuses a
busy port before building anything. Every wait polls against a deadline."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.project import PROJECT
from uprkb.core.project import Project
from uprkb.present.links import GENERATED

SECTION = "data/submissions/ili-kazakhstan-upr4/sections/05-freedom-of-torture.yaml"
PAGE = "kb/ili-kazakhstan-upr4/freedom-of-torture/"
RECOMMENDATION = "r-punish-mass-torture-of-migrants"
SUBMISSION = "ili-kazakhstan-upr4"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as r:
        return r.read().decode("utf-8")


def until(condition: Callable[[], bool], what: str, timeout: float = 60.0, every: float = 0.1) -> None:
    """Poll ``condition`` until it holds; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(every)


def wait_for(url: str, predicate: Callable[[str], bool], timeout: float = 60.0) -> str:
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        try:
            last = fetch(url)
            if predicate(last):
                return last
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {url}; last page had {len(last)} characters")


@contextmanager
def preview(root: Path, log: Path) -> Iterator[str]:
    """``build_site.py serve`` on a free loopback port, its output in ``log``; yields the base URL."""
    port = free_port()
    env = {**os.environ, "UPRKB_NO_BOOTSTRAP": "1"}
    with log.open("w", encoding="utf-8") as out:
        proc = subprocess.Popen(
            [sys.executable, str(PROJECT / "build_site.py"), "--root", str(root), "serve"]
            + ["--dev-addr", f"127.0.0.1:{port}"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            yield f"http://127.0.0.1:{port}/"
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    text = log.read_text(encoding="utf-8")
    assert "Traceback" not in text, text[-3000:]


def settled(log: Path, quiet: float = 1.0, timeout: float = 60.0) -> int:
    """Wait until the server has logged nothing for ``quiet`` seconds; returns the log's length then."""
    deadline = time.monotonic() + timeout
    size, since = -1, time.monotonic()
    while True:
        now = len(log.read_text(encoding="utf-8"))
        if now != size:
            size, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet:
            return size
        if time.monotonic() > deadline:
            raise AssertionError(f"the server never went quiet within {timeout:.0f} s")
        time.sleep(0.1)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_preview_follows_edits_and_survives_errors(project: Project, tmp_path: Path) -> None:
    root = project.data.parent
    section = root / SECTION
    with preview(root, tmp_path / "serve.log") as base:
        url = base + PAGE
        wait_for(url, lambda page: "Ensure fair punishment" in page)
        assert "The data has" not in fetch(url)
        settled(tmp_path / "serve.log")
        edit(section, "Ensure fair punishment", "Ensure PREVIEW-EDIT fair punishment")
        wait_for(url, lambda page: "PREVIEW-EDIT" in page)
        edit(section, "\nnumber: 5", "\nnumbr: 5")
        page = wait_for(url, lambda page: "The data has" in page)
        assert "PREVIEW-EDIT" in page  # the last good version is still served
        assert "unknown-field" in page and "numbr" in page
        # Every page carries the banner, not only the edited one.
        assert "The data has" in fetch(base + "kb/recommendations/")
        edit(section, "\nnumbr: 5", "\nnumber: 5")
        wait_for(url, lambda page: "The data has" not in page and "PREVIEW-EDIT" in page)
        assert "The data has" not in fetch(base + "kb/recommendations/")
        assert fetch(f"{base}{GENERATED}/downloads/knowledge-base.json").startswith("{")
    assert not (root / "site").exists()  # the preview never touches the published site


def _navigation(html: str) -> str:
    """The site navigation (Material's primary sidebar) of a page."""
    return html[html.index("md-sidebar--primary") : html.index("md-sidebar--secondary")]


def _after(log: Path, offset: int) -> str:
    """What the server logged since ``offset`` (the log is written by the server alone)."""
    return log.read_text(encoding="utf-8")[offset:]


def test_an_edit_runs_one_build_and_the_preview_equals_a_full_build(project: Project, tmp_path: Path) -> None:
    root = project.data.parent
    section = root / SECTION
    log = tmp_path / "serve.log"
    with preview(root, log) as base:
        url = base + PAGE
        before = wait_for(url, lambda page: "Ensure fair punishment" in page)
        until(lambda: "Serving on" in log.read_text(encoding="utf-8"), "the server to say it serves")
        mark = settled(log)  # nothing else may trigger a build
        edit(section, "Ensure fair punishment", "Ensure ONE-BUILD fair punishment")
        edited = wait_for(url, lambda page: "ONE-BUILD" in page)
        # A second build, if any, would start within the quiet second.
        settled(log, quiet=2.0)
        index = json.loads(fetch(base + "search/search_index.json"))["docs"]
        after = _after(log, mark)

    assert after.count("Preview updated") == 1, after
    # A second watcher event for the same save, if any, finds nothing changed and builds nothing.
    assert after.count("Detected file changes") == 1 + after.count("Nothing changed since the last build"), after
    written_line = re.search(r"Regenerated (\d+) file\(s\): (.*); removed 0 \(all (\d+) pages rendered", after)
    assert written_line, after
    written = set(written_line.group(2).split(", "))
    assert f"{PAGE.removeprefix('kb/').rstrip('/')}.md" in written
    # The search index has the edit (it is merged after a dirty build, never kept stale).
    assert any("ONE-BUILD" in doc["text"] for doc in index)
    # The navigation of the rebuilt page is whole (titles included).
    assert "Legal instruments" in _navigation(before)
    assert _navigation(edited) == _navigation(before)


def test_the_preview_follows_the_data_folder_moved_away_and_back(project: Project, tmp_path: Path) -> None:
    root = project.data.parent
    aside = root / "data-aside"
    log = tmp_path / "serve.log"
    with preview(root, log) as base:
        url = base + PAGE
        wait_for(url, lambda page: "Ensure fair punishment" in page)
        settled(log)
        project.data.rename(aside)
        settled(log)  # the watcher has seen it gone
        edit(aside / SECTION.removeprefix("data/"), "Ensure fair punishment", "Ensure AWAY fair punishment")
        aside.rename(project.data)
        # What changed while it was away shows once it is back...
        wait_for(url, lambda page: "AWAY" in page)
        settled(log)
        # ...and the next save inside it is followed as before.
        edit(root / SECTION, "Ensure AWAY fair punishment", "Ensure BACK fair punishment")
        wait_for(url, lambda page: "BACK" in page)


def test_a_busy_port_is_refused_before_building(project: Project, tmp_path: Path) -> None:
    root = project.data.parent
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        env = {**os.environ, "UPRKB_NO_BOOTSTRAP": "1"}
        done = subprocess.run(
            [sys.executable, str(PROJECT / "build_site.py"), "--root", str(root), "serve"]
            + ["--dev-addr", f"127.0.0.1:{port}"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert done.returncode != 0
    message = f"port {port} on 127.0.0.1 is in use; stop the other server or choose another with --dev-addr"
    assert message in done.stderr + done.stdout, done.stderr + done.stdout
    assert "Errno" not in done.stderr + done.stdout
    # Nothing was built: no pages generated.
    assert not (root / "docs" / GENERATED).exists()
