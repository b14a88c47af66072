"""External link checking against real loopback servers (``tests/loopback.py``).

Each ``check_links`` run is shared by the tests that inspect it (module-scoped
fixtures), so the suite makes a handful of runs. All traffic stays on
127.0.0.1; timeouts are 2 s and every run is bounded. "No network" is tested
for real: the name probe is pointed at a name that resolves (``localhost``)
or at one that never does (``nonexistent.invalid``, reserved), and once with
its default names on this machine's own resolver.
"""

from __future__ import annotations

import email.utils
import errno
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
from uprkb.core.errors import UserError
from uprkb.linkcheck import (
    BROKEN,
    DEADLINE_REASON,
    NO_NETWORK,
    OK,
    REPORT_KEYS,
    UNVERIFIED,
    CheckOptions,
    LinkResult,
    LinkTarget,
    check_links,
    read_report,
    report_lines,
    summarize,
    write_report,
)
from uprkb.linkcheck.client import Client, Watchdog, classify_error, retry_after
from uprkb.linkcheck.network import DEFAULT_PROBE_NAMES, NameProbe

TIMEOUT = 2.0
# The servers are on 127.0.0.1: every run allows internal addresses, as 'links --allow-private' does.
FAST = CheckOptions(
    timeout=TIMEOUT, max_retries=2, per_host_concurrency=32, deadline=60, progress=False, allow_private=True
)


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
    results = check_links(targets, replace(options, allow_private=True))
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
    # The timeouts end at 2 s (HEAD, then GET), the 503 after its 1 s + 2 s backoff.
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
    # HEAD, then GET plus max_retries=2 retries.
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
        "delta4": f"retry429/4/{tag}",  # longer than the 1 s backoff used without Retry-After
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
    assert len(hits) == 2  # the HEAD that was told to wait, the GET after the wait
    # The success came only once the first Retry-After had passed ...
    first = hits[0]
    assert first.retry_after is not None
    if first.retry_after.isdigit():
        assert hits[-1].at - first.at >= int(first.retry_after) - 0.05
    else:
        until = email.utils.parsedate_to_datetime(first.retry_after).timestamp()
        assert hits[-1].wall >= until - 0.05


def test_429_retry_after_seconds(rate_limited: Run, server: LoopbackServer) -> None:
    assert rate_limited["delta"].status == OK
    _assert_retry_after_honoured(server, rate_limited.urls["delta"])


def test_429_retry_after_longer_than_backoff(rate_limited: Run, server: LoopbackServer) -> None:
    """A 429 asking for 4 s is waited out for that long, not the 1 s backoff; one request after it."""
    assert rate_limited["delta4"].status == OK
    _assert_retry_after_honoured(server, rate_limited.urls["delta4"])
    hits = server.hits(rate_limited.urls["delta4"])
    assert [(h.method, h.status) for h in hits] == [("HEAD", 429), ("GET", 200)]
    assert hits[0].retry_after is not None and int(hits[0].retry_after) >= 3
    assert hits[1].at - hits[0].at >= int(hits[0].retry_after) - 0.05


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


def test_deadline_during_slow_responses(server: LoopbackServer) -> None:
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
        # HEAD 405 sends two requests per URL.
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
    """Trailing punctuation survives (link detection in plain text would trim it); non-ASCII is encoded."""
    tag = _tag()
    names = {"dot": f"ok/{tag}.", "comma": f"ok/{tag},", "paren": f"ok/{tag})", "get_only": f"head405/{tag} é"}
    run = _run(server, names, FAST)
    assert all(r.status == OK for r in run.results.values())
    for name in ("dot", "comma", "paren"):
        assert [h.path for h in server.hits(run.urls[name])] == ["/" + names[name]]
    # HEAD and the GET after it ask for the same encoded path.
    hits = [(h.method, h.path) for h in server.hits() if h.path.startswith(f"/head405/{tag}")]
    assert hits == [("HEAD", f"/head405/{tag}%20%C3%A9"), ("GET", f"/head405/{tag}%20%C3%A9")]


