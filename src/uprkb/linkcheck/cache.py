"""The cache of successful checks: ``ok`` results only, each reused while younger than ``max_age``.

A missing, unreadable or foreign cache file is an empty cache. Anything that
was not ``ok`` is dropped, so a failure is always checked again next run.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from uprkb.linkcheck.report import OK, LinkResult, atomic_write

__all__ = ["is_fresh", "load_cache", "save_cache"]

_CACHE_VERSION = 1


def load_cache(path: Path) -> dict[str, LinkResult]:
    """Cached ok results by URL; a missing or unreadable cache is empty."""
    from uprkb.core import limits

    try:
        data = json.loads(limits.read_file(Path(path), limits.MAX_INPUT_BYTES, what="link cache"))
    except (limits.Refused, OSError, ValueError, RecursionError):
        return {}
    if not isinstance(data, dict) or data.get("version") != _CACHE_VERSION or not isinstance(data.get("results"), list):
        return {}
    out: dict[str, LinkResult] = {}
    for obj in data["results"]:
        try:
            result = LinkResult.from_json(obj)
        except ValueError:
            continue
        if result.status == OK:
            out[result.url] = result
    return out


def is_fresh(result: LinkResult, now: datetime, max_age: float) -> bool:
    """An ``ok`` result checked less than ``max_age`` seconds before ``now``."""
    checked = _parse_time(result.checked_at)
    return result.status == OK and checked is not None and 0 <= (now - checked).total_seconds() < max_age


def save_cache(
    path: Path, old: dict[str, LinkResult], results: list[LinkResult], now: datetime, max_age: float
) -> None:
    """Keep fresh ok entries, add this run's new ok results, drop everything that failed."""
    entries = {url: r for url, r in old.items() if is_fresh(r, now, max_age)}
    for r in results:
        if r.status == OK:
            if not r.from_cache:
                entries[r.url] = r
        else:
            entries.pop(r.url, None)
    payload = {"version": _CACHE_VERSION, "results": [entries[url].to_json() for url in sorted(entries)]}
    atomic_write(Path(path), json.dumps(payload, indent=1, ensure_ascii=False) + "\n")


def _parse_time(text: str) -> datetime | None:
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)
