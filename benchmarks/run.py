#!/usr/bin/env python3
"""Benchmark where people wait: the live preview, regeneration, cold builds, memory.

    .venv/bin/python benchmarks/run.py                       # the seed and ~1,000 pages (about 30 min, 2 cores)
    .venv/bin/python benchmarks/run.py --sizes 100,1000,5000 # the scale table at three sizes (over an hour)
    .venv/bin/python benchmarks/run.py --quick               # the seed and ~100 pages, one run (smoke test)

It prints the figures the targets are about (edit-to-preview, builds per save,
no-op and one-edit regeneration, cold build against plain MkDocs, generation
rate, peak memory), says which targets are met and by how much each is missed,
then the scale table.

Every size gets its own temporary project (``mkdocs.yml``, ``docs/`` without
``docs/kb``, ``overrides/``, ``templates/`` and a synthetic ``data/`` from
:mod:`benchmarks.synth`; the seed is the real ``data/``). Every measurement runs
in a fresh subprocess, so its peak memory (``ru_maxrss``) and timing are its own:

* ``generate``: cold (no validated-file cache) load + validate + index + render + write of ``docs/kb``;
* ``build``: the full cold ``build_site`` (no cache of validated files; the Word and PDF
  documents, which are cached by content across builds, made beforehand by ``documents``);
* ``mkdocs``: ``run_mkdocs`` alone on the same generated ``docs/``;
* ``noop``: ``generate_docs`` again on unchanged data, in a fresh process (files written must be 0);
* ``edit``: ``generate_docs`` after one recommendation's text changed in the YAML
  (files written must be exactly the pages whose ``Page.shows`` holds it);
* ``preview``: what ``serve`` does after a save, in one process (every page rendered): a no-op, then one edit;
* ``serve`` / plain ``mkdocs serve``: a real server on 127.0.0.1; one file edited
  (the YAML, or for plain MkDocs the generated Markdown page), the page fetched
  every 20 ms until the new text shows; median of ``--serve-edits`` edits.

Figures are medians of ``--runs`` runs (``--seed-runs`` for the seed, whose cold
builds alternate with MkDocs-alone runs). The number of submissions N for each
target page count is found by trying: two small corpora give the pages per
submission, N is solved for the target, and the page count of the cold generate
at that N is checked against the target (N is corrected if it misses by over 3%).
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
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
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
SEED_REC = "r-punish-mass-torture-of-migrants"
SEED_FILE = "submissions/ili-kazakhstan-upr4/sections/05-freedom-of-torture.yaml"
SERVE_EDITS = 5


def apply_edit(data: Path, rec: str, text: str) -> Path:
    """Give recommendation ``rec`` the text ``text`` in its YAML file (the seed's or a synthetic one)."""
    if rec != SEED_REC:
        return edit_recommendation(data, rec, text)
    path = data / SEED_FILE
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.strip() == f"- id: {rec}")
    k = next(i for i in range(at + 1, len(lines)) if lines[i].lstrip().startswith("text: "))
    lines[k] = lines[k][: lines[k].index("text: ")] + f"text: {text}\n"
    path.write_text("".join(lines), encoding="utf-8")
    return path


# ---------------------------------------------------------------------------
# Workers: one measurement each, in a fresh interpreter; print one JSON line
# ---------------------------------------------------------------------------


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def _paths(project: Path, site: Path | None = None) -> Any:
    from uprkb.core.project import Project

    paths = Project.at(project)
    return paths.with_(site=site) if site is not None else paths


def _generate_phases(paths: Any) -> dict[str, Any]:
    """The generator's stages, timed one by one (the same calls as ``generate_docs``, without the
    Word and PDF documents, which are exports made by the build and cached by content)."""
    from uprkb.build.site import read_link_report
    from uprkb.check.validate import check
    from uprkb.core import cache
    from uprkb.core.memory import fewer_collections
    from uprkb.core.project import site_url
    from uprkb.exports.downloads import downloads
    from uprkb.index.kb import public_index
    from uprkb.present.links import GENERATED, Permalinks
    from uprkb.site.generate import generate

    t0 = time.perf_counter()
    with fewer_collections(), cache.using(cache.for_project(paths.cache)):
        result = check(paths.data)
    t1 = time.perf_counter()
    if not result.ok or result.kb is None:
        raise SystemExit(f"the corpus does not validate: {result.problems.errors[:3]}")
    from uprkb.check.editorial import limits

    kb = public_index(result.kb, result.dataset)
    kb.word_limits = limits(result.dataset)[0]
    t2 = time.perf_counter()
    url = site_url(paths.config)
    with fewer_collections():
        files = downloads(kb, Permalinks(url))
    t3 = time.perf_counter()
    del files
    stats, _permalinks = generate(
        kb, paths.docs, url, read_link_report(paths.link_report), paths.templates, cache=paths.cache
    )
    t4 = time.perf_counter()
    return {
        "load_validate": t1 - t0,
        "index": t2 - t1,
        "render": t4 - t3,
        "downloads": t3 - t2,
        "total": (t2 - t0) + (t4 - t3),
        "pages": stats.pages,
        "written": len(stats.written),
        "counts": kb.record_count(),
        "md_bytes": sum(p.stat().st_size for p in (paths.docs / GENERATED).rglob("*.md")),
    }


