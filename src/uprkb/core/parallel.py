"""Units of work shared between this process and one forked from it, on machines with a second core.

Each process takes the next unit nobody has taken (a counter in shared memory), so the two finish
together whatever the units cost. The forked process sends back what its ``report`` gives and ends;
it logs nothing and runs no exit handler, as the threads of the process it was forked from (a
server's, say) do not exist in it. Where forking is not offered (Windows), not safe (macOS) or
would not help (one core), nothing is forked and the caller does every unit itself.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import sys
from collections.abc import Callable
from typing import Any

ENV = "UPRKB_WORKERS"
"""``1`` keeps every unit in this process (for a debugger or a profile)."""


def available() -> bool:
    """Whether a second process would run units beside this one."""
    if os.environ.get(ENV, "").strip() == "1":
        return False
    return hasattr(os, "fork") and sys.platform.startswith("linux") and (os.cpu_count() or 1) > 1


def share(count: int, run: Callable[[int], None], report: Callable[[], Any]) -> tuple[bool, Any]:
    """Run ``run(i)`` for every ``i`` below ``count``, shared with a forked process.

    ``report`` gives, in the forked process after its units, what it did as JSON values.
    Returns ``(True, what the forked process's report gave)`` when it did its part, and
    ``(False, None)`` when it failed or could not start: the units it took are then not
    known to be done, and the caller does every unit again itself.
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
    try:
        units()
    finally:
        with os.fdopen(read_end, "rb") as inp:
            payload = inp.read()
        os.waitpid(pid, 0)
    try:
        ok, result = json.loads(payload)
    except Exception:  # noqa: BLE001 - the forked process ended before it could say
        return False, None
    return bool(ok), result


__all__ = ["available", "share", "ENV"]
