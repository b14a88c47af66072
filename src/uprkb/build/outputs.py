"""What a command may delete or overwrite: only what it can prove it made itself.

The build replaces its output folder wholesale, so it refuses a folder that is, holds or
sits inside the data, the hand-written docs, the templates, the theme overrides, the cache
or the Git repository, the project folder itself or a folder above it. Any other non-empty
folder is replaced only when its :data:`MARKER` file, which the build writes in every site it
makes, names this project and lists every file and folder in it: a GitHub Pages checkout holding
a copy of the site keeps its ``.git`` and ``CNAME``, which the list does not hold, and is refused
with them named.

A command that writes one document (``export docx -o``, ``export pdf -o``) replaces an existing
file only when it carries this project's mark for the same submission (a custom property of the
Word document, a comment line at the end of the PDF: :func:`uprkb.exports.docx.read_mark`,
:func:`uprkb.exports.pdf.read_mark`); ``links --report`` only a link report. ``--force`` replaces any file.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from uprkb.core import limits
from uprkb.core.errors import UserError
from uprkb.core.project import Project

MARKER = ".uprkb-site"
"""A file in every site folder the build made: the project that made it and every file and folder it wrote."""
MARKER_FORMAT = "uprkb-site/2"
SHOWN = 10
"""How many of the files a refused folder holds a message names."""


def project_mark(paths: Project) -> str:
    """This project told apart from any other: a digest of its folder (so no local path is ever published)."""
    return hashlib.sha256(str(paths.root.resolve()).encode()).hexdigest()[:16]


def document_mark(paths: Project, submission: str) -> str:
    """The mark an export of ``submission`` by this project carries."""
    return f"{submission} {project_mark(paths)}"


def site_entries(folder: Path) -> set[str]:
    """Every file and folder below ``folder``, relative, folders ending in ``/``; links are not followed."""
    out: set[str] = set()
    for dirpath, dirnames, filenames in os.walk(folder):
        rel = Path(dirpath).relative_to(folder)
        for name in dirnames:
            path = Path(dirpath) / name
            out.add((rel / name).as_posix() + ("" if path.is_symlink() else "/"))
        out.update((rel / name).as_posix() for name in filenames)
    return out


def write_marker(folder: Path, paths: Project) -> None:
    """Mark ``folder`` as a site of this project, listing everything in it."""
    listed = sorted(site_entries(folder) - {MARKER})
    record = {"made_by": "uprkb build", "format": MARKER_FORMAT, "project": project_mark(paths), "files": listed}
    (folder / MARKER).write_text(json.dumps(record, indent=0, ensure_ascii=False) + "\n", encoding="utf-8")


def read_marker(folder: Path) -> tuple[str, set[str]] | None:
    """The project and the listed entries of a site the build made; ``None`` for no marker, an
    unreadable one, or one this build does not write (an older build's text, say)."""
    try:
        record = json.loads(limits.read_file(folder / MARKER, limits.MAX_INPUT_BYTES, what="site marker"))
    except (limits.Refused, ValueError):
        return None
    if not isinstance(record, dict) or record.get("format") != MARKER_FORMAT:
        return None
    files, project = record.get("files"), record.get("project")
    if not isinstance(project, str) or not isinstance(files, list) or not all(isinstance(f, str) for f in files):
        return None
    return project, set(files)


def made_by_build(folder: Path, paths: Project) -> bool:
    """Whether ``folder`` holds nothing but a site this project's build made."""
    return not foreign_entries(folder, paths)[1]


def foreign_entries(folder: Path, paths: Project) -> tuple[str, list[str]]:
    """Why the build may not replace ``folder`` and what in it it did not write; ``("", [])`` when it may."""
    found = site_entries(folder)
    if not found:
        return "", []
    record = read_marker(folder)
    if record is None:
        why = (
            f"it has no {MARKER} file listing what the build wrote"
            if MARKER not in found
            else f"its {MARKER} file does not list what the build wrote (an older build's, or one copied in)"
        )
        return why, _shallowest(found - {MARKER})
    project, listed = record
    if project != project_mark(paths):
        return "it holds a site built by another project", []
    foreign = found - listed - {MARKER}
    return ("it holds what the build did not write", _shallowest(foreign)) if foreign else ("", [])


def _shallowest(entries: set[str]) -> list[str]:
    """The entries not inside another one of them (``.git/``, not every file below it), sorted."""
    folders = {e for e in entries if e.endswith("/")}
    return sorted(e for e in entries if not any(e != f and e.startswith(f) for f in folders))


def _listing(entries: list[str]) -> str:
    shown = ", ".join(entries[:SHOWN])
    return shown + (f" and {len(entries) - SHOWN} more" if len(entries) > SHOWN else "")


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
        why, foreign = foreign_entries(site, paths)
        if why:
            holds = f" ({_listing(foreign)})" if foreign else ""
            raise UserError(
                f"the output folder {paths.site} is not empty and was not made by the build: {why}{holds}. "
                "The build replaces its output folder whole, so it leaves this one as it is",
                "move those out or choose a new or empty folder for --site-dir (for a GitHub Pages checkout, "
                "build elsewhere and copy the site in); a site an older build made: delete it yourself, then build",
                where=paths.site,
            )


def _is_link_report(path: Path) -> bool:
    try:
        data = json.loads(limits.read_file(path, limits.MAX_INPUT_BYTES, what="link report"))
    except (limits.Refused, ValueError):
        return False
    return isinstance(data, list) and all(isinstance(x, dict) and "url" in x for x in data)


def _document_owner(path: Path, kind: str, paths: Project | None, submission: str | None) -> str:
    """Why ``path`` is not this project's export of ``submission``; ``""`` when it is."""
    from uprkb.exports import docx, pdf

    found = (docx.read_mark if kind == "docx" else pdf.read_mark)(path)
    if found is None:
        return "carries no export mark, so this command did not write it"
    if paths is None or submission is None or found != document_mark(paths, submission):
        return f"is an export of another submission or project (its mark: {found})"
    return ""


def check_output_file(
    path: Path, kind: str, force: bool, paths: Project | None = None, submission: str | None = None
) -> None:
    """Raise :class:`UserError` when writing ``path`` would replace a file this command cannot prove it wrote.

    ``kind`` is ``docx`` or ``pdf`` (an export of ``submission``: replaced only when it carries this
    project's mark for it, :func:`document_mark`) or ``link-report``; ``force`` replaces any file.
    Without ``force`` nothing is written into the data, the docs, the templates or over the configuration either.
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
    if not os.path.lexists(path):
        return
    hint = "name another file, or pass --force to replace it"
    if kind == "link-report":
        if not _is_link_report(path):
            raise UserError(
                f"{path} exists and is not a link report this command wrote: it is left as it is", hint, where=path
            )
        return
    why = _document_owner(path, kind, paths, submission)
    if why:
        command = f"export {kind}" + (f" --submission {submission}" if submission else "")
        raise UserError(
            f"{path} exists and {why}: `{command}` replaces only its own document, so it is left as it is",
            hint,
            where=path,
        )


__all__ = [
    "MARKER",
    "check_output_file",
    "check_site_folder",
    "document_mark",
    "made_by_build",
    "project_mark",
    "write_marker",
]
