#!/usr/bin/env python3
"""Benchmark the build at about 100, 1,000 and 5,000 generated pages.

    .venv/bin/python benchmarks/run.py            # full table (about an hour on 2 cores)
    .venv/bin/python benchmarks/run.py --quick    # the 100-page size only, one run (CI smoke)

Every size gets its own temporary project (``mkdocs.yml``, ``docs/`` without
``docs/kb``, ``overrides/``, ``templates/`` and a synthetic ``data/`` from
:mod:`benchmarks.synth`). Every measurement runs in a fresh subprocess, so its
peak memory (``ru_maxrss``) and its timing are its own:

* ``generate``: cold load + validate + index + render + write of ``docs/kb``;
* ``build``: the full cold ``build_site`` (generate, MkDocs, downloads, safety scan);
* ``mkdocs``: ``run_mkdocs`` alone on the same generated ``docs/``;
* ``noop``: the generator again on unchanged data (files written must be 0);
* ``edit``: the generator after one recommendation's text changed in the YAML
  (files written must be exactly the pages whose ``Page.shows`` holds it).

Figures are medians of ``--runs`` runs (``--large-runs`` for the largest size).
The number of submissions N for each target page count is found by trying:
two small corpora give the pages per submission, N is solved for the target,
and the page count of the cold generate at that N is checked against the
target (N is corrected and the size measured again if it misses by over 3%).
"""

from __future__ import annotations

import argparse
import cProfile
import gzip
import io
import json
import os
import platform
import pstats
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
# Where the measured code, templates and hand-written docs are read from: the
# work tree, or the snapshot of it that ``main`` takes so that edits made to
# the work tree while a run is under way do not mix into its figures.
SOURCE = Path(os.environ.get("UPRKB_BENCH_SOURCE", ROOT))
sys.path[:0] = [str(SOURCE / "src"), str(ROOT)]

from benchmarks.synth import edit_recommendation, recommendation_id, write_corpus  # noqa: E402

TARGETS = (100, 1000, 5000)
EDITED = "Ensure that the edited recommendation, variant {k}, is implemented within one year of the review."

# ---------------------------------------------------------------------------
# Workers: one measurement each, in a fresh interpreter; print one JSON line
# ---------------------------------------------------------------------------


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def _paths(project: Path, site: Path | None = None) -> Any:
    from uprkb.build import Paths

    return Paths(
        data=project / "data",
        docs=project / "docs",
        config=project / "mkdocs.yml",
        site=site or project / "site",
        templates=project / "templates",
    )


def _generate_phases(paths: Any) -> dict[str, Any]:
    """The generator's stages, timed one by one (the same calls as ``generate_docs``)."""
    from uprkb.build import read_link_report, site_url
    from uprkb.generate import GenerateStats, Renderer, TreeWriter, environment
    from uprkb.index import public_index
    from uprkb.links import GENERATED
    from uprkb.pages import Page, build_pages
    from uprkb.reference import data_model_context, error_codes_context
    from uprkb.validate import check

    t0 = time.perf_counter()
    result = check(paths.data)
    t1 = time.perf_counter()
    if not result.ok or result.kb is None:
        raise SystemExit(f"the corpus does not validate: {result.problems.errors[:3]}")
    kb = public_index(result.kb, result.dataset)
    t2 = time.perf_counter()
    pages: list[Page] = []
    build_pages(kb, site_url(paths.config), read_link_report(paths.link_report), pages.append)
    pages.append(Page("reference/data-model.md", data_model_context()))
    pages.append(Page("reference/error-codes.md", error_codes_context()))
    t3 = time.perf_counter()
    renderer = Renderer(environment(paths.templates))
    files = {page.path: renderer.render(page) for page in pages}
    t4 = time.perf_counter()
    stats = GenerateStats(pages=len(files))
    writer = TreeWriter(paths.docs / GENERATED, stats)
    for rel, text in files.items():
        writer.write(rel, text)
    writer.remove_stale()
    t5 = time.perf_counter()
    return {
        "load_validate": t1 - t0,
        "index": t2 - t1,
        "views": t3 - t2,
        "render": t4 - t3,
        "write": t5 - t4,
        "total": t5 - t0,
        "pages": stats.pages,
        "written": len(stats.written),
        "counts": kb.record_count(),
        "paragraphs": sum(
            1 for s in kb.submissions for sec in s.sections for b in sec.body if getattr(b, "type", "") == "paragraph"
        ),
        "md_bytes": sum(len(v.encode("utf-8")) for v in files.values()),
    }


