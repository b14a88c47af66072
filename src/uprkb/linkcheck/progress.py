"""Progress of a link check: one self-overwriting status line on stderr, only when asked."""

from __future__ import annotations

import sys
import threading
import time
from typing import TextIO

__all__ = ["Progress", "stderr_is_tty"]


class Progress:
    """A single self-overwriting status line, redrawn at most ten times a second."""

    def __init__(self, stream: TextIO, enabled: bool) -> None:
        self._stream = stream
        self._enabled = enabled
        self._lock = threading.Lock()
        self._name = ""
        self._done = 0
        self._total = 0
        self._drawn = 0.0
        self._dirty = False

    def phase(self, name: str, total: int) -> None:
        with self._lock:
            self._name, self._done, self._total = name, 0, total
            self._draw(force=True)

    def advance(self, n: int = 1) -> None:
        with self._lock:
            self._done += n
            self._draw(force=self._done >= self._total)

    def _draw(self, force: bool) -> None:
        if not self._enabled:
            return
        now = time.monotonic()
        if not force and now - self._drawn < 0.1:
            return
        self._drawn = now
        self._dirty = True
        self._stream.write(f"\r\x1b[Klinks: {self._name} {min(self._done, self._total)}/{self._total}")
        self._stream.flush()

    def close(self) -> None:
        with self._lock:
            if self._enabled and self._dirty:
                self._stream.write("\n")
                self._stream.flush()
            self._dirty = False


def stderr_is_tty() -> bool:
    """True when stderr is a terminal (the default for showing progress)."""
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False
