"""Live preview: MkDocs' dev server, one build per save, never stale.

``mkdocs.yml`` stays free of hooks (other engines ignore them); the hook
(:mod:`uprkb.preview.hook`) and the extra watched folders (data, templates, theme
overrides) are added only here; after a change to the code, restart the preview.
After each save (:meth:`Preview.step`, one turn of the serve loop):

1. the data is validated again, but only the files whose bytes changed are read:
   the others come from an in-memory validated-file cache (:mod:`uprkb.core.cache`);
2. every page is rendered again; the writer writes only the files whose bytes changed.
   The generated folder ``docs/kb`` is not watched, so these writes never trigger a
   second build;
3. MkDocs builds. Its ``dirty`` build (only the pages whose Markdown bytes changed are
   read and rendered) runs only when it gives what a full build gives: the last build
   succeeded, the data had no errors then and has none now (the error banner is on
   every page), the configuration, the theme overrides and the footer are unchanged,
   and, checked by the hook before anything is written, MkDocs collected the same files
   and every page in the navigation has the same title and metadata. Otherwise, or
   when the hook finds a difference (:class:`NotExact`), every page is built. After a
   dirty build the search index keeps the last build's entries of the pages not
   rendered and takes the new entries of those rendered, in a full build's order.

Tests (``tests/test_preview_edits.py``) compare the preview's pages and search index
with a full build after every kind of edit. What differs by design: canonical links
point at the preview's address, and the Word and PDF downloads are not made (the
pages that list the downloads do not list them).
When the data has errors, the last good pages stay and every page is rebuilt with
the problems at its top; the next good save rebuilds every page without them.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import logging
import os
import shutil
import signal
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from uprkb.build.inputs import source_problems
from uprkb.build.site import footer, load_knowledge_base, read_link_report
from uprkb.core import cache, limits
from uprkb.core.errors import DataError, Location, Problem, UserError, display_path
from uprkb.core.memory import fewer_collections
from uprkb.core.project import PACKAGE, Project, site_url
from uprkb.present.links import GENERATED
from uprkb.site.generate import GenerateStats, generate
from uprkb.site.search import split_entries

HOOK = PACKAGE / "preview" / "hook.py"
log = logging.getLogger("mkdocs.plugins.uprkb")


def _file_hashes(root: Path) -> dict[str, str]:
    """Every file below ``root`` by its path shown in messages, with a hash of its bytes."""
    out: dict[str, str] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath) / name
            with contextlib.suppress(OSError, limits.Refused):  # a FIFO or a device is never read
                data = limits.read_file(path, limits.MAX_INPUT_BYTES)
                out[display_path(path)] = hashlib.sha256(data).hexdigest()
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


def _tree_hash(root: Path) -> str:
    """Every file below ``root`` by its path, with its bytes (the theme's own templates, say)."""
    digest = hashlib.sha256()
    for shown, value in _file_hashes(root).items():
        digest.update(f"{shown}|{value}\n".encode())
    return digest.hexdigest()


@dataclass
class Outcome:
    """What one regeneration did."""

    stats: GenerateStats | None = None
    problems: list[Problem] = field(default_factory=list)
    seconds: float = 0.0


class NotExact(Exception):
    """Raised by the hook, before MkDocs writes anything, when a dirty build would differ from a full one."""


@dataclass
class Built:
    """What the last good MkDocs build of the preview saw (what a dirty build must find unchanged)."""

    setup: str = ""
    """The configuration, the theme's overrides and the extra values the pages show (the footer)."""
    files: frozenset[tuple[str, str]] = frozenset()
    """Every file MkDocs collected, with its inclusion level."""
    sources: dict[str, str] = field(default_factory=dict)
    """A hash of each file of the docs folder (each page's Markdown, the static files), by source path."""
    nav: list[tuple[str, str | None, str]] = field(default_factory=list)
    """Each navigation page's source path, title and metadata (what every page's navigation shows)."""
    search: list[tuple[str, list[dict[str, Any]]]] = field(default_factory=list)
    """The search index entries of each page by its URL, in the order of a full build."""


class Preview:
    """The state the preview keeps between saves: validated files, the last good MkDocs build."""

    def __init__(self, paths: Project, site_dir: Path | None = None, dev_addr: str = "127.0.0.1:8000") -> None:
        self.paths = paths
        # Shared with the plain build's cache on disk: a save writes the one entry that changed.
        self.files = cache.for_project(paths.cache) or cache.FileCache()
        self.problems: list[Problem] = []
        self.footer: dict[str, str] = {}
        """The site footer of the last good data (as the build gives it)."""
        # Made by the first MkDocs build (a preview that only regenerates leaves no folder behind).
        self.site_dir = Path(site_dir or Path(tempfile.gettempdir()) / f"uprkb-preview-{os.getpid()}-{id(self):x}")
        self.dev_addr = dev_addr
        self.serve_url = ""
        self.built: Built | None = None
        """The last good MkDocs build; ``None`` before it or after a failed one (the next build is full)."""
        self.pending = Built()
        """What the MkDocs build under way sees (the hook fills it in)."""
        self.state_built = ""
        """:meth:`state` at the last good MkDocs build."""
        self.dirty = False
        """Whether the MkDocs build under way renders only the pages whose Markdown changed."""
        self.rendered: list[str] = []
        """The pages MkDocs read and rendered in the build under way."""
        self.previous: Built | None = None
        """The last good build, when the build under way is dirty (what the hook compares with)."""
        self.nav: Any = None
        """The navigation of the build under way."""
        self.order: list[tuple[str, str]] = []
        """The documentation pages of the build under way, source path and URL, in MkDocs' order."""

    def state(self) -> str:
        """A fingerprint of everything a build reads: data, templates, config, link report, docs, theme overrides."""
        digest = hashlib.sha256(_inputs(self.paths).encode())
        for shown, value in _file_hashes(self.paths.data).items():
            digest.update(f"{shown}|{value}\n".encode())
        digest.update(_docs_state(self.paths.docs).encode())
        digest.update(_tree_hash(self.paths.root / "overrides").encode())
        return digest.hexdigest()

    def regenerate(self) -> Outcome:
        """Validate the data (changed files only) and render every page; only changed bytes are written."""
        t0 = time.perf_counter()
        paths = self.paths
        try:
            # Few collections: the preview holds MkDocs' last build, and each full collection walks it.
            with fewer_collections(), cache.using(self.files):
                _result, kb = load_knowledge_base(paths)
            stats, _permalinks = generate(
                kb,
                paths.docs,
                site_url(paths.config),
                read_link_report(paths.link_report),
                paths.templates,
                workers=2,
            )
            self.footer = footer(kb, paths.data)
        except DataError as exc:
            self.problems = [p for p in exc.problems if p.is_error]
            return Outcome(problems=self.problems, seconds=time.perf_counter() - t0)
        except UserError as exc:
            self.problems = [Problem(exc.where or Location.of(paths.config), "build-failed", exc.message, exc.hint)]
            return Outcome(problems=self.problems, seconds=time.perf_counter() - t0)
        self.problems = []
        return Outcome(stats, [], time.perf_counter() - t0)

    def config(self) -> Any:
        """The MkDocs configuration of the preview: the project's, with the hook, not strict, served locally."""
        from mkdocs.config import load_config

        # Not strict: a data error must leave the preview serving the last good pages.
        config = load_config(
            config_file=str(self.paths.config),
            site_dir=str(self.site_dir),
            dev_addr=self.dev_addr,
            hooks=[str(HOOK)],
            strict=False,
            extra={"uprkb_footer": self.footer},  # as the build sets it
        )
        host, port = config.dev_addr
        mount_path = urlsplit(config.site_url or "/").path
        self.serve_url = config.site_url = f"http://{host}:{port}{mount_path}"
        return config

    def _setup(self, config: Any) -> str:
        """A fingerprint of what every page's HTML depends on besides the pages: config, theme overrides, extras."""
        digest = hashlib.sha256(self.paths.config.read_bytes())
        digest.update(self.serve_url.encode())
        digest.update(json.dumps(dict(config.extra), sort_keys=True, default=str).encode())
        if config.theme.custom_dir:
            digest.update(_tree_hash(Path(config.theme.custom_dir)).encode())
        return digest.hexdigest()

    def step(self) -> str:
        """What the serve loop does after a save: regenerate every page, then build with MkDocs.

        The MkDocs build is dirty (only the pages whose Markdown changed are rendered) only
        when that gives what a full build gives; else it is full. Returns what was done
        (``"nothing"``, ``"dirty"``, ``"full"``, or ``"refused"`` when the docs or the theme
        overrides hold a link out of the project or a special file: MkDocs would copy it).
        """
        from mkdocs.commands.build import build

        global current
        t0 = time.perf_counter()
        refused = source_problems(self.paths)
        if refused:
            for p in refused:
                log.error(p.format())
            log.error("Nothing is built while docs/ or overrides/ hold these: showing the last good pages.")
            return "refused"
        state = self.state()
        if self.built is not None and not self.problems and state == self.state_built:
            # A watcher event with nothing changed (a save of identical bytes, say): no build.
            log.info(f"Nothing changed since the last build ({time.perf_counter() - t0:.2f} s to check).")
            return "nothing"
        had_problems = bool(self.problems)
        outcome = self.regenerate()
        if outcome.problems:
            for p in outcome.problems:
                log.error(p.format())
            log.error("The data has errors: showing the last good pages.")
        elif outcome.stats is not None:
            written = outcome.stats.written
            names = ", ".join(written[:50]) + (f" and {len(written) - 50} more" if len(written) > 50 else "")
            log.info(
                f"Regenerated {len(written)} file(s){': ' + names if written else ''}; "
                f"removed {len(outcome.stats.removed)} "
                f"(all {outcome.stats.pages} pages rendered, {outcome.seconds:.2f} s)."
            )
        config = self.config()
        setup = self._setup(config)
        previous, self.built = self.built, None
        # A change in the error banner touches every page: only a build like the last good one may be dirty.
        self.dirty = previous is not None and not outcome.problems and not had_problems and previous.setup == setup
        why = ""
        current = self
        try:
            try:
                self._build(build, config, previous, setup)
            except NotExact as exc:
                why = f" ({exc}: every page rendered)"
                self.dirty = False
                self._build(build, self.config(), previous, setup)
        finally:
            current = None
        self.built = self.pending
        self.state_built = state
        log.info(
            f"Preview updated in {time.perf_counter() - t0:.2f} s: MkDocs rendered "
            f"{len(self.rendered)} page(s){' (the changed pages only)' if self.dirty else why}."
        )
        return "dirty" if self.dirty else "full"

    def _build(self, build: Any, config: Any, previous: Built | None, setup: str) -> None:
        self.rendered = []
        self.pending = Built(setup=setup)
        self.previous = previous if self.dirty else None
        build(config, serve_url=self.serve_url, dirty=self.dirty)
        split_entries(Path(config.site_dir))  # as the build does: each review row and card an entry of the index


current: Preview | None = None
"""The preview being served (the hook reads it)."""


class _DirtyNotice(logging.Filter):
    """Drop MkDocs' warning about dirty builds: the preview runs one only when it is exact (:meth:`Preview.step`)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "'dirty' build is being performed" not in record.getMessage()


def _watch_docs(server: Any, docs: Path) -> None:
    """Watch the hand-written docs, but not the generated folder the preview writes itself, nor a
    linked folder (a link to ``/etc`` would be polled whole, again and again)."""
    server.watch(str(docs), recursive=False)
    for child in sorted(docs.iterdir()):
        if child.is_dir() and not child.is_symlink() and child.name != GENERATED:
            server.watch(str(child))


def check_port(host: str, port: int) -> None:
    """Refuse, before any build, an address another server holds (a bind test, as the server will bind)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server sets it
        try:
            sock.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise UserError(
                    f"port {port} on {host} is in use; stop the other server or choose another with --dev-addr"
                ) from None
            raise UserError(
                f"cannot serve on {host}:{port}: {exc.strerror}", "choose another with --dev-addr"
            ) from None


def _request_build(server: Any) -> None:
    """Ask the server's build loop for a build, as a watched file's change does."""
    with server._rebuild_cond:
        server._want_rebuild = True
        server._rebuild_cond.notify_all()


class _Rewatch(threading.Thread):
    """Follows watched folders that go away and come back (moved aside and back, checked out anew).

    The watcher's poller of a folder stops for good when the folder disappears; this
    thread notices a folder that exists again without a live poller, watches it anew
    and asks for a build (what changed inside it meanwhile was seen by no poller).
    """

    def __init__(self, server: Any, folders: list[Path], interval: float) -> None:
        super().__init__(daemon=True, name="uprkb-rewatch")
        self.server = server
        self.folders = folders
        self.interval = max(interval, 0.1)
        self.stopped = threading.Event()

    def _followed(self, folder: Path) -> bool:
        path = os.path.abspath(folder)
        return any(e.watch.path == path and e.is_alive() for e in list(self.server.observer.emitters))

    def run(self) -> None:
        while not self.stopped.wait(self.interval):
            for folder in self.folders:
                if folder.is_dir() and not self._followed(folder):
                    log.info(f"{display_path(folder)} is back: following it again.")
                    path = str(folder)
                    if os.path.abspath(path) in self.server._watched_paths:
                        self.server.unwatch(path)
                    self.server.watch(path)
                    _request_build(self.server)


def _observer(interval: float, building: threading.Event) -> Any:
    """The watcher, polling every ``interval`` seconds except while a build runs: the build has the
    cores to itself, and what a save changes meanwhile is seen by the first poll after it (each poll
    compares with the one before the build). Links are not followed."""
    from watchdog.observers.api import BaseObserver
    from watchdog.observers.polling import PollingEmitter

    class Emitter(PollingEmitter):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            # lstat: a link is seen as a link, never walked into (a link to /etc in docs/ is refused,
            # and polling it ten times a second would keep the preview from answering).
            super().__init__(*args, stat=os.lstat, **kwargs)

        def queue_events(self, timeout: float) -> None:
            while building.is_set() and not self.stopped_event.wait(0.02):
                pass
            super().queue_events(timeout)

    return BaseObserver(Emitter, timeout=interval)


def bad_path(path: str) -> bool:
    """Whether a request's path (``PATH_INFO``, already unquoted) holds a NUL byte or a ``..`` segment."""
    return "\x00" in path or ".." in path.replace("\\", "/").split("/")


def refuse_bad_paths(app: Any) -> Any:
    """The WSGI application ``app``, answering 400 to a path no page has (:func:`bad_path`), not a traceback."""

    def guarded(environ: dict[str, Any], start_response: Any) -> Any:
        if bad_path(environ.get("PATH_INFO", "")):
            start_response("400 Bad Request", [("Content-Type", "text/plain; charset=utf-8")])
            return [b"400 Bad Request: the path holds a NUL byte or a '..' segment.\n"]
        return app(environ, start_response)

    return guarded


@contextlib.contextmanager
def stopped_by_sigterm() -> Iterator[None]:
    """Within the block, SIGTERM stops the preview as Ctrl-C does (so its temporary site is removed)."""

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous if previous is not None else signal.SIG_DFL)


