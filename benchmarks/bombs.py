#!/usr/bin/env python3
"""Decompression and expansion bombs, one per import format, and the peak memory of each import.

    .venv/bin/python benchmarks/bombs.py [--inflated-mib 1024] [--only pdf,csv]

Makes, in a temporary folder, a small file per format that expands far beyond its size when
read, then runs the real ``build_site.py import …`` on it in a fresh process and prints the
process's peak resident memory (``ru_maxrss`` from ``wait4``: the largest of the import and the
programs it ran, LibreOffice for a ``.doc``), its time, its exit status and the first line it
printed. A small good CSV is run first: the memory any import starts from.

* **PDF** (``import wg-report``): one page whose content stream inflates to ``--inflated-mib``
  (FlateDecode, about a thousand to one);
* **Word .docx** (``import docx``): ``word/document.xml`` padded to ``--inflated-mib`` (a zip bomb);
* **.doc** (``import ohchr-matrix``): the same package named ``.doc``, which LibreOffice reads by
  its content;
* **.xls** (``import upr-info``): UPR Info's real export (``../shared/fixtures``) with one cell
  moved to row 65,536, column IV, so a reader that pads rows holds 16.7 million cells;
* **CSV** (``import upr-info``): 60 MiB of rows of one short recommendation each (about two
  million rows), within the 64 MiB input limit.

Every bomb must end in a located refusal (exit status 1), writing nothing, within 500 MB (the
PDF's target, held for every format); a line says so for each that does not, and the exit status
is 1. The ``.doc`` row needs LibreOffice, the ``.xls`` row the fixture (each skipped,
saying so, without it).
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

from tests.hostile import payloads  # noqa: E402 - the zip bombs the hostile tests plant

XLS_FIXTURE = PROJECT.parent / "shared" / "fixtures" / "upr-info" / "upr-info-sessions-1-5.xls"
TARGET_MB = 500
"""The most memory any refusal may take (the PDF's target; the same bound for every format)."""
DATE = "2026-01-05"
CSV_HEADER = b"To,To-Rgrp,To-Org,Text,From,From-Rgrp,From-Org,Response,Action,Issue,Session\n"


# -- the bombs ----------------------------------------------------------------------------------


def _deflated(inflated: int, unit: bytes = b" ") -> bytes:
    """``inflated`` bytes of ``unit`` repeated, deflated in pieces (never held whole)."""
    comp = zlib.compressobj(9)
    piece = unit * ((1 << 20) // len(unit))
    out = []
    left = inflated
    while left > 0:
        out.append(comp.compress(piece[: min(left, len(piece))]))
        left -= len(piece)
    out.append(comp.flush())
    return b"".join(out)


def pdf_bomb(inflated: int = 1 << 30) -> bytes:
    """A one-page PDF whose content stream inflates to ``inflated`` bytes of spaces."""
    stream = _deflated(inflated)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def docx_bomb(inflated: int = 1 << 30) -> bytes:
    """A real Word document whose ``word/document.xml`` is padded with ``inflated`` bytes of spaces
    (the hostile tests' bomb, :func:`tests.hostile.payloads.bomb`)."""
    return payloads.bomb(payloads.docx_bytes(), "word/document.xml", inflated)


def xls_bomb(_: Path) -> bytes | None:
    """UPR Info's real ``.xls`` export with one cell moved to row 65,536, column IV (the last a workbook
    has): a reader that pads its rows holds 65,536 × 256 cells. ``None`` without the fixture."""
    if not XLS_FIXTURE.is_file():
        return None
    data = bytearray(XLS_FIXTURE.read_bytes())
    labelsst = struct.pack("<HH", 0x00FD, 10)  # a cell holding a shared string: row, column, format, string
    at = data.find(labelsst)
    while at >= 0 and struct.unpack_from("<H", data, at + 4)[0] < 2:  # a cell below the header
        at = data.find(labelsst, at + 1)
    data[at + 4 : at + 8] = struct.pack("<HH", 0xFFFF, 0x00FF)
    return bytes(data)


def csv_bomb(size: int = 60 << 20) -> bytes:
    """UPR Info's header, then rows of one short recommendation each up to ``size`` bytes."""
    row = b"Kazakhstan,,,x,France,,,,,,34\n"
    return CSV_HEADER + row * ((size - len(CSV_HEADER)) // len(row))


def good_csv() -> bytes:
    row = b'Kazakhstan,Asia-Pacific,,"Ratify the convention.",France,WEOG,,Accepted,5,Rights of the Child,34\n'
    return CSV_HEADER + row * 3


# -- running an import --------------------------------------------------------------------------


@dataclass
class Outcome:
    status: int
    peak_mb: float
    seconds: float
    first_line: str


def measure(args: list[str], cwd: Path, timeout: float = 600.0) -> Outcome:
    """Run ``build_site.py ARGS`` in a fresh process; its peak memory, including the programs it ran."""
    env = {**os.environ, "UPRKB_NO_BOOTSTRAP": "1", "PYTHONPATH": str(PROJECT / "src")}
    t0 = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(
            [sys.executable, str(PROJECT / "build_site.py"), *args],
            cwd=cwd,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.05)
        proc.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - t0
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    lines = [line for line in text.splitlines() if line.strip()]
    first = next((line for line in lines if "error" in line or "[" in line), lines[0] if lines else "")
    return Outcome(proc.returncode, usage.ru_maxrss / 1024, seconds, first.strip())


Maker = Callable[[Path], "bytes | None"]


def cases(inflated: int) -> list[tuple[str, str, Maker, list[str]]]:
    """(format, file name, maker, the import's arguments after the file)."""
    review = ["--date", DATE]
    return [
        ("baseline: 3-row CSV", "good.csv", lambda _: good_csv(), ["upr-info", *review, "--all"]),
        ("PDF", "bomb.pdf", lambda _: pdf_bomb(inflated), ["wg-report", *review]),
        ("Word .docx", "bomb.docx", lambda _: docx_bomb(inflated), ["docx", "--submission", "bomb-kaz-upr4"]),
        (".doc", "bomb.doc", lambda _: docx_bomb(inflated), ["ohchr-matrix", *review]),
        (".xls", "bomb.xls", xls_bomb, ["upr-info", *review, "--all"]),
        ("CSV", "bomb.csv", lambda _: csv_bomb(), ["upr-info", *review, "--all"]),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inflated-mib", type=int, default=1024, help="What the PDF and Word bombs inflate to.")
    parser.add_argument("--only", default="", help="Comma-separated formats to run (pdf, docx, doc, xls, csv).")
    args = parser.parse_args()
    only = {x.strip().lower().lstrip(".") for x in args.only.split(",") if x.strip()}
    inflated = args.inflated_mib << 20
    print(f"{'format':<22} {'file':>10} {'inflates to':>12} {'peak RSS':>10} {'time':>8}  exit  first line")
    failed = False
    with tempfile.TemporaryDirectory(prefix="uprkb-bombs-") as tmp:
        work = Path(tmp)
        shutil.copytree(PROJECT / "data" / "vocabularies", work / "data" / "vocabularies")
        for name, file_name, make, rest in cases(inflated):
            key = file_name.rpartition(".")[2]
            if only and key not in only and not name.startswith("baseline"):
                continue
            if key == "doc" and not (shutil.which("soffice") or shutil.which("libreoffice")):
                print(f"{name:<22} skipped: LibreOffice is not installed")
                continue
            blob = make(work)
            if blob is None:
                print(f"{name:<22} skipped: the UPR Info fixture is not at {XLS_FIXTURE}")
                continue
            path = work / file_name
            path.write_bytes(blob)
            before = sorted(p.relative_to(work / "data").as_posix() for p in (work / "data").rglob("*"))
            outcome = measure(["import", rest[0], str(path), "--data", str(work / "data"), *rest[1:]], work)
            after = sorted(p.relative_to(work / "data").as_posix() for p in (work / "data").rglob("*"))
            expands = "-" if name.startswith("baseline") else _expansion(key, inflated)
            wrote = "" if before == after or name.startswith("baseline") else " (WROTE FILES)"
            print(
                f"{name:<22} {len(blob) / 1024:>8.0f} K {expands:>12} {outcome.peak_mb:>7.0f} MB "
                f"{outcome.seconds:>6.1f} s  {outcome.status:>4}  {outcome.first_line[:110]}{wrote}"
            )
            if name.startswith("baseline"):
                shutil.rmtree(work / "data" / "reviews", ignore_errors=True)
                continue
            if outcome.status != 1 or wrote:
                failed = True
            if outcome.peak_mb > TARGET_MB:
                print(f"  missed: the peak, {outcome.peak_mb:,.0f} MB, is over the {TARGET_MB} MB target")
                failed = True
            path.unlink()
    return 1 if failed else 0


def _expansion(key: str, inflated: int) -> str:
    if key in ("pdf", "docx", "doc"):
        return f"{inflated >> 20:,} MiB"
    if key == "xls":
        return "16.7 M cells"
    return "~2 M rows"


if __name__ == "__main__":
    sys.exit(main())
