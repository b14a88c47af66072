"""Files built to exhaust memory: a PDF whose stream inflates to a gigabyte, or with too many pages,
objects or characters; a CSV of millions of short rows. Each is refused by a real import in a fresh
process whose peak memory is measured, with a located error in plain words and nothing written."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from benchmarks.bombs import pdf_bomb
from tests.project import PROJECT

PEAK_MB = 500


def _rss_mb(pid: int) -> float:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def import_pdf(path: Path, data: Path, timeout: float = 120.0, fmt: str = "wg-report") -> tuple[int, str, float]:
    """``import FMT PATH`` (a Working Group report) in a fresh process: exit status, output, peak memory in MB.

    Stopped (and the test failed) as soon as it passes :data:`PEAK_MB`, or after ``timeout``.
    """
    env = {"UPRKB_NO_BOOTSTRAP": "1", "PATH": "/usr/bin:/bin", "PYTHONPATH": str(PROJECT / "src")}
    args = ["import", fmt, str(path), "--data", str(data), "--date", "2026-01-05"]
    args += ["--all"] if fmt == "upr-info" else []
    log = path.with_suffix(".log")
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, str(PROJECT / "build_site.py"), *args], stdout=out, stderr=subprocess.STDOUT, env=env
        )
        deadline = time.monotonic() + timeout
        peak = 0.0
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                proc.returncode = os.waitstatus_to_exitcode(status)
                peak = max(peak, usage.ru_maxrss / 1024)
                break
            peak = max(peak, _rss_mb(proc.pid))
            if peak > PEAK_MB or time.monotonic() > deadline:
                proc.kill()
                proc.wait()
                pytest.fail(f"the import reached {peak:.0f} MB (limit {PEAK_MB}) or ran past {timeout:.0f} s")
            time.sleep(0.05)
    return proc.returncode, log.read_text(encoding="utf-8", errors="replace"), peak


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def gigabyte_bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bomb") / "report.pdf"
    path.write_bytes(pdf_bomb(1 << 30))
    return path


def test_a_pdf_inflating_to_a_gigabyte_is_refused_in_bounded_memory(gigabyte_bomb: Path, data: Path) -> None:
    assert gigabyte_bomb.stat().st_size < 4 << 20
    before = tree(data)
    code, out, peak = import_pdf(gigabyte_bomb, data)
    assert code == 1, out
    assert "Traceback" not in out, out
    assert "report.pdf" in out and "inflates to more than" in out and "hint:" in out, out
    assert "[zip-bomb]" in out and "[encoding]" not in out, "said as what it is, with its own hint"
    assert peak <= PEAK_MB, peak
    assert tree(data) == before


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF of ``objects`` (numbered from 1, the first the catalogue) with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _stream(content: bytes, flate: bool = True) -> bytes:
    import zlib

    data = zlib.compress(content, 9) if flate else content
    filters = b" /Filter /FlateDecode" if flate else b""
    return b"<< /Length %d%s >>\nstream\n" % (len(data), filters) + data + b"\nendstream"


FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def _pages(n: int, content: bytes) -> bytes:
    kids = b" ".join(b"%d 0 R" % (4 + i) for i in range(n))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, n)]
    objects.append(_stream(content))
    for _ in range(n):
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R "
            b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (4 + n)
        )
    objects.append(FONT)
    return _pdf(objects)


def test_too_many_pages_are_refused(tmp_path: Path, data: Path) -> None:
    path = tmp_path / "pages.pdf"
    path.write_bytes(_pages(3000, b"BT /F1 10 Tf 72 700 Td (x) Tj ET"))
    from uprkb.core.limits import MAX_PDF_PAGES

    code, out, _ = import_pdf(path, data)
    assert code == 1 and "pages.pdf" in out and f"more than {MAX_PDF_PAGES:,} pages" in out and "hint:" in out, out


def test_a_page_of_millions_of_characters_is_refused(tmp_path: Path, data: Path) -> None:
    path = tmp_path / "chars.pdf"
    path.write_bytes(_pages(1, b"BT /F1 1 Tf 0 0 Td (" + b"x" * 4_000_000 + b") Tj ET"))
    from uprkb.core.limits import MAX_PDF_PAGE_ITEMS

    code, out, peak = import_pdf(path, data)
    assert code == 1 and "chars.pdf" in out and f"page 1 draws more than {MAX_PDF_PAGE_ITEMS:,}" in out, out
    assert "hint:" in out, out
    assert peak <= PEAK_MB


def test_a_form_drawing_itself_ten_times_over_is_refused(tmp_path: Path, data: Path) -> None:
    """Forms that each draw the next ten times: 10^8 drawings from a few hundred bytes."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources 5 0 R >>",
        _stream(b"/X0 Do"),
        b"<< /XObject << " + b"".join(b"/X%d %d 0 R " % (i, 6 + i) for i in range(9)) + b">> >>",
    ]
    for i in range(9):
        body = b"0 0 m 1 1 l S" if i == 8 else b" ".join([b"/X%d Do" % (i + 1)] * 10)
        form = _stream(body)
        objects.append(form.replace(b"<< ", b"<< /Type /XObject /Subtype /Form /BBox [0 0 1 1] /Resources 5 0 R ", 1))
    path = tmp_path / "forms.pdf"
    path.write_bytes(_pdf(objects))
    from uprkb.core.limits import MAX_PDF_PAGE_ITEMS

    code, out, _ = import_pdf(path, data, timeout=60)
    assert code == 1 and "forms.pdf" in out and f"page 1 draws more than {MAX_PDF_PAGE_ITEMS:,}" in out, out
    assert "hint:" in out, out


