"""Helpers for the text formats (UN documents extracted from PDF): running heads, ordinals, dates, States."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from uprkb.core import limits
from uprkb.core.errors import Problems, Severity
from uprkb.importers.base import SourceFile, legacy_encoding
from uprkb.importers.mapping import state_iso3 as _vocabulary_iso3
from uprkb.importers.states import close_state, split_state_names

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u02bc": "'", "\u201c": '"', "\u201d": '"'})


def plain_quotes(text: str) -> str:
    """Typographic quotes and apostrophes as straight ones (``People’s`` → ``People's``)."""
    return text.translate(_QUOTES)


def state_iso3(name: str | None) -> str | None:
    """The ISO3 of a State's name as printed, with typographic apostrophes normalised before the lookup."""
    if not name:
        return None
    return _vocabulary_iso3(" ".join(plain_quotes(name).split()))


def document_text(source: SourceFile, problems: Problems, encoding: str = "utf-8") -> str | None:
    """The text of a document: a ``.pdf`` through :mod:`.pdf`; text in any encoding and line end.

    Text is tried as UTF-8 first (a byte-order mark is dropped); bytes that are not UTF-8
    are read as Mac Roman when the lines end with CR alone (old Mac exports) and as
    Windows-1252 otherwise, with a warning naming the encoding used. ``encoding``, when
    it is not UTF-8, is used as given.
    """
    if source.data[:5] == b"%PDF-" or Path(source.path).suffix.lower() == ".pdf":
        from uprkb.importers.pdf import pdf_text

        try:
            return pdf_text(source.data)
        except limits.Refused as refused:  # past a limit (a PDF bomb): its own code and hint, at this file
            problems.items.append(dataclasses.replace(refused.problem, location=source.at()))
            return None
        except Exception as exc:  # pdfminer raises many kinds of errors on a damaged file
            problems.add(
                source.at(),
                "encoding",
                f"the PDF cannot be read: {exc.__class__.__name__}: {exc}",
                "give the document's text instead (copy it from the PDF into a .txt file)",
            )
            return None
    if encoding.replace("_", "-").lower() not in ("utf-8", "utf8"):
        return source.text(problems, encoding)
    trial = Problems()
    text = source.text(trial, "utf-8")
    if text is not None:
        return text
    guess = legacy_encoding(source.data, "utf-8") or "cp1252"
    text = source.text(problems, guess)
    if text is not None:
        problems.add(
            trial.items[0].location,
            "encoding",
            f"the file is not UTF-8; read it as {guess}",
            "name the encoding with --encoding if the text reads wrongly",
            severity=Severity.WARNING,
        )
    return text


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


@dataclass(frozen=True)
class ReportState:
    """The State a report is about, as it names it, with the line it was found on."""

    name: str | None
    line: int = 0
    conflicting: tuple[str, ...] = ()
    """The names of other States that other places of the report give (an error: which is it?)."""


#: Where a report or addendum names the State under review, most telling first: the name under the title,
#: the first sentence of the dialogue, the troika's sentence, the delegation's introduction.
_STATE_PLACES = [
    re.compile(r"Universal\s*Periodic\s+Review\*?\s*:?[ \t]*\n(?:[ \t]*\n)*[ \t]*([A-Z][^\n*]{1,80}?)[ \t*]*\n"),
    re.compile(r"\bThe review of ((?:the )?[A-Z][\w'’ ()-]{1,70}?) was held\b"),
    re.compile(r"\bto facilitate the review of ((?:the )?[A-Z][\w'’ ()-]{1,70}?)\s*:"),
    re.compile(r"\bThe delegation of ((?:the )?[A-Z][\w'’ ()-]{1,70}?) was headed by\b"),
]


def report_state(text: str) -> ReportState:
    """The State a Working Group report or addendum is about, from every place that names it.

    Each place of :data:`_STATE_PLACES` is read (over the text with its lines joined, so a
    name broken over two lines is found); the first name that is a known State wins, and a
    place naming a different State is reported as conflicting.
    """
    found: list[tuple[int, str, str]] = []
    for k, place in enumerate(_STATE_PLACES):
        source = text if k == 0 else re.sub(r"[ \t]*\n[ \t]*", " ", text)
        for m in place.finditer(source[:60000]):
            name = m.group(1).strip()
            iso3 = state_iso3(name) or state_iso3(re.sub(r"^the\s+", "", name, flags=re.I))
            if iso3:
                line = text.count("\n", 0, m.start(1)) + 1 if k == 0 else 0
                found.append((line, name, iso3))
                break
    if not found:
        return ReportState(None)
    line, name, iso3 = found[0]
    others = tuple(dict.fromkeys(n for _l, n, i in found if i != iso3))
    return ReportState(name, line, others)


def _groups(text: str) -> list[tuple[int, int]]:
    """(start, end) of every outermost parenthesised group in ``text``."""
    out: list[tuple[int, int]] = []
    depth = 0
    start = 0
    for i, ch in enumerate(text):
        if ch == "(":
            if depth == 0:
                start = i
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
            if depth == 0:
                out.append((start, i + 1))
    return out


def state_names(group: str) -> list[str] | None:
    """The States a parenthesised group names (``Argentina, Brazil, Austria``), or ``None`` if it names none.

    Names holding a comma or an "and" stay whole (``Korea, Republic of, France``): see
    :func:`uprkb.importers.states.split_state_names`.
    """
    names = split_state_names(group)
    return names if all(state_iso3(n) for n in names) else None


def split_states(item: str) -> tuple[str, list[str]]:
    """``Ratify … (Maldives) (Portugal);`` → (``Ratify …``, [``Maldives``, ``Portugal``]).

    Trailing parenthesised groups are taken from the end while they name a State;
    the last group is always taken (the reports end every item with its States).
    A merged recommendation — several States' sentences, each ending with its
    State(s) — keeps the sentences in the text and every State, in the order printed.
    """
    text = item.rstrip().rstrip(";.,").rstrip()
    trailing: list[str] = []
    while text.endswith(")"):
        groups = _groups(text)
        if not groups or groups[-1][1] != len(text):
            break
        i = groups[-1][0]
        group = text[i + 1 : -1]
        names = state_names(group)
        if trailing and names is None:
            break
        trailing[:0] = names or [" ".join(group.split())]
        text = text[:i].rstrip().rstrip(";,").rstrip()
    inline: list[str] = []
    for a, b in _groups(text):
        names = state_names(text[a + 1 : b - 1])
        if (
            names
            and text[b : b + 1] in ("", ";", ".", ",", "/", " ")
            and (b == len(text) or re.match(r"\s*(?:[;./,]|and\b|$|\()", text[b:]))
        ):
            inline.extend(names)
    states: list[str] = []
    for name in inline + trailing:
        if name not in states:
            states.append(name)
    return text, states


_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


def words_of(text: str) -> set[str]:
    """The words a document uses (lower case), hyphenated compounds whole, to test line-end hyphens."""
    return {w.lower() for w in _WORD.findall(text)}


def join_lines(lines: list[str], words: set[str] | None = None) -> str:
    """Lines of one item as one text; soft hyphens dropped.

    A hyphen at a line end is removed only when the joined word is attested in ``words``
    (the document's words): ``ratifica-`` + ``tion`` → ``ratification``, but ``non-`` +
    ``refoulement`` stays ``non-refoulement`` unless ``nonrefoulement`` occurs. Without
    ``words`` every line-end hyphen is kept.
    """
    out = ""
    for raw in lines:
        line = " ".join(raw.replace("\u00ad", "").split())
        if not line:
            continue
        if out.endswith("-") and len(out) > 1 and out[-2].isalpha():
            head = re.search(r"([^\W\d_]+)-$", out)
            tail = re.match(r"[^\W\d_]+", line)
            joined = (head.group(1) + tail.group()).lower() if head and tail else ""
            out = out[:-1] + line if joined and words is not None and joined in words else out + line
        else:
            out = f"{out} {line}" if out else line
    return out


@dataclass(frozen=True)
class FoundStates:
    """An item's text and the States that made it, with what was read otherwise than printed."""

    text: str
    states: list[tuple[str, str | None]]
    """(the name as printed, its ISO3 or ``None``)."""
    notes: list[str] = field(default_factory=list)


_FOOTNOTE_MARK = re.compile(r"\)\s*\d{1,2}\s*([;.,:]?)\s*$")
_NAME_MARK = re.compile(r"^(.*?\D)\s*\d{1,2}$")


def recommending_states(item: str) -> FoundStates:
    """The States at the end of an item (:func:`split_states`), read as a person would.

    A footnote mark after the parenthesis (``(Argentina)2;``) or inside it (``(Slovenia 1)``)
    is dropped; an item ending ``Austria);`` with no opening parenthesis, or a name one
    or two letters away from a known one (``United Sates of America``), is read so and
    said in :attr:`FoundStates.notes`.
    """
    notes: list[str] = []
    text = _FOOTNOTE_MARK.sub(r")\1", item.rstrip())
    text = re.sub(r"\)\s*:$", ");", text)
    for m in reversed(list(re.finditer(r"\(([^()]{2,60}?)\s*(?=\()", text))):
        if text.count("(") > text.count(")") and state_iso3(m.group(1).strip()):
            text = text[: m.end(1)] + ")" + text[m.end(1) :]
            notes.append(f"the closing parenthesis is missing after {m.group(1).strip()!r}; read as its State")
    bare = text.rstrip().rstrip(";.,:").rstrip()
    if bare.endswith(")") and bare.count("(") < bare.count(")"):
        words = bare[:-1].split(" ")
        for n in range(1, min(7, len(words)) + 1):
            name = " ".join(words[-n:]).strip(" ,;")
            if name[:1].isupper() and close_state(name):
                start = len(" ".join(words[:-n]))
                text = text[:start] + " (" + text[start:].lstrip()
                notes.append(f"the opening parenthesis is missing before {name!r}; read as its State")
                break
    body, names = split_states(text)
    states: list[tuple[str, str | None]] = []
    for printed in names:
        name = printed
        marked = _NAME_MARK.match(name)
        if marked and not state_iso3(name) and state_iso3(marked.group(1)):
            name = marked.group(1).strip()
        iso3 = state_iso3(name)
        if iso3 is None:
            iso3 = close_state(name)
            if iso3 is not None:
                notes.append(f"{name!r} is read as {iso3} (the closest State name)")
        states.append((name, iso3))
    return FoundStates(body, states, notes)
