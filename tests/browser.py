"""Helpers for the browser tests: finding Chromium and axe-core, guarding the network,
collecting console errors, and reading PNG headers.

The browser is the system's Chromium (``playwright install`` is not assumed). Every
request a page makes is recorded, and any request to a host other than the loopback
server under test is aborted before it leaves the machine and reported as a failure.
"""

from __future__ import annotations

import os
import shutil
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.project import PROJECT

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SKIP_ENV = "UPRKB_SKIP_BROWSER"
AXE_VERSION = "4.14.1"
AXE_JS = PROJECT / ".cache" / "npm" / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = PROJECT / "test-artifacts"
# Schemes that never reach the network.
LOCAL_SCHEMES = {"data", "blob", "about"}


def skip_requested() -> bool:
    return os.environ.get(SKIP_ENV, "").strip() == "1"


def chromium_executable() -> str:
    """The system Chromium; a test fails (not skips) when it is missing."""
    path = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).is_file() or not os.access(path, os.X_OK):
        pytest.fail(
            f"Chromium not found (looked for `chromium` on PATH and {path}). The browser tests drive "
            "the system Chromium: install it (Debian: apt-get install chromium), or set "
            f"{SKIP_ENV}=1 to skip the browser tests on purpose.",
            pytrace=False,
        )
    return path


@contextmanager
def launched_chromium() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright, closed afterwards."""
    executable = chromium_executable()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def axe_script() -> Path:
    """axe-core's browser build, installed from npm into .cache/npm."""
    if not AXE_JS.is_file():
        pytest.fail(
            f"axe-core not found at {AXE_JS}. Install it with:\n"
            f"  npm install --prefix .cache/npm axe-core@{AXE_VERSION} --no-save --no-audit --no-fund",
            pytrace=False,
        )
    return AXE_JS


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


class NetworkGuard:
    """Lets requests to one origin through and aborts all others, recording both.

    Install it on a browser context (``context.route``), so it also sees requests
    from workers and from every page of the context.
    """

    def __init__(self, allowed_origin: str) -> None:
        self.allowed = allowed_origin
        self.blocked: list[str] = []

    def allows(self, url: str) -> bool:
        scheme = urlsplit(url).scheme
        return scheme in LOCAL_SCHEMES or origin(url) == self.allowed

    def handle(self, route: Any) -> None:
        url = route.request.url
        if self.allows(url):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort("blockedbyclient")


@dataclass
class PageWatch:
    """What one page did: every request, console errors, uncaught exceptions, HTTP errors."""

    guard: NetworkGuard
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    http_errors: list[str] = field(default_factory=list)

    def attach(self, page: Any) -> None:
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("console", self._console)
        page.on("pageerror", lambda e: self.page_errors.append(str(e)))
        page.on("requestfailed", lambda r: self.failed.append(f"{r.url} ({r.failure})"))
        page.on("response", self._response)

    def _console(self, message: Any) -> None:
        if message.type == "error":
            location = message.location or {}
            self.console_errors.append(f"{message.text} [{location.get('url', '?')}]")

    def _response(self, response: Any) -> None:
        if response.status >= 400:
            self.http_errors.append(f"{response.status} {response.url}")

    @property
    def foreign(self) -> list[str]:
        """Requests to any host but the server under test (seen by the page or aborted by the guard)."""
        seen = [u for u in self.requests if not self.guard.allows(u)]
        return sorted(set(seen) | set(self.guard.blocked))

    def problems(self) -> list[str]:
        out = [f"request to a non-loopback host: {u}" for u in self.foreign]
        out += [f"console error: {m}" for m in self.console_errors]
        out += [f"uncaught exception: {m}" for m in self.page_errors]
        out += [f"request failed: {m}" for m in self.failed]
        out += [f"HTTP error: {m}" for m in self.http_errors]
        return out


def run_axe(page: Any, script: Path) -> list[dict[str, Any]]:
    """Inject axe-core into the page and return its violations."""
    page.add_script_tag(path=str(script))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return list(result["violations"])


def describe_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:5]:
            lines.append(f"    {' '.join(map(str, node['target']))}: {node['html'][:160]}")
            summary = " ".join(node.get("failureSummary", "").split())
            if summary:
                lines.append(f"      {summary[:300]}")
        if len(v["nodes"]) > 5:
            lines.append(f"    ... and {len(v['nodes']) - 5} more elements")
    return "\n".join(lines)


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk; raises ValueError if it is not a PNG."""
    head = path.read_bytes()[:24]
    if len(head) < 24 or head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        raise ValueError(f"{path} is not a PNG file")
    width, height = struct.unpack(">II", head[16:24])
    return width, height
