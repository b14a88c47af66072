"""Live preview: MkDocs' dev server with a thin hook that re-runs the generator.

``mkdocs.yml`` stays free of hooks (other engines ignore them); the hook and
the extra watched folders (data, templates, the package) are added only here.
When an edit makes the data invalid, the preview keeps the last good pages
and shows the problems at the top of every page.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from .build import PROJECT, Paths

HOOK = Path(__file__).with_name("serve_hook.py")


def serve(paths: Paths, dev_addr: str = "127.0.0.1:8000") -> None:
    from mkdocs.commands.serve import serve as mkdocs_serve

    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)

    os.environ["UPRKB_DATA"] = str(paths.data.resolve())
    os.environ["UPRKB_DOCS"] = str(paths.docs.resolve())
    os.environ["UPRKB_TEMPLATES"] = str(paths.templates.resolve())
    os.environ["UPRKB_CONFIG"] = str(paths.config.resolve())
    watch = [str(paths.data), str(paths.templates), str(PROJECT / "src" / "uprkb")]
    mkdocs_serve(
        config_file=str(paths.config),
        dev_addr=dev_addr,
        livereload=True,
        watch=watch,
        hooks=[str(HOOK)],
        # Not strict: a data error must leave the preview serving the last good pages.
        strict=False,
    )
