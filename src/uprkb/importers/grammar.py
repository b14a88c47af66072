"""The small grammar of Working Group reports: how recommendations are numbered, and the positions
and claims a paragraph's lead-in states. Each is a table of cases, read in order; the tests hold
one short sentence per case.

Numbering (:data:`ITEM_FORMS`)::

    140.1  Ratify …            paragraph.item                  (2nd cycle onwards)
    186.1. Ratify …            paragraph.item with a dot       (A/HRC/25/5)
    186.15 Set out …           … and the same report without it
    1.     Create conditions … item under its paragraph        (1st cycle, A/HRC/11/25: para. 114, items 1.–42.)

A 1st-cycle item ``n`` under paragraph ``p`` gets the ID ``p.n``, the form OHCHR uses from the
2nd cycle on; the report itself only numbers the items within the paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: (name, pattern): the ways a line opens a recommendation. ``para`` may be absent (an item under a paragraph).
ITEM_FORMS: list[tuple[str, re.Pattern[str]]] = [
    ("paragraph.item", re.compile(r"^\s*(?P<para>\d{1,3})\.(?P<n>\d{1,3})\.?(?:\s+(?P<rest>\S.*))?\s*$")),
    ("item", re.compile(r"^\s*(?P<n>\d{1,3})\.(?:\s+(?P<rest>\S.*))?\s*$")),
]

#: A numbered paragraph of the report: ``124. The following recommendations …``.
PARAGRAPH = re.compile(r"^\s*(?P<para>\d{1,3})\.(?:\s+(?P<rest>\S.*))?\s*$")

IMPLEMENTED = "implemented-or-in-progress"

#: (pattern, position, claim) read in order over a paragraph's lead-in (lower case, one space); the first
#: position found wins, and a claim is taken from any claim pattern that matches.
LEAD_IN: list[tuple[re.Pattern[str], str | None, str | None]] = [
    (re.compile(r"\bdid not (?:enjoy|receive) the support\b"), "noted", None),
    (re.compile(r"\b(?:do|does|did) not (?:accept|support)\b"), "noted", None),
    (re.compile(r"\b(?:are|were|be|is|was) noted\b|\btakes? note\b|\bnotes? the\b"), "noted", None),
    (re.compile(r"\b(?:supported|accepted) in part\b|\bpartially (?:supported|accepted|supports|accepts)\b"),
     "supported-in-part", None),
    (re.compile(r"\benjoy(?:s|ed)? (?:the )?support\b|\b(?:are|were|is) (?:supported|accepted)\b"),
     "supported", None),
    (re.compile(r"\bwill (?:be )?examined?\b|\bwill provide responses\b"), "unknown", None),
    (re.compile(r"\balready (?:been |being )?implemented\b|\bhad already been implemented\b"), None, IMPLEMENTED),
    (re.compile(r"\bprocess of (?:being )?implement(?:ation|ed)\b|\bbeing implemented\b"), None, IMPLEMENTED),
]  # fmt: skip

#: A paragraph that states a position on recommendations it points back at by dialogue paragraph, without IDs.
POINTS_BACK = re.compile(r"\brecommendations noted in the report in paragraphs?\b|\bin paragraphs? \d{1,3} \(")


@dataclass(frozen=True)
class LeadIn:
    position: str | None
    claim: str | None

    @property
    def states_position(self) -> bool:
        return self.position is not None


def lead_in(text: str) -> LeadIn:
    """The position and claim a lead-in states; position ``None`` when it states nothing about recommendations."""
    t = " ".join(text.replace("\u2019", "'").split()).lower()
    if "recommendation" not in t:
        return LeadIn(None, None)
    position = None
    claim = None
    for pattern, pos, cl in LEAD_IN:
        if pattern.search(t):
            if pos is not None and position is None:
                position = pos
            if cl is not None:
                claim = cl
    return LeadIn(position, claim)


@dataclass(frozen=True)
class ItemStart:
    form: str
    paragraph: int | None
    number: int
    rest: str


def item_start(line: str) -> ItemStart | None:
    """The recommendation a line opens, by the first form of :data:`ITEM_FORMS` that matches."""
    for name, pattern in ITEM_FORMS:
        m = pattern.match(line)
        if m:
            para = m.groupdict().get("para")
            return ItemStart(name, int(para) if para else None, int(m.group("n")), m.group("rest") or "")
    return None