def worker(kind: str, project: Path, extra: str | None) -> dict[str, Any]:
    from uprkb.build import build_site, generate_docs, run_mkdocs
    from uprkb.links import GENERATED

    paths = _paths(project)
    base_rss = _rss_mb()
    out: dict[str, Any] = {"kind": kind}
    if kind in ("generate", "build", "profile"):
        shutil.rmtree(paths.docs / GENERATED, ignore_errors=True)
    if kind == "build":
        shutil.rmtree(paths.site, ignore_errors=True)
    site = Path(extra or project / "site-mkdocs") if kind == "mkdocs" else None
    if site is not None:
        shutil.rmtree(site, ignore_errors=True)
    load = os.getloadavg()[0]
    cpu0, t0 = time.process_time(), time.perf_counter()
    if kind == "generate":
        out.update(_generate_phases(paths))
    elif kind in ("noop", "edit"):
        _result, _kb, stats, _permalinks = generate_docs(paths)
        out["written"] = sorted(stats.written)
        out["removed"] = sorted(stats.removed)
        if kind == "edit":
            out["expected"] = sorted(path for path, ids in stats.shows.items() if extra in ids)
    elif kind == "build":
        result = build_site(paths)
        out["timings"] = result.timings
        out["pages"] = result.generated.pages if result.generated else 0
    elif kind == "mkdocs":
        assert site is not None
        warnings = run_mkdocs(paths.config, paths.docs, site)
        if warnings:
            raise SystemExit(f"MkDocs failed: {warnings[:5]}")
    elif kind == "profile":
        prof = cProfile.Profile()
        prof.enable()
        phases = _generate_phases(paths)
        prof.disable()
        out["phases"] = {k: v for k, v in phases.items() if isinstance(v, float)}
        buf = io.StringIO()
        st = pstats.Stats(prof, stream=buf)
        st.sort_stats("tottime").print_stats(30)
        st.sort_stats("cumulative").print_stats(r"uprkb|templates|jinja2/environment|posixpath", 40)
        out["report"] = buf.getvalue()
    else:
        raise SystemExit(f"unknown worker {kind!r}")
    out.setdefault("total", time.perf_counter() - t0)
    out["cpu"] = time.process_time() - cpu0
    out["load"] = max(load, os.getloadavg()[0])
    out["rss_mb"] = _rss_mb()
    out["base_rss_mb"] = base_rss
    return out


