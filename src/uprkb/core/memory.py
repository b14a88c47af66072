"""Garbage collection while a run builds a large, long-lived object graph.

Loading the whole UPR record makes a million containers (parsed YAML, records,
index) that all stay alive. With the interpreter's default thresholds every
700 new containers start a collection, and each full collection walks every
object made so far: the time grows with the square of the data (at 23,000
received recommendations, half the load and nine tenths of reading the
validated-file cache went to collections that freed nothing). Inside
:func:`fewer_collections` the first-generation threshold is raised, so cycles
are still collected, just rarely; the previous thresholds come back afterwards.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

THRESHOLD = (100_000, 50, 100)
"""First-generation allocations between collections, and the older generations' ratios."""


@contextlib.contextmanager
def fewer_collections() -> Iterator[None]:
    """Collect rarely inside the block (never more often than before); nested uses are fine."""
    before = gc.get_threshold()
    gc.set_threshold(*(max(a, b) for a, b in zip(THRESHOLD, before, strict=True)))
    try:
        yield
    finally:
        gc.set_threshold(*before)
