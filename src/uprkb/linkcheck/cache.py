"""The cache of successful checks: ``ok`` results only, each reused while younger than ``max_age``.

Kept under the project's one cache policy (:mod:`uprkb.core.cache`): one JSON file, readable,
sealed with an HMAC (:func:`~uprkb.core.cache.seal_json`) and keyed by the link checker's code
and the Python and OpenSSL versions; read only as a regular file within the limit of
``POLICIES["links"]`` (a link, device or larger file is discarded unread). A file that is
missing, unsealed, edited, planted or written by other code is an empty cache, replaced on
save, so a planted ``ok`` is never reported as checked. Anything that was not ``ok`` is
dropped, so a failure is always checked again next run; past the policy's number of entries
the oldest checks are dropped.
"""

from __future__ import annotations

import json
import logging
import ssl
from datetime import UTC, datetime
from pathlib import Path

from uprkb.core.cache import POLICIES, cache_key, read_entry, seal_json, unseal_json
from uprkb.core.project import PACKAGE
from uprkb.linkcheck.report import OK, LinkResult, atomic_write

__all__ = ["is_fresh", "load_cache", "save_cache"]

log = logging.getLogger(__name__)

_CACHE_VERSION = 2
_CODE = ("cache.py", "client.py", "engine.py", "network.py", "report.py")
"""The modules whose verdicts the cache keeps: a change to any makes every entry stale."""


def cache_version() -> str:
    """The key every entry of the cache file is kept under: its format, the checker's code, Python and OpenSSL."""
    code = tuple(PACKAGE / "linkcheck" / name for name in _CODE)
    return cache_key("links", str(_CACHE_VERSION), code=code, tools={"openssl": ssl.OPENSSL_VERSION})


def load_cache(path: Path) -> dict[str, LinkResult]:
    """Cached ok results by URL; a missing, unreadable, unsealed or foreign cache is empty."""
    blob = read_entry(Path(path), POLICIES["links"].entry_bytes)
    if blob is None:
        return {}
    try:
        data = unseal_json(json.loads(blob))
    except (ValueError, RecursionError):
        data = None
    if data is None or data.get("key") != cache_version() or not isinstance(data.get("results"), list):
        log.info("ignoring the link cache %s: its seal or key does not check out", path)
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
    """Keep fresh ok entries, add this run's new ok results, drop everything that failed; sealed.

    Past the policy's number of entries, the oldest checks are dropped."""
    entries = {url: r for url, r in old.items() if is_fresh(r, now, max_age)}
    for r in results:
        if r.status == OK:
            if not r.from_cache:
                entries[r.url] = r
        else:
            entries.pop(r.url, None)
    newest = sorted(entries.values(), key=lambda r: r.checked_at, reverse=True)[: POLICIES["links"].entries]
    kept = sorted(newest, key=lambda r: r.url)
    payload = seal_json({"version": _CACHE_VERSION, "key": cache_version(), "results": [r.to_json() for r in kept]})
    atomic_write(Path(path), json.dumps(payload, indent=1, ensure_ascii=False) + "\n")


def _parse_time(text: str) -> datetime | None:
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)
