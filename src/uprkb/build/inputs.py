"""What the site publishes besides the data: the hand-written docs and the theme overrides, checked at the door.

MkDocs copies every file of ``docs/`` into the site, following links, and so does the theme
for the files of its custom folder (``overrides/``). A link there to ``/etc/passwd`` would be
published, a link to ``/etc`` walked and copied whole, a link to ``/dev/zero`` copied until the
disk fills. So, as the data folder refuses such files (:func:`uprkb.core.limits.file_problem`,
the one rule), every entry of these folders must be a regular file or a folder whose real place
is inside the project; a link out of the project, a link leading nowhere or round in a loop,
a FIFO, a device or a socket is a located problem. ``validate``, the build and the preview
all ask :func:`source_problems`; the build and the preview build nothing while there is one.
"""

from __future__ import annotations

import os
from pathlib import Path

from uprkb.core import limits
from uprkb.core.errors import Location, Problem, display_path
from uprkb.core.project import Project

PLACE = "the project"


def published_folders(paths: Project) -> list[Path]:
    """The folders MkDocs copies files from: the docs and the theme overrides."""
    return [paths.docs, paths.root / "overrides"]


def source_problems(paths: Project) -> list[Problem]:
    """Every entry of the docs and the theme overrides that may not be published, located."""
    root = paths.root.resolve()
    out: list[Problem] = []
    for folder in published_folders(paths):
        if folder.is_dir():
            out += tree_problems(folder, root)
    return out


def tree_problems(folder: Path, root: Path) -> list[Problem]:
    """The entries below ``folder`` that may not be published; links inside ``root`` are followed, as
    MkDocs follows them, and a link back to a folder being walked is a loop. Nothing is read."""
    problems: list[Problem] = []

    def visit(path: Path, walking: tuple[str, ...]) -> None:
        try:
            entries = sorted(os.scandir(path), key=lambda e: e.name)
        except OSError as exc:
            problems.append(
                Problem(
                    Location.of(path), "unreadable", f"cannot read the folder: {exc.strerror}", "check its permissions"
                )
            )
            return
        for entry in entries:
            if entry.is_file(follow_symlinks=False):  # neither a link nor a special file
                continue
            if entry.is_dir(follow_symlinks=False):
                visit(Path(entry.path), (*walking, os.path.realpath(entry.path)))
                continue
            child = Path(entry.path)
            what = "folder" if child.is_dir() else "file"
            problem = limits.file_problem(child, what, root, place=PLACE, folders=True, then="it is not published")
            if problem is None and child.is_dir():
                real = os.path.realpath(child)
                if real in walking:
                    problem = Problem(
                        Location(os.path.join(display_path(path), entry.name)),
                        "not-a-file",
                        f"the folder is a link to {real}, which holds it: a loop that would be copied without end",
                        "remove the link",
                    )
                else:
                    visit(child, (*walking, real))
            if problem is not None:
                problems.append(problem)

    visit(folder, (os.path.realpath(folder),))
    return problems


__all__ = ["published_folders", "source_problems", "tree_problems"]
