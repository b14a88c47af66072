"""The project's settings, read in one place: ``mkdocs.yml`` as MkDocs reads it, and the environment.

``mkdocs.yml`` is read by MkDocs' own YAML loader (:func:`mkdocs.utils.yaml.yaml_load`): its tags
(``!ENV``, ``!relative``, Material's ``!!python/name:…`` emoji recipe) and ``INHERIT`` mean what they
mean to MkDocs, so the publishing address and the plugins we read are the ones MkDocs builds with.
A file MkDocs cannot read is a :class:`~uprkb.core.errors.UserError` saying so, never a silent
placeholder. It is read anew each time (a few milliseconds): ``!ENV`` and an inherited file may
change without the file's bytes changing.

Every environment variable the project reads is listed in :data:`ENVIRONMENT` and read with
:func:`environ` (a name not listed there is a programming error).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from uprkb.core.errors import UserError

PLACEHOLDER_SITE_URL = "https://upr-kb.example.org/"
"""The publishing address of a project that has not set ``site_url`` in ``mkdocs.yml``."""

ENVIRONMENT: dict[str, str] = {
    "UPRKB_ROOT": "the project folder, when the command is not run inside it",
    "UPRKB_SITE_URL": "the publishing address, overriding mkdocs.yml's site_url (a preview or a staging copy)",
    "UPRKB_DEBUG": "show the traceback of an unexpected error",
    "UPRKB_LOCK_WAIT": "seconds a command waits for another one on the same project (default 10)",
    "UPRKB_CACHE_SECRET": "the key that seals the caches (default: a key kept outside the project)",
    "UPRKB_NO_CACHE": "read and build everything anew, keeping no cache",
    "UPRKB_WORKERS": "1: make the pages in one process (default: share them with a second process)",
    "UPRKB_DOCUMENT_WORKERS": "how many Word/PDF documents are made at once",
    "UPRKB_SEARCH": "the search engine: auto (default), material or pagefind",
    "UPRKB_LYCHEE": "the lychee program the internal link check runs",
    "XDG_STATE_HOME": "where the cache key is kept (default ~/.local/state)",
}
"""Every environment variable the project reads, with what it does (the README lists them too)."""


def environ(name: str, default: str | None = None) -> str | None:
    """The value of one of :data:`ENVIRONMENT`'s variables (``default`` when unset or empty)."""
    if name not in ENVIRONMENT:
        raise KeyError(f"{name} is not one of the project's environment variables (core/settings.py)")
    return os.environ.get(name) or default


@dataclass(frozen=True)
class SiteSettings:
    """What the project reads from ``mkdocs.yml``."""

    site_url: str
    """The publishing address (``UPRKB_SITE_URL`` first; :data:`PLACEHOLDER_SITE_URL` when neither is set)."""
    mkdocs_site_url: str | None
    """The address MkDocs itself builds with (``mkdocs.yml``'s, without our override): the root of the paths
    MkDocs writes as absolute ones (``/REPO/assets/…`` on ``404.html``)."""
    plugins: tuple[Any, ...]
    """The ``plugins`` as written (names, or one-key mappings of a name to its options); MkDocs' default
    ``search`` when the file names none."""
    extra_javascript: tuple[str, ...]
    """The site paths of the scripts ``extra_javascript`` adds."""


def site_settings(config: Path) -> SiteSettings:
    """``mkdocs.yml`` as MkDocs reads it (see the module's description)."""
    try:
        raw = config.read_bytes()
    except OSError:
        raw = b""
    data = _mkdocs_yaml(str(config), raw) if raw else {}
    url = environ("UPRKB_SITE_URL") or data.get("site_url") or PLACEHOLDER_SITE_URL
    plugins = data.get("plugins", ["search"])
    if isinstance(plugins, dict):
        plugins = [{k: v} for k, v in plugins.items()]
    scripts = []
    for item in data.get("extra_javascript") or ():
        path = item.get("path") if isinstance(item, dict) else item
        if isinstance(path, str):
            scripts.append(path)
    own = data.get("site_url")
    return SiteSettings(str(url), str(own) if own else None, tuple(plugins or ()), tuple(scripts))


def _mkdocs_yaml(shown: str, raw: bytes) -> dict[str, Any]:
    import io

    import yaml
    from mkdocs.exceptions import ConfigurationError
    from mkdocs.utils.yaml import yaml_load

    stream = io.StringIO(raw.decode("utf-8", errors="replace"))
    stream.name = shown  # INHERIT is read relative to the file
    try:
        data = yaml_load(stream)
    except (yaml.YAMLError, ConfigurationError) as exc:
        raise UserError(
            f"{shown}: MkDocs cannot read it: {exc}",
            hint="correct mkdocs.yml; `mkdocs build` shows the same problem",
        ) from None
    if not isinstance(data, dict):
        raise UserError(f"{shown}: MkDocs reads no settings in it", hint="mkdocs.yml holds 'name: value' lines")
    return data
