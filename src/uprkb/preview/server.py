"""Live preview: MkDocs' dev server, rebuilding only what an edit touches, once per save.

``mkdocs.yml`` stays free of hooks (other engines ignore them); the hook
(:mod:`uprkb.preview.hook`) and the extra watched folders (data, templates) are
added only here; after a change to the code, restart the preview. After each save:

1. the data is validated again, but only the files whose bytes changed are read:
   the others come from an in-memory validated-file cache (:mod:`uprkb.core.cache`);
2. when the only changes are inside section files that keep their record IDs,
   only the pages that show a changed record (``Page.shows``), or its submission,
   or link a download (whose size they show) are rendered again;
   anything else (a vocabulary, a submission.yaml, a template, a new or removed
   record) renders every page, and the writer still writes only changed bytes;
3. MkDocs rebuilds in its ``dirty`` mode: only the pages whose Markdown file is
   newer than its HTML. The generated folder ``docs/kb`` is not watched, so the
   generator's own writes never trigger a second build.

What a quick rebuild may leave stale: the search index (kept from the last full
MkDocs build), and the navigation or other pages that merely mention a changed
record without showing it. ``python build_site.py`` always builds everything.
When the data has errors, the last good pages stay and every page is rebuilt with
the problems at its top; the next good save rebuilds every page without them.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel

from uprkb.build.site import load_knowledge_base, read_link_report
from uprkb.core import cache
from uprkb.core.errors import DataError, Location, Problem, UserError, display_path
from uprkb.core.project import Project, site_url
from uprkb.model.records import Section
from uprkb.present.links import DOWNLOADS, GENERATED
from uprkb.site.generate import GenerateStats, generate
from uprkb.site.pages import Page

HOOK = Path(__file__).with_name("hook.py")
log = logging.getLogger("mkdocs.plugins.uprkb")


def _file_hashes(root: Path) -> dict[str, str]:
    """Every file below ``root`` by its path shown in messages, with a hash of its bytes."""
    out: dict[str, str] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath) / name
            with contextlib.suppress(OSError):
                out[display_path(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def _inputs(paths: Project) -> str:
    """A fingerprint of what every page depends on besides the data: templates, config, link report, code."""
    digest = hashlib.sha256(cache.code_version().encode())
    digest.update(site_url(paths.config).encode())
    for path in [paths.config, *sorted(p for p in paths.templates.rglob("*") if p.is_file())]:
        digest.update(str(path).encode())
        with contextlib.suppress(OSError):
            digest.update(path.read_bytes())
    if paths.link_report is not None and paths.link_report.is_file():
        digest.update(paths.link_report.read_bytes())
    return digest.hexdigest()


def _docs_state(docs: Path) -> str:
    """The hand-written docs (not the generated folder) by name, size and modification time."""
    digest = hashlib.sha256()
    for dirpath, dirnames, filenames in os.walk(docs):
        if Path(dirpath) == docs:
            dirnames[:] = [d for d in dirnames if d != GENERATED]
        dirnames.sort()
        for name in sorted(filenames):
            with contextlib.suppress(OSError):
                st = (Path(dirpath) / name).stat()
                digest.update(f"{dirpath}/{name}|{st.st_size}|{st.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _linking_downloads(root: Path) -> set[str]:
    """The generated pages (paths below ``root``) whose Markdown links a download."""
    needle = f"{DOWNLOADS}/".encode()
    out: set[str] = set()
    for path in root.rglob("*.md"):
        with contextlib.suppress(OSError):
            if needle in path.read_bytes():
                out.add(path.relative_to(root).as_posix())
    return out


def record_ids(node: Any, out: dict[str, BaseModel] | None = None) -> dict[str, BaseModel]:
    """Every record with an ``id`` inside ``node`` (the node itself included), by ID."""
    out = {} if out is None else out
    if isinstance(node, BaseModel):
        rid = getattr(node, "id", None)
        if isinstance(rid, str):
            out[rid] = node
        for name in type(node).model_fields:
            record_ids(getattr(node, name), out)
    elif isinstance(node, (list, tuple)):
        for item in node:
            record_ids(item, out)
    return out


def changed_ids(old: Section, new: Section) -> set[str] | None:
    """The IDs of the records whose content differs between two versions of a section.

    ``None`` when the two do not hold the same IDs (a record added, removed or renamed):
    pages beyond those that show the records change then, so everything is rendered.
    """
    before, after = record_ids(old), record_ids(new)
    if before.keys() != after.keys():
        return None
    return {rid for rid, record in after.items() if record.model_dump() != before[rid].model_dump()}


@dataclass
class Outcome:
    """What one regeneration did."""

    stats: GenerateStats | None = None
    problems: list[Problem] = field(default_factory=list)
    partial: bool = False
    changed: set[str] = field(default_factory=set)
    seconds: float = 0.0


class Preview:
    """The state the preview keeps between rebuilds: validated files, pages and what they show."""

    def __init__(self, paths: Project) -> None:
        self.paths = paths
        # Shared with the plain build's cache on disk: a save writes the one entry that changed.
        self.files = cache.for_project(paths.config) or cache.FileCache()
        self.problems: list[Problem] = []
        self.shows: dict[str, frozenset[str]] = {}
        self.hashes: dict[str, str] = {}
        self.sections: dict[str, tuple[str, Section]] = {}
        """Each section file's record and the ID of its submission, from the last good run."""
        self.inputs = ""
        self.titles: dict[str, str] = {}
        """Page titles from the last MkDocs build, by source path (for pages a dirty build does not read)."""
        self.mkdocs_ok = False
        self.dirty = False
        """Whether the MkDocs build under way rebuilds only changed pages."""
        self.rendered: list[str] = []
        """The pages MkDocs read and rendered in the build under way."""

    def state(self) -> str:
        """A fingerprint of everything a build reads: data, templates, config, link report, hand-written docs."""
        digest = hashlib.sha256(_inputs(self.paths).encode())
        for shown, value in _file_hashes(self.paths.data).items():
            digest.update(f"{shown}|{value}\n".encode())
        digest.update(_docs_state(self.paths.docs).encode())
        return digest.hexdigest()

    def regenerate(self) -> Outcome:
        """Validate the data (changed files only) and render the pages the change touches."""
        t0 = time.perf_counter()
        paths = self.paths
        hashes = _file_hashes(paths.data)
        inputs = _inputs(paths)
        if self.shows and not self.problems and hashes == self.hashes and inputs == self.inputs:
            # Nothing the pages depend on changed (a hand-written page was saved, say): nothing to do.
            stats = GenerateStats(pages=len(self.shows), unchanged=len(self.shows), shows=self.shows)
            return Outcome(stats, [], True, set(), time.perf_counter() - t0)
        only: set[str] | None = None
        changed: set[str] = set()
        try:
            with cache.using(self.files):
                result, kb = load_knowledge_base(paths)
            sections = {s.where.path: (sd.submission.id, s) for sd in result.dataset.submissions for s in sd.sections}
            only = self._changed(hashes, inputs, sections)
            if only is not None:
                changed = only

            # Pages that link a download show its size, which an edit changes without the page showing the record.
            with_downloads = _linking_downloads(paths.docs / GENERATED) if changed else set()

            def wanted(page: Page) -> bool:
                return page.path not in self.shows or not changed.isdisjoint(page.shows) or page.path in with_downloads

            stats, _permalinks = generate(
                kb,
                paths.docs,
                site_url(paths.config),
                read_link_report(paths.link_report),
                paths.templates,
                only=wanted if only is not None else None,
            )
        except DataError as exc:
            self.problems = [p for p in exc.problems if p.is_error]
            return Outcome(problems=self.problems, seconds=time.perf_counter() - t0)
        except UserError as exc:
            self.problems = [Problem(exc.where or Location.of(paths.config), "build-failed", exc.message, exc.hint)]
            return Outcome(problems=self.problems, seconds=time.perf_counter() - t0)
        self.problems = []
        self.shows = stats.shows
        self.hashes = hashes
        self.sections = sections
        self.inputs = inputs
        return Outcome(stats, [], only is not None, changed, time.perf_counter() - t0)

    def _changed(
        self, hashes: dict[str, str], inputs: str, sections: dict[str, tuple[str, Section]]
    ) -> set[str] | None:
        """The record IDs an edit changed, when only sections changed and kept their IDs; else ``None``.

        The submission holding a changed section counts as changed too: its own pages show
        what the section adds up to (counts, the sizes of its downloads).
        """
        if not self.shows or inputs != self.inputs or hashes.keys() != self.hashes.keys():
            return None
        ids: set[str] = set()
        for shown, digest in hashes.items():
            if digest == self.hashes[shown]:
                continue
            old, new = self.sections.get(shown), sections.get(shown)
            if old is None or new is None:
                return None  # not a section file: a vocabulary or a submission's metadata
            found = changed_ids(old[1], new[1])
            if found is None:
                return None
            if found:
                ids |= found | {new[0]}
        return ids


