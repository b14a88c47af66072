"""Where the data model is documented: the reference page's address, its anchors, docstrings as plain words.

Validation messages point at a field's entry on the published data-model
reference (:mod:`uprkb.site.reference` renders that page); both take its address from here.
"""

from __future__ import annotations

import re

PAGE = "kb/reference/data-model/"
"""Where the data-model reference is published, relative to the site's address."""

CODE_SPAN = re.compile(r"``(.+?)``")


def field_anchor(model: str, field: str) -> str:
    """The anchor of one field on the data-model reference page."""
    return f"{model.lower()}-{field.replace('_', '-')}"


def field_url(model: str, field: str | None, site_url: str | None) -> str:
    """The address of a model's (or one field's) entry on the reference page.

    Without a ``site_url`` the address is relative to the site (``kb/reference/data-model/#…``).
    """
    anchor = field_anchor(model, field) if field else model.lower()
    base = site_url.rstrip("/") + "/" if site_url else ""
    return f"{base}{PAGE}#{anchor}"


def plain_doc(doc: str) -> str:
    """A docstring as plain words for the terminal: ````x```` becomes 'x'."""
    return CODE_SPAN.sub(lambda m: f"'{m.group(1)}'", doc).strip()
