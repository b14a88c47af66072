"""Generate the pages, run MkDocs, check the output, swap it in atomically.

The site is built into a fresh temporary folder beside the target
(``.site-tmp-*``), written out with the downloads, scanned for active content,
and only then swapped in place of the previous site. On any failure the
previous site is untouched and the temporary folder is removed.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import logging
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from uprkb.build.inputs import source_problems
from uprkb.build.outputs import MARKER, check_site_folder, write_marker
from uprkb.check.validate import CheckResult, check
from uprkb.core.errors import DataError, Location, Problem, Severity
from uprkb.core.lock import project_lock
from uprkb.core.project import Project, site_url
from uprkb.core.settings import PLACEHOLDER_SITE_URL
from uprkb.index.kb import KnowledgeBase, public_index
from uprkb.load.dataset import Dataset
from uprkb.present.links import Permalinks
from uprkb.site import search
from uprkb.site.generate import GenerateStats, generate

log = logging.getLogger(__name__)


@dataclass
class BuildResult:
    check: CheckResult
    generated: GenerateStats | None = None
    site: Path | None = None
    timings: dict[str, float] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)


IMPORT_NOTE = "then fill in what 'validate' reports"
"""The words of the note ``import docx`` writes at the top of ``submission.yaml`` (until a person removes it)."""


def load_knowledge_base(paths: Project, include_confidential: bool = False) -> tuple[CheckResult, KnowledgeBase]:
    """Validate the data and index it; raises :class:`DataError` with every problem.

    A submission imported from Word that is not complete yet (its ``submission.yaml`` still carries the
    import's note, and every error is in its own files) is reported and left out (:func:`incomplete_imports`):
    the rest is built. Any other error stops the build.
    """
    result = check(paths.data, paths.site_url())
    if not result.ok:
        left_out = incomplete_imports(result)
        if not left_out:
            raise DataError(result.problems.sorted())
        result = check(paths.data, paths.site_url(), frozenset(left_out))
        if not result.ok:
            raise DataError(result.problems.sorted())
        result.problems.extend(list(left_out.values()))
    assert result.kb is not None
    from uprkb.check.editorial import limits

    kb = public_index(result.kb, result.dataset) if not include_confidential else result.kb
    kb.word_limits = limits(result.dataset)[0]
    return result, kb


def incomplete_imports(result: CheckResult) -> dict[str, Problem]:
    """The submissions to leave out of the build, by folder name, each with its ``submission-left-out`` warning:
    imported by ``import docx`` and not yet complete. Empty when any error lies elsewhere (the build stops)."""
    from uprkb.check.validate import inside
    from uprkb.core import limits

    folders = {sd.folder.name: sd.folder.resolve() for sd in result.dataset.submissions}
    owned: dict[str, list[Problem]] = {}
    for problem in result.problems.errors:
        owner = next((name for name, folder in folders.items() if inside(problem, folder)), None)
        if owner is None:
            return {}
        owned.setdefault(owner, []).append(problem)
    out: dict[str, Problem] = {}
    for name, errors in owned.items():
        meta = folders[name] / "submission.yaml"
        try:
            head = limits.read_file(meta, limits.MAX_DATA_FILE_BYTES, what="data file")[:2000]
        except (OSError, limits.Refused):
            return {}
        if IMPORT_NOTE not in head.decode("utf-8", "replace"):
            return {}
        out[name] = Problem(
            Location.of(meta),
            "submission-left-out",
            f"the submission '{name}' is left out of the site: it was imported from a Word document and is not "
            f"complete yet; {_to_fill_in(errors)}",
            "run `python3 build_site.py validate` to see where each one goes; once it validates it is built with "
            "the rest (delete the 'Imported from' note at the top of submission.yaml when you have checked it)",
            Severity.WARNING,
        )
    return out


_MISSING = re.compile(r"the field '([^']+)' is required but missing in (.*)")


def _to_fill_in(errors: list[Problem]) -> str:
    """``to fill in: state.iso3, state.name, action_category (4 times); and 2 other problem(s)``."""
    fields: dict[str, int] = {}
    others = 0
    for p in errors:
        m = _MISSING.fullmatch(p.message) if p.code == "missing-field" else None
        if m is None:
            others += 1
            continue
        where = m.group(2).rpartition(", ")[2] if ", " in m.group(2) else ""
        name = f"{where}.{m.group(1)}" if where and " " not in where else m.group(1)
        fields[name] = fields.get(name, 0) + 1
    parts = [f"{name} ({n} times)" if n > 1 else name for name, n in sorted(fields.items())]
    text = f"to fill in: {', '.join(parts)}" if parts else ""
    if others:
        text += ("; and " if text else "") + f"{others} other problem(s)"
    return text


def footer(kb: KnowledgeBase, data: Path) -> dict[str, str]:
    """What the site's footer says: whose data it is, under which licence, and when it last changed."""
    from uprkb.present.labels import human_date

    orgs = []
    licences = []
    for sub in kb.submissions:
        org = sub.submission.organisation
        orgs.append(org.name + (f" ({org.abbreviation})" if org.abbreviation else ""))
        if sub.submission.licence:
            licences.append(sub.submission.licence)
    return {
        "organisations": "; ".join(dict.fromkeys(orgs)),
        "licence": "; ".join(dict.fromkeys(licences)) or "not stated by the organisation",
        "updated": human_date(data_last_changed(data)),
    }


def data_last_changed(data: Path) -> str:
    """The date the data last changed: its last commit when the data is committed, else the newest file."""
    import datetime
    import subprocess

    try:
        status = subprocess.run(
            ["git", "status", "--porcelain", "--", "."], cwd=data, capture_output=True, text=True, timeout=10
        )
        if status.returncode == 0 and not status.stdout.strip():
            log = subprocess.run(
                ["git", "log", "-1", "--format=%cs", "--", "."], cwd=data, capture_output=True, text=True, timeout=10
            )
            if log.returncode == 0 and log.stdout.strip():
                return log.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        pass
    newest = max((p.stat().st_mtime for p in data.rglob("*.yaml")), default=time.time())
    return datetime.date.fromtimestamp(newest).isoformat()


def read_link_report(path: Path | None) -> dict[str, dict[str, Any]]:
    """The verdicts of a ``links`` report by URL, as report objects; {} without one.

    A report that is not JSON or has the wrong shape is a ``UserError`` naming the file.
    """
    if path is None or not path.exists():
        return {}
    from uprkb.linkcheck import read_report

    return {url: result.to_json() for url, result in read_report(path).items()}


def generate_docs(
    paths: Project, include_confidential: bool = False, documents: bool = False
) -> tuple[CheckResult, KnowledgeBase, GenerateStats, Permalinks]:
    """Validate, index and render the generated pages into ``docs/kb`` (``documents``: with Word and PDF).

    Files unchanged since they last validated cleanly come from the validated-file cache
    (``.cache/`` beside ``mkdocs.yml``; see :mod:`uprkb.core.cache`) unless one is already in use.
    """
    from uprkb.core import cache
    from uprkb.core.memory import fewer_collections

    store = None if cache.active() is not None else cache.for_project(paths.cache)
    with fewer_collections():
        with cache.using(store) if store is not None else contextlib.nullcontext():
            result, kb = load_knowledge_base(paths, include_confidential)
        stats, permalinks = generate(
            kb,
            paths.docs,
            paths.site_url(),
            read_link_report(paths.link_report),
            paths.templates,
            documents=documents,
            cache=paths.cache,
            workers=2,
        )
    return result, kb, stats, permalinks


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def run_mkdocs(config: Path, docs: Path, site_dir: Path, *, extra: dict[str, Any] | None = None) -> list[str]:
    """Build with MkDocs in strict mode; returns its warnings (empty on success)."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    capture = _Capture()
    log = logging.getLogger("mkdocs")
    log.addHandler(capture)
    try:
        cfg = load_config(str(config), docs_dir=str(docs), site_dir=str(site_dir), strict=True, **(extra or {}))
        mkdocs_build(cfg)
    except (Abort, ConfigurationError) as exc:
        return capture.messages or [str(exc)]
    finally:
        log.removeHandler(capture)
    return capture.messages


def _rmtree(path: Path) -> bool:
    """Remove a folder of ours, making read-only parts writable first; whether it is gone."""

    def retry(func: Callable[..., Any], name: str, _exc: object) -> None:
        with contextlib.suppress(OSError):
            os.chmod(os.path.dirname(name) or ".", 0o700)
            if os.path.isdir(name) and not os.path.islink(name):
                os.chmod(name, 0o700)
            func(name)

    with contextlib.suppress(OSError):
        if sys.version_info >= (3, 12):
            shutil.rmtree(path, onexc=retry)
        else:
            shutil.rmtree(path, onerror=retry)
    return not path.exists()


def recover(site: Path) -> list[str]:
    """Clear what a killed or failed build left beside ``site``; returns what was done, in words.

    A build killed between the two renames of :func:`swap_in` leaves no ``site`` and the
    previous one aside as ``.site-old-*``: that copy is put back first. Then the other
    temporary folders (``.site-tmp-*``, ``.site-old-*``) are removed; ``site`` never is.
    """
    done: list[str] = []
    olds = sorted(site.parent.glob(f".{site.name}-old-*"), key=lambda p: p.stat().st_mtime, reverse=True)
    if not site.exists():
        for old in olds:
            if old.is_dir() and (old / MARKER).is_file():
                os.rename(old, site)
                done.append(f"put back the previous site {site}, left aside by a build that was stopped")
                break
    for pattern in (f".{site.name}-tmp-*", f".{site.name}-old-*"):
        for leftover in site.parent.glob(pattern):
            if leftover.is_dir() and leftover != site:
                if _rmtree(leftover):
                    done.append(f"removed {leftover.name}, left by an earlier build")
                else:
                    log.warning("could not remove %s, left by an earlier build", leftover)
    return done


remove_leftovers = recover


def swap_in(new: Path, target: Path) -> None:
    """Replace ``target`` by ``new`` with two renames; the old site is removed afterwards.

    Killed between the renames, the old site waits beside ``target`` for :func:`recover`.
    """
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}-old-{os.getpid()}-{int(time.time() * 1000)}")
        os.rename(target, old)
    try:
        os.rename(new, target)
    except OSError:
        if old is not None:
            os.rename(old, target)
        raise
    if old is not None:
        # The marker goes first: a copy half deleted is never taken for a whole site by recover().
        with contextlib.suppress(OSError):
            (old / MARKER).unlink()
        if not _rmtree(old):
            log.warning("could not remove the previous site %s; the next build removes it", old)


def build_site(
    paths: Project,
    *,
    include_confidential: bool = False,
    verify: Callable[[Path], list[Problem]] | None = None,
    after_write: Callable[[Path], None] | None = None,
) -> BuildResult:
    """The whole build. Raises :class:`DataError` when anything fails; the old site stays.

    Refuses an output folder holding anything the build did not write
    (:func:`uprkb.build.outputs.check_site_folder`) and docs or theme overrides holding a link
    out of the project or a special file (:func:`uprkb.build.inputs.source_problems`), and holds
    the project's lock, so two builds never write at once. An internal build
    (``include_confidential``) generates its pages into a private copy of the docs folder,
    so no confidential page is ever left in ``docs/kb`` for a plain ``mkdocs build`` to publish.
    """
    check_site_folder(paths)
    problems = source_problems(paths)
    if problems:
        raise DataError(problems)
    with project_lock(paths.root, "build"):
        recovered = recover(paths.site)
        if not include_confidential:
            out = _build(paths, False, verify, after_write)
        else:
            private = Path(tempfile.mkdtemp(prefix="uprkb-internal-docs-"))
            try:
                docs = private / "docs"
                # Links were checked to stay in the project: the copy holds what they point at.
                shutil.copytree(paths.docs, docs, ignore=shutil.ignore_patterns("kb"))
                out = _build(paths.with_(docs=docs), True, verify, after_write)
            finally:
                _rmtree(private)
        for line in recovered:
            log.info("%s", line)
        return out


def _build(
    paths: Project,
    include_confidential: bool,
    verify: Callable[[Path], list[Problem]] | None,
    after_write: Callable[[Path], None] | None,
) -> BuildResult:
    t0 = time.perf_counter()
    result, kb, stats, _permalinks = generate_docs(paths, include_confidential, documents=True)
    # The records are not needed past generation: keep the problems and counts, not the
    # whole knowledge base, so MkDocs does not run on top of it (the peak of a large build).
    result = dataclasses.replace(result, kb=None, dataset=Dataset(result.dataset.root, files=result.dataset.files))
    del _permalinks
    out = BuildResult(result, stats, warnings=[*result.problems.warnings, *stats.warnings])
    url = paths.site_url()
    if url.rstrip("/") + "/" == PLACEHOLDER_SITE_URL:
        out.warnings = [
            *out.warnings,
            Problem(
                Location.of(paths.config),
                "site-url-placeholder",
                f"the publishing address is still the placeholder {PLACEHOLDER_SITE_URL}: "
                "the downloads carry permalinks relative to the site's root",
                "set site_url in mkdocs.yml, or UPRKB_SITE_URL, to the address the site is published at",
                Severity.WARNING,
            ),
        ]
    out.timings["generate"] = time.perf_counter() - t0
    paths.site.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{paths.site.name}-tmp-", dir=paths.site.parent))
    os.chmod(tmp, 0o755)  # a published site is readable by the web server (mkdtemp makes it 0700)
    try:
        t1 = time.perf_counter()
        theme_extra: dict[str, Any] = {"uprkb_footer": footer(kb, paths.data)}
        if include_confidential:
            theme_extra["uprkb_internal"] = True
        search_engine = search.engine(paths.docs)
        if search_engine == "pagefind":
            theme_extra["uprkb_search"] = "pagefind"
        extra: dict[str, Any] = {"extra": theme_extra}
        if search_engine == "pagefind":
            extra["plugins"] = search.plugins_without_search(paths.config)
        del kb  # not held while MkDocs runs; the downloads were written with the pages
        gc.collect()
        warnings = run_mkdocs(paths.config, paths.docs, tmp, extra=extra)
        out.timings["mkdocs"] = time.perf_counter() - t1
        if warnings:
            raise DataError(
                [
                    Problem(
                        Location(str(paths.config.name)),
                        "build-failed",
                        w,
                        "fix the link or anchor named; generated pages come from templates/",
                    )
                    for w in warnings
                ]
            )
        t3 = time.perf_counter()
        if search_engine == "pagefind":
            search.index_site(tmp)
        else:
            search.split_entries(tmp)  # each review row and each card an entry of Material's index
        out.timings["search"] = time.perf_counter() - t3
        if after_write is not None:
            after_write(tmp)
        t2 = time.perf_counter()
        from uprkb.build.safety import scan_site

        problems = scan_site(tmp, paths.config)
        if verify is not None:
            problems += verify(tmp)
        out.timings["verify"] = time.perf_counter() - t2
        if problems:
            raise DataError(problems)
        write_marker(tmp, paths)
        check_site_folder(paths)  # again: something may have been put into the folder while the build ran
        swap_in(tmp, paths.site)
    except BaseException:
        _rmtree(tmp)
        raise
    out.site = paths.site
    out.timings["total"] = time.perf_counter() - t0
    return out


__all__ = ["Project", "site_url", "BuildResult", "build_site", "generate_docs", "run_mkdocs"]
