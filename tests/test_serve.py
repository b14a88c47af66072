"""The live preview: a real `build_site.py serve` on loopback reacts to data edits,
keeps the last good pages, with the errors shown, when the data turns invalid,
and after an edit runs one build that rewrites only the pages showing the edit."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.project import PROJECT
from uprkb.build.site import generate_docs
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
        time.sleep(1.0)
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


def test_an_edit_runs_one_build_that_rewrites_only_the_pages_showing_it(project: Project, tmp_path: Path) -> None:
    root = project.data.parent
    section = root / SECTION
    # What the generator itself says shows the recommendation (Page.shows), from a run of its own.
    reference = Project.at(tmp_path / "reference")
    shutil.copytree(root, reference.data.parent, ignore=shutil.ignore_patterns("site", ".cache"))
    _r, _kb, stats, _p = generate_docs(reference)
    # The preview counts the submission holding an edited section as changed too (its counts, download sizes).
    showing = {path for path, ids in stats.shows.items() if {RECOMMENDATION, SUBMISSION} & ids}
    # And the pages that link a download, whose size they show.
    showing |= {p for p in stats.shows if "downloads/" in (reference.docs / GENERATED / p).read_text("utf-8")}
    assert f"{PAGE.removeprefix('kb/').rstrip('/')}.md" in showing

    log = tmp_path / "serve.log"
    with preview(root, log) as base:
        url = base + PAGE
        before = wait_for(url, lambda page: "Ensure fair punishment" in page)
        while "Serving on" not in log.read_text(encoding="utf-8"):
            time.sleep(0.1)
        index_before = json.loads(fetch(base + "search/search_index.json"))["docs"]
        time.sleep(1.5)  # let the watcher settle: nothing else may trigger a build
        mark = len(log.read_text(encoding="utf-8"))
        edit(section, "Ensure fair punishment", "Ensure ONE-BUILD fair punishment")
        edited = wait_for(url, lambda page: "ONE-BUILD" in page)
        time.sleep(3.0)  # a second build, if any, would start within this time
        index_after = json.loads(fetch(base + "search/search_index.json"))["docs"]
        after = _after(log, mark)

    assert after.count("Preview updated") == 1, after
    # A second watcher event for the same save, if any, finds nothing changed and builds nothing.
    assert after.count("Detected file changes") == 1 + after.count("Nothing changed since the last build"), after
    written_line = re.search(r"Regenerated (\d+) page\(s\): (.*); removed 0 \(only the pages showing the edit", after)
    assert written_line, after
    written = set(written_line.group(2).split(", "))
    assert len(written) == int(written_line.group(1))
    pages = {w for w in written if w.endswith(".md")}
    # Only pages showing the recommendation (or its submission) were rewritten, the edited one among them;
    # the rest are downloads.
    assert pages <= showing, pages - showing
    assert f"{PAGE.removeprefix('kb/').rstrip('/')}.md" in pages
    assert written - pages <= {w for w in written if w.startswith("downloads/")}
    # MkDocs rebuilt exactly those pages and no other.
    rendered = re.search(r"MkDocs rendered (\d+) page\(s\) \(changed pages only\)", after)
    assert rendered and int(rendered.group(1)) == len(pages), after

    # The search index is the whole one from the full build (stale for the edit), not the changed pages' alone.
    assert len(index_before) > 50 and index_after == index_before

    # The dirty build read no other page, yet the navigation of the rebuilt one is whole (titles included).
    assert "Editing this knowledge base" in _navigation(before)
    assert _navigation(edited) == _navigation(before)

    # Nothing generated was left stale: a full generation of the edited data gives the same files.
    shutil.copy(section, reference.data.parent / SECTION)
    generate_docs(reference)
    ours, theirs = root / "docs" / GENERATED, reference.docs / GENERATED
    files = sorted(p.relative_to(theirs) for p in theirs.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(ours) for p in ours.rglob("*") if p.is_file())
    assert [f for f in files if (ours / f).read_bytes() != (theirs / f).read_bytes()] == []