def spawn(kind: str, project: Path, extra: str | None = None) -> dict[str, Any]:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", kind, "--project", str(project)]
    if extra is not None:
        cmd += ["--extra", extra]
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(SOURCE / "src"), str(ROOT)]),
        "UPRKB_BENCH_SOURCE": str(SOURCE),
    }
    env.pop("UPRKB_SITE_URL", None)
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        raise RuntimeError(f"worker {kind} failed ({proc.returncode}):\n{proc.stderr[-4000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------------------
# Projects
# ---------------------------------------------------------------------------


def make_project(dest: Path, submissions: int | None) -> dict[str, int]:
    """A temporary project: config, hand-written docs, overrides, templates and data.

    ``submissions=None`` copies the real ``data/`` (the seed).
    """
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("templates", "overrides"):
        shutil.copytree(SOURCE / name, dest / name)
    shutil.copytree(SOURCE / "docs", dest / "docs", ignore=shutil.ignore_patterns("kb"))
    shutil.copy(SOURCE / "mkdocs.yml", dest / "mkdocs.yml")
    if submissions is None:
        shutil.copytree(SOURCE / "data", dest / "data")
        return {}
    return write_corpus(dest / "data", submissions, vocabularies=SOURCE / "data" / "vocabularies")


def snapshot(dest: Path) -> Path:
    """Copy what the measurements read (code, templates, docs, config, data) to ``dest``."""
    skip = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("src", "templates", "overrides", "data"):
        shutil.copytree(ROOT / name, dest / name, ignore=skip)
    shutil.copytree(ROOT / "docs", dest / "docs", ignore=shutil.ignore_patterns("kb"))
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    return dest


def count_pages(project: Path) -> int:
    """Generated pages of a (small) project, counted in this process."""
    from uprkb.build import generate_docs

    _r, _kb, stats, _v = generate_docs(_paths(project))
    return stats.pages


def folder_bytes(folder: Path) -> tuple[int, int]:
    total = html = 0
    for p in folder.rglob("*"):
        if p.is_file():
            total += p.stat().st_size
            html += p.suffix == ".html"
    return total, html


def solve_n(target: int, work: Path) -> tuple[int, list[tuple[int, int]]]:
    """Submissions for about ``target`` pages, from the page counts of two small corpora."""
    tries = []
    for n in (1, 9):
        proj = work / f"try-{n}"
        make_project(proj, n)
        tries.append((n, count_pages(proj)))
        shutil.rmtree(proj)
    (n1, p1), (n2, p2) = tries
    slope = (p2 - p1) / (n2 - n1)
    return max(1, round(n1 + (target - p1) / slope)), tries


# ---------------------------------------------------------------------------
# One size
# ---------------------------------------------------------------------------


def med(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def measure_size(target: int, runs: int, work: Path, pagefind: list[str] | None, log: Any) -> dict[str, Any]:
    n, tries = solve_n(target, work)
    log(f"[{target} pages] pages per try {tries} -> N = {n}")
    for attempt in range(3):
        proj = work / f"size-{target}"
        shutil.rmtree(proj, ignore_errors=True)
        counts = make_project(proj, n)
        gen = spawn("generate", proj)
        miss = (gen["pages"] - target) / target
        log(f"[{target} pages] N={n}: {gen['pages']} pages, cold generate {gen['total']:.1f}s")
        if abs(miss) <= 0.03 or attempt == 2:
            break
        # Pages per submission grow with N (paginated lists), so correct with the secant
        # through the two latest measurements rather than the small corpora's slope.
        tries.append((n, gen["pages"]))
        (n1, p1), (n2, p2) = tries[-2:]
        slope = (p2 - p1) / (n2 - n1) if n2 != n1 else 1.0
        n = max(1, n - round((gen["pages"] - target) / slope))
    res: dict[str, Any] = {
        "target": target,
        "n": n,
        "corpus": counts,
        "runs": runs,
        "gen": [gen],
        "build": [],
        "mkdocs": [],
        "noop": [],
        "edit": [],
    }
    rec = recommendation_id(max(1, n // 2), 2, 2)
    for k in range(runs):
        if k:
            res["gen"].append(spawn("generate", proj))
        res["noop"].append(spawn("noop", proj))
        edit_recommendation(proj / "data", rec, EDITED.format(k=k + 1))
        e = spawn("edit", proj, rec)
        res["edit"].append(e)
        b = spawn("build", proj)
        res["build"].append(b)
        m = spawn("mkdocs", proj, str(work / "site-mkdocs"))
        res["mkdocs"].append(m)
        shutil.rmtree(work / "site-mkdocs", ignore_errors=True)
        log(
            f"[{target} pages] run {k + 1}/{runs}: build {b['total']:.1f}s"
            f" (mkdocs {b['timings'].get('mkdocs', 0):.1f}s), mkdocs alone {m['total']:.1f}s,"
            f" no-op {res['noop'][-1]['total']:.1f}s"
            f" ({len(res['noop'][-1]['written'])} written), edit {e['total']:.1f}s ({len(e['written'])} written)"
        )
    site = proj / "site"
    total, html = folder_bytes(site)
    html_bytes = sum(p.stat().st_size for p in site.rglob("*.html"))
    search = site / "search" / "search_index.json"
    raw = search.read_bytes()
    res["site"] = {
        "bytes": total,
        "html_pages": html,
        "html_bytes": html_bytes,
        "search_bytes": len(raw),
        "search_gzip_bytes": len(gzip.compress(raw, 6)),
        "largest_html": max((p.stat().st_size, p.relative_to(site).as_posix()) for p in site.rglob("*.html")),
    }
    del raw
    if pagefind:
        res["pagefind"] = run_pagefind(pagefind, site, log)
    res["rec"] = rec
    shutil.rmtree(proj, ignore_errors=True)
    return res


def run_pagefind(cmd: list[str], site: Path, log: Any) -> dict[str, Any]:
    out = site / "pagefind-bench"
    shutil.rmtree(out, ignore_errors=True)
    t = time.perf_counter()
    proc = subprocess.run(
        [*cmd, "--site", str(site), "--output-subdir", "pagefind-bench", "--root-selector", "article"],
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - t
    if proc.returncode != 0:
        log(f"pagefind failed: {proc.stderr[-2000:]}")
        return {"error": proc.stderr[-500:]}
    files = [p for p in out.rglob("*") if p.is_file()]
    index = [p for p in files if p.suffix == ".pf_index"]
    fragments = [p for p in files if p.suffix == ".pf_fragment"]

    def size(names: tuple[str, ...]) -> int:
        return sum(p.stat().st_size for p in files if p.name.startswith(names))

    res = {
        "seconds": elapsed,
        "bytes": sum(p.stat().st_size for p in files),
        "files": len(files),
        "index_chunks": len(index),
        "index_bytes": sum(p.stat().st_size for p in index),
        "fragment_bytes": sum(p.stat().st_size for p in fragments),
        # What a browser fetches for a first one-word query: the loader, the entry, the metadata,
        # the English WebAssembly, one index chunk and the fragments of the first five results.
        "first_query_bytes": size(("pagefind.js", "pagefind-entry.json"))
        + size(("pagefind.en_",))
        + max((p.stat().st_size for p in files if p.name.startswith("wasm.en")), default=0)
        + max((p.stat().st_size for p in index), default=0)
        + 5 * (sum(p.stat().st_size for p in fragments) // max(1, len(fragments))),
    }
    log(f"pagefind: {res['seconds']:.1f}s, {res['bytes'] / 1e6:.1f} MB in {res['files']} files")
    shutil.rmtree(out, ignore_errors=True)
    return res


def measure_seed(runs: int, work: Path, log: Any) -> dict[str, Any]:
    proj = work / "seed"
    make_project(proj, None)
    builds = [spawn("build", proj) for _ in range(runs)]
    total, html = folder_bytes(proj / "site")
    log(f"[seed] cold builds {[round(b['total'], 2) for b in builds]}")
    shutil.rmtree(proj, ignore_errors=True)
    return {"build": builds, "pages": builds[0]["pages"], "site_bytes": total, "html_pages": html}


# ---------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------


def machine() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        mem = next(ln for ln in Path("/proc/meminfo").read_text().splitlines() if ln.startswith("MemTotal"))
        ram = f"{int(mem.split()[1]) / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration):
        ram = "unknown"
    import markdown
    import material
    import mkdocs
    import pydantic

    try:
        commit = subprocess.run(
            ["git", "-C", str(ROOT), "describe", "--always", "--dirty"], capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    return {
        "cpu": cpu,
        "nproc": str(os.cpu_count()),
        "ram": ram,
        "python": platform.python_version(),
        "commit": commit,
        "os": platform.platform(),
        "mkdocs": mkdocs.__version__,
        "material": material.__version__,
        "markdown": markdown.__version__,
        "pydantic": pydantic.__version__,
    }


def summarize(r: dict[str, Any]) -> dict[str, Any]:
    c = r["corpus"]
    records = c["records"]
    gen_t = med([g["total"] for g in r["gen"]])
    full = med([b["total"] for b in r["build"]])
    mk = med([m["total"] for m in r["mkdocs"]])
    site = r["site"]
    edit = r["edit"][-1]
    return {
        "target": r["target"],
        "n": r["n"],
        "pages": r["gen"][0]["pages"],
        "records": records,
        "recommendations": c["recommendations"],
        "runs": r["runs"],
        "gen_s": gen_t,
        "records_per_s": records / gen_t,
        "recs_per_s": c["recommendations"] / gen_t,
        "phases": {k: med([g[k] for g in r["gen"]]) for k in ("load_validate", "index", "views", "render", "write")},
        "gen_rss_mb": max(g["rss_mb"] for g in r["gen"]),
        "build_s": full,
        "mkdocs_s": mk,
        "generator_share": (full - mk) / full,
        "build_cpu_s": med([b["cpu"] for b in r["build"]]),
        "mkdocs_cpu_s": med([m["cpu"] for m in r["mkdocs"]]),
        "gen_cpu_s": med([g["cpu"] for g in r["gen"]]),
        "load": max(x["load"] for k in ("gen", "build", "mkdocs", "noop", "edit") for x in r[k]),
        "build_generate_s": med([b["timings"].get("generate", 0) for b in r["build"]]),
        "build_verify_s": med([b["timings"].get("verify", 0) for b in r["build"]]),
        "build_rss_mb": max(b["rss_mb"] for b in r["build"]),
        "mkdocs_rss_mb": max(m["rss_mb"] for m in r["mkdocs"]),
        "bytes_per_page": site["bytes"] / site["html_pages"],
        "html_bytes_per_page": site["html_bytes"] / site["html_pages"],
        "site_mb": site["bytes"] / 1e6,
        "html_pages": site["html_pages"],
        "largest_html": site["largest_html"],
        "search_mb": site["search_bytes"] / 1e6,
        "search_gzip_mb": site["search_gzip_bytes"] / 1e6,
        "md_mb": r["gen"][0]["md_bytes"] / 1e6,
        "noop_s": med([x["total"] for x in r["noop"]]),
        "noop_written": max(len(x["written"]) for x in r["noop"]),
        "edit_s": med([x["total"] for x in r["edit"]]),
        "edit_written": len(edit["written"]),
        "edit_expected": len(edit["expected"]),
        "edit_exact": all(x["written"] == x["expected"] and not x["removed"] for x in r["edit"]),
        "pagefind": r.get("pagefind"),
    }


def table(rows: list[dict[str, Any]]) -> str:
    def f(v: float, d: int = 1) -> str:
        return f"{v:,.{d}f}"

    cols = [
        ("target pages", lambda s: f"~{s['target']:,}"),
        ("N submissions", lambda s: f"{s['n']:,}"),
        ("generated pages", lambda s: f"{s['pages']:,}"),
        ("records (F+R+S+P)", lambda s: f"{s['records']:,}"),
        ("runs (median of)", lambda s: str(s["runs"])),
        ("generate, cold (s)", lambda s: f(s["gen_s"], 2)),
        (
            "  load+validate / index / views / render / write (s)",
            lambda s: " / ".join(f(s["phases"][k], 2) for k in ("load_validate", "index", "views", "render", "write")),
        ),
        ("records/s (generate)", lambda s: f(s["records_per_s"], 0)),
        ("recommendations/s (generate)", lambda s: f(s["recs_per_s"], 0)),
        ("generate CPU time (s)", lambda s: f(s["gen_cpu_s"], 2)),
        ("peak RSS, generate (MB)", lambda s: f(s["gen_rss_mb"], 0)),
        ("full build (s)", lambda s: f(s["build_s"], 1)),
        ("MkDocs alone, same docs (s)", lambda s: f(s["mkdocs_s"], 1)),
        ("generator share (full − MkDocs) / full", lambda s: f"{s['generator_share'] * 100:.1f}%"),
        (
            "generator share by CPU time",
            lambda s: f"{(s['build_cpu_s'] - s['mkdocs_cpu_s']) / s['build_cpu_s'] * 100:.1f}%",
        ),
        (
            "  of which build_site generate / safety scan (s)",
            lambda s: f"{f(s['build_generate_s'], 1)} / {f(s['build_verify_s'], 1)}",
        ),
        ("peak RSS, full build (MB)", lambda s: f(s["build_rss_mb"], 0)),
        ("generated Markdown (MB)", lambda s: f(s["md_mb"], 1)),
        ("site/ total (MB)", lambda s: f(s["site_mb"], 1)),
        ("HTML pages in site/", lambda s: f"{s['html_pages']:,}"),
        ("bytes/page (site/ total ÷ HTML pages)", lambda s: f"{s['bytes_per_page'] / 1024:,.0f} KiB"),
        ("  HTML only, bytes/page", lambda s: f"{s['html_bytes_per_page'] / 1024:,.0f} KiB"),
        ("  largest page", lambda s: f"{s['largest_html'][0] / 1e6:.1f} MB ({s['largest_html'][1]})"),
        ("search_index.json (MB, gzip)", lambda s: f"{f(s['search_mb'], 1)} ({f(s['search_gzip_mb'], 1)})"),
        ("no-op regenerate (s / files written)", lambda s: f"{f(s['noop_s'], 2)} / {s['noop_written']}"),
        (
            "one-recommendation edit (s / written / expected)",
            lambda s: (
                f"{f(s['edit_s'], 2)} / {s['edit_written']} / {s['edit_expected']}"
                + ("" if s["edit_exact"] else " MISMATCH")
            ),
        ),
        ("highest 1-min load average seen", lambda s: f(s["load"], 1)),
    ]
    lines = ["| measure | " + " | ".join(f"~{s['target']:,} pages" for s in rows) + " |", "|---|" + "---:|" * len(rows)]
    for name, fn in cols[1:]:
        lines.append(f"| {name} | " + " | ".join(fn(s) for s in rows) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Benchmark the knowledge-base build.")
    ap.add_argument("--quick", action="store_true", help="only the ~100-page size, one run, no seed")
    ap.add_argument("--sizes", default=",".join(map(str, TARGETS)), help="target page counts, comma-separated")
    ap.add_argument("--runs", type=int, default=3, help="runs per size (median reported)")
    ap.add_argument("--large-runs", type=int, default=1, help="runs at the largest size when it is 5,000+ pages")
    ap.add_argument(
        "--pagefind",
        default=None,
        help="command that runs Pagefind (default: 'python -m pagefind' when importable, "
        "else 'pagefind' on PATH); 'none' to skip",
    )
    ap.add_argument("--profile", action="store_true", help="also profile the generator at the ~1,000-page size")
    ap.add_argument("--json", type=Path, default=None, help="write the raw results here")
    ap.add_argument("--work", type=Path, default=None, help="scratch folder (default: a new temp folder)")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--project", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--extra", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.worker:
        print(json.dumps(worker(args.worker, args.project, args.extra)))
        return 0
    global SOURCE

    sizes = [100] if args.quick else [int(x) for x in args.sizes.split(",")]
    runs = 1 if args.quick else args.runs
    work = Path(tempfile.mkdtemp(prefix="uprkb-bench-", dir=args.work))
    started = time.perf_counter()

    def log(msg: str) -> None:
        print(f"[{time.perf_counter() - started:7.1f}s] {msg}", file=sys.stderr, flush=True)

    info = machine()
    SOURCE = snapshot(work / "source")
    os.environ["UPRKB_BENCH_SOURCE"] = str(SOURCE)
    sys.path.insert(0, str(SOURCE / "src"))
    assert "uprkb" not in sys.modules
    pagefind = find_pagefind(args.pagefind)
    log("machine: " + ", ".join(f"{k} {v}" for k, v in info.items()))
    results: dict[str, Any] = {"machine": info, "sizes": [], "seed": None, "profile": None}
    failed = False
    try:
        for target in sizes:
            large = target >= 5000
            r = measure_size(
                target, args.large_runs if large else runs, work, pagefind if target == max(sizes) else None, log
            )
            results["sizes"].append(r)
            if args.json:
                args.json.write_text(json.dumps(results, indent=1, default=str))
        if not args.quick:
            results["seed"] = measure_seed(runs, work, log)
        if args.profile:
            done = [r["n"] for r in results["sizes"] if r["target"] == 1000]
            n = done[0] if done else solve_n(1000, work)[0]
            proj = work / "profile"
            make_project(proj, n)
            results["profile"] = spawn("profile", proj)
            shutil.rmtree(proj, ignore_errors=True)
    finally:
        if args.json:
            args.json.write_text(json.dumps(results, indent=1, default=str))
        shutil.rmtree(work, ignore_errors=True)

    rows = [summarize(r) for r in results["sizes"]]
    print(
        f"Machine: {info['cpu']}, {info['nproc']} cores, {info['ram']} RAM, Python {info['python']}, "
        f"MkDocs {info['mkdocs']}, Material {info['material']}, Markdown {info['markdown']}; "
        f"commit {info.get('commit', 'unknown')}"
    )
    print()
    print(table(rows))
    print()
    for s in rows:
        if s["runs"] == 1 and not args.quick:
            print(f"~{s['target']:,} pages: one run only (each run takes minutes).")
    if results["seed"]:
        seed = results["seed"]
        times = [b["total"] for b in seed["build"]]
        print(
            f"Seed (data/, {seed['pages']} generated pages): cold full build median {med(times):.2f}s "
            f"(runs {', '.join(f'{t:.2f}' for t in times)}); generate "
            f"{med([b['timings']['generate'] for b in seed['build']]):.2f}s, MkDocs "
            f"{med([b['timings']['mkdocs'] for b in seed['build']]):.2f}s"
        )
    for s in rows:
        pf = s.get("pagefind")
        if pf and "error" not in pf:
            print(
                f"Pagefind at ~{s['target']:,} pages: {pf['seconds']:.1f}s post-build, {pf['bytes'] / 1e6:.1f} MB "
                f"in {pf['files']} files ({pf['index_chunks']} index chunks, {pf['index_bytes'] / 1e6:.1f} MB; "
                f"fragments {pf['fragment_bytes'] / 1e6:.1f} MB); about {pf['first_query_bytes'] / 1e6:.2f} MB "
                f"loaded for a first one-word query, versus {s['search_mb']:.1f} MB "
                f"({s['search_gzip_mb']:.1f} MB gzip) of search_index.json for Material's search"
            )
    if len(rows) > 1:
        first, last = rows[0], rows[-1]
        print(
            f"bytes/page ratio, largest ÷ smallest: {last['bytes_per_page'] / first['bytes_per_page']:.2f} "
            f"(HTML only {last['html_bytes_per_page'] / first['html_bytes_per_page']:.2f})"
        )
    failed = any(s["noop_written"] or not s["edit_exact"] for s in rows)
    if results.get("profile"):
        prof = results["profile"]
        print(
            "\nGenerator profile at ~1,000 pages, phases (s): "
            + ", ".join(f"{k} {v:.2f}" for k, v in prof["phases"].items())
        )
        print(prof["report"])
    log("done")
    return 1 if failed else 0


def find_pagefind(option: str | None) -> list[str] | None:
    if option == "none":
        return None
    if option:
        return option.split()
    try:
        import pagefind  # noqa: F401

        return [sys.executable, "-m", "pagefind"]
    except ImportError:
        pass
    exe = shutil.which("pagefind") or shutil.which("pagefind_extended")
    return [exe] if exe else None


if __name__ == "__main__":
    sys.exit(main())
