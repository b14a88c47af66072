"""Helpers for the text formats (UN documents extracted from PDF): running heads, ordinals, dates, States."""

from __future__ import annotations

import datetime as dt
import re

from uprkb.importers.mapping import state_iso3

#: Lines a PDF extraction repeats on every page: page numbers, the job number, the symbol.
RUNNING_HEAD = re.compile(
    r"^\s*(?:\d{1,3}\s+)?(?:GE\.\d{2}-\d{5}(?:\s*\([A-Z]\))?(?:\s+\d{6}){0,2})?(?:\s+\d{1,3})?\s*$"
    r"|^\s*A/HRC/[0-9A-Za-z./]+\s*$"
    r"|^\s*\d{1,3}\s*$"
)
SYMBOL = re.compile(r"\bA/HRC/\d+/\d+(?:/Add\.\d+)?\b")
MONTHS = {
    m: i
    for i, m in enumerate(
        "january february march april may june july august september october november december".split(), 1
    )
}
_UNITS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5,
    "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9,
}  # fmt: skip
_TEENS = {
    "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
    "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
}  # fmt: skip
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}


def ordinal(word: str) -> int | None:
    """``forty-eighth`` → 48, ``48th`` → 48; ``None`` for anything else."""
    w = word.lower().strip()
    m = re.fullmatch(r"(\d{1,3})(?:st|nd|rd|th)", w)
    if m:
        return int(m.group(1))
    if w in _UNITS:
        return _UNITS[w]
    if w in _TEENS:
        return _TEENS[w]
    for tens, value in _TENS.items():
        if w == tens[:-1] + "ieth":
            return value
        if w.startswith(tens + "-") and w[len(tens) + 1 :] in _UNITS:
            return value + _UNITS[w[len(tens) + 1 :]]
    return None


def session_of(text: str) -> int | None:
    """The Working Group session a report names ("held its forty-eighth session", "48th session")."""
    m = re.search(r"held\s+its\s+([\w-]+)\s+session", text) or re.search(
        r"\b([\w-]+)\s+session\s+of\s+the\s+(?:UPR\s+)?Working\s+Group", text, re.IGNORECASE
    )
    return ordinal(m.group(1)) if m else None


def date_in(text: str) -> dt.date | None:
    """The first ``28 January 2025`` in ``text`` as a date."""
    m = re.search(r"\b(\d{1,2})\s+(" + "|".join(MONTHS) + r")\s+(\d{4})\b", text, re.IGNORECASE)
    if not m:
        return None
    try:
        return dt.date(int(m.group(3)), MONTHS[m.group(2).lower()], int(m.group(1)))
    except ValueError:
        return None


def report_state(text: str) -> str | None:
    """The State a Working Group report or addendum is about (the name under its title)."""
    m = re.search(r"Universal\s+Periodic\s+Review\*?\s*:?\s*\n(?:\s*\n)*\s*([A-Z][^\n*]{1,80}?)\s*\n", text)
    if m and state_iso3(m.group(1)):
        return m.group(1)
    m = re.search(r"The review of ([A-Z][\w' -]{1,60}?) was held", text)
    if m and state_iso3(m.group(1)):
        return m.group(1)
    return None


def split_states(item: str) -> tuple[str, list[str]]:
    """``Ratify … (Maldives) (Portugal);`` → (``Ratify …``, [``Maldives``, ``Portugal``]).

    Trailing parenthesised groups are taken from the end while they name a State;
    the last group is always taken (the reports end every item with its States).
    """
    text = item.rstrip().rstrip(";.,").rstrip()
    states: list[str] = []
    while text.endswith(")"):
        depth = 0
        for i in range(len(text) - 1, -1, -1):
            if text[i] == ")":
                depth += 1
            elif text[i] == "(":
                depth -= 1
                if depth == 0:
                    break
        else:
            break
        name = " ".join(text[i + 1 : -1].split())
        if states and state_iso3(name) is None:
            break
        states.insert(0, name)
        text = text[:i].rstrip().rstrip(";,").rstrip()
    return text, states


def join_lines(lines: list[str]) -> str:
    """Lines of one item as one text: hyphenation at line ends removed, soft hyphens dropped."""
    out = ""
    for raw in lines:
        line = raw.replace("\u00ad", "").strip()
        if not line:
            continue
        if out.endswith("-") and len(out) > 1 and out[-2].isalpha() and line[:1].islower():
            out = out[:-1] + line
        else:
            out = f"{out} {line}" if out else line
    return out
