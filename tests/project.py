"""Where the tests find the checkout, the material beside it, and their own copy of the seed data."""

from __future__ import annotations

import shutil
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
"""The checkout under test."""

SEED_ID = "ili-kazakhstan-upr4"
"""The shipped submission the tests build on (a copy of it; never the live ``data/``)."""

SEED_DATA = Path(__file__).parent / "fixtures" / "seed-data"
"""The tests' own data folder: the vocabularies and the seed submission as shipped when the tests were
written (tests/fixtures/README.md). The tests never read the live ``data/``: an organisation that adds its
own submissions, reviews or vocabulary terms there, or removes the seed, keeps a green suite."""

SEED_VOCABULARIES = SEED_DATA / "vocabularies"
"""The tests' vocabularies (the synthetic corpora of ``benchmarks.synth`` draw their tags from them)."""

SHARED = PROJECT.parent / "shared"
"""The real UPR material beside the checkout (never copied in): tests that read it are the real tier."""


def copy_seed_data(dest: Path) -> Path:
    """Copy the tests' seed data (vocabularies and the seed submission) into a new data folder ``dest``."""
    shutil.copytree(SEED_DATA, dest)
    return dest
