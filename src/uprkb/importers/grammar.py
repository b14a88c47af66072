"""The meaning of the sentences a Working Group report writes about its recommendations.

:mod:`.layout` gives the section as paragraphs and items; here every sentence of a
paragraph's lead-in, and of the paragraphs that list nothing, is read into one of a
closed set of meanings (:class:`Reading`), each a table of cases read in order:

========== =====================================================================================
meaning    examples
========== =====================================================================================
position   "enjoy the support of Nepal", "enjoy its support", "It accepts", "did not enjoy the
           support", "were rejected by", "cannot be accepted", "were noted", "supported in part"
pending    "will be examined by", "will provide responses in due time", "Responses to the
           following recommendations will be provided", "The response of X … will be included"
claim      "already implemented" (``implemented``), "in the process of implementation"
           (``in-progress``), both (``implemented-or-in-progress``)
comment    "With regard to the recommendations in paragraphs 109.2 … Nepal indicated that …"
points     "The recommendations noted in the report in paragraphs 27 (b) … did not enjoy …"
back       (dialogue paragraphs, no IDs: kept on the review as the report gives it)
neutral    "the following recommendations were made to", "submitted its views on these
           recommendations", "It was recommended that"
closing    "All conclusions and/or recommendations contained in the present report …"
========== =====================================================================================

Each reading also carries what the sentence points at (:class:`Target`): the list under
it, the list above it ("these recommendations"), every recommendation ("All
recommendations"), a paragraph of the section ("in paragraph 115 above"), or
recommendations by number ("recommendation 115.10", "paragraph 103, No. 7",
"recommendations 1 to 10"). A sentence that uses a word of positions or claims but fits
no case is *not understood* and the reader reports it, quoting it: never a silent
"unknown".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

IMPLEMENTED = "implemented-or-in-progress"

_ID = r"(\d{1,3})\s?\.\s?(\d{1,3})"

#: (pattern, position) over a sentence (lower case, one space, straight quotes); the first that matches wins.
POSITIONS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\b(?:did|do|does|would) not (?:enjoy|receive|have) (?:the |its |their )?support\b"), "noted"),
    (re.compile(r"\b(?:did|do|does|will|would|could) not (?:accept|support)\b|\bnot (?:be )?(?:accepted|supported)\b"
                r"|\bcannot be (?:accepted|supported)\b"), "noted"),
    (re.compile(r"\b(?:were|was|are|is|be|been) rejected\b|\brejects?\b|\brejected\b"), "noted"),
    (re.compile(r"\b(?:are|were|be|is|was|been) noted\b|\btakes? note\b|\btook note\b"), "noted"),
    (re.compile(r"\b(?:supported|accepted) in part\b|\bpartially (?:supported|accepted|supports|accepts)\b"
                r"|\b(?:supports?|accepts?) (?:\w+ ){0,6}in part\b"), "supported-in-part"),
    (re.compile(r"\benjoy(?:s|ed)? (?:the |its |their )?(?:full )?support\b"
                r"|\b(?:are|were|is|was|been|be|has|have) (?:fully )?(?:supported|accepted)\b"
                r"|\b(?:it|they|government|state|delegation) (?:fully )?(?:supports|accepts|supported|accepted)\b"
                r"|\b(?:supports|accepts) (?:the following|these|all|the recommendations?|recommendations?)\b"),
     "supported"),
]  # fmt: skip

#: A sentence that says the position will come later: the recommendations stay pending.
PENDING = re.compile(
    r"\bwill (?:be )?examined?\b|\bwill (?:provide|give|make) (?:its |a |their )?(?:responses?|replies|reply)\b"
    r"|\bwill respond\b|\bresponses? .{0,80}?will be (?:provided|included|given|made)\b"
    r"|\bwill be (?:further )?considered\b|\bwill (?:further )?consider\b"
)

#: (pattern, what it claims) — "already implemented" and "in the process of implementation".
CLAIMS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\balready (?:been )?(?:implemented|fulfilled|in place)\b"), "implemented"),
    (re.compile(r"\b(?:in the )?process of (?:being )?implement(?:ation|ed|ing)\b|\bbeing implemented\b"
                r"|\bin progress\b"), "in-progress"),
]  # fmt: skip

CLOSING = re.compile(
    r"\ball (?:the )?conclusions and(?:/or)? recommendations\b|\bshould not be construed as endorsed\b"
)
POINTS_BACK = re.compile(r"\brecommendations? noted in (?:the report in )?paragraphs? \d|\bin paragraphs? \d{1,3} ?\(")
COMMENT = re.compile(
    r"\b(?:indicated|considers?|considered|stated|stressed|explained|said|added|noted|informed|clarified) that\b"
    r"|^with regard to\b|^regarding\b|^as regards\b|^concerning\b"
)
#: Phrases that use a word of positions in another sense; taken out before a sentence is judged.
_OTHER_SENSE = re.compile(
    r"taking into consideration|for (?:further )?consideration|voluntary (?:commitments|pledges)"
    r"|with the support of|support (?:of|from) the international community|in support of"
    r"|formulated during the interactive dialogue(?: and| or|/)?(?: listed below)?"
    r"|(?:have|has) been examined by [^,:;]*? and|submitted its views|views (?:are|were) included"
)
#: Words that speak of a position or a claim: a sentence using one must be understood.
_POSITION_WORDS = re.compile(
    r"\bsupport|\baccept|\breject|\bnoted?\b|\bnotes\b|\bimplement|\bexamin|\bconsider|\bagree|\bendorse"
    r"|\bdeclin|\brespon|\bposition|\bobject|\brefus|\bwelcom|\backnowledg|\bcommit|\boppos|\breserv"
    r"|\bunable\b|\bcould not\b|\bapprov|\bagreed\b"
)


@dataclass(frozen=True)
class Target:
    """What a sentence points at."""

    kind: str
    """``own`` (the list under it, or nothing said), ``above`` (the list before it), ``all``, ``paragraphs``,
    ``ids`` (paragraph.item numbers) or ``items`` (item numbers of the list it is about)."""
    paragraphs: tuple[int, ...] = ()
    ids: tuple[tuple[int, int], ...] = ()
    items: tuple[int, ...] = ()


@dataclass(frozen=True)
class Reading:
    """One sentence, read."""

    sentence: str
    meaning: str
    """``position``, ``pending``, ``claim``, ``comment``, ``points-back``, ``neutral``, ``closing`` or
    ``not-understood``."""
    position: str | None = None
    claim: str | None = None
    target: Target = field(default_factory=lambda: Target("own"))


def plain(text: str) -> str:
    """Lower case, one space, straight quotes: the form the tables read."""
    return " ".join(text.replace("\u2019", "'").replace("\u2018", "'").split()).lower()


def claim_in(text: str) -> str | None:
    """The claim a text makes: ``implemented``, ``in-progress``, both, or ``None``."""
    t = plain(text)
    found = {claim for pattern, claim in CLAIMS if pattern.search(t)}
    if len(found) == 2:
        return IMPLEMENTED
    return found.pop() if found else None


def positions_in(text: str) -> list[str]:
    """Every position a text states, in the order of :data:`POSITIONS` (one, when the text is plain)."""
    t = _OTHER_SENSE.sub(" ", plain(text))
    found: list[str] = []
    for pattern, position in POSITIONS:
        if pattern.search(t):
            found.append(position)
            t = pattern.sub(" ", t)  # "did not enjoy the support" is not also "enjoy the support"
    return list(dict.fromkeys(found))


def position_in(text: str) -> str | None:
    """The position a text states (the first case of :data:`POSITIONS` that matches), or ``None``."""
    found = positions_in(text)
    return found[0] if found else None


#: A sentence that states a position for some recommendations and another for the rest cannot be read whole.
_EXCEPT = re.compile(r"\bexcept\b|\bwith the exception of\b|\bother than\b|\bapart from\b|\bsave for\b")
#: What a lead-in says when the report states no position for its list (1st-cycle reports, pending lists).
NEUTRAL_LEAD = re.compile(
    r"\brecommendations (?:were|have been) (?:made|formulated|presented|addressed|put forward)\b"
    r"|\bpresented recommendations\b|\bas follows\b|\bit was recommended\b"
)


_SENTENCE_END = re.compile(r"(?<=[.:;])\s+(?=[A-Z(])")
_ABBREVIATION = re.compile(r"\b(?:No|Nos|para|paras|Rec|Recs|art|arts|Mr|Ms|Dr|e\.g|i\.e)\.$", re.IGNORECASE)


def sentences(text: str) -> list[str]:
    """The sentences of a paragraph (split after ``.``, ``:`` or ``;`` before a capital, not after "No.")."""
    flat = " ".join(text.split())
    out: list[str] = []
    start = 0
    for m in _SENTENCE_END.finditer(flat):
        piece = flat[start : m.start()]
        if _ABBREVIATION.search(piece) or re.search(r"\d\.$", piece):
            continue
        out.append(piece)
        start = m.end()
    out.append(flat[start:])
    return [s.strip() for s in out if s.strip()]


def target_of(sentence: str) -> Target:
    """What a sentence points at (see :class:`Target`)."""
    t = plain(sentence)
    m = re.search(r"paragraph (\d{1,3}),? (?:no\.|number|item) ?(\d{1,3})", t)
    if m:
        return Target("ids", ids=((int(m.group(1)), int(m.group(2))),))
    ids = _ids_in(t)
    if ids:
        return Target("ids", ids=tuple(ids))
    m = re.search(r"\bparagraphs? ((?:\d{1,3}(?:,? and |, | to |-|–)?)+)(?! ?\()", t)
    if m and not POINTS_BACK.search(t):
        numbers = tuple(int(n) for n in re.findall(r"\d{1,3}", m.group(1)))
        return Target("paragraphs", paragraphs=numbers)
    m = re.search(r"\brecommendations? ((?:\d{1,3}(?:,? and |, | to |-|–)?)+)\b", t)
    if m:
        return Target("items", items=tuple(_expand(m.group(1))))
    if re.search(r"\ball (?:the )?recommendations\b", t) and not re.search(r"\b(?:below|following)\b", t):
        return Target("all")
    if re.search(r"\b(?:these|those|the above|above-mentioned|aforementioned) recommendations\b|\blisted above\b", t):
        return Target("above")
    return Target("own")


def _ids_in(t: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for m in re.finditer(_ID + r"(?:\s?(?:-|–|to)\s?(?:" + _ID + r"|(\d{1,3})))?", t):
        p, lo = int(m.group(1)), int(m.group(2))
        hi = int(m.group(4) or m.group(5) or lo)
        if m.group(3) and int(m.group(3)) != p:
            hi = lo
        out.extend((p, n) for n in range(lo, max(lo, hi) + 1))
    return out


def _expand(numbers: str) -> list[int]:
    out: list[int] = []
    for lo, hi in re.findall(r"(\d{1,3})(?:\s?(?:-|–| to )\s?(\d{1,3}))?", numbers):
        out.extend(range(int(lo), int(hi or lo) + 1))
    return out


def read_sentence(sentence: str) -> Reading:
    """The meaning of one sentence (see the module's table)."""
    t = plain(sentence)
    if CLOSING.search(t):
        return Reading(sentence, "closing")
    if POINTS_BACK.search(t):
        return Reading(sentence, "points-back", position_in(t))
    target = target_of(sentence)
    found = positions_in(t)
    position = found[0] if found else None
    claim = claim_in(t)
    if len(found) > 1 or (position is not None and _EXCEPT.search(t)):
        return Reading(sentence, "not-understood", None, None, target)  # two positions, or one with exceptions
    if position is None and PENDING.search(t):
        return Reading(sentence, "pending", "unknown", None, target)
    if position is not None:
        return Reading(sentence, "position", position, claim, target)
    if claim is not None:
        return Reading(sentence, "claim", None, claim, target)
    if target.kind in ("ids", "paragraphs", "above", "items") and COMMENT.search(t):
        return Reading(sentence, "comment", None, None, target)
    if _POSITION_WORDS.search(_OTHER_SENSE.sub(" ", t)):
        return Reading(sentence, "not-understood", None, None, target)
    return Reading(sentence, "neutral", None, None, target)


@dataclass(frozen=True)
class LeadIn:
    """What a whole lead-in states, for the readers of other documents that reuse the report's words."""

    position: str | None
    claim: str | None

    @property
    def states_position(self) -> bool:
        return self.position is not None


def lead_in(text: str) -> LeadIn:
    """The position and claim a lead-in states (``unknown`` for "will be examined"); ``None`` when none."""
    position: str | None = None
    claim: str | None = None
    for s in sentences(text):
        r = read_sentence(s)
        if r.meaning in ("position", "pending", "points-back") and position is None:
            position = r.position
        claim = claim or r.claim
    return LeadIn(position, claim)
