"""External link checking against real loopback servers (``tests/loopback.py``).

Each ``check_links`` run is shared by the tests that inspect it (module-scoped
fixtures), so the suite makes a handful of runs. All traffic stays on
127.0.0.1; timeouts are 2 s and every run is bounded.
"""

from __future__ import annotations

import email.utils
import json
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from tests.loopback import LoopbackServer, closed_port
from uprkb.linkcheck import (
    BROKEN,
    DEADLINE_REASON,
    OK,
    REPORT_KEYS,
    UNVERIFIED,
    CheckOptions,
    LinkCheckError,
    LinkResult,
    LinkTarget,
    _classify_error,
    _Client,
    _retry_after,
    _Watchdog,
    check_links,
    read_report,
    summarize,
    write_report,
)

TIMEOUT = 2.0
FAST = CheckOptions(timeout=TIMEOUT, max_retries=2, per_host_concurrency=32, deadline=60, progress=False)


@pytest.fixture(scope="module")
def server() -> Iterator[LoopbackServer]:
    srv = LoopbackServer()
    yield srv
    srv.close()


def _tag() -> str:
    """A fresh path suffix, so per-path server state never leaks between runs."""
    return uuid.uuid4().hex[:10]


@dataclass
class Run:
    results: dict[str, LinkResult]
    urls: dict[str, str]  # fault name -> URL
    elapsed: float
    started: float  # time.monotonic() before the run

    def __getitem__(self, name: str) -> LinkResult:
        return self.results[self.urls[name]]


def _run(
    server: LoopbackServer, faults: dict[str, str], options: CheckOptions, extra: dict[str, str] | None = None
) -> Run:
    urls = {name: server.url(path) for name, path in faults.items()}
    urls.update(extra or {})
    targets = [LinkTarget(url, (f"src-{name}",)) for name, url in urls.items()]
    started = time.monotonic()
    results = check_links(targets, options)
    elapsed = time.monotonic() - started
    assert [r.url for r in results] == sorted(urls.values())
    return Run({r.url: r for r in results}, urls, elapsed, started)


# ---------------------------------------------------------------------------
# One run over every fault
# ---------------------------------------------------------------------------

FAULTS = {
    "ok": "ok/{t}",
    "moved301": "redirect/301/m301{t}",
    "moved308": "redirect/308/m308{t}",
    "found302": "redirect/302/m302{t}",
    "loop": "loop/a/{t}",
    "ten_redirects": "chain/10/{t}",
    "eleven_redirects": "chain/11/{t}",
    "not_found": "status/404/{t}",
    "gone": "status/410/{t}",
    "forbidden": "status/403/{t}",
    "unauthorized": "status/401/{t}",
    "teapot": "status/418/{t}",
    "head405": "head405/{t}",
    "flaky500": "flaky500/{t}",
    "unavailable": "status/503/{t}",
    "slow_headers": "slowheaders/5/{t}",
    "drip": "drip/5/{t}",
    "drip_head_ok": "driphead/5/{t}",
}

EXPECTED = {
    "ok": OK,
    "moved301": OK,
    "moved308": OK,
    "found302": OK,
    "loop": BROKEN,
    "ten_redirects": OK,
    "eleven_redirects": BROKEN,
    "not_found": BROKEN,
    "gone": BROKEN,
    "forbidden": UNVERIFIED,
    "unauthorized": UNVERIFIED,
    "teapot": UNVERIFIED,
    "head405": OK,
    "flaky500": OK,
    "unavailable": UNVERIFIED,
    "slow_headers": UNVERIFIED,
    "drip": UNVERIFIED,
    "drip_head_ok": OK,
    "refused": UNVERIFIED,
    "tls": UNVERIFIED,
    "ftp": UNVERIFIED,
}


