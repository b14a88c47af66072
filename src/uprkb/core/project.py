"""The project a command works on: where it reads and writes, made once by the command line and passed down.

A project is a folder holding ``data/``, ``docs/`` and ``mkdocs.yml``; the command line
finds it (``--root``, ``UPRKB_ROOT``, or the working folder and its parents) and every
stage receives the :class:`Project` value, so no module guesses a path. The software's
own files (the page templates, the Word styles) ship inside the package:
:data:`PACKAGE` is the one place that looks at ``__file__``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from uprkb.core.settings import environ, site_settings

PACKAGE = Path(__file__).resolve().parent.parent
"""The installed ``uprkb`` package (its templates and the Word reference document live inside it)."""

TEMPLATES = PACKAGE / "site" / "templates"
"""The page templates shipped with the package."""


@dataclass
class Project:
    """Where a command reads and writes; every path can be redirected (tests build in ``tmp_path``)."""

    root: Path
    data: Path
    docs: Path
    config: Path
    site: Path
    cache: Path
    """The one cache folder (validated files, compiled templates, charts, documents); delete it at any time."""
    templates: Path = TEMPLATES
    link_report: Path | None = None
    site_url_override: str | None = field(default=None, repr=False)

    @classmethod
    def at(cls, root: Path) -> Project:
        """The standard layout below a project folder."""
        root = Path(root)
        return cls(
            root=root,
            data=root / "data",
            docs=root / "docs",
            config=root / "mkdocs.yml",
            site=root / "site",
            cache=root / ".cache",
        )

    @classmethod
    def find(cls, start: Path | None = None) -> Project:
        """The project at ``UPRKB_ROOT``, else the nearest folder from ``start`` up holding ``mkdocs.yml``."""
        env = environ("UPRKB_ROOT")
        if env:
            return cls.at(Path(env))
        here = (start or Path.cwd()).resolve()
        for folder in (here, *here.parents):
            if (folder / "mkdocs.yml").is_file() and (folder / "data").is_dir():
                return cls.at(folder)
        return cls.at(here)

    def with_(self, **changes: object) -> Project:
        """A copy with some paths changed."""
        return replace(self, **changes)  # type: ignore[arg-type]

    @property
    def schema(self) -> Path:
        """The JSON Schemas of the data files."""
        return self.root / "schema"

    def site_url(self) -> str:
        """The ``site_url`` of ``mkdocs.yml`` (overridable with ``UPRKB_SITE_URL``)."""
        if self.site_url_override:
            return self.site_url_override
        return site_url(self.config)


def site_url(config: Path) -> str:
    """The ``site_url`` of a ``mkdocs.yml`` as MkDocs reads it (overridable with ``UPRKB_SITE_URL``)."""
    return site_settings(config).site_url