def _import_rate(paths: Any, csvs: list[Path]) -> dict[str, Any]:
    """Rows per CPU second of the UPR Info importer (read, map, build the records; nothing written)."""
    from uprkb.importers import ReadOptions, load_mapper, run_import

    encoding = os.environ.get("UPRKB_BENCH_UPR_INFO_ENCODING", "mac-roman")
    cpu = 0.0
    # A first import, as the command makes it: into the seed's data without the reviews just imported.
    fresh = Path(tempfile.mkdtemp(prefix="uprkb-import-")) / "data"
    shutil.copytree(paths.data, fresh, ignore=shutil.ignore_patterns("reviews"))
    for csv in csvs:
        options = ReadOptions(data_dir=fresh, mapper=load_mapper(fresh), encoding=encoding, select_all=True)
        c0 = time.process_time()
        report = run_import("upr-info", csv, options, dry_run=True)
        cpu += time.process_time() - c0
        del report
    shutil.rmtree(fresh.parent, ignore_errors=True)
    from uprkb.check.validate import check

    result = check(paths.data)
    kb = result.kb
    counts = kb.record_count() if kb is not None else {}
    if kb is not None:
        counts["reviews"] = len(kb.reviews)
        counts["received_recommendations"] = sum(len(r.recommendations) for r in kb.reviews.values())
    return {"import_cpu": cpu, "counts": counts}


def _preview_regeneration(paths: Any, rec: str | None) -> dict[str, Any]:
    """What ``serve`` does after a save, in one process: a first run, a no-op, then one edit."""
    from uprkb.preview.server import Preview

    preview = Preview(paths)
    t0 = time.perf_counter()
    first = preview.regenerate()
    t1 = time.perf_counter()
    noop = preview.regenerate()
    t2 = time.perf_counter()
    assert rec is not None and first.stats is not None and noop.stats is not None
    apply_edit(paths.data, rec, EDITED.format(k="preview"))
    t3 = time.perf_counter()
    edit = preview.regenerate()
    t4 = time.perf_counter()
    assert edit.stats is not None, edit.problems[:3]
    return {
        "first_s": t1 - t0,
        "noop_s": t2 - t1,
        "noop_written": len(noop.stats.written),
        "edit_s": t4 - t3,
        "edit_written": sorted(edit.stats.written),
        "total": t4 - t0,
    }


def worker(kind: str, project: Path, extra: str | None) -> dict[str, Any]:
    from uprkb.build.site import build_site, generate_docs, run_mkdocs
    from uprkb.present.links import GENERATED

    paths = _paths(project)
    base_rss = _rss_mb()
    out: dict[str, Any] = {"kind": kind}
    if kind in ("generate", "build", "profile"):
        shutil.rmtree(paths.docs / GENERATED, ignore_errors=True)
        # cold: no validated-file cache nor drawn charts; the Word and PDF documents (made
        # beforehand by ``documents``, cached by content) are kept
        for part in (project / ".cache").glob("*"):
            if part.name != "documents":
                shutil.rmtree(part, ignore_errors=True) if part.is_dir() else part.unlink()
    if kind == "build":
        shutil.rmtree(paths.site, ignore_errors=True)
    site = Path(extra or project / "site-mkdocs") if kind == "mkdocs" else None
    if site is not None:
        shutil.rmtree(site, ignore_errors=True)
    load = os.getloadavg()[0]
    kids0 = resource.getrusage(resource.RUSAGE_CHILDREN)
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
    elif kind == "documents":
        # The Word and PDF documents a build makes, into their cache (keyed by content), untimed by the others.
        _result, _kb, stats, _permalinks = generate_docs(paths, documents=True)
        out["written"] = len(stats.written)
    elif kind == "preview":
        out.update(_preview_regeneration(paths, extra))
    elif kind == "import-rate":
        out.update(_import_rate(paths, [Path(x) for x in (extra or "").split(os.pathsep) if x]))
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
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    out["cpu"] = time.process_time() - cpu0
    # Programs the step ran (Pagefind, pandoc, LibreOffice) count too.
    out["child_cpu"] = kids.ru_utime + kids.ru_stime - kids0.ru_utime - kids0.ru_stime
    out["cpu"] += out["child_cpu"]
    out["child_rss_mb"] = kids.ru_maxrss / 1024
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
    for name in ("overrides",):
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
    for name in ("src", "overrides", "data"):
        shutil.copytree(ROOT / name, dest / name, ignore=skip)
    shutil.copytree(ROOT / "docs", dest / "docs", ignore=shutil.ignore_patterns("kb"))
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    return dest


def count_pages(project: Path) -> int:
    """Generated pages of a (small) project, counted in this process."""
    from uprkb.build.site import generate_docs

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
# Edit-to-preview: a real server on loopback, one file edited, the page polled
# ---------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return str(r.read().decode("utf-8"))
    except OSError:
        return None


