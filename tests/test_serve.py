"""The live preview: a real `build_site.py serve` on loopback reacts to data edits,
and keeps the last good pages, with the errors shown, when the data turns invalid."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request

from uprkb.build import PROJECT, Paths

SECTION = "data/submissions/ili-kazakhstan-upr4/sections/05-freedom-of-torture.yaml"
PAGE = "kb/ili-kazakhstan-upr4/freedom-of-torture/"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as r:
        return r.read().decode("utf-8")


def wait_for(url: str, predicate: object, timeout: float = 40.0) -> str:
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        try:
            last = fetch(url)
            if predicate(last):  # type: ignore[operator]
                return last
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {url}; last page had {len(last)} characters")


def test_preview_follows_edits_and_survives_errors(project: Paths) -> None:
    root = project.data.parent
    port = free_port()
    env = {**os.environ, "UPRKB_NO_BOOTSTRAP": "1"}
    proc = subprocess.Popen(
        [
            sys.executable,
            str(PROJECT / "build_site.py"),
            "--root",
            str(root),
            "serve",
            "--dev-addr",
            f"127.0.0.1:{port}",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}/{PAGE}"
    section = root / SECTION
    try:
        wait_for(url, lambda page: "Ensure fair punishment" in page)
        assert "The data has" not in fetch(url)
        time.sleep(1.0)
        section.write_text(
            section.read_text(encoding="utf-8").replace(
                "Ensure fair punishment", "Ensure PREVIEW-EDIT fair punishment"
            ),
            encoding="utf-8",
        )
        wait_for(url, lambda page: "PREVIEW-EDIT" in page)
        section.write_text(section.read_text(encoding="utf-8").replace("\nnumber: 5", "\nnumbr: 5"), encoding="utf-8")
        page = wait_for(url, lambda page: "The data has" in page)
        assert "PREVIEW-EDIT" in page  # the last good version is still served
        assert "unknown-field" in page and "numbr" in page
        section.write_text(section.read_text(encoding="utf-8").replace("\nnumbr: 5", "\nnumber: 5"), encoding="utf-8")
        wait_for(url, lambda page: "The data has" not in page and "PREVIEW-EDIT" in page)
        assert fetch(f"http://127.0.0.1:{port}/kb/downloads/knowledge-base.json").startswith("{")
    finally:
        proc.terminate()
        try:
            out, _ = proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, _ = proc.communicate()
    assert "Traceback" not in out, out[-3000:]
    assert not (root / "site").exists()  # the preview never touches the published site
