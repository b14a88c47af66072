"""External link checking of the source URLs, one module per job.

Stage order: :mod:`.targets` (the unique URLs of the public sources) →
:mod:`.engine` (cache, deadline, parallel run) → :mod:`.client` (one URL:
HEAD/GET, redirects, retries, time limits; :mod:`.network` tells "no
network" from "host name does not exist") → :mod:`.report` (verdicts, the
JSON report that ``build`` shows on the sources pages). :mod:`.cache` keeps
``ok`` verdicts between runs; :mod:`.progress` draws the status line.

The checks run in Python alone. lychee is used only for the offline check of
the built site's internal links (:mod:`uprkb.linkcheck.internal`). Measured with
``benchmarks/links_bench.py`` (1,000 loopback URLs, 20 servers, 50 ms each):
lychee as the engine took 1.75 s against 1.80 s here (1.76 s against 1.96 s
when 5 % of the URLs refuse HEAD), but got 5 of 17 fault cases wrong (a 5xx
that a retry would pass, a redirect loop not told from too many redirects, a
body dripping past the timeout counted as ok, a host name that cannot be
resolved not told from "no network"). The former design, lychee plus a
Python re-check of whatever lychee did not confirm, took 1.81 s and 2.02 s.
"""

from __future__ import annotations

from uprkb.linkcheck.engine import CheckOptions, check_links
from uprkb.linkcheck.report import (
    BROKEN,
    DEADLINE_REASON,
    NO_NETWORK,
    OK,
    REPORT_KEYS,
    UNVERIFIED,
    LinkResult,
    read_report,
    report_lines,
    summarize,
    write_report,
)
from uprkb.linkcheck.targets import LinkTarget, link_targets

__all__ = [
    "BROKEN",
    "DEADLINE_REASON",
    "NO_NETWORK",
    "OK",
    "REPORT_KEYS",
    "UNVERIFIED",
    "CheckOptions",
    "LinkResult",
    "LinkTarget",
    "check_links",
    "link_targets",
    "read_report",
    "report_lines",
    "summarize",
    "write_report",
]
