"""Wall time of ``check_links`` against raw lychee on loopback servers.

Usage: ``PYTHONPATH=src python benchmarks/links_bench.py [--urls 1000] [--servers 20]
[--latency 0.05] [--runs 3]``

Serves ``--urls`` unique URLs spread over ``--servers`` loopback servers (one
port each, all on 127.0.0.1), every response delayed by ``--latency`` seconds.
For each scenario it times ``check_links`` and the bare lychee command that
``check_links`` itself runs (same generated URL file, same flags), and prints
the median of ``--runs`` runs and their ratio. All traffic stays on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import html
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from tests.loopback import LoopbackCluster  # noqa: E402
from uprkb.linkcheck import CheckOptions, LinkTarget, check_links, find_lychee, lychee_command, summarize  # noqa: E402


def _urls(cluster: LoopbackCluster, count: int, get_only_every: int, run: int) -> list[str]:
    """``count`` unique URLs round-robin over the servers; every n-th one refuses HEAD."""
    out = []
    for i in range(count):
        server = cluster.servers[i % len(cluster.servers)]
        kind = "head405" if get_only_every and i % get_only_every == 0 else "ok"
        out.append(server.url(f"{kind}/r{run}-{i}"))
    return out


def _raw_lychee(urls: list[str], options: CheckOptions) -> None:
    """The bare lychee run: the same URL file and command line as check_links' first step."""
    with tempfile.TemporaryDirectory(prefix="links-bench-") as tmp:
        workdir = Path(tmp)
        (workdir / "empty-lychee.toml").write_text("", encoding="utf-8")
        (workdir / "urls.html").write_text(
            "".join(f'<a href="{html.escape(u, quote=True)}">{i}</a>\n' for i, u in enumerate(urls)), encoding="utf-8"
        )
        cmd = lychee_command(find_lychee(options.lychee), options, workdir)
        proc = subprocess.run(cmd, cwd=workdir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        if not (workdir / "report.json").exists():
            raise SystemExit(f"lychee failed with status {proc.returncode}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--urls", type=int, default=1000)
    parser.add_argument("--servers", type=int, default=20)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    scenarios = [
        ("defaults (per-host 4)", CheckOptions(progress=False), 0),
        ("per-host 32", CheckOptions(per_host_concurrency=32, progress=False), 0),
        ("per-host 32, 5% HEAD-405", CheckOptions(per_host_concurrency=32, progress=False), 20),
    ]
    print(f"{args.urls} unique URLs, {args.servers} loopback servers, {args.latency * 1000:.0f} ms per response,")
    print(f"median of {args.runs} runs; lychee at {find_lychee()}")
    print()
    header = f"{'scenario':<28} {'check_links s':>13} {'raw lychee s':>12} {'ratio':>6}  result"
    print(header)
    print("-" * len(header))
    with LoopbackCluster(args.servers, latency=args.latency) as cluster:
        for name, options, get_only_every in scenarios:
            ours: list[float] = []
            raw: list[float] = []
            counts: dict[str, int] = {}
            for run in range(args.runs):
                urls = _urls(cluster, args.urls, get_only_every, run)
                started = time.perf_counter()
                _raw_lychee(urls, options)
                raw.append(time.perf_counter() - started)
                targets = [LinkTarget(u, (f"s{i}",)) for i, u in enumerate(urls)]
                started = time.perf_counter()
                counts = summarize(check_links(targets, options))
                ours.append(time.perf_counter() - started)
            m_ours, m_raw = statistics.median(ours), statistics.median(raw)
            result = f"ok={counts['ok']} broken={counts['broken']} unverified={counts['unverified']}"
            print(f"{name:<28} {m_ours:>13.2f} {m_raw:>12.2f} {m_ours / m_raw:>6.2f}  {result}")


if __name__ == "__main__":
    main()
