"""One lock per project for the commands that write the site or the data.

A second command waits a little for the first to finish (``UPRKB_LOCK_WAIT`` seconds,
default 10), then stops with "another build is running (pid N)" (or import, naming what holds it). The lock is an
advisory ``flock`` on ``.uprkb.lock`` in the project folder: the kernel releases it
when its holder exits, even when killed, so a stale file never blocks a build.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Iterator
from pathlib import Path

from uprkb.core.errors import UserError
from uprkb.core.settings import environ

LOCK_NAME = ".uprkb.lock"
_held: dict[str, int] = {}
"""Locks this process holds (by file), so a command that calls another does not wait for itself."""


def wait_seconds() -> float:
    try:
        return max(0.0, float(environ("UPRKB_LOCK_WAIT") or "10"))
    except ValueError:
        return 10.0


@contextlib.contextmanager
def project_lock(root: Path, what: str = "build", wait: float | None = None) -> Iterator[None]:
    """Hold the project's lock for the block; :class:`UserError` when another process keeps it too long."""
    path = Path(root) / LOCK_NAME
    key = str(path.resolve())
    if key in _held:
        _held[key] += 1
        try:
            yield
        finally:
            _held[key] -= 1
        return
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + (wait_seconds() if wait is None else wait)
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = os.pread(fd, 64, 0).decode("ascii", "replace").split()
                    pid = holder[0] if holder else "unknown"
                    doing = holder[1] if len(holder) > 1 else "command"  # what the holder wrote: build, import…
                    raise UserError(
                        f"another {doing} is running (pid {pid}) and writes to this project",
                        hint="wait for it to finish, then run the command again",
                        where=path,
                    ) from None
                time.sleep(0.1)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()} {what}\n".encode("ascii", "replace"), 0)
        _held[key] = 1
        try:
            yield
        finally:
            del _held[key]
            with contextlib.suppress(OSError):
                os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


__all__ = ["LOCK_NAME", "project_lock"]
