"""Run a link check: targets in, one :class:`LinkResult` per unique URL out.

The stage order: merge the targets by URL; take fresh ``ok`` verdicts from
the cache (sealed: :mod:`.cache`); settle URLs that cannot be fetched (no
http/https, no host) at once; check the rest in parallel with the HTTP client
(:mod:`.client`, which requests no internal address written in the data) under
one deadline for the whole run; date the verdicts and save the cache. URLs
still open when the deadline passes are ``unverified`` ("deadline reached").
Network problems of single URLs never raise.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from uprkb.linkcheck.cache import is_fresh, load_cache, save_cache
from uprkb.linkcheck.client import Client, Outcome, Watchdog, unsupported
from uprkb.linkcheck.network import DEFAULT_PROBE_NAMES, NameProbe
from uprkb.linkcheck.progress import Progress, stderr_is_tty
from uprkb.linkcheck.report import ARCHIVE_SEARCH, BROKEN, DEADLINE_REASON, UNVERIFIED, LinkResult
from uprkb.linkcheck.targets import LinkTarget, merge_targets

__all__ = ["CheckOptions", "check_links"]


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
    probe_names: tuple[str, ...] = DEFAULT_PROBE_NAMES  # names that must resolve when there is a network
    loopback_is_public: bool = False  # tests only: a link on 127.0.0.1 counts as public (redirects stay checked)
    allow_private: bool = False  # an intranet: URLs at internal addresses are checked (never the metadata service)


def check_links(targets: Iterable[LinkTarget], options: CheckOptions | None = None) -> list[LinkResult]:
    """Check every unique URL of ``targets``; results sorted by URL.

    Targets naming the same URL are merged (their sources joined).
    """
    options = options or CheckOptions()
    deadline_at = time.monotonic() + max(0.0, options.deadline)
    wanted = merge_targets(targets)
    cache = load_cache(options.cache_path) if options.cache_path else {}
    now = datetime.now(UTC)

    results: dict[str, LinkResult] = {}
    to_check: list[str] = []
    for url, target in wanted.items():
        cached = cache.get(url)
        if cached is not None and is_fresh(cached, now, options.cache_max_age):
            results[url] = replace(cached, sources=list(target.sources), from_cache=True, where=target.where)
        elif (problem := unsupported(url)) is not None:
            results[url] = _result(target, Outcome(UNVERIFIED, None, problem))
        else:
            to_check.append(url)

    if to_check:
        enabled = options.progress if options.progress is not None else stderr_is_tty()
        progress = Progress(sys.stderr, enabled)
        try:
            progress.phase("checked", len(to_check))
            outcomes = _check_all(to_check, options, deadline_at, progress)
        finally:
            progress.close()
        for url, outcome in outcomes.items():
            results[url] = _result(wanted[url], outcome)

    ordered = [results[url] for url in sorted(results)]
    if options.cache_path:
        save_cache(options.cache_path, cache, ordered, now, options.cache_max_age)
    return ordered


def _check_all(urls: list[str], options: CheckOptions, deadline_at: float, progress: Progress) -> dict[str, Outcome]:
    """Check ``urls`` in parallel; URLs open at the deadline are unverified."""
    stop = threading.Event()
    probe = NameProbe(options.probe_names, min(options.timeout, 10.0))
    out: dict[str, Outcome] = {}
    with Watchdog() as watchdog:
        client = Client(options, deadline_at, stop, watchdog, probe.resolves_any)
        pool = ThreadPoolExecutor(
            max_workers=max(1, min(options.max_concurrency, len(urls))), thread_name_prefix="linkcheck"
        )
        futures: dict[Future[Outcome], str] = {pool.submit(client.check, url): url for url in urls}
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
        out.setdefault(url, Outcome(UNVERIFIED, None, DEADLINE_REASON))
    return out


def _result(target: LinkTarget, outcome: Outcome) -> LinkResult:
    url = target.url
    return LinkResult(
        url=url,
        status=outcome.status,
        code=outcome.code,
        reason=outcome.reason,
        checked_at=datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        sources=list(target.sources),
        final_url=outcome.final_url,
        permanent_redirect=outcome.permanent_redirect,
        archived_suggestion=ARCHIVE_SEARCH + url if outcome.status == BROKEN else None,
        where=target.where,
    )
