"""The layout of a UN document's text, read before its meaning.

A report's text (from :mod:`.pdf` or a text file) is read here as a tree: numbered
paragraphs, each with its lead-in and the numbered items under it, with the page's
furniture gone (running heads, page numbers of every layout OHCHR used, job numbers,
bar codes), wherever it falls, an item's middle included. Nothing here knows what a
sentence means: :mod:`.grammar` reads the tree.

Numbering is read as a sequence, not line by line: an item is the next number of its
paragraph. A number that does not fit is placed by what comes after it, and every
number read otherwise than printed is said (:attr:`Item.read_as`):

* ``85.75`` between ``86.74`` and ``86.76`` — printed with the wrong paragraph, read as ``86.75``;
* ``118.9`` between ``118.108`` and ``118.110`` — a misprinted item, read as ``118.109``;
* ``17 Ratify …`` between ``16.`` and ``18.`` — an item number printed without its dot;
* ``96.`` after item ``95.`` under paragraph 95 — item 96 when its text ends with the
  recommending States, paragraph 96 when it does not.

A number the sequence cannot place is a :class:`Misfit`, which the reader reports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

#: Lines a page repeats or carries on its own: page numbers in every layout, the document symbol
#: (with or without "Page N"), the job number, the bar code.
FURNITURE = re.compile(
    r"^\s*(?:"
    r"(?:page|p\.)\s*\d{1,3}(?:\s*(?:of|/)\s*\d{1,3})?"
    r"|-\s*\d{1,3}\s*-"
    r"|\d{1,3}"
    r"|(?:\d{1,3}\s+)?A/HRC/[0-9A-Za-z./]+(?:\s*,?\s*(?:page|p\.)\s*\d{1,3}|\s+\d{1,3})?"
    r"|(?:\d{1,3}\s+)?GE\.\d{2}-\d{4,6}.*"
    r"|\*\d{6,}\*"
    r")\s*$",
    re.IGNORECASE,
)
_SECTION = re.compile(r"^\s*(?:[IVX]{1,4}\.\s+)?Conclusions\s+and/or\s+recommendations\b(?!.*\.{4})", re.IGNORECASE)
_CLOSING = re.compile(
    r"\ball (?:the )?conclusions and(?:/or)? recommendations (?:contained|set out|in)\b", re.IGNORECASE
)
_ANNEX = re.compile(r"^\s*Annex(?:es)?\b\s*[IVX]*\s*$")
#: A heading of the next part (``III. Voluntary pledges and commitments``): the section ends there.
_NEXT_PART = re.compile(r"^\s*[IVX]{1,4}\.\s+[A-Z][A-Za-z ,/-]{3,80}$")
_DOTTED = re.compile(r"^\s*(?P<p>\d{1,3})\s?\.\s?(?P<n>\d{1,3})(?P<dot>\s?\.)?(?:\s+(?P<rest>\S.*?))?\s*$")
_PLAIN = re.compile(r"^\s*(?P<n>\d{1,3})\.(?:\s+(?P<rest>\S.*?))?\s*$")
_BARE = re.compile(r"^\s*(?P<n>\d{1,3})\s+(?P<rest>[A-Z]\S*.*?)\s*$")
_ENDS_WITH_STATES = re.compile(r"\)\s*[;.:,]?\s*$")


@dataclass
class Item:
    """A numbered recommendation under a paragraph, as laid out."""

    line: int
    """The line of the text its number is on (1-based)."""
    paragraph: int
    number: int
    lines: list[str]
    printed: str
    """The number as printed (``85.75``, ``17``)."""
    read_as: str | None = None
    """How a number that did not fit the sequence was read, in words (``None`` when read as printed)."""

    @property
    def id(self) -> str:
        return f"{self.paragraph}.{self.number}"


@dataclass
class Paragraph:
    """A numbered paragraph: its lead-in, the items under it, and any text after its list."""

    line: int
    number: int
    lead: list[str] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    form: str | None = None
    """``dotted`` when its items print ``124.1``, ``plain`` when they print ``1.`` (1st cycle)."""
    implicit: bool = False
    """True when the items start with no lead-in paragraph of their own."""


@dataclass(frozen=True)
class Misfit:
    """A line that opens like an item but that the numbering cannot place."""

    line: int
    printed: str
    reason: str


@dataclass
class Section:
    """The section "Conclusions and/or recommendations" laid out as paragraphs and items."""

    start: int
    """The line of its heading (0 when the text has none)."""
    paragraphs: list[Paragraph]
    misfits: list[Misfit]
    closing: int | None = None
    """The paragraph number of the closing "All conclusions and/or recommendations …", when found."""


def body_lines(text: str) -> list[tuple[int, str]]:
    """The text's lines with their 1-based numbers, page furniture dropped (blank lines kept, for layout)."""
    return [(i, line) for i, line in enumerate(text.split("\n"), 1) if not (line.strip() and FURNITURE.match(line))]


