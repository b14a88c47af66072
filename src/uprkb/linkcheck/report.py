"""The link report: one verdict per URL, written as JSON and read back by ``build``.

Every unique source URL ends in one of three states:

``ok``
    2xx, after following redirects. A 301/308 on the way sets
    ``permanent_redirect`` and ``final_url`` ("update the URL").
``broken``
    positive evidence only: 404, 410, a host name that does not exist
    (NXDOMAIN from a resolver that resolves other names), a redirect loop or
    more than 10 redirects. Broken results get a Wayback Machine search link.
``unverified``
    a warning, not a failure: 401, 403 (often bot blocking), 429 or 5xx after
    the retries, timeouts, TLS errors, refused connections, anything unknown,
    URLs still open when the run's deadline passed ("deadline reached"), and
    every URL that could not be looked at because this machine has no network
    ("no network").
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from uprkb.core.errors import Location, UserError, display_path

__all__ = [
    "ARCHIVE_SEARCH",
    "BROKEN",
    "DEADLINE_REASON",
    "NO_NETWORK",
    "OK",
    "REPORT_KEYS",
    "STATUSES",
    "UNVERIFIED",
    "LinkResult",
    "atomic_write",
    "read_report",
    "report_lines",
    "summarize",
    "write_report",
]

OK = "ok"
BROKEN = "broken"
UNVERIFIED = "unverified"
STATUSES = (OK, BROKEN, UNVERIFIED)

DEADLINE_REASON = "deadline reached"
NO_NETWORK = "no network"
ARCHIVE_SEARCH = "https://web.archive.org/web/*/"

#: Keys of every object in the JSON report, in this order.
REPORT_KEYS = (
    "url",
    "status",
    "code",
    "reason",
    "checked_at",
    "sources",
    "final_url",
    "permanent_redirect",
    "archived_suggestion",
)

_REPORT_HINT = "run 'python3 build_site.py links' again to write a new report, or delete the file"


@dataclass
class LinkResult:
    """The verdict on one URL."""

    url: str
    status: str  # "ok" | "broken" | "unverified"
    code: int | None
    reason: str
    checked_at: str  # ISO 8601 UTC
    sources: list[str]
    final_url: str | None = None  # after redirects
    permanent_redirect: bool = False  # a 301/308 was followed: update the URL
    archived_suggestion: str | None = None  # for broken URLs: a Wayback Machine search
    from_cache: bool = False
    where: tuple[str, ...] = ()  # run-local, like from_cache: ``path:line:col`` of each place the data writes it

    def to_json(self) -> dict[str, Any]:
        """The report object: exactly :data:`REPORT_KEYS` (``from_cache`` is run-local)."""
        return {
            "url": self.url,
            "status": self.status,
            "code": self.code,
            "reason": self.reason,
            "checked_at": self.checked_at,
            "sources": list(self.sources),
            "final_url": self.final_url,
            "permanent_redirect": self.permanent_redirect,
            "archived_suggestion": self.archived_suggestion,
        }

    @classmethod
    def from_json(cls, obj: Any) -> LinkResult:
        """Rebuild a result from a report object; ``ValueError`` when it is malformed."""
        if not isinstance(obj, dict):
            raise ValueError(f"expected an object, got {type(obj).__name__}")
        missing = [key for key in REPORT_KEYS if key not in obj]
        if missing:
            raise ValueError(f"missing keys: {', '.join(missing)}")
        if obj["status"] not in STATUSES:
            raise ValueError(f"unknown status {obj['status']!r}")
        code = obj["code"]
        if code is not None and (not isinstance(code, int) or isinstance(code, bool)):
            raise ValueError(f"code must be an integer or null, got {code!r}")
        sources = obj["sources"]
        if not isinstance(sources, list) or not all(isinstance(s, str) for s in sources):
            raise ValueError("sources must be a list of strings")
        for key in ("url", "reason", "checked_at"):
            if not isinstance(obj[key], str):
                raise ValueError(f"{key} must be a string")
        for key in ("final_url", "archived_suggestion"):
            if obj[key] is not None and not isinstance(obj[key], str):
                raise ValueError(f"{key} must be a string or null")
        return cls(
            url=obj["url"],
            status=obj["status"],
            code=code,
            reason=obj["reason"],
            checked_at=obj["checked_at"],
            sources=list(sources),
            final_url=obj["final_url"],
            permanent_redirect=bool(obj["permanent_redirect"]),
            archived_suggestion=obj["archived_suggestion"],
        )


def write_report(results: list[LinkResult], path: Path) -> None:
    """Write ``results`` as a JSON list of :data:`REPORT_KEYS` objects, sorted by URL."""
    objs = [r.to_json() for r in sorted(results, key=lambda r: r.url)]
    atomic_write(Path(path), json.dumps(objs, indent=2, ensure_ascii=False) + "\n")


def read_report(path: Path) -> dict[str, LinkResult]:
    """Read a report written by :func:`write_report`.

    A report that cannot be read, is not JSON or has the wrong shape raises
    :class:`UserError` naming the file (and the line for a JSON syntax error).
    """
    from uprkb.core import limits

    path = Path(path)
    try:
        text = limits.read_file(path, limits.MAX_INPUT_BYTES, what="link report").decode("utf-8")
    except UnicodeDecodeError:
        raise UserError("the link report is not a UTF-8 text file", hint=_REPORT_HINT, where=path) from None
    too_deep = limits.json_problems(text, display_path(path))
    if too_deep:
        raise limits.Refused(too_deep[0])
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        where = Location.of(path, exc.lineno, exc.colno)
        raise UserError(f"the link report is not valid JSON: {exc.msg}", hint=_REPORT_HINT, where=where) from None
    if not isinstance(data, list):
        raise UserError(
            f"the link report should be a JSON list of results, not a {type(data).__name__}",
            hint=_REPORT_HINT,
            where=path,
        )
    out: dict[str, LinkResult] = {}
    for index, obj in enumerate(data):
        try:
            result = LinkResult.from_json(obj)
        except ValueError as exc:
            raise UserError(f"entry {index + 1} of the link report: {exc}", hint=_REPORT_HINT, where=path) from None
        out[result.url] = result
    return out


def summarize(results: Iterable[LinkResult]) -> dict[str, int]:
    """Counts per status plus ``total``, ``permanent_redirect``, ``from_cache`` and ``no_network``."""
    counts = {OK: 0, BROKEN: 0, UNVERIFIED: 0, "total": 0, "permanent_redirect": 0, "from_cache": 0, "no_network": 0}
    for r in results:
        counts[r.status] = counts.get(r.status, 0) + 1
        counts["total"] += 1
        counts["permanent_redirect"] += int(r.permanent_redirect)
        counts["from_cache"] += int(r.from_cache)
        counts["no_network"] += int(r.status == UNVERIFIED and r.reason == NO_NETWORK)
    return counts


def atomic_write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename: never half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def report_lines(results: list[LinkResult], strict: bool) -> list[str]:
    """The human-readable report: a no-network notice first (once), then one line per URL worth a look.

    Labels agree with the exit status: broken URLs are ``error`` lines with
    ``strict`` (which fails the run) and ``warning`` lines without it.
    Unverified URLs (those not requested for their internal address among them)
    and permanent redirects are always warnings; URLs that were not checked for
    want of a network are counted in the notice alone. A line starts with the
    place the data writes its URL, when known (``path:line:col: warning: ...``).
    """
    lines: list[str] = []
    offline = sum(1 for r in results if r.status == UNVERIFIED and r.reason == NO_NETWORK)
    if offline:
        urls = "URL was" if offline == 1 else "URLs were"
        lines.append(
            f"warning: no network: host names do not resolve on this machine, so {offline} {urls} not checked; "
            "they are marked unverified, not broken. Run 'links' again when online."
        )
    for r in results:
        if r.status == OK and not r.permanent_redirect:
            continue
        if r.status == UNVERIFIED and r.reason == NO_NETWORK:
            continue
        label = "error" if r.status == BROKEN and strict else "warning"
        status = "moved" if r.status == OK else r.status
        where = f"{r.where[0]}: " if r.where else ""
        more = f" (and {len(r.where) - 1} more places)" if len(r.where) > 1 else ""
        cited = ", ".join(r.sources) or "no source"
        lines.append(f"{where}{label}: {status}: {r.url} ({r.reason}) cited by {cited}{more}")
    return lines
