#!/usr/bin/env python3
"""Benchmark the review importers on UPR Info's real export, and validation of what they write.

    .venv/bin/python benchmarks/import_bench.py [--runs 5]

Prints, for the whole UPR Info fixture (7,786 rows, 41 reviews; ../shared/fixtures):

* ``read``: decode, parse and map the CSV (rows/s);
* ``import``: read + merge + validate every record + emit YAML + write 82 files into an
  empty data folder (rows/s; the target is at least 20,000 rows/s);
* ``import, CPU time``: the same, counting only this process's CPU time (the wall time
  includes waiting for the CPU when other work shares the machine);
* ``re-import``: the same file again over what it wrote (nothing changes, nothing is written);
* ``validate``: ``build_site.py validate`` in a fresh process over the knowledge base holding
  those reviews, Slovenia's 4th-cycle review (254 records) and the seed: wall time and peak memory.

Import figures are the best of ``--runs`` runs, each in a fresh temporary data folder.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from uprkb.importers import ReadOptions, load_mapper, read, run_import  # noqa: E402

FIXTURES = ROOT.parent / "shared" / "fixtures"
CSV = FIXTURES / "upr-info" / "upr-info-sessions-17-20.csv"
SVN = FIXTURES / "ohchr-slovenia-upr4"
DAY = dt.date(2026, 1, 5)
TARGET = 20_000


def fresh_data(tmp: Path) -> Path:
    data = tmp / "data"
    shutil.copytree(ROOT / "data", data)
    return data


def options(data: Path, **kw: object) -> ReadOptions:
    return ReadOptions(data_dir=data, mapper=load_mapper(data), **kw)  # type: ignore[arg-type]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if not CSV.exists():
        print(f"skipped: the UPR Info fixture is not at {CSV}")
        return 0
    rows = 7786
    read_times, import_times, reimport_times, import_cpu = [], [], [], []
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        for i in range(args.runs):
            data = fresh_data(tmp / f"run{i}")
            opts = options(data, select_all=True, encoding="mac-roman")
            t0 = time.perf_counter()
            result = read("upr-info", CSV, opts)
            read_times.append(time.perf_counter() - t0)
            assert sum(len(r.records) for r in result.reviews) == rows
            t0, c0 = time.perf_counter(), time.process_time()
            report = run_import("upr-info", CSV, opts, today=DAY)
            import_times.append(time.perf_counter() - t0)
            import_cpu.append(time.process_time() - c0)
            assert report.records == rows and len(report.written) == 82
            t0 = time.perf_counter()
            again = run_import("upr-info", CSV, opts, today=DAY)
            reimport_times.append(time.perf_counter() - t0)
            assert again.written == []
        data = fresh_data(tmp / "kb")
        run_import("upr-info", CSV, options(data, select_all=True, encoding="mac-roman"), today=DAY)
        if SVN.exists():
            run_import("wg-report", SVN / "A_HRC_59_15_working-group-report.md", options(data), today=DAY)
            run_import("responses", SVN / "A_HRC_59_15_Add1_state-responses.txt", options(data), today=DAY)
            run_import("ohchr-matrix", SVN / "thematic-list-of-recommendations.txt", options(data), today=DAY)
        size = sum(p.stat().st_size for p in (data / "reviews").rglob("*.yaml"))
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, str(ROOT / "build_site.py"), "validate", "--data", str(data)],
            capture_output=True,
            text=True,
        )
        validate_s = time.perf_counter() - t0
        peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        del before
        ok = proc.returncode == 0
    best_read, best_import, best_re = min(read_times), min(import_times), min(reimport_times)
    print(f"UPR Info export: {rows:,} rows, 41 reviews (best of {args.runs} runs)")
    print(f"  read (parse + map)      {best_read * 1000:8.1f} ms  {rows / best_read:10,.0f} rows/s")
    print(
        f"  import (write 82 files) {best_import * 1000:8.1f} ms  {rows / best_import:10,.0f} rows/s"
        f"  target >= {TARGET:,}: {'met' if rows / best_import >= TARGET else 'MISSED'}"
    )
    best_cpu = min(import_cpu)
    print(
        f"  import, CPU time only   {best_cpu * 1000:8.1f} ms  {rows / best_cpu:10,.0f} rows/s  (other load excluded)"
    )
    print(f"  re-import (no change)   {best_re * 1000:8.1f} ms  {rows / best_re:10,.0f} rows/s")
    print(f"  machine load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs while measuring")
    print(f"Knowledge base: seed + 42 reviews ({rows + 254:,} received recommendations, {size / 1e6:.1f} MB of YAML)")
    print(f"  validate (fresh process) {validate_s:7.2f} s   peak {peak_mib:,.0f} MiB   {'OK' if ok else 'FAILED'}")
    if not ok:
        print(proc.stdout[-2000:], proc.stderr[-2000:])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
