"""MkDocs hook for ``build_site.py serve`` only: regenerate pages before each build.

Loaded by MkDocs from its file path, so it imports the package by name. It
keeps the last good generated pages when the data has errors and puts the
error list at the top of every page until the data is fixed.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from uprkb.build import Paths, generate_docs
from uprkb.downloads import downloads
from uprkb.errors import DataError, Problem
from uprkb.markup import escape

log = logging.getLogger("mkdocs.plugins.uprkb")
_state: dict[str, Any] = {"problems": [], "kb": None, "permalinks": None}


def _paths() -> Paths:
    return Paths(
        data=Path(os.environ["UPRKB_DATA"]),
        docs=Path(os.environ["UPRKB_DOCS"]),
        templates=Path(os.environ["UPRKB_TEMPLATES"]),
        config=Path(os.environ["UPRKB_CONFIG"]),
    )


def on_pre_build(config: Any) -> None:
    try:
        _result, kb, stats, permalinks = generate_docs(_paths())
    except DataError as exc:
        _state["problems"] = [p for p in exc.problems if p.is_error]
        for p in _state["problems"]:
            log.error(p.format())
        log.error("The data has errors: showing the last good pages.")
        return
    _state.update(problems=[], kb=kb, permalinks=permalinks)
    if stats.written or stats.removed:
        log.info(f"Regenerated {len(stats.written)} page(s), removed {len(stats.removed)}.")


def _item(p: Problem) -> str:
    """One problem as the terminal prints it: location, code, message, and the same hint."""
    text = f"- `{p.location}` \\[{escape(p.code)}\\] {escape(p.message)}"
    if p.hint:
        text += f"<br>\n  *hint:* {escape(p.hint)}"
    return text


def _banner(problems: list[Problem]) -> str:
    items = "\n".join(_item(p) for p in problems[:50])
    return (
        '<div class="uprkb-errors" markdown>\n\n'
        f"**The data has {len(problems)} error(s); this preview shows the last good version.**\n\n"
        f"{items}\n\n</div>\n\n"
    )


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    if _state["problems"]:
        return _banner(_state["problems"]) + markdown
    return markdown


def on_post_build(config: Any) -> None:
    if _state["kb"] is None:
        return
    out = Path(config["site_dir"]) / "downloads"
    out.mkdir(parents=True, exist_ok=True)
    for name, content in downloads(_state["kb"], _state["permalinks"]).items():
        (out / name).write_bytes(content)
