"""Where the tests find the checkout and the material beside it."""

from __future__ import annotations

from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
"""The checkout under test."""

SEED_ID = "ili-kazakhstan-upr4"
"""The shipped submission the tests build on (a copy of it; never the live ``data/``)."""


def copy_seed_data(dest: Path) -> Path:
    """Copy the shipped vocabularies and the seed submission (only those) into a new data folder ``dest``.

    Tests build from this copy, so an organisation that adds its own submissions and reviews to
    ``data/`` keeps a green suite.
    """
    import shutil

    shutil.copytree(PROJECT / "data" / "vocabularies", dest / "vocabularies")
    shutil.copytree(PROJECT / "data" / "submissions" / SEED_ID, dest / "submissions" / SEED_ID)
    return dest