def test_too_many_objects_are_refused_before_parsing(tmp_path: Path, data: Path) -> None:
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]
    objects += [b"null"] * 400_000
    path = tmp_path / "objects.pdf"
    path.write_bytes(_pdf(objects))
    from uprkb.core.limits import MAX_PDF_OBJECTS

    code, out, peak = import_pdf(path, data)
    assert code == 1 and "objects.pdf" in out and f"the limit is {MAX_PDF_OBJECTS:,}" in out, out
    assert "hint:" in out, out
    assert peak <= PEAK_MB


def test_the_limits_let_real_reports_through() -> None:
    from tests.conftest import SLOVENIA

    reports = sorted((PROJECT.parent / "shared" / "fixtures").glob("*/*.pdf"))
    if not reports:
        pytest.skip(f"the OHCHR PDFs are not beside the checkout ({SLOVENIA.parent})")
    from uprkb.importers.pdf import pdf_text

    for report in reports[:3]:
        assert len(pdf_text(report.read_bytes())) > 10_000, report


def test_a_csv_of_millions_of_short_rows_is_refused_before_reading(tmp_path: Path, data: Path) -> None:
    """60 MiB of one-recommendation rows: two million records held in memory (11 GB before the limit)."""
    from benchmarks.bombs import csv_bomb
    from uprkb.core.limits import MAX_CSV_ROWS

    path = tmp_path / "rows.csv"
    path.write_bytes(csv_bomb())
    before = tree(data)
    code, out, peak = import_pdf(path, data, fmt="upr-info")
    assert code == 1 and "rows.csv" in out and f"more than {MAX_CSV_ROWS:,} rows" in out and "hint:" in out, out
    assert peak <= PEAK_MB, peak
    assert tree(data) == before


def test_arrays_nested_millions_deep_are_refused(tmp_path: Path, data: Path) -> None:
    """Four megabytes of ``[``: each level a parser's list and frame, 700 MB before the limit."""
    from uprkb.core.limits import MAX_PDF_NESTING

    path = tmp_path / "nested.pdf"
    path.write_bytes(_pages(1, b"[" * (4_000_000)))
    code, out, peak = import_pdf(path, data)
    assert code == 1 and "nested.pdf" in out and f"more than {MAX_PDF_NESTING} deep" in out, out
    assert peak <= PEAK_MB
