"""Render each page's typed context through Jinja into ``docs/kb/``.

Deterministic and incremental: the same data gives byte-identical files, a
file is written only when its content changed, and files this run did not
produce are removed. Two pages that map onto one file are refused, never
silently overwritten. Hand-written pages elsewhere in ``docs/`` are never touched.
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from uprkb.core import markup, parallel
from uprkb.core.cache import TEMPLATE_CODE
from uprkb.core.errors import Problem, UserError
from uprkb.core.memory import fewer_collections
from uprkb.core.project import TEMPLATES
from uprkb.exports import sqlite
from uprkb.exports.downloads import downloads, records
from uprkb.index.kb import KnowledgeBase
from uprkb.present.labels import human_date
from uprkb.present.links import DOWNLOADS, GENERATED, Link, MaybeLink, Permalinks
from uprkb.site.contexts import template_variables
from uprkb.site.page import Page, make_site
from uprkb.site.pages import page_units
from uprkb.site.reference import data_model_context, error_codes_context


@dataclass
class GenerateStats:
    pages: int = 0
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    shows: dict[str, frozenset[str]] = field(default_factory=dict)
    """Each page's path and the IDs of the records it shows (what an edit of a record touches)."""


def environment(templates: Path = TEMPLATES) -> jinja2.Environment:
    """The Jinja environment for Markdown output (no HTML autoescape: ``md`` escapes)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
        bytecode_cache=TEMPLATE_CODE,  # compiled once per process, checked against each template's source
    )
    env.filters["md"] = _md_filter
    env.filters["esc"] = markup.escape
    env.filters["url"] = markup.url
    env.filters["date"] = human_date
    env.filters["json"] = lambda v: json.dumps(v, ensure_ascii=False)
    env.filters["links"] = markdown_links
    return env


def markdown_links(items: Iterable[Link | MaybeLink]) -> str:
    """Links as a comma-separated Markdown list; one without an address is its label alone (escaped)."""
    return ", ".join(f"[{markup.escape(x.label)}]({x.href})" if x.href else markup.escape(x.label) for x in items)


@jinja2.pass_context
def _md_filter(ctx: jinja2.runtime.Context, text: str) -> str:
    footnotes = ctx.get("_footnote_ids", ())
    return markup.inline(text, footnotes)


class Renderer:
    """Renders pages with compiled templates (each template is loaded once)."""

    def __init__(self, env: jinja2.Environment) -> None:
        self.env = env
        self.cache: dict[str, jinja2.Template] = {}

    def render(self, page: Page) -> str:
        template = self.cache.get(page.template)
        if template is None:
            template = self.cache[page.template] = self.env.get_template(page.template)
        variables = template_variables(page.context)
        # The md filter keeps a footnote marker only when this page defines that footnote.
        variables["_footnote_ids"] = frozenset(f.id for f in variables.get("footnotes", []))
        return template.render(variables)


class TreeWriter:
    """Writes files below ``root`` only when their bytes changed; removes what was not written.

    A second write to the same path in one run is refused: it would mean two
    records map onto one page (validation reports the IDs; this is the backstop).
    """

    def __init__(self, root: Path, stats: GenerateStats) -> None:
        self.root = root
        self.stats = stats
        self.keep: set[str] = set()
        root.mkdir(parents=True, exist_ok=True)

    def twice(self, rel: str) -> UserError:
        return UserError(
            f"two generated pages would be written to {GENERATED}/{rel}",
            "two records have IDs that map onto the same page; give one of them another ID",
            self.root / rel,
        )

    def write(self, rel: str, content: str | bytes) -> None:
        if rel in self.keep:
            raise self.twice(rel)
        data = content.encode("utf-8") if isinstance(content, str) else content
        self.keep.add(rel)
        path = self.root / rel
        try:
            if path.stat().st_size == len(data) and path.read_bytes() == data:
                self.stats.unchanged += 1
                return
        except FileNotFoundError:
            path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
        self.stats.written.append(rel)

    def remove_stale(self) -> None:
        for dirpath, _dirnames, filenames in os.walk(self.root, topdown=False):
            for name in filenames:
                path = Path(dirpath) / name
                rel = path.relative_to(self.root).as_posix()
                if rel not in self.keep:
                    path.unlink()
                    self.stats.removed.append(rel)
            if dirpath != str(self.root) and not os.listdir(dirpath):
                os.rmdir(dirpath)


def generate(
    kb: KnowledgeBase,
    docs_dir: Path,
    site_url: str,
    link_report: dict[str, Any] | None = None,
    templates: Path = TEMPLATES,
    documents: bool = False,
    cache: Path | None = None,
    workers: int = 1,
) -> tuple[GenerateStats, Permalinks]:
    """Render every generated page into ``docs_dir/kb``; returns what was written and the permalinks.

    Pages are rendered and written one at a time as the builders produce them, so
    memory holds one page's context and text, not the whole site's. ``documents`` adds
    each submission's Word and PDF files and the SQLite database to the downloads (a
    build does; the live preview does not, as they take seconds to make after each edit). ``cache``: the
    project's cache folder, where drawn charts and made documents are kept between runs. ``workers``: 2
    shares the pages with a forked process where the machine has a second core (the same files result).
    """
    with fewer_collections():
        return _generate(kb, docs_dir, site_url, link_report, templates, documents, cache, workers)


def _generate(
    kb: KnowledgeBase,
    docs_dir: Path,
    site_url: str,
    link_report: dict[str, Any] | None,
    templates: Path,
    documents: bool,
    cache: Path | None,
    workers: int,
) -> tuple[GenerateStats, Permalinks]:
    stats = GenerateStats()
    writer = TreeWriter(docs_dir / GENERATED, stats)
    renderer = Renderer(environment(templates))

    def emit(page: Page) -> None:
        writer.write(page.path, renderer.render(page))
        stats.shows[page.path] = page.shows
        stats.pages += 1

    # The downloads first: pages link to them and show their sizes.
    files = downloads(kb, Permalinks(site_url))
    if documents:
        from uprkb.exports.documents import all_document_files

        made, warnings = all_document_files(
            kb.submissions, cache / "documents" if cache else None, followup=kb.followup
        )
        files.update(made)
        stats.warnings += warnings
        # The database mirrors the JSON download record for record (cached under its bytes).
        files[sqlite.FILE_NAME] = sqlite.database_bytes(
            records(kb, Permalinks(site_url)), files["knowledge-base.json"], cache / "sqlite" if cache else None
        )
    for name, content in files.items():
        writer.write(f"{DOWNLOADS}/{name}", content)
    sizes = {name: len(content) for name, content in files.items()}
    del files
    linked: dict[str, bytes] = {}
    site = make_site(kb, site_url, link_report, sizes, linked)
    units = page_units(site)

    def run(i: int) -> dict[str, Any]:
        """One unit's pages rendered and written; what it did, as JSON values (it may run in a forked process)."""
        done = GenerateStats()
        unit = TreeWriter(writer.root, done)
        charts = set(linked)
        for page in units[i]():
            unit.write(page.path, renderer.render(page))
            done.shows[page.path] = page.shows
        return {
            "keep": sorted(unit.keep),
            "written": done.written,
            "unchanged": done.unchanged,
            "shows": {path: sorted(ids) for path, ids in done.shows.items()},
            "charts": {path: base64.b64encode(data).decode() for path, data in linked.items() if path not in charts},
        }

    for done in parallel.map_units(len(units), run, share=workers > 1):
        for rel in done["keep"]:
            if rel in writer.keep:
                raise writer.twice(rel)
            writer.keep.add(rel)
        stats.written += done["written"]
        stats.unchanged += done["unchanged"]
        stats.pages += len(done["shows"])
        stats.shows.update((path, frozenset(ids)) for path, ids in done["shows"].items())
        linked.update((path, base64.b64decode(data)) for path, data in done["charts"].items())
    for path, content in linked.items():
        writer.write(path, content)
    emit(Page("reference/data-model.md", data_model_context()))
    emit(Page("reference/error-codes.md", error_codes_context()))
    writer.remove_stale()
    return stats, site.permalinks


__all__ = ["generate", "GenerateStats", "Renderer", "TreeWriter", "environment"]
