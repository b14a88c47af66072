#!/usr/bin/env python3
"""Search in the browser: bytes transferred and time to first results, in the system's Chromium.

    .venv/bin/python benchmarks/search_bench.py SITE [SITE ...] [--query torture] [--runs 5]

Each built site is served on 127.0.0.1; for each viewport (1280 and 390 px wide) a
fresh page is loaded (until the network is quiet), the search dialog opened with
"/", and the query typed one key at a time (50 ms apart). Measured in the page:
the time from the last key to the first result in the list (a MutationObserver),
and the bytes of every search request since the page started loading (Material's
``search_index.json`` and worker, or Pagefind's files), as served (uncompressed)
and as gzip would send them. Any request to another host fails the run.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import shutil
import statistics
import sys
import threading
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

WATCH = """() => {
  window.__lastKey = 0; window.__first = 0;
  document.addEventListener('keydown', () => { window.__lastKey = performance.now(); window.__first = 0; }, true);
  const list = document.querySelector('.md-search-result__list');
  new MutationObserver(() => {
    if (list.querySelector('.md-search-result__item') && !window.__first) window.__first = performance.now();
  }).observe(list, {childList: true, subtree: true});
}"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


def serve(root: Path) -> tuple[Any, str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def search_request(path: str) -> bool:
    return "/search/" in path or "/pagefind/" in path or "workers/search" in path


def measure(site: Path, query: str, runs: int, widths: tuple[int, ...] = (1280, 390)) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    server, base = serve(site)
    out: dict[str, Any] = {"site": str(site), "query": query}
    try:
        with sync_playwright() as p:
            exe = shutil.which("chromium") or "/usr/bin/chromium"
            browser = p.chromium.launch(executable_path=exe, args=["--no-sandbox", "--disable-gpu"])
            for width in widths:
                times, sizes, gz, foreign, counts = [], [], [], [], []
                for _ in range(runs):
                    ctx = browser.new_context(viewport={"width": width, "height": 800}, service_workers="block")
                    seen: list[tuple[str, int, int]] = []

                    def route(r: Any, foreign: list[str] = foreign) -> None:
                        url = r.request.url
                        if urlsplit(url).netloc != urlsplit(base).netloc and urlsplit(url).scheme in ("http", "https"):
                            foreign.append(url)
                            r.abort()
                        else:
                            r.continue_()

                    def done(resp: Any, seen: list[tuple[str, int, int]] = seen) -> None:
                        path = urlsplit(resp.url).path
                        if search_request(path):
                            try:
                                body = resp.body()
                            except Exception:  # a redirect or an aborted request has no body
                                body = b""
                            seen.append((path, len(body), len(gzip.compress(body, 6))))

                    ctx.route("**/*", route)
                    page = ctx.new_page()
                    page.on("response", done)
                    page.goto(base, wait_until="networkidle")
                    page.evaluate(WATCH)
                    page.keyboard.press("/")
                    page.locator("input.md-search__input").first.wait_for(state="visible")
                    page.keyboard.type(query, delay=50)
                    page.wait_for_function("window.__first > 0", timeout=60_000)
                    times.append(page.evaluate("window.__first - window.__lastKey"))
                    counts.append(page.locator(".md-search-result__item").count())
                    page.wait_for_load_state("networkidle")
                    sizes.append(sum(s for _p, s, _g in seen))
                    gz.append(sum(g for _p, _s, g in seen))
                    out.setdefault("files", {})[width] = sorted({p for p, _s, _g in seen})
                    ctx.close()
                out[str(width)] = {
                    "first_result_ms": times,
                    "median_ms": statistics.median(times),
                    "bytes": statistics.median(sizes),
                    "gzip_bytes": statistics.median(gz),
                    "results_shown": counts[-1],
                    "foreign_requests": foreign,
                }
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("sites", nargs="+", type=Path)
    ap.add_argument("--query", default="torture")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args(argv)
    failed = False
    for site in args.sites:
        r = measure(site, args.query, args.runs)
        engine = "Pagefind" if (site / "pagefind" / "pagefind.js").is_file() else "Material"
        for width in ("1280", "390"):
            m = r[width]
            print(
                f"{site} ({engine}), {width} px, query {args.query!r}: first results "
                f"{m['median_ms']:.0f} ms after the last key (median of {len(m['first_result_ms'])}: "
                f"{', '.join(f'{x:.0f}' for x in m['first_result_ms'])}); "
                f"{m['bytes'] / 1e6:.2f} MB transferred for search ({m['gzip_bytes'] / 1e6:.2f} MB gzip); "
                f"{m['results_shown']} results shown; requests to other hosts: {len(m['foreign_requests'])}"
            )
            ok_time, ok_size = m["median_ms"] <= 300, m["bytes"] <= 1e6
            print(
                f"  target first results <= 300 ms: {'met' if ok_time else 'MISSED'}; "
                f"<= 1 MB per query: {'met' if ok_size else 'MISSED'}"
            )
            failed |= bool(m["foreign_requests"])
        print(json.dumps({k: v for k, v in r.items() if k != "files"}, default=str))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