def serve(paths: Project, dev_addr: str = "127.0.0.1:8000", polling_interval: float = 0.1) -> None:
    """Serve the preview on ``dev_addr`` until interrupted (Ctrl-C or SIGTERM); rebuild on every save.

    Refused before anything is built: a busy address, and docs or theme overrides holding a link
    out of the project or a special file (:func:`uprkb.build.inputs.source_problems`).
    """
    with stopped_by_sigterm():
        _serve(paths, dev_addr, polling_interval)


def _serve(paths: Project, dev_addr: str, polling_interval: float) -> None:
    global current
    from mkdocs.config import load_config
    from mkdocs.livereload import LiveReloadServer

    config = load_config(config_file=str(paths.config), dev_addr=dev_addr, strict=False)
    host, port = config.dev_addr
    check_port(host, port)
    refused = source_problems(paths)
    if refused:
        raise DataError(refused, footer="Nothing was built or served.")

    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logging.getLogger("mkdocs.commands.build").addFilter(_DirtyNotice())

    preview = Preview(paths, dev_addr=dev_addr)
    site_dir = preview.site_dir
    mount_path = urlsplit(config.site_url or "/").path

    building = threading.Event()

    def builder() -> None:
        building.set()
        try:
            preview.step()
        finally:
            building.clear()

    server = LiveReloadServer(
        builder=builder,
        host=host,
        port=port,
        root=str(site_dir),
        mount_path=mount_path,
        polling_interval=polling_interval,
    )
    server.observer = _observer(polling_interval, building)
    server.set_app(refuse_bad_paths(server.serve_request))

    def error_page(code: int) -> bytes | None:
        page = site_dir / f"{code}.html"
        return page.read_bytes() if code in (404, 500) and page.is_file() else None

    server.error_handler = error_page
    rewatch: _Rewatch | None = None
    try:
        preview.step()
        _watch_docs(server, paths.docs)
        # Not the package: the running server keeps the code it started with (restart it after a code change).
        folders = [paths.data, paths.templates, paths.root / "overrides"]
        for path in (paths.config, *folders):
            if path.exists():
                server.watch(str(path))
        rewatch = _Rewatch(server, [f for f in folders if f.is_dir()], polling_interval)
        rewatch.start()
        try:
            server.serve()
        except KeyboardInterrupt:
            log.info("Shutting down...")
        finally:
            rewatch.stopped.set()  # first: a stopped watcher must not be taken for a folder gone and back
            rewatch.join(timeout=5)
            server.shutdown()
    finally:
        if rewatch is not None:
            rewatch.stopped.set()
            rewatch.join(timeout=5)
        current = None
        shutil.rmtree(site_dir, ignore_errors=True)
