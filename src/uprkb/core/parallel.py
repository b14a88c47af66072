"""Units of work shared between this process and one forked from it, on machines with a second core.

Each process takes the next unit nobody has taken (a counter in shared memory), so the two finish
together whatever the units cost. The forked process sends back its units' results and ends;
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

from uprkb.core.settings import environ

ENV = "UPRKB_WORKERS"
"""``1`` keeps every unit in this process (for a debugger or a profile)."""


def available() -> bool:
    """Whether a second process would run units beside this one."""
    if (environ(ENV) or "").strip() == "1":
        return False
    return hasattr(os, "fork") and sys.platform.startswith("linux") and (os.cpu_count() or 1) > 1


PATIENCE = 60.0
"""Seconds the forked process is waited for once this one is done (more when this one took longer)."""


def map_units(count: int, run: Callable[[int], Any], *, share: bool = True, patience: float | None = None) -> list[Any]:
    """``run(i)`` for every ``i`` below ``count``, in order; each result a JSON value.

    With ``share`` (and :func:`available`), a forked process takes units too and sends back its
    results. A unit it took and did not report (it failed, or had not finished ``patience`` seconds
    after this process, and was stopped) is run here: every unit has its result either way.
    """
    done = _shared(count, run, patience) if share and count > 1 and available() else {}
    return [done[i] if i in done else run(i) for i in range(count)]


def _shared(count: int, run: Callable[[int], Any], patience: float | None) -> dict[int, Any]:
    """The results of the units this process and a forked one did, by unit."""
    try:
        taken = multiprocessing.get_context("fork").Value("i", 0)
    except (OSError, ValueError):  # no shared memory or semaphores here
        return {}

    def units(done: dict[int, Any]) -> None:
        while True:
            with taken.get_lock():
                i = taken.value
                taken.value += 1
            if i >= count:
                return
            done[i] = run(i)

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
        return {}
    if pid == 0:  # the forked process: its units, their results, then gone
        os.close(read_end)
        theirs: dict[int, Any] = {}
        try:
            units(theirs)
        except BaseException:  # noqa: BLE001 - the units it did are reported; this process does the rest
            pass
        try:
            with os.fdopen(write_end, "wb") as out:
                out.write(json.dumps(theirs).encode())
        finally:
            os._exit(0)
    os.close(write_end)
    mine: dict[int, Any] = {}
    started = time.monotonic()
    try:
        units(mine)
    finally:
        deadline = time.monotonic() + (patience if patience is not None else max(PATIENCE, time.monotonic() - started))
        answer = _read_until(read_end, deadline)
        if answer is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    try:
        reported = json.loads(answer) if answer is not None else {}
    except ValueError:  # the forked process ended before it could say
        reported = {}
    return {**{int(i): result for i, result in reported.items()}, **mine}


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


__all__ = ["available", "map_units", "ENV"]
