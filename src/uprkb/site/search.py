"""Which search a built site offers, and the Pagefind index for a large one.

Material's search sends every reader the whole site's ``search_index.json`` (and
builds a full-text index of it in their browser) before the first result: fine for
the seed, but across the whole UPR record that file is over 5 MB, past what a phone
should download for one query. Above :data:`PAGEFIND_FROM` bytes of Markdown (about
2 MB of Material's index) a build therefore indexes the built site with Pagefind
(the ``pagefind`` package ships the program), and the search dialog, still
Material's, asks Pagefind instead (``overrides/partials/search.html``): a query
loads a few index chunks and the fragments of the results shown; MkDocs then runs
without Material's search plugin (``overrides/partials/header.html`` still shows the
dialog). The live preview keeps Material's search. ``UPRKB_SEARCH=pagefind`` or ``material`` forces either.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from uprkb.core.errors import UserError
from uprkb.core.settings import environ, site_settings

ENV = "UPRKB_SEARCH"
PAGEFIND_FROM = 4_000_000
"""Bytes of Markdown above which a build uses Pagefind (Material's index is about half of it)."""
OUTPUT = "pagefind"
"""The folder of the built site holding Pagefind's index (the page script loads it from there)."""
TIMEOUT = 900.0


def pagefind_command() -> list[str] | None:
    """How to run Pagefind: the pinned Python package's program, else one on ``PATH``; ``None`` without."""
    try:
        import pagefind  # noqa: F401

        return [sys.executable, "-m", "pagefind"]
    except ImportError:
        found = shutil.which("pagefind") or shutil.which("pagefind_extended")
        return [found] if found else None


def markdown_bytes(docs: Path) -> int:
    return sum(p.stat().st_size for p in docs.rglob("*.md"))


def engine(docs: Path) -> str:
    """``"pagefind"`` or ``"material"`` for a build of ``docs``."""
    choice = (environ(ENV) or "auto").strip().lower()
    if choice == "material":
        return "material"
    if choice == "pagefind":
        if pagefind_command() is None:
            raise UserError(f"{ENV}=pagefind, but Pagefind is not installed", hint="pip install 'pagefind[bin]'")
        return "pagefind"
    if markdown_bytes(docs) > PAGEFIND_FROM and pagefind_command() is not None:
        return "pagefind"
    return "material"


def plugins_without_search(config: Path) -> list[Any]:
    """The ``plugins`` of ``mkdocs.yml`` (as MkDocs reads it) less Material's search, for a build that searches
    with Pagefind (the search plugin's work, a quarter of MkDocs' time on the whole record, would be thrown away)."""

    def name(entry: Any) -> str:
        return str(next(iter(entry)) if isinstance(entry, dict) else entry)

    return [p for p in site_settings(config).plugins if name(p) not in ("search", "material/search")]


def index_site(site: Path) -> None:
    """Index the built ``site`` with Pagefind into ``site/pagefind/``; Material's unused index is removed."""
    command = pagefind_command()
    if command is None:
        raise UserError("Pagefind is not installed", hint="pip install 'pagefind[bin]'")
    args = [*command, "--site", str(site), "--output-subdir", OUTPUT, "--root-selector", "article"]
    args += ["--exclude-selectors", ".headerlink"]  # the permalink signs after each heading
    try:
        proc = subprocess.run(args, capture_output=True, text=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        raise UserError(f"Pagefind did not finish indexing the site within {TIMEOUT:.0f} s") from None
    if proc.returncode != 0 or not (site / OUTPUT / "pagefind.js").is_file():
        detail = (proc.stderr or proc.stdout).strip().splitlines()
        raise UserError(
            "Pagefind could not index the built site" + (f": {detail[-1]}" if detail else ""),
            hint=f"run {' '.join(args)} to see its output",
        )
    (site / "search" / "search_index.json").unlink(missing_ok=True)


__all__ = ["ENV", "PAGEFIND_FROM", "engine", "index_site", "pagefind_command"]