_RELOAD = re.compile(r"livereload\((\d+), (\d+)\)")


def _wait_for_reload(server: str, html: str | None) -> None:
    """What the live-reload script in a page does: ask the server for the build after the page's own
    and wait for the answer (given when a build finishes). Without the script, a short pause."""
    m = _RELOAD.search(html or "")
    if m is None:
        time.sleep(0.02)
        return
    _get(f"{server}/livereload/{m[1]}/{m[2]}")


def _peak_mb(pid: int) -> float:
    """The peak resident memory of a running process (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def section_page(pages: list[str]) -> str:
    """The section page among the pages that show a recommendation (``<submission>/<section>.md``)."""
    return next(
        p
        for p in sorted(pages)
        if p.count("/") == 1
        and p.rsplit("/", 1)[1] not in ("index.md", "full-text.md")
        and p.rsplit("/", 1)[1] != "sources.md"
    )


def measure_serve(proj: Path, rec: str, page: str, plain: bool, edits: int, log: Any) -> dict[str, Any]:
    """Edit-to-preview latency of ``build_site.py serve`` (or of plain ``mkdocs serve`` when ``plain``).

    The server runs as it would for an editor; each edit writes one file (the recommendation's
    YAML, or for plain MkDocs the generated Markdown page), and the page is followed as a browser
    showing it follows it: the live-reload script's request waits for the next finished build, then
    the page is fetched, until the new text is in it. Between edits the server is left idle for
    1.5 s, so a second build set off by the same save would show in its log.
    """
    port = _free_port()
    name = "mkdocs-serve" if plain else "serve"
    log_path = proj / f"{name}.log"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(SOURCE / "src"), str(ROOT)]),
        "UPRKB_BENCH_SOURCE": str(SOURCE),
        "UPRKB_NO_BOOTSTRAP": "1",
    }
    env.pop("UPRKB_SITE_URL", None)
    addr = f"127.0.0.1:{port}"
    if plain:
        cmd = [sys.executable, "-m", "mkdocs", "serve", "-f", str(proj / "mkdocs.yml"), "--dev-addr", addr]
    else:
        cmd = [sys.executable, "-c", "from uprkb.cli import main; main(prog_name='build_site.py')"]
        cmd += ["--root", str(proj), "serve", "--dev-addr", addr]
    url = f"http://{addr}/kb/{page.removesuffix('.md')}/"
    md = proj / "docs" / "kb" / page
    original = md.read_text(encoding="utf-8") if plain else ""
    res: dict[str, Any] = {"latency": [], "builds": [], "events": [], "regenerate": [], "updated": []}
    with log_path.open("w", encoding="utf-8") as out:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=proj)
        try:
            while "Serving on" not in log_path.read_text(encoding="utf-8") or _get(url) is None:
                if proc.poll() is not None or time.perf_counter() - t0 > 900:
                    raise RuntimeError(f"{name} did not start:\n{log_path.read_text(encoding='utf-8')[-3000:]}")
                time.sleep(0.1)
            res["startup_s"] = time.perf_counter() - t0
            time.sleep(2.0)
            for k in range(1, edits + 1):
                offset = len(log_path.read_text(encoding="utf-8"))
                marker = f"variant {name} {k}"
                t = time.perf_counter()
                if plain:
                    md.write_text(original + f"\n\nThe edited text, {marker}.\n", encoding="utf-8")
                else:
                    apply_edit(proj / "data", rec, EDITED.format(k=f"{name} {k}"))
                while True:
                    html = _get(url)
                    if html is not None and marker in html:
                        break
                    if time.perf_counter() - t > 900:
                        raise RuntimeError(f"{name}: edit {k} never showed")
                    _wait_for_reload(f"http://{addr}", html)
                res["latency"].append(time.perf_counter() - t)
                time.sleep(1.5)
                text = log_path.read_text(encoding="utf-8")[offset:]
                res["builds"].append(text.count("Building documentation" if plain else "Preview updated"))
                res["events"].append(text.count("Detected file changes"))
                regen = re.findall(r"rendered, ([0-9.]+) s\)", text)
                updated = re.findall(r"Preview updated in ([0-9.]+) s", text)
                res["regenerate"] += [float(x) for x in regen]
                res["updated"] += [float(x) for x in updated]
                log(
                    f"[{name}] edit {k}: {res['latency'][-1]:.2f}s to the page, {res['builds'][-1]} build(s),"
                    f" {res['events'][-1]} watcher event(s)"
                )
            res["peak_rss_mb"] = _peak_mb(proc.pid)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    if plain:
        md.write_text(original, encoding="utf-8")
    res["log_tail"] = log_path.read_text(encoding="utf-8")[-1500:]
    return res


# ---------------------------------------------------------------------------
# One size
# ---------------------------------------------------------------------------


def med(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def measure_size(
    target: int, runs: int, work: Path, pagefind: list[str] | None, log: Any, serve_edits: int = 0
) -> dict[str, Any]:
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
        res.setdefault("documents", []).append(spawn("documents", proj))
        b = spawn("build", proj)
        res["build"].append(b)
        m = spawn("mkdocs", proj, str(work / "site-mkdocs"))
        res["mkdocs"].append(m)
        # Material's index as plain MkDocs writes it (a build that uses Pagefind writes none).
        raw = (work / "site-mkdocs" / "search" / "search_index.json").read_bytes()
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
    if serve_edits:
        page = section_page(res["edit"][-1]["expected"])
        res["preview"] = spawn("preview", proj, rec)
        res["serve"] = measure_serve(proj, rec, page, False, serve_edits, log)
        res["plain_serve"] = measure_serve(proj, rec, page, True, serve_edits, log)
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


def measure_seed(runs: int, work: Path, log: Any, serve_edits: int) -> dict[str, Any]:
    """The seed (``data/``): cold builds alternating with MkDocs alone, regeneration, and the preview."""
    proj = work / "seed"
    make_project(proj, None)
    builds, mkdocs = [], []
    documents = spawn("documents", proj)
    for _ in range(runs):
        builds.append(spawn("build", proj))
        mkdocs.append(spawn("mkdocs", proj, str(work / "site-mkdocs")))
        shutil.rmtree(work / "site-mkdocs", ignore_errors=True)
    total, html = folder_bytes(proj / "site")
    log(f"[seed] cold builds {[round(b['total'], 2) for b in builds]}")
    log(f"[seed] MkDocs alone {[round(m['total'], 2) for m in mkdocs]}")
    gen = [spawn("generate", proj) for _ in range(runs)]
    noop = [spawn("noop", proj) for _ in range(runs)]
    edit = []
    for k in range(runs):
        apply_edit(proj / "data", SEED_REC, EDITED.format(k=f"seed {k}"))
        edit.append(spawn("edit", proj, SEED_REC))
    res: dict[str, Any] = {
        "documents": [documents],
        "build": builds,
        "mkdocs": mkdocs,
        "gen": gen,
        "noop": noop,
        "edit": edit,
        "pages": builds[0]["pages"],
        "site_bytes": total,
        "html_pages": html,
    }
    if serve_edits:
        page = "ili-kazakhstan-upr4/freedom-of-torture.md"
        res["preview"] = spawn("preview", proj, SEED_REC)
        res["serve"] = measure_serve(proj, SEED_REC, page, False, serve_edits, log)
        res["plain_serve"] = measure_serve(proj, SEED_REC, page, True, serve_edits, log)
    shutil.rmtree(proj, ignore_errors=True)
    return res


def measure_upr_info(
    csvs: list[Path], work: Path, pagefind: list[str] | None, log: Any, runs: int = 3, browser: bool = True
) -> dict[str, Any]:
    """The knowledge base holding UPR Info's exports (every State and session of each file, imported in
    the order given; a later file's rows for a review already imported update it) plus the seed."""
    proj = work / "upr-info"
    make_project(proj, None)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SOURCE / "src"), str(ROOT)])}
    imports = []
    for csv in csvs:
        cmd = [sys.executable, "-c", "from uprkb.cli import main; main(prog_name='build_site.py')"]
        cmd += ["--root", str(proj), "import", "upr-info", str(csv), "--all", "--date", "2026-01-01"]
        cmd += ["--encoding", os.environ.get("UPRKB_BENCH_UPR_INFO_ENCODING", "mac-roman")]  # the fixtures' encoding
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=proj)
        wall = time.perf_counter() - t
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if proc.returncode != 0:
            raise RuntimeError(f"import failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
        m = re.search(r"([0-9,]+) record\(s\) from .* into ([0-9,]+) review", proc.stdout)
        rows = int(m.group(1).replace(",", "")) if m else 0
        cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
        imports.append({"file": csv.name, "rows": rows, "reviews": int(m.group(2)) if m else 0, "s": wall, "cpu": cpu})
        log(f"[upr-info] {csv.name}: {rows:,} rows in {wall:.1f}s ({cpu:.2f}s CPU, interpreter start included)")
    # The importer's own rate, without the interpreter start and imports: the same files read in one process.
    rate = spawn("import-rate", proj, os.pathsep.join(str(c) for c in csvs))
    rate["rows"] = sum(i["rows"] for i in imports)
    rate["rows_per_cpu_s"] = rate["rows"] / rate["import_cpu"] if rate["import_cpu"] else 0.0
    spawn("documents", proj)
    builds, mkdocs = [], []
    for _ in range(runs):
        builds.append(spawn("build", proj))
        mkdocs.append(spawn("mkdocs", proj, str(work / "site-mkdocs")))
        log(
            f"[upr-info] build {builds[-1]['total']:.1f}s ({builds[-1]['cpu']:.1f}s CPU, "
            f"{builds[-1]['rss_mb']:.0f} MB), "
            f"MkDocs alone {mkdocs[-1]['total']:.1f}s ({mkdocs[-1]['cpu']:.1f}s CPU, {mkdocs[-1]['rss_mb']:.0f} MB)"
        )
    plain_site = work / "site-mkdocs"
    site = proj / "site"
    total, html = folder_bytes(site)
    search = (plain_site / "search" / "search_index.json").read_bytes()
    res: dict[str, Any] = {
        "imports": imports,
        "import_rate": rate,
        "build": builds,
        "mkdocs": mkdocs,
        "pages": builds[0]["pages"],
        "counts": rate.get("counts", {}),
        "html_pages": html,
        "site_bytes": total,
        "search_bytes": len(search),
        "search_gzip_bytes": len(gzip.compress(search, 6)),
    }
    if (site / "pagefind").is_dir():
        files = [p for p in (site / "pagefind").rglob("*") if p.is_file()]
        res["pagefind_bytes"] = sum(p.stat().st_size for p in files)
        res["pagefind_files"] = len(files)
    if browser:
        try:
            from benchmarks.search_bench import measure as search_measure

            res["search_browser"] = {
                "material": search_measure(plain_site, "torture", 3),
                "pagefind": search_measure(site, "torture", 3) if (site / "pagefind").is_dir() else None,
            }
        except Exception as exc:  # no Chromium or Playwright: the figures say so
            res["search_browser"] = {"error": repr(exc)}
    res["profile"] = spawn("profile", proj)
    shutil.rmtree(plain_site, ignore_errors=True)
    shutil.rmtree(proj, ignore_errors=True)
    return res


# ---------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------


def runs_of(xs: list[dict[str, Any]]) -> str:
    return ", ".join(f"{x['total']:.1f}" for x in xs)


def upr_info_report(u: dict[str, Any]) -> str:
    """The whole record: the figures, then each target met or missed (by how much), then the profile."""
    b, m = u["build"], u["mkdocs"]
    build_s, mk_s = med([x["total"] for x in b]), med([x["total"] for x in m])
    build_cpu, mk_cpu = med([x["cpu"] for x in b]), med([x["cpu"] for x in m])
    peak = max(x["rss_mb"] for x in b)
    kids = max(x.get("child_rss_mb", 0) for x in b)
    t = {k: med([x["timings"].get(k, 0) for x in b]) for k in ("generate", "mkdocs", "search", "verify")}
    counts = u.get("counts", {})
    rate = u["import_rate"]
    lines = [
        "The whole UPR record (UPR Info's exports plus the seed):",
        "",
        "| measure | value |",
        "|---|---:|",
        *(
            f"| import `{i['file']}` | {i['rows']:,} rows into {i['reviews']} reviews, {i['s']:.1f} s "
            f"({i['cpu']:.2f} s CPU with the interpreter's start) |"
            for i in u["imports"]
        ),
        "| importer alone, all files (a first import, dry run, in one process) | "
        f"{rate['rows']:,} rows in {rate['import_cpu']:.2f} s "
        f"CPU: **{rate['rows_per_cpu_s']:,.0f} rows/s** |",
        f"| received recommendations / reviews / generated pages / HTML pages | "
        f"{counts.get('received_recommendations', counts.get('received', 0)):,} / {counts.get('reviews', 0):,} / "
        f"{u['pages']:,} / {u['html_pages']:,} |",
        f"| cold build, median of {len(b)} (s; CPU s, programs it ran included) | "
        f"{build_s:.1f} ({runs_of(b)}); CPU {build_cpu:.1f} |",
        f"|   of which generate / MkDocs / Pagefind / safety scan (s) | "
        f"{t['generate']:.1f} / {t['mkdocs']:.1f} / {t['search']:.1f} / {t['verify']:.1f} |",
        f"| plain MkDocs on the same pages, median of {len(m)} (s; CPU s) | "
        f"{mk_s:.1f} ({runs_of(m)}); CPU {mk_cpu:.1f} |",
        f"| **cold build ÷ plain MkDocs**: wall / CPU | **{build_s / mk_s:.2f}× / {build_cpu / mk_cpu:.2f}×** |",
        f"| peak memory: build / MkDocs alone / largest program it ran (MB) | {peak:.0f} / "
        f"{max(x['rss_mb'] for x in m):.0f} / {kids:.0f} |",
        f"| site; Material's `search_index.json` (plain MkDocs) | {u['site_bytes'] / 1e6:.1f} MB; "
        f"{u['search_bytes'] / 1e6:.1f} MB ({u['search_gzip_bytes'] / 1e6:.2f} MB gzip) |",
    ]
    if "pagefind_bytes" in u:
        lines.append(
            f"| Pagefind index (all files) | {u['pagefind_bytes'] / 1e6:.1f} MB in {u['pagefind_files']:,} files |"
        )
    sb = u.get("search_browser") or {}
    for engine in ("material", "pagefind"):
        r = sb.get(engine)
        if not r:
            continue
        for width in ("1280", "390"):
            w = r[width]
            lines.append(
                f"| search in Chromium, {engine}, {width} px: first results after the last key (ms, median; runs) / "
                f"transferred for search | {w['median_ms']:.0f} ({', '.join(f'{x:.0f}' for x in w['first_result_ms'])})"
                f" / {w['bytes'] / 1e6:.2f} MB ({w['gzip_bytes'] / 1e6:.2f} MB gzip) |"
            )
    if "error" in sb:
        lines.append(f"| search in Chromium | not measured: {sb['error'][:200]} |")
    lines += ["", "Targets, the whole record:"]

    def verdict(what: str, value: float, limit: float, unit: str, why: str, higher: bool = False) -> None:
        ok = value >= limit if higher else value <= limit
        by = (limit / value if higher else value / limit) if value else float("inf")
        lines.append(
            f"- {what}: {value:,.2f}{unit} against {limit:,.2f}{unit}: "
            + ("met" if ok else f"MISSED ({by:.2f}× the target; {why})")
        )

    gen_share = f"generate {t['generate']:.1f} s + Pagefind {t['search']:.1f} s + scan {t['verify']:.1f} s"
    verdict(
        "cold build ÷ plain MkDocs (wall)", build_s / mk_s, 1.3, "×", f"on top of MkDocs: {gen_share}; see the profile"
    )
    verdict("cold build ÷ plain MkDocs (CPU)", build_cpu / mk_cpu, 1.3, "×", f"on top of MkDocs: {gen_share}")
    verdict("peak memory of the build", peak, 500, " MB", "the records held while generating")
    verdict("import, rows per CPU second", rate["rows_per_cpu_s"], 20000, " rows/s", "the importer", higher=True)
    pf = sb.get("pagefind") if isinstance(sb, dict) else None
    if pf:
        for width in ("1280", "390"):
            verdict(f"search: first results, {width} px", pf[width]["median_ms"], 300, " ms", "Pagefind in the page")
            verdict(f"search: transferred per query, {width} px", pf[width]["bytes"] / 1e6, 1.0, " MB", "fragments")
            lines.append(
                f"- search: requests to other hosts, {width} px: "
                + (
                    "none (met)"
                    if not pf[width]["foreign_requests"]
                    else f"MISSED: {pf[width]['foreign_requests'][:3]}"
                )
            )
    prof = u.get("profile")
    if prof:
        lines += [
            "",
            "Generation of the whole record, profiled (cProfile, so about twice the real time); phases (s): "
            + ", ".join(f"{k} {v:.2f}" for k, v in prof["phases"].items()),
            prof["report"],
        ]
    return "\n".join(lines)


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
        "phases": {k: med([g[k] for g in r["gen"]]) for k in ("load_validate", "index", "render", "downloads")},
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
        "build_search_s": med([b["timings"].get("search", 0) for b in r["build"]]),
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
        # Pages only: the downloads change with any edit and are no page's ``shows``.
        "edit_exact": all(
            [w for w in x["written"] if not w.startswith("downloads/")] == x["expected"] and not x["removed"]
            for x in r["edit"]
        ),
        "pagefind": r.get("pagefind"),
    }