@pytest.fixture(scope="module")
def faults(server: LoopbackServer) -> Run:
    tag = _tag()
    extra = {
        "refused": f"http://127.0.0.1:{closed_port()}/refused",
        "tls": f"https://127.0.0.1:{server.port}/ok/tls{tag}",  # TLS to a plain-HTTP port
        "ftp": "ftp://127.0.0.1/file",
    }
    return _run(server, {name: path.format(t=tag) for name, path in FAULTS.items()}, FAST, extra)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_classification(faults: Run, name: str) -> None:
    result = faults[name]
    assert result.status == EXPECTED[name], result
    assert result.sources == [f"src-{name}"]
    assert result.checked_at.endswith("Z")
    assert (result.archived_suggestion is not None) == (result.status == BROKEN)
    if result.status == BROKEN:
        assert result.archived_suggestion == "https://web.archive.org/web/*/" + result.url


def test_run_is_bounded(faults: Run) -> None:
    # lychee's pass ends at the 2 s timeouts, the re-checks at the 503's 1 s + 2 s backoff.
    assert faults.elapsed < 30


@pytest.mark.parametrize("name", ["moved301", "moved308"])
def test_permanent_redirect(faults: Run, name: str) -> None:
    result = faults[name]
    assert result.permanent_redirect
    assert result.code == 200
    assert result.final_url == result.url.replace(f"/redirect/{name[-3:]}/", "/ok/")
    assert result.reason == f"moved permanently to {result.final_url}: update the URL"


def test_temporary_redirect(faults: Run) -> None:
    result = faults["found302"]
    assert not result.permanent_redirect
    assert result.final_url == result.url.replace("/redirect/302/", "/ok/")
    assert "update the URL" not in result.reason
    ten = faults["ten_redirects"]
    assert ten.final_url == ten.url.replace("/chain/10/", "/chain/0/")
    assert not ten.permanent_redirect


def test_redirect_failures_are_told_apart(faults: Run) -> None:
    assert faults["loop"].reason.startswith("redirect loop: ")
    assert "/loop/b/" in faults["loop"].reason
    assert faults["eleven_redirects"].reason == "too many redirects (more than 10)"


def test_status_codes_and_reasons(faults: Run) -> None:
    assert faults["not_found"].code == 404
    assert faults["gone"].code == 410
    assert faults["forbidden"].code == 403
    assert faults["unauthorized"].code == 401
    assert faults["teapot"].code == 418
    assert "bot" in faults["forbidden"].reason
    assert faults["unavailable"].code == 503
    assert faults["unavailable"].reason == "HTTP 503 Service Unavailable after 2 retries"
    assert faults["refused"].reason == "connection refused"
    assert faults["tls"].reason.startswith("TLS error")
    assert faults["ftp"].reason.startswith("unsupported URL scheme")


def test_timeouts(faults: Run) -> None:
    assert faults["slow_headers"].reason == "timeout: no response headers after 2 s"
    assert faults["drip"].reason == "timeout: the body was still arriving after 2 s"


def test_head_405_falls_back_to_get(faults: Run, server: LoopbackServer) -> None:
    methods = [(h.method, h.status) for h in server.hits(faults.urls["head405"])]
    assert methods == [("HEAD", 405), ("GET", 200)]


def test_head_success_never_downloads_the_body(faults: Run, server: LoopbackServer) -> None:
    """A 2xx HEAD is final: a body that would drip is not fetched at all."""
    assert [h.method for h in server.hits(faults.urls["drip_head_ok"])] == ["HEAD"]


def test_5xx_is_retried_with_backoff(faults: Run, server: LoopbackServer) -> None:
    hits = server.hits(faults.urls["unavailable"])
    # lychee's HEAD, then GET plus max_retries=2 retries from the Python client.
    assert [h.method for h in hits] == ["HEAD", "GET", "GET", "GET"]
    gets = [h.at for h in hits if h.method == "GET"]
    assert gets[1] - gets[0] >= 0.95  # backoff 1 s
    assert gets[2] - gets[1] >= 1.95  # then 2 s
    assert [h.status for h in server.hits(faults.urls["flaky500"])] == [500, 200]


def test_nothing_is_requested_twice_once_ok(faults: Run, server: LoopbackServer) -> None:
    assert [h.method for h in server.hits(faults.urls["ok"])] == ["HEAD"]
    assert all(h.user_agent == FAST.user_agent for h in server.hits(faults.urls["ok"]))


