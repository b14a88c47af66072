"""Units of work shared between this process and one forked from it, on machines with a second core.

Each process takes the next unit nobody has taken (a counter in shared memory), so the two finish
together whatever the units cost. The forked process sends back what its ``report`` gives and ends;
it logs nothing and runs no exit handler, as the threads of the process it was forked from (a
server's, say) do not exist in it. Where forking is not offered (Windows), not safe (macOS) or
would not help (one core), nothing is forked and the caller does every unit itself.
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import os
import select
import signal
import sys
import time
import warnings
from collections.abc import Callable
from typing import Any

ENV = "UPRKB_WORKERS"
"""``1`` keeps every unit in this process (for a debugger or a profile)."""


def available() -> bool:
    """Whether a second process would run units beside this one."""
    if os.environ.get(ENV, "").strip() == "1":
        return False
    return hasattr(os, "fork") and sys.platform.startswith("linux") and (os.cpu_count() or 1) > 1


PATIENCE = 60.0
"""Seconds the forked process is waited for once this one is done (more when this one took longer)."""


def share(
    count: int, run: Callable[[int], None], report: Callable[[], Any], patience: float | None = None
) -> tuple[bool, Any]:
    """Run ``run(i)`` for every ``i`` below ``count``, shared with a forked process.

    ``report`` gives, in the forked process after its units, what it did as JSON values.
    Returns ``(True, what the forked process's report gave)`` when it did its part, and
    ``(False, None)`` when it failed, could not start or had not finished ``patience`` seconds
    after this process (then it is stopped): the units it took are then not known to be done,
    and the caller does every unit again itself.
    """
    try:
        taken = multiprocessing.get_context("fork").Value("i", 0)
    except (OSError, ValueError):  # no shared memory or semaphores here
        return False, None

    def units() -> None:
        while True:
            with taken.get_lock():
                i = taken.value
                taken.value += 1
            if i >= count:
                return
            run(i)

    read_end, write_end = os.pipe()
    try:
        with warnings.catch_warnings():
            # Python 3.12 warns about forking beside other threads (a server's): the forked process
            # runs only this code, which takes no lock those threads hold.
            warnings.simplefilter("ignore", DeprecationWarning)
            pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return False, None
    if pid == 0:  # the forked process: its units, its report, then gone
        os.close(read_end)
        try:
            units()
            payload = json.dumps([True, report()]).encode()
        except BaseException:  # noqa: BLE001 - told to the parent, which does the work again
            payload = b"[false, null]"
        try:
            with os.fdopen(write_end, "wb") as out:
                out.write(payload)
        finally:
            os._exit(0)
    os.close(write_end)
    started = time.monotonic()
    try:
        units()
    finally:
        deadline = time.monotonic() + (patience if patience is not None else max(PATIENCE, time.monotonic() - started))
        answer = _read_until(read_end, deadline)
        if answer is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    if answer is None:
        return False, None
    try:
        ok, result = json.loads(answer)
    except Exception:  # noqa: BLE001 - the forked process ended before it could say
        return False, None
    return bool(ok), result


def _read_until(fd: int, deadline: float) -> bytes | None:
    """Everything written to the pipe ``fd`` until its end, or ``None`` at ``deadline`` (``fd`` is closed)."""
    chunks: list[bytes] = []
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                return None
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
    finally:
        os.close(fd)


__all__ = ["available", "share", "ENV"]
