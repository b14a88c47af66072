"""Stage 14, cli: the command line, a thin layer over the pipeline stages.

``python3 build_site.py`` builds the site; ``validate``, ``serve``, ``check``, ``links``,
``export``, ``import``, ``review``, ``new``, ``suggest`` and ``schema`` are the other
commands (one module per family). Data problems print as ``path:line:col: [code]
message`` with a hint and exit 1; a failed build never replaces the last good site.
"""

from uprkb.cli import (  # noqa: F401 - each registers its commands
    authoring,
    checks,
    exports,
    imports,
    reports,
    site,
)
from uprkb.cli.base import main

__all__ = ["main"]