# ---------------------------------------------------------------------------
# Rate limiting: Retry-After
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def rate_limited(server: LoopbackServer) -> Run:
    tag = _tag()
    faults = {
        "delta": f"retry429/1/{tag}",
        "delta4": f"retry429/4/{tag}",  # outlasts lychee's pass and the 1 s backoff used without Retry-After
        "date": f"retry429date/2/{tag}",
        "too_long": f"retry429/120/{tag}",
        "ok": f"ok/{tag}",
    }
    return _run(
        server, faults, CheckOptions(timeout=TIMEOUT, retry_after_cap=5, per_host_concurrency=32, progress=False)
    )


def _assert_retry_after_honoured(server: LoopbackServer, url: str) -> None:
    hits = server.hits(url)
    assert hits[-1].status == 200
    assert all(h.status == 429 for h in hits[:-1])
    assert 2 <= len(hits) <= 3  # lychee's HEAD, maybe one early GET, the GET after the wait
    # The success came only once the first Retry-After had passed ...
    first = hits[0]
    assert first.retry_after is not None
    if first.retry_after.isdigit():
        assert hits[-1].at - first.at >= int(first.retry_after) - 0.05
    else:
        until = email.utils.parsedate_to_datetime(first.retry_after).timestamp()
        assert hits[-1].wall >= until - 0.05
    # ... and every 429 the Python client received was waited out before its next request.
    for earlier, later in zip(hits, hits[1:], strict=False):
        if earlier.method == "GET":
            assert earlier.retry_after is not None
            if earlier.retry_after.isdigit():
                assert later.at - earlier.at >= int(earlier.retry_after) - 0.05
            else:
                assert later.wall >= email.utils.parsedate_to_datetime(earlier.retry_after).timestamp() - 0.05


def test_429_retry_after_seconds(rate_limited: Run, server: LoopbackServer) -> None:
    assert rate_limited["delta"].status == OK
    _assert_retry_after_honoured(server, rate_limited.urls["delta"])


def test_429_retry_after_longer_than_backoff(rate_limited: Run, server: LoopbackServer) -> None:
    """The Python client itself gets a 429 asking for >= 2 s and waits that long, not its 1 s backoff."""
    assert rate_limited["delta4"].status == OK
    _assert_retry_after_honoured(server, rate_limited.urls["delta4"])
    hits = server.hits(rate_limited.urls["delta4"])
    assert [(h.method, h.status) for h in hits] == [("HEAD", 429), ("GET", 429), ("GET", 200)]
    assert hits[1].retry_after is not None and int(hits[1].retry_after) >= 2
    assert hits[2].at - hits[1].at >= int(hits[1].retry_after) - 0.05


def test_429_retry_after_http_date(rate_limited: Run, server: LoopbackServer) -> None:
    assert rate_limited["date"].status == OK
    _assert_retry_after_honoured(server, rate_limited.urls["date"])


def test_retry_after_above_cap_is_not_waited_for(rate_limited: Run) -> None:
    result = rate_limited["too_long"]
    assert result.status == UNVERIFIED
    assert result.code == 429
    assert "exceeds the cap of 5 s" in result.reason
    assert rate_limited.elapsed < 10


# ---------------------------------------------------------------------------
# Deadline, cache, per-host limit
# ---------------------------------------------------------------------------


def test_deadline_during_lychee_pass(server: LoopbackServer) -> None:
    tag = _tag()
    faults = {"ok": f"ok/{tag}", "slow1": f"slowheaders/30/a{tag}", "slow2": f"slowheaders/30/b{tag}"}
    run = _run(server, faults, CheckOptions(timeout=20, deadline=1.0, per_host_concurrency=32, progress=False))
    assert run.elapsed < 4.0
    assert run["ok"].status == OK
    for name in ("slow1", "slow2"):
        assert run[name].status == UNVERIFIED
        assert run[name].reason == DEADLINE_REASON