def speed(name: str, r: dict[str, Any]) -> dict[str, Any]:
    """The figures the targets are about, for the seed or one size."""
    build = med([b["total"] for b in r["build"]])
    mk = med([m["total"] for m in r["mkdocs"]])
    recs = r["gen"][0]["counts"].get("recommendations", 0)
    out: dict[str, Any] = {
        "name": name,
        "pages": r["gen"][0]["pages"],
        "recommendations": recs,
        "build_s": build,
        "mkdocs_s": mk,
        "ratio": build / mk,
        "cpu_ratio": med([b["cpu"] for b in r["build"]]) / med([m["cpu"] for m in r["mkdocs"]]),
        "gen_s": med([g["total"] for g in r["gen"]]),
        "recs_per_s": recs / med([g["total"] for g in r["gen"]]),
        "noop_s": med([x["total"] for x in r["noop"]]),
        "edit_s": med([x["total"] for x in r["edit"]]),
        "build_rss_mb": max(b["rss_mb"] for b in r["build"]),
        "mkdocs_rss_mb": max(m["rss_mb"] for m in r["mkdocs"]),
        "documents_s": r["documents"][0]["total"] if r.get("documents") else float("nan"),
        # Where a build's time goes besides MkDocs (the reason a ratio is missed).
        "parts": {
            k: med([b["timings"].get(k, 0.0) for b in r["build"]]) for k in ("generate", "mkdocs", "search", "verify")
        },
        "gen_phases": {k: med([g[k] for g in r["gen"]]) for k in ("load_validate", "render", "downloads")},
    }
    if "serve" in r:
        ours, plain, pv = r["serve"], r["plain_serve"], r["preview"]
        out.update(
            serve_s=med(ours["latency"]),
            serve_all=ours["latency"],
            serve_builds=max(ours["builds"]),
            serve_events=max(ours["events"]),
            serve_regen_s=med(ours["regenerate"]) if ours["regenerate"] else float("nan"),
            serve_updated_s=med(ours["updated"]) if ours["updated"] else float("nan"),
            serve_start_s=ours["startup_s"],
            serve_rss_mb=ours.get("peak_rss_mb", float("nan")),
            plain_s=med(plain["latency"]),
            plain_all=plain["latency"],
            plain_builds=max(plain["builds"]),
            plain_start_s=plain["startup_s"],
            plain_rss_mb=plain.get("peak_rss_mb", float("nan")),
            preview_noop_s=pv["noop_s"],
            preview_edit_s=pv["edit_s"],
            preview_edit_written=len(pv["edit_written"]),
        )
    return out