current: Preview | None = None
"""The preview being served (the hook reads it)."""


class _DirtyNotice(logging.Filter):
    """Drop MkDocs' warning about dirty builds: the preview fills in the titles it would miss."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "'dirty' build is being performed" not in record.getMessage()


@contextlib.contextmanager
def _kept(path: Path, keep: bool) -> Iterator[None]:
    """Keep ``path`` as it is across the block when ``keep`` (a dirty build's partial search index)."""
    saved = path.read_bytes() if keep and path.is_file() else None
    try:
        yield
    finally:
        if saved is not None:
            path.write_bytes(saved)


def _watch_docs(server: Any, docs: Path) -> None:
    """Watch the hand-written docs, but not the generated folder the preview writes itself."""
    server.watch(str(docs), recursive=False)
    for child in sorted(docs.iterdir()):
        if child.is_dir() and child.name != GENERATED:
            server.watch(str(child))


def serve(paths: Project, dev_addr: str = "127.0.0.1:8000", polling_interval: float = 0.1) -> None:
    """Serve the preview on ``dev_addr`` until interrupted; rebuild on every save."""
    global current
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.livereload import LiveReloadServer

    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logging.getLogger("mkdocs.commands.build").addFilter(_DirtyNotice())

    preview = current = Preview(paths)
    site_dir = tempfile.mkdtemp(prefix="uprkb-preview-")

    def get_config() -> Any:
        # Not strict: a data error must leave the preview serving the last good pages.
        config = load_config(
            config_file=str(paths.config),
            site_dir=site_dir,
            dev_addr=dev_addr,
            hooks=[str(HOOK)],
            strict=False,
        )
        config.site_url = serve_url
        return config

    config = load_config(config_file=str(paths.config), site_dir=site_dir, dev_addr=dev_addr, strict=False)
    host, port = config.dev_addr
    mount_path = urlsplit(config.site_url or "/").path
    serve_url = f"http://{host}:{port}{mount_path}"

    built = {"state": ""}

    def builder() -> None:
        t0 = time.perf_counter()
        state = preview.state()
        if preview.mkdocs_ok and not preview.problems and state == built["state"]:
            # A watcher event with nothing changed (a save of identical bytes, say): no build.
            log.info(f"Nothing changed since the last build ({time.perf_counter() - t0:.2f} s to check).")
            return
        had_problems = bool(preview.problems)
        outcome = preview.regenerate()
        if outcome.problems:
            for p in outcome.problems:
                log.error(p.format())
            log.error("The data has errors: showing the last good pages.")
        elif outcome.stats is not None:
            written = outcome.stats.written
            names = ", ".join(written[:50]) + (f" and {len(written) - 50} more" if len(written) > 50 else "")
            log.info(
                f"Regenerated {len(written)} page(s){': ' + names if written else ''}; "
                f"removed {len(outcome.stats.removed)} "
                f"({'only the pages showing the edit' if outcome.partial else 'all pages'} rendered, "
                f"{outcome.seconds:.2f} s)."
            )
        # Only a build like the last good one may be dirty: a change in the error banner touches every page.
        preview.dirty = preview.mkdocs_ok and not outcome.problems and not had_problems
        preview.rendered = []
        preview.mkdocs_ok = False
        cfg = get_config()
        with _kept(Path(site_dir) / "search" / "search_index.json", preview.dirty):
            build(cfg, serve_url=serve_url, dirty=preview.dirty)
        preview.mkdocs_ok = True
        built["state"] = state
        log.info(
            f"Preview updated in {time.perf_counter() - t0:.2f} s: MkDocs rendered "
            f"{len(preview.rendered)} page(s){' (changed pages only)' if preview.dirty else ''}."
        )

    server = LiveReloadServer(
        builder=builder,
        host=host,
        port=port,
        root=site_dir,
        mount_path=mount_path,
        polling_interval=polling_interval,
    )

    def error_page(code: int) -> bytes | None:
        page = Path(site_dir) / f"{code}.html"
        return page.read_bytes() if code in (404, 500) and page.is_file() else None

    server.error_handler = error_page
    try:
        builder()
        _watch_docs(server, paths.docs)
        # Not the package: the running server keeps the code it started with (restart it after a code change).
        for path in (paths.config, paths.data, paths.templates):
            if path.exists():
                server.watch(str(path))
        try:
            server.serve()
        except KeyboardInterrupt:
            log.info("Shutting down...")
        finally:
            server.shutdown()
    finally:
        current = None
        shutil.rmtree(site_dir, ignore_errors=True)