def test_deadline_during_retries(server: LoopbackServer) -> None:
    tag = _tag()
    run = _run(server, {"down": f"status/503/{tag}"}, CheckOptions(timeout=TIMEOUT, deadline=1.5, progress=False))
    assert run.elapsed < 4.0
    assert run["down"].status == UNVERIFIED
    assert run["down"].reason.startswith(DEADLINE_REASON)


def test_cache_reuses_ok_and_rechecks_failures(server: LoopbackServer, tmp_path: Path) -> None:
    tag = _tag()
    faults = {
        "ok": f"ok/{tag}",
        "moved": f"redirect/301/m{tag}",
        "missing": f"status/404/{tag}",
        "down": f"status/503/{tag}",
    }
    cache = tmp_path / "links-cache.json"
    options = CheckOptions(timeout=TIMEOUT, max_retries=0, cache_path=cache, progress=False)
    first = _run(server, faults, options)
    assert {n: first[n].status for n in faults} == {"ok": OK, "moved": OK, "missing": BROKEN, "down": UNVERIFIED}
    assert not any(r.from_cache for r in first.results.values())
    stored = json.loads(cache.read_text(encoding="utf-8"))
    assert sorted(e["url"] for e in stored["results"]) == sorted([first.urls["ok"], first.urls["moved"]])
    assert all(e["status"] == OK and e["checked_at"] for e in stored["results"])

    hits_before = {n: len(server.hits(u)) for n, u in first.urls.items()}
    second = _run(server, faults, options)
    hits_after = {n: len(server.hits(u)) for n, u in first.urls.items()}
    for name in ("ok", "moved"):
        assert second[name].from_cache and second[name].status == OK
        assert second[name].checked_at == first[name].checked_at
        assert hits_after[name] == hits_before[name]
    assert second["moved"].permanent_redirect
    for name in ("missing", "down"):
        assert not second[name].from_cache
        assert hits_after[name] > hits_before[name]

    expired = CheckOptions(timeout=TIMEOUT, max_retries=0, cache_path=cache, cache_max_age=0, progress=False)
    third = _run(server, faults, expired)
    assert not any(r.from_cache for r in third.results.values())
    assert len(server.hits(first.urls["ok"])) == hits_after["ok"] + 1


def test_per_host_concurrency_is_limited() -> None:
    with LoopbackServer(latency=0.2) as slow:
        tag = _tag()
        # HEAD 405 sends every URL through both lychee and the Python client.
        faults = {f"u{i}": f"head405/{i}{tag}" for i in range(6)}
        run = _run(slow, faults, CheckOptions(timeout=TIMEOUT, per_host_concurrency=2, progress=False))
        assert all(r.status == OK for r in run.results.values())
        assert slow.peak_inflight == 2


def test_sources_of_duplicate_targets_are_merged(server: LoopbackServer) -> None:
    url = server.url(f"ok/{_tag()}")
    targets = [LinkTarget(url, ("rec-a", "rec-b")), LinkTarget(url, ("rec-b", "rec-c"))]
    (result,) = check_links(targets, FAST)
    assert result.sources == ["rec-a", "rec-b", "rec-c"]
    assert len(server.hits(url)) == 1


def test_urls_are_requested_verbatim(server: LoopbackServer) -> None:
    """Trailing punctuation survives (lychee's plain-text link detection would trim it); non-ASCII is encoded."""
    tag = _tag()
    names = {"dot": f"ok/{tag}.", "comma": f"ok/{tag},", "paren": f"ok/{tag})", "get_only": f"head405/{tag} é"}
    run = _run(server, names, FAST)
    assert all(r.status == OK for r in run.results.values())
    for name in ("dot", "comma", "paren"):
        assert [h.path for h in server.hits(run.urls[name])] == ["/" + names[name]]
    # lychee's HEAD and the Python client's GET ask for the same encoded path.
    hits = [(h.method, h.path) for h in server.hits() if h.path.startswith(f"/head405/{tag}")]
    assert hits == [("HEAD", f"/head405/{tag}%20%C3%A9"), ("GET", f"/head405/{tag}%20%C3%A9")]