def speed_table(rows: list[dict[str, Any]]) -> str:
    def f(v: float, d: int = 2) -> str:
        return f"{v:,.{d}f}"

    def serve(key: str, fn: Any) -> Any:
        return lambda s: fn(s) if key in s else "not measured"

    cols = [
        ("generated pages / recommendations", lambda s: f"{s['pages']:,} / {s['recommendations']:,}"),
        (
            "edit-to-preview, `serve` (s, median of edits)",
            serve("serve_s", lambda s: f"**{f(s['serve_s'])}** ({', '.join(f(x) for x in s['serve_all'])})"),
        ),
        (
            "  of which regeneration / whole rebuild (s, from its log)",
            serve("serve_s", lambda s: f"{f(s['serve_regen_s'])} / {f(s['serve_updated_s'])}"),
        ),
        (
            "  builds per save (most seen; watcher events)",
            serve("serve_s", lambda s: f"{s['serve_builds']} ({s['serve_events']})"),
        ),
        (
            "edit-to-preview, plain `mkdocs serve` (s)",
            serve("plain_s", lambda s: f"{f(s['plain_s'])} ({', '.join(f(x) for x in s['plain_all'])})"),
        ),
        ("  builds per save (most seen)", serve("plain_s", lambda s: str(s["plain_builds"]))),
        (
            "server start to first page, ours / plain (s)",
            serve("serve_s", lambda s: f"{f(s['serve_start_s'], 1)} / {f(s['plain_start_s'], 1)}"),
        ),
        (
            "preview regeneration in process: no-op / one edit (s)",
            serve(
                "serve_s",
                lambda s: (
                    f"{f(s['preview_noop_s'])} / {f(s['preview_edit_s'])} "
                    f"({s['preview_edit_written']} files written, every page rendered)"
                ),
            ),
        ),
        ("`generate_docs` in a fresh process: no-op / one edit (s)", lambda s: f"{f(s['noop_s'])} / {f(s['edit_s'])}"),
        ("cold generation (s) / recommendations per s", lambda s: f"{f(s['gen_s'])} / {s['recs_per_s']:,.0f}"),
        ("Word and PDF documents of every submission, made once (s)", lambda s: f(s["documents_s"], 1)),
        ("cold full build, documents cached (s)", lambda s: f(s["build_s"])),
        ("plain MkDocs on the same pages (s)", lambda s: f(s["mkdocs_s"])),
        ("cold build ÷ plain MkDocs", lambda s: f"**{s['ratio']:.2f}×**"),
        (
            "peak memory: build / MkDocs alone / `serve` (MB)",
            lambda s: (
                f"{f(s['build_rss_mb'], 0)} / {f(s['mkdocs_rss_mb'], 0)} / "
                + (f(s["serve_rss_mb"], 0) if "serve_rss_mb" in s else "—")
            ),
        ),
    ]
    lines = ["| measure | " + " | ".join(s["name"] for s in rows) + " |", "|---|" + "---:|" * len(rows)]
    for name, fn in cols:
        lines.append(f"| {name} | " + " | ".join(fn(s) for s in rows) + " |")
    return "\n".join(lines)


