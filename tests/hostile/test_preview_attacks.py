"""The live preview under attack: links out of the project in docs/, bad request paths, and a
stop by SIGTERM. A real ``build_site.py serve`` on loopback, its temporary site in a private
temporary folder so what it leaves behind can be seen."""

from __future__ import annotations

import http.client
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import copy_project
from tests.project import PROJECT
from tests.test_serve import free_port, until, wait_for

pytestmark = pytest.mark.slow


def env(tmp: Path) -> dict[str, str]:
    tmp.mkdir(exist_ok=True)
    return {**os.environ, "UPRKB_NO_BOOTSTRAP": "1", "TMPDIR": str(tmp)}


def serve_args(root: Path, port: int) -> list[str]:
    return [
        sys.executable,
        str(PROJECT / "build_site.py"),
        "--root",
        str(root),
        "serve",
        "--dev-addr",
        f"127.0.0.1:{port}",
    ]


def status(port: int, path: str) -> int:
    """The status of a GET of ``path`` sent as is (no client-side normalisation or quoting)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.putrequest("GET", path, skip_accept_encoding=True)
        conn.endheaders()
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def test_serve_refuses_a_docs_link_to_etc_passwd_before_building(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    (project.docs / "passwd.txt").symlink_to("/etc/passwd")
    tmp = tmp_path / "tmp"
    done = subprocess.run(
        serve_args(project.root, free_port()), env=env(tmp), capture_output=True, text=True, timeout=120
    )
    out = done.stdout + done.stderr
    assert done.returncode == 1, out
    assert "docs/passwd.txt" in out and "/etc/passwd" in out and "hint:" in out, out
    assert "Traceback" not in out
    assert not list(tmp.glob("uprkb-preview-*"))


@dataclass
class Running:
    proc: subprocess.Popen[bytes]
    port: int
    url: str
    log: Path
    tmp: Path
    docs: Path


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    base = tmp_path_factory.mktemp("preview")
    project = copy_project(base / "p")
    tmp = base / "tmp"
    port = free_port()
    log = base / "serve.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(serve_args(project.root, port), env=env(tmp), stdout=out, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}/"
        wait_for(url, lambda page: "</html>" in page, timeout=180)
        yield Running(proc, port, url, log, tmp, project.docs)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_a_nul_byte_in_a_path_is_a_bad_request(running: Running) -> None:
    assert status(running.port, "/index.html%00.md") == 400
    assert status(running.port, "/%00") == 400
    assert status(running.port, "/") in (200, 302)
    text = running.log.read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in text, text[-4000:]


@pytest.mark.parametrize(
    "path", ["/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/assets/..%2f..%2f..%2fetc/passwd"]
)
def test_traversal_is_a_bad_request(running: Running, path: str) -> None:
    assert status(running.port, path) == 400


def test_a_link_out_added_while_serving_is_refused_and_never_served(running: Running) -> None:
    mark = len(running.log.read_bytes())
    (running.docs / "passwd.txt").symlink_to("/etc/passwd")
    (running.docs / "etc").symlink_to("/etc")
    until(
        lambda: (
            b"docs/passwd.txt" in running.log.read_bytes()[mark:] and b"docs/etc" in running.log.read_bytes()[mark:]
        ),
        "the preview to name the links",
    )
    t0 = time.monotonic()
    assert status(running.port, "/passwd.txt") == 404
    assert status(running.port, "/etc/hostname") == 404
    assert status(running.port, "/") in (200, 302)
    assert time.monotonic() - t0 < 10  # it answers; it does not hang walking /etc
    site = next(running.tmp.glob("uprkb-preview-*"))
    assert not (site / "passwd.txt").exists() and not (site / "etc").exists()
    (running.docs / "passwd.txt").unlink()
    (running.docs / "etc").unlink()


def test_sigterm_removes_the_temporary_site(running: Running) -> None:
    assert list(running.tmp.glob("uprkb-preview-*")), "the preview made no temporary site"
    running.proc.send_signal(signal.SIGTERM)
    running.proc.wait(timeout=30)
    assert not list(running.tmp.glob("uprkb-preview-*"))
    text = running.log.read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in text, text[-4000:]
