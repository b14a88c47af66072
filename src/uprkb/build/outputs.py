"""What a command may delete or overwrite: only what it made itself.

The build replaces its output folder wholesale, so it refuses a folder that is, holds or
sits inside the data, the hand-written docs, the templates, the theme overrides, the cache
or the Git repository, the project folder itself or a folder above it, and any non-empty
folder that does not carry the :data:`MARKER` file the build leaves in every site it makes.

A command that writes one file (``export docx -o``, ``export pdf -o``, ``links --report``)
replaces an existing file only when it is of the kind the command writes (a Word document,
a PDF, a link report), or with ``--force``.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from uprkb.core.errors import UserError
from uprkb.core.project import Project

MARKER = ".uprkb-site"
"""A file in every site folder the build made; the build deletes or replaces no other folder."""
MARKER_TEXT = "This folder was made by `uprkb build`; the next build replaces it whole.\n"


def made_by_build(folder: Path) -> bool:
    """Whether ``folder`` is a site the build made: it holds the marker file.

    A site built before the marker existed (an MkDocs output: ``index.html`` and the search index,
    and no ``mkdocs.yml``, ``data`` or ``.git``) is taken as one too.
    """
    if (folder / MARKER).is_file():
        return True
    return (
        (folder / "index.html").is_file()
        and (folder / "search" / "search_index.json").is_file()
        and not any((folder / name).exists() for name in (".git", "mkdocs.yml", "data", "docs"))
    )


def _within(inner: Path, outer: Path) -> bool:
    return inner == outer or outer in inner.parents


def check_site_folder(paths: Project) -> None:
    """Raise :class:`UserError` unless ``paths.site`` is a folder the build may replace."""
    site = paths.site.resolve()
    hint = "choose a new or empty folder for --site-dir, or the site/ folder the build made before"
    if site.parent == site or site == Path.home().resolve():
        raise UserError(f"the build will not replace {site}", hint, where=paths.site)
    root = paths.root.resolve()
    if _within(root, site):
        raise UserError(
            f"the output folder {paths.site} is the project folder or holds it: the build replaces its output",
            hint,
            where=paths.site,
        )
    owned = {
        "the data": paths.data,
        "the hand-written pages (docs)": paths.docs,
        "the page templates": paths.templates,
        "the theme overrides": paths.root / "overrides",
        "the cache": paths.cache,
        "the Git repository": paths.root / ".git",
        "the configuration": paths.config.parent if paths.config.parent.resolve() != root else paths.config,
    }
    for name, path in owned.items():
        p = path.resolve()
        if _within(site, p) or _within(p, site):
            raise UserError(
                f"the output folder {paths.site} is, holds or is inside {name} ({path}): "
                "the build deletes and replaces its output folder",
                hint,
                where=paths.site,
            )
    if site.exists():
        if not site.is_dir():
            raise UserError(f"the output {paths.site} is a file, not a folder", hint, where=paths.site)
        if any(site.iterdir()) and not made_by_build(site):
            raise UserError(
                f"the output folder {paths.site} is not empty and was not made by the build "
                f"(it has no {MARKER} file): the build replaces only a site it made",
                hint,
                where=paths.site,
            )


def _looks_like(path: Path, kind: str) -> bool:
    try:
        if kind == "docx":
            with zipfile.ZipFile(path) as z:
                return "word/document.xml" in z.namelist()
        if kind == "pdf":
            with path.open("rb") as f:
                return f.read(5) == b"%PDF-"
        if kind == "link-report":
            data = json.loads(path.read_text(encoding="utf-8"))
            return isinstance(data, list) and all(isinstance(x, dict) and "url" in x for x in data)
    except (OSError, ValueError, zipfile.BadZipFile):
        return False
    return False


def check_output_file(path: Path, kind: str, force: bool, paths: Project | None = None) -> None:
    """Raise :class:`UserError` when writing ``path`` would replace a file that is not a ``kind`` this command wrote.

    ``kind`` is ``docx``, ``pdf`` or ``link-report``; ``force`` replaces any file. Without ``force``
    nothing is written into the data, the docs, the templates or over the configuration either.
    """
    if force:
        if path.is_dir():
            raise UserError(f"{path} is a folder", "name a file", where=path)
        return
    target = path.resolve()
    if paths is not None:
        for name, p in (("the data", paths.data), ("the docs", paths.docs), ("the templates", paths.templates)):
            if _within(target, p.resolve()):
                raise UserError(
                    f"will not write {path} inside {name}",
                    "write the file elsewhere, or pass --force to write it there anyway",
                    where=path,
                )
        if target == paths.config.resolve():
            raise UserError(
                f"will not overwrite the configuration {path}",
                "name another file, or pass --force to replace it",
                where=path,
            )
    if path.exists() and not _looks_like(path, kind):
        what = {"docx": "a Word document", "pdf": "a PDF", "link-report": "a link report"}[kind]
        raise UserError(
            f"{path} exists and is not {what} this command wrote: it is left as it is",
            "name another file, or pass --force to replace it",
            where=path,
        )


__all__ = ["MARKER", "check_output_file", "check_site_folder", "made_by_build"]