def test_progress_goes_to_stderr_only_when_asked(server: LoopbackServer, capsys: pytest.CaptureFixture[str]) -> None:
    tag = _tag()
    targets = [LinkTarget(server.url(f"ok/{tag}"), ()), LinkTarget(server.url(f"head405/{tag}"), ())]
    check_links(targets, replace(FAST, progress=True))
    shown = capsys.readouterr()
    assert shown.out == ""
    assert "links: lychee 2/2" in shown.err and "links: re-check 1/1" in shown.err
    check_links([LinkTarget(server.url(f"ok/q{tag}"), ())], FAST)
    assert capsys.readouterr() == ("", "")


def test_empty_input_runs_nothing() -> None:
    assert check_links([], CheckOptions(lychee="/nonexistent/lychee")) == []


def test_missing_lychee_is_an_error(server: LoopbackServer) -> None:
    with pytest.raises(LinkCheckError, match="not found"):
        check_links([LinkTarget(server.url("ok/x"), ())], CheckOptions(lychee="/nonexistent/lychee", progress=False))


def test_lychee_without_report_is_an_error(server: LoopbackServer) -> None:
    """An exit status alone is never taken as a result."""
    with pytest.raises(LinkCheckError, match="no report"):
        check_links([LinkTarget(server.url("ok/x"), ())], CheckOptions(lychee="false", progress=False))


# ---------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------


def test_report_round_trip(faults: Run, tmp_path: Path) -> None:
    results = list(faults.results.values())
    path = tmp_path / "link-report.json"
    write_report(results, path)
    raw = json.loads(path.read_text(encoding="utf-8"))
    assert isinstance(raw, list) and len(raw) == len(results)
    assert all(list(obj) == list(REPORT_KEYS) for obj in raw)
    assert [obj["url"] for obj in raw] == sorted(obj["url"] for obj in raw)
    assert set(REPORT_KEYS) == {
        "url", "status", "code", "reason", "checked_at", "sources",
        "final_url", "permanent_redirect", "archived_suggestion",
    }  # fmt: skip
    back = read_report(path)
    assert back == {r.url: r for r in results}


def test_read_report_rejects_malformed(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps([{"url": "http://x/"}]), encoding="utf-8")
    with pytest.raises(ValueError, match="missing keys"):
        read_report(path)


def test_summarize(faults: Run) -> None:
    counts = summarize(faults.results.values())
    expected = {status: sum(1 for s in EXPECTED.values() if s == status) for status in (OK, BROKEN, UNVERIFIED)}
    assert {k: counts[k] for k in expected} == expected
    assert counts["total"] == len(EXPECTED)
    assert counts["permanent_redirect"] == 2


# ---------------------------------------------------------------------------
# Python client pieces that the runs above cannot reach
# ---------------------------------------------------------------------------


def test_client_head_then_get(server: LoopbackServer) -> None:
    """URLs lychee leaves out (its default excludes) start with HEAD in the Python client."""
    url = server.url(f"head405/{_tag()}")
    with _Watchdog() as watchdog:
        client = _Client(FAST, time.monotonic() + 30, threading.Event(), watchdog)
        outcome = client.check(url, "HEAD")
    assert outcome.status == OK
    assert [(h.method, h.status) for h in server.hits(url)] == [("HEAD", 405), ("GET", 200)]


def test_dns_errors() -> None:
    nxdomain = _classify_error(socket.gaierror(socket.EAI_NONAME, "Name or service not known"))
    assert nxdomain.status == BROKEN and nxdomain.reason.startswith("DNS: host name does not exist")
    temporary = _classify_error(socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution"))
    assert temporary.status == UNVERIFIED


def test_retry_after_parsing() -> None:
    assert _retry_after("7") == 7.0
    assert _retry_after(None) is None
    assert _retry_after("soon") is None
    ahead = _retry_after(email.utils.formatdate(time.time() + 30, usegmt=True))
    assert ahead is not None and 28 <= ahead <= 31
    assert _retry_after(email.utils.formatdate(time.time() - 30, usegmt=True)) == 0.0