def verdicts(rows: list[dict[str, Any]]) -> list[str]:
    """Each target, met or missed and by how much."""
    out = []

    def check(what: str, value: float, limit: float, unit: str, higher_is_better: bool = False, why: str = "") -> None:
        ok = value >= limit if higher_is_better else value <= limit
        by = (limit / value if higher_is_better else value / limit) if value else float("inf")
        out.append(
            f"- {what}: {value:,.2f}{unit} against {limit:,.2f}{unit}: "
            + ("met" if ok else f"MISSED ({by:.1f}× the target" + (f"; {why}" if why else "") + ")")
        )

    for s in rows:
        big = s["name"] != "seed"
        parts, phases = s.get("parts", {}), s.get("gen_phases", {})
        besides = (
            f"besides MkDocs' {parts.get('mkdocs', 0):.1f} s: generate {parts.get('generate', 0):.1f} s, "
            f"Pagefind {parts.get('search', 0):.1f} s, safety scan {parts.get('verify', 0):.1f} s"
        )
        generation = (
            f"load and validate {phases.get('load_validate', 0):.2f} s, pages {phases.get('render', 0):.2f} s, "
            f"downloads {phases.get('downloads', 0):.2f} s; every recommendation is shown on several pages"
        )
        if "serve_s" in s:
            check(f"edit-to-preview, {s['name']}", s["serve_s"], 2.0 if big else 1.0, " s")
            out.append(f"- one build per save, {s['name']}: " + ("met" if s["serve_builds"] == 1 else "MISSED"))
            if big:
                check(
                    f"no-op regeneration in the preview, {s['name']}",
                    s["preview_noop_s"],
                    0.5,
                    " s",
                    why="every page is rendered on each save, so the preview is never stale",
                )
        if big:
            check(
                f"no-op regeneration, fresh process, {s['name']}",
                s["noop_s"],
                0.5,
                " s",
                why="a fresh process reads every file and renders every page",
            )
        check(f"cold build ÷ plain MkDocs, {s['name']}", s["ratio"], 1.10, "×", why=besides)
        check(f"cold build ÷ plain MkDocs by CPU time, {s['name']}", s["cpu_ratio"], 1.10, "×", why=besides)
        check(
            f"cold generation, {s['name']}",
            s["recs_per_s"],
            2000,
            " recommendations/s",
            higher_is_better=True,
            why=generation,
        )
        if big:
            peak = max(s["build_rss_mb"], s.get("serve_rss_mb", 0))
            check(
                f"peak memory, {s['name']}",
                peak,
                300,
                " MB",
                why=f"build {s['build_rss_mb']:.0f} MB, `serve` {s.get('serve_rss_mb', 0):.0f} MB "
                "(the preview holds the data, the last MkDocs build and its own search index)",
            )
    return out


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
            "  load+validate / index / pages and downloads (of which downloads) (s)",
            lambda s: (
                " / ".join(f(s["phases"][k], 2) for k in ("load_validate", "index", "render"))
                + f" ({f(s['phases']['downloads'], 2)})"
            ),
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
            "  of which build_site generate / Pagefind / safety scan (s)",
            lambda s: f"{f(s['build_generate_s'], 1)} / {f(s['build_search_s'], 1)} / {f(s['build_verify_s'], 1)}",
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
    ap.add_argument("--quick", action="store_true", help="the seed and ~100 pages, one run, two edits (smoke test)")
    ap.add_argument("--sizes", default="1000", help=f"target page counts, comma-separated (e.g. {TARGETS})")
    ap.add_argument(
        "--seed-runs", type=int, default=5, help="alternating build / MkDocs runs on the seed (0: skip the seed)"
    )
    ap.add_argument(
        "--serve-edits", type=int, default=SERVE_EDITS, help="edits timed against each live server (0: none)"
    )
    ap.add_argument("--runs", type=int, default=3, help="runs per size (median reported)")
    ap.add_argument("--large-runs", type=int, default=1, help="runs at the largest size when it is 5,000+ pages")
    ap.add_argument(
        "--pagefind",
        default=None,
        help="command that runs Pagefind (default: 'python -m pagefind' when importable, "
        "else 'pagefind' on PATH); 'none' to skip",
    )
    ap.add_argument("--profile", action="store_true", help="also profile the generator at the ~1,000-page size")
    ap.add_argument(
        "--upr-info",
        type=Path,
        nargs="+",
        default=None,
        help="also build the knowledge base holding these UPR Info exports, imported in order (e.g. "
        "../shared/fixtures/upr-info/upr-info-sessions-{1-5,14-17,17-20}.csv) plus the seed; alone with --sizes ''",
    )
    ap.add_argument("--upr-info-runs", type=int, default=3, help="cold builds and MkDocs runs of the UPR Info KB")
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

    sizes = [100] if args.quick else [int(x) for x in args.sizes.split(",") if x]
    runs = 1 if args.quick else args.runs
    serve_edits = 2 if args.quick else args.serve_edits
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
    results: dict[str, Any] = {"machine": info, "sizes": [], "seed": None, "profile": None, "upr_info": None}
    failed = False
    try:
        if args.quick or args.seed_runs:
            results["seed"] = measure_seed(1 if args.quick else args.seed_runs, work, log, serve_edits)
        for target in sizes:
            large = target >= 5000
            r = measure_size(
                target,
                args.large_runs if large else runs,
                work,
                pagefind if target == max(sizes) else None,
                log,
                serve_edits if target <= 1000 else 0,
            )
            results["sizes"].append(r)
            if args.json:
                args.json.write_text(json.dumps(results, indent=1, default=str))
        if args.upr_info:
            results["upr_info"] = measure_upr_info(
                [p.resolve() for p in args.upr_info], work, pagefind, log, runs=args.upr_info_runs
            )
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

    if results["upr_info"]:
        print(upr_info_report(results["upr_info"]))
        print()
    rows = [summarize(r) for r in results["sizes"]]
    print(
        f"Machine: {info['cpu']}, {info['nproc']} cores, {info['ram']} RAM, Python {info['python']}, "
        f"MkDocs {info['mkdocs']}, Material {info['material']}, Markdown {info['markdown']}; "
        f"commit {info.get('commit', 'unknown')}"
    )
    print()
    speeds = ([speed("seed", results["seed"])] if results["seed"] else []) + [
        speed(f"~{r['target']:,} pages", r) for r in results["sizes"]
    ]
    if speeds:
        print("Where people wait (the targets):\n")
        print(speed_table(speeds))
        print()
        print("\n".join(verdicts(speeds)))
    if rows:
        print("\nScale table:\n")
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
            f"{med([b['timings']['mkdocs'] for b in seed['build']]):.2f}s; MkDocs alone "
            + ", ".join(f"{m['total']:.2f}" for m in seed["mkdocs"])
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