def section_start(lines: list[tuple[int, str]]) -> int:
    """The index in ``lines`` after the last heading "Conclusions and/or recommendations" (0 when none)."""
    found = 0
    for k, (_no, line) in enumerate(lines):
        if _SECTION.match(line):
            found = k + 1
    return found


@dataclass(frozen=True)
class _Start:
    form: str  # dotted | plain | bare
    k: int
    no: int
    p: int | None
    n: int
    rest: str
    printed: str


def _start(k: int, no: int, line: str) -> _Start | None:
    m = _DOTTED.match(line)
    if m:
        printed = f"{m.group('p')}.{m.group('n')}" + ("." if m.group("dot") else "")
        return _Start("dotted", k, no, int(m.group("p")), int(m.group("n")), m.group("rest") or "", printed)
    m = _PLAIN.match(line)
    if m:
        return _Start("plain", k, no, None, int(m.group("n")), m.group("rest") or "", f"{m.group('n')}.")
    m = _BARE.match(line)
    if m:
        return _Start("bare", k, no, None, int(m.group("n")), m.group("rest"), m.group("n"))
    return None


class _Reader:
    def __init__(self, lines: list[tuple[int, str]], begin: int) -> None:
        self.lines = lines
        self.starts = [s for k in range(begin, len(lines)) if (s := _start(k, *lines[k])) is not None]
        self.paragraphs: list[Paragraph] = []
        self.misfits: list[Misfit] = []
        self.closing: int | None = None
        self.begin = begin

    # -- what comes after a start ------------------------------------------------------------
    def _following(self, j: int, form: str) -> _Start | None:
        return next((s for s in self.starts[j + 1 :] if s.form == form), None)

    def _block_text(self, j: int) -> str:
        """The text of the block a start opens: its lines up to the next start."""
        s = self.starts[j]
        end = self.starts[j + 1].k if j + 1 < len(self.starts) else len(self.lines)
        return " ".join([s.rest, *(line.strip() for _no, line in self.lines[s.k + 1 : end])]).strip()

    # -- the sequence ------------------------------------------------------------------------
    def read(self) -> Section:
        para: Paragraph | None = None
        owner: list[str] | None = None  # the lines that continuation text goes to
        taken = {s.k: s for s in self.starts}
        placed: dict[int, Paragraph | Item] = {}
        end_k = len(self.lines)
        for j, s in enumerate(self.starts):
            kind, obj = self._place(j, s, para)
            if isinstance(obj, Paragraph):
                if _CLOSING.search(self._block_text(j)):
                    self.closing = obj.number
                    end_k = s.k
                    break
                para = obj
                self.paragraphs.append(obj)
            elif isinstance(obj, Item):
                if para is None or obj.paragraph != para.number:
                    para = Paragraph(s.no, obj.paragraph, implicit=True)
                    self.paragraphs.append(para)
                if para.form is None:
                    para.form = "dotted" if s.form == "dotted" else "plain"
                para.items.append(obj)
            if obj is not None:
                placed[s.k] = obj
        for k in range(self.begin, end_k):
            no, line = self.lines[k]
            if (_ANNEX.match(line) or _NEXT_PART.match(line)) and any(p.items for p in self.paragraphs):
                end_k = k
                break
            if k in placed:
                obj = placed[k]
                owner = obj.lead if isinstance(obj, Paragraph) else obj.lines
                first = taken[k].rest
                if first:
                    owner.append(first)
                continue
            if owner is not None:
                owner.append(line)
        if end_k < len(self.lines):
            end_no = self.lines[end_k][0]
            self.paragraphs = [p for p in self.paragraphs if p.line < end_no]
        return Section(self.lines[self.begin - 1][0] if self.begin else 0, self.paragraphs, self.misfits, self.closing)

    def _place(self, j: int, s: _Start, para: Paragraph | None) -> tuple[str, Paragraph | Item | None]:
        last = para.items[-1].number if para is not None and para.items else 0
        text = self._block_text(j)
        if s.form == "dotted":
            assert s.p is not None
            if para is not None and s.p == para.number and s.n == last + 1 and para.form != "plain":
                return "item", Item(s.no, s.p, s.n, [], s.printed)
            if s.n == 1 and (para is None or s.p > para.number) and not (para is not None and para.form == "plain"):
                return "item", Item(s.no, s.p, 1, [], s.printed)  # items with no lead-in paragraph of their own
            if para is None or para.form == "plain" or not para.items:
                return self._misfit(s, text, "it does not follow a paragraph that lists recommendations")
            nxt = self._following(j, "dotted")
            fits_next = nxt is None or (nxt.n == last + 2) or (nxt.n == 1 and nxt.p != para.number)
            if s.n == last + 1 and s.p != para.number and fits_next:
                read = f"printed {s.printed.rstrip('.')}, read as {para.number}.{s.n} (the paragraph is {para.number})"
                return "item", Item(s.no, para.number, s.n, [], s.printed, read)
            if s.p == para.number and nxt is not None and nxt.p == para.number and nxt.n == last + 2:
                between = f"between {para.number}.{last} and {nxt.p}.{nxt.n}"
                read = f"printed {s.printed.rstrip('.')}, read as {para.number}.{last + 1} ({between})"
                return "item", Item(s.no, para.number, last + 1, [], s.printed, read)
            if s.p == para.number and s.n > last + 1:
                missing = f"{para.number}.{last + 1}" + (f"–{para.number}.{s.n - 1}" if s.n - 1 > last + 1 else "")
                self._misfit(s, text, f"it follows {para.number}.{last}: {missing} is missing")
                return "item", Item(s.no, s.p, s.n, [], s.printed)  # placed as printed, so the rest still follows
            if s.p == para.number:
                return self._misfit(s, text, f"it follows {para.number}.{last}: the numbers go backwards or repeat")
            return "text", None
        if s.form == "plain":
            next_para = para is None or s.n == para.number + 1
            as_item = para is not None and para.form != "dotted" and s.n == last + 1
            if as_item and next_para:  # "96." after item 95 under paragraph 95: read by its text
                as_item = bool(_ENDS_WITH_STATES.search(text)) and "recommendations" not in text.lower()[:120]
            if as_item:
                assert para is not None
                return "item", Item(s.no, para.number, s.n, [], s.printed)
            if next_para and (para is not None or s.n >= 10) and text[:1].isupper():
                return "paragraph", Paragraph(s.no, s.n)
            if para is not None and para.form == "plain" and s.n != last + 1 and _ENDS_WITH_STATES.search(text):
                nxt = self._following(j, "plain")
                if nxt is not None and nxt.n == last + 2:
                    read = f"printed {s.n}., read as {last + 1}. (between {last}. and {last + 2}.)"
                    return "item", Item(s.no, para.number, last + 1, [], s.printed, read)
                return self._misfit(s, text, f"it follows item {last}. of paragraph {para.number}")
            return "text", None
        # a bare number: only the next item of a list numbered "1.", "2." whose next item follows
        if para is not None and para.form == "plain" and s.n == last + 1:
            nxt = next((t for t in self.starts[j + 1 :] if t.form in ("plain", "bare")), None)
            if nxt is None or nxt.n in (last + 2, para.number + 1):
                read = f"printed {s.n} without its dot, read as item {s.n}."
                return "item", Item(s.no, para.number, s.n, [], s.printed, read)
        return "text", None

    def _misfit(self, s: _Start, text: str, reason: str) -> tuple[str, None]:
        if s.rest[:1].isupper() or _ENDS_WITH_STATES.search(text):
            self.misfits.append(Misfit(s.no, s.printed, reason))
        return "text", None


def read_section(text: str) -> Section:
    """The recommendations section of a report's text, laid out (see the module's description)."""
    lines = body_lines(text)
    begin = section_start(lines)
    return _Reader(lines, begin).read()
