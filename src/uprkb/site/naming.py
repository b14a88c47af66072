"""How the site names a recommendation a State received: by the report's number and symbol, never by an
internal ID.

A reader knows a received recommendation as "A/HRC/28/15, recommendation 115.99" or "Slovenia, 2nd cycle,
115.99"; the knowledge base's own forms (``svn-upr2/115.99``, an ID it assigned to a UPR Info row such as
``u-3f2a9c1b``) stay in the "Cite this" blocks and the downloads. The organisations' own records are named
by :func:`uprkb.present.labels.record_label` ("Recommendation 3.2", the Word document's number).
"""

from __future__ import annotations

from typing import Any

from uprkb.index.followup import ResolvedRef
from uprkb.present.labels import ordinal

NO_OFFICIAL_NUMBER = "no official number"
"""What a page shows for a received recommendation whose ID the knowledge base assigned (a UPR Info row)."""


def received_number(rec: Any) -> str:
    """A received recommendation's number as readers know it: the report's ``140.7``, or
    ``no official number`` for a row whose ID the knowledge base assigned."""
    return NO_OFFICIAL_NUMBER if rec.id_assigned else str(rec.id)


def received_label(rec: Any) -> str:
    """``Recommendation 140.7``, or ``Recommendation (no official number)``."""
    return f"Recommendation ({NO_OFFICIAL_NUMBER})" if rec.id_assigned else f"Recommendation {rec.id}"


def reference_label(ref: ResolvedRef) -> str:
    """A reference to a received recommendation as a page shows it: ``A/HRC/28/15, recommendation 115.99``;
    without the report's symbol ``Slovenia, 2nd cycle, 115.99`` (or ``recommendation 115.99 of the 2nd
    cycle``); one the knowledge base does not hold says so."""
    rec = ref.recommendation
    number = received_number(rec) if rec is not None else ref.rec_id
    if ref.symbol:
        words = f"{ref.symbol}, recommendation {number}"
    elif ref.state and ref.cycle:
        words = f"{ref.state}, {ordinal(ref.cycle)} cycle, {number}"
    elif ref.cycle:
        words = f"recommendation {number} of the {ordinal(ref.cycle)} cycle"
    else:
        words = f"recommendation {number} ({ref.text})"
    if rec is None:
        words += " (not in this knowledge base)" if ref.review_id is None else " (no such recommendation in the review)"
    return words


__all__ = ["NO_OFFICIAL_NUMBER", "received_label", "received_number", "reference_label"]