def test_progress_goes_to_stderr_only_when_asked(server: LoopbackServer, capsys: pytest.CaptureFixture[str]) -> None:
    tag = _tag()
    targets = [LinkTarget(server.url(f"ok/{tag}"), ()), LinkTarget(server.url(f"head405/{tag}"), ())]
    check_links(targets, replace(FAST, progress=True))
    shown = capsys.readouterr()
    assert shown.out == ""
    assert "links: checked 2/2" in shown.err
    check_links([LinkTarget(server.url(f"ok/q{tag}"), ())], FAST)
    assert capsys.readouterr() == ("", "")


def test_empty_input_runs_nothing(tmp_path: Path) -> None:
    assert check_links([], replace(FAST, cache_path=tmp_path / "cache.json")) == []
    assert json.loads((tmp_path / "cache.json").read_text(encoding="utf-8"))["results"] == []


def test_no_lychee_is_needed(server: LoopbackServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """External URLs are checked in Python alone: no lychee on PATH changes nothing."""
    monkeypatch.setenv("PATH", "")
    monkeypatch.setenv("UPRKB_LYCHEE", "/nonexistent/lychee")
    (result,) = check_links([LinkTarget(server.url(f"ok/{_tag()}"), ())], FAST)
    assert result.status == OK


# ---------------------------------------------------------------------------
# No network is not broken
# ---------------------------------------------------------------------------

RESOLVES = ("localhost",)  # answered from /etc/hosts: a resolver that resolves other names
RESOLVES_NOTHING = ("nonexistent.invalid",)  # reserved (RFC 2606): never resolves anywhere
UNKNOWN_HOST = "http://nonexistent.invalid/page"


def test_unknown_host_is_broken_when_other_names_resolve() -> None:
    (result,) = check_links([LinkTarget(UNKNOWN_HOST, ("s",))], replace(FAST, probe_names=RESOLVES))
    assert (result.status, result.code) == (BROKEN, None)
    assert result.reason.startswith("DNS: host name does not exist")
    assert result.archived_suggestion == "https://web.archive.org/web/*/" + UNKNOWN_HOST


def test_unknown_host_is_unverified_when_no_name_resolves(server: LoopbackServer) -> None:
    """Offline, a name that does not resolve proves nothing; HTTP answers still count as evidence."""
    tag = _tag()
    targets = [
        LinkTarget(UNKNOWN_HOST, ("a",)),
        LinkTarget("https://nonexistent.invalid/other", ("b",)),
        LinkTarget(server.url(f"ok/{tag}"), ("c",)),
        LinkTarget(server.url(f"status/404/{tag}"), ("d",)),
    ]
    results = {r.sources[0]: r for r in check_links(targets, replace(FAST, probe_names=RESOLVES_NOTHING))}
    for name in ("a", "b"):
        assert (results[name].status, results[name].reason) == (UNVERIFIED, NO_NETWORK)
        assert results[name].archived_suggestion is None
    assert results["c"].status == OK
    assert (results["d"].status, results["d"].code) == (BROKEN, 404)
    assert summarize(results.values())["no_network"] == 2


def test_unknown_host_on_this_machines_resolver() -> None:
    """The default probe against the real resolver: offline here means unverified, online means broken."""
    online = NameProbe(DEFAULT_PROBE_NAMES, 10).resolves_any()
    (result,) = check_links([LinkTarget(UNKNOWN_HOST, ("s",))], FAST)
    if online:
        assert result.status == BROKEN and result.reason.startswith("DNS: host name does not exist")
    else:
        assert (result.status, result.reason) == (UNVERIFIED, NO_NETWORK)


def test_name_probe() -> None:
    assert NameProbe(RESOLVES, 5).resolves_any()
    assert not NameProbe(RESOLVES_NOTHING, 5).resolves_any()
    assert not NameProbe((), 5).resolves_any()


def test_no_route_is_no_network() -> None:
    outcome = classify_error(OSError(errno.ENETUNREACH, "Network is unreachable"), lambda: True)
    assert (outcome.status, outcome.reason) == (UNVERIFIED, NO_NETWORK)


def test_dns_errors() -> None:
    nxdomain = socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    broken = classify_error(nxdomain, lambda: True)
    assert broken.status == BROKEN and broken.reason.startswith("DNS: host name does not exist")
    assert classify_error(nxdomain, lambda: False).reason == NO_NETWORK
    temporary = classify_error(socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution"), lambda: True)
    assert temporary.status == UNVERIFIED and temporary.reason.startswith("DNS lookup failed")


def _result(url: str, status: str, reason: str, permanent: bool = False) -> LinkResult:
    return LinkResult(url, status, None, reason, "2026-01-01T00:00:00Z", ["sub/src"], permanent_redirect=permanent)


def test_report_lines_agree_with_the_exit_status() -> None:
    results = [
        _result("http://a.example/", OK, "HTTP 200 OK"),
        _result("http://b.example/", BROKEN, "HTTP 404 Not Found"),
        _result("http://c.example/", UNVERIFIED, NO_NETWORK),
        _result("http://d.example/", UNVERIFIED, NO_NETWORK),
        _result("http://e.example/", UNVERIFIED, "HTTP 403 Forbidden"),
        _result("http://f.example/", OK, "moved permanently to http://g.example/: update the URL", permanent=True),
    ]
    lenient = report_lines(results, strict=False)
    assert lenient[0].startswith("warning: no network: host names do not resolve on this machine, so 2 URLs")
    assert "unverified, not broken" in lenient[0]
    assert lenient[1:] == [
        "warning: broken: http://b.example/ (HTTP 404 Not Found) cited by sub/src",
        "warning: unverified: http://e.example/ (HTTP 403 Forbidden) cited by sub/src",
        "warning: moved: http://f.example/ (moved permanently to http://g.example/: update the URL) cited by sub/src",
    ]
    strict = report_lines(results, strict=True)
    assert [line.split(":")[0] for line in strict] == ["warning", "error", "warning", "warning"]
    assert report_lines(results[:1], strict=True) == []


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


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[{"url": "http://x/"}]', "entry 1 of the link report: missing keys"),
        ('{"url": "http://x/"}', "should be a JSON list of results, not a dict"),
        ("[\n  {,\n]", "not valid JSON"),
        ("", "not valid JSON"),
    ],
)
def test_read_report_rejects_malformed(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UserError, match=message) as caught:
        read_report(path)
    shown = caught.value.format()
    assert "bad.json" in shown and "build_site.py links" in shown and "delete the file" in shown


