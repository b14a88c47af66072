"""The grammar of references to the UPR record: review IDs, recommendation IDs, document symbols, cycles.

One owner for these forms: ``svn-upr4`` (a review), ``140.7`` (an official
recommendation ID), ``u-3f2a9c1b`` (an assigned one), ``A/HRC/59/15`` (a symbol)
and the two ways a submission cites a received recommendation,
``svn-upr4/140.7`` and ``A/HRC/59/15#140.7`` (:func:`parse_review_ref`).
Resolving a reference against the knowledge base is :mod:`uprkb.index.followup`'s.
"""

from __future__ import annotations

import re
from typing import NamedTuple

REC_OFFICIAL = r"^[0-9]{1,4}(?:\.[0-9]{1,4}){1,3}$"
REC_ASSIGNED = r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)+$"
REC_OFFICIAL_RE = re.compile(REC_OFFICIAL)
REC_ASSIGNED_RE = re.compile(REC_ASSIGNED)
SYMBOL_PATTERN = r"^[A-Z][A-Za-z0-9./()-]+$"
REVIEW_ID = re.compile(r"^([a-z]{3})-upr([1-9])$")

#: Working Group sessions of each cycle (the published ranges; the fourth cycle runs on).
CYCLE_SESSIONS: dict[int, tuple[int, int]] = {1: (1, 12), 2: (13, 26), 3: (27, 40), 4: (41, 54)}


def cycle_of_session(session: int) -> int:
    """The UPR cycle a Working Group session belongs to (1–12 first, 13–26 second, 27–40 third, 41– fourth)."""
    if session < 1:
        raise ValueError(f"session {session} is not a Working Group session (they start at 1)")
    for cycle, (first, last) in CYCLE_SESSIONS.items():
        if first <= session <= last:
            return cycle
    return 4 + (session - 41) // 14


def review_id(iso3: str, cycle: int) -> str:
    """The review's ID and folder name, e.g. ``svn-upr4``."""
    return f"{iso3.lower()}-upr{cycle}"


# ---------------------------------------------------------------------------
# References
# ---------------------------------------------------------------------------


class ReviewRef(NamedTuple):
    """A parsed reference to a received recommendation."""

    review: str
    """The review ID (``svn-upr4``) or the report's symbol (``A/HRC/59/15``)."""
    rec: str
    """The recommendation's ID within the review (``140.7``)."""
    by_symbol: bool
    """True when ``review`` is a document symbol."""


_REF_BY_ID = re.compile(r"^([a-z]{3}-upr[1-9])/(\S+)$")
_REF_BY_SYMBOL = re.compile(r"^([A-Z][A-Za-z0-9./()-]+)#(\S+)$")


def parse_review_ref(text: str) -> ReviewRef:
    """Read ``svn-upr4/140.7`` or ``A/HRC/59/15#140.7``; ``ValueError`` with a readable message otherwise."""
    value = text.strip()
    m = _REF_BY_ID.fullmatch(value) or _REF_BY_SYMBOL.fullmatch(value)
    if not m:
        raise ValueError(
            f"{text!r} is not a reference to a received recommendation; "
            "write '<review>/<id>' such as 'svn-upr4/140.7' or '<report symbol>#<id>' such as 'A/HRC/59/15#140.7'"
        )
    rec = m.group(2)
    if not (REC_OFFICIAL_RE.fullmatch(rec) or REC_ASSIGNED_RE.fullmatch(rec)):
        raise ValueError(f"{rec!r} in {text!r} is not a recommendation ID such as '140.7'")
    return ReviewRef(m.group(1), rec, m.re is _REF_BY_SYMBOL)


def format_review_ref(review: str, rec: str) -> str:
    """The global reference form, e.g. ``svn-upr4/140.7``."""
    return f"{review}/{rec}"