def test_read_report_locates_a_json_syntax_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text("[\n  {,\n]", encoding="utf-8")
    with pytest.raises(UserError) as caught:
        read_report(path)
    assert caught.value.format().startswith(f"{path}:2:4: the link report is not valid JSON")


def test_summarize(faults: Run) -> None:
    counts = summarize(faults.results.values())
    expected = {status: sum(1 for s in EXPECTED.values() if s == status) for status in (OK, BROKEN, UNVERIFIED)}
    assert {k: counts[k] for k in expected} == expected
    assert counts["total"] == len(EXPECTED)
    assert counts["permanent_redirect"] == 2
    assert counts["no_network"] == 0


# ---------------------------------------------------------------------------
# Client pieces that the runs above cannot reach
# ---------------------------------------------------------------------------


def test_client_head_then_get(server: LoopbackServer) -> None:
    url = server.url(f"head405/{_tag()}")
    with Watchdog() as watchdog:
        client = Client(FAST, time.monotonic() + 30, threading.Event(), watchdog, lambda: True)
        outcome = client.check(url)
    assert outcome.status == OK
    assert [(h.method, h.status) for h in server.hits(url)] == [("HEAD", 405), ("GET", 200)]


def test_retry_after_parsing() -> None:
    assert retry_after("7") == 7.0
    assert retry_after(None) is None
    assert retry_after("soon") is None
    ahead = retry_after(email.utils.formatdate(time.time() + 30, usegmt=True))
    assert ahead is not None and 28 <= ahead <= 31
    assert retry_after(email.utils.formatdate(time.time() - 30, usegmt=True)) == 0.0
