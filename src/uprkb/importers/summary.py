"""Reader for OHCHR's summary of stakeholders' submissions (``A/HRC/WG.6/<session>/<ISO3>/3``).

The document is read as a tree first, then as citations (see CONTRIBUTING's importers):

1. **Text.** A ``.pdf`` with every line kept (endnotes are set smaller than the body,
   so the reports' reader would drop them), a Word document with its endnote marks as
   numbers and its endnotes after a "Notes" heading, or text. Page furniture goes by
   :func:`.layout.body_lines`.
2. **Layout.** The numbered paragraphs, read as a sequence (``7.`` opens a paragraph only
   after paragraph 6), with the heading each stands under; the endnotes after "Notes",
   also as a sequence (a note's number alone on its line is told from a page number by
   the text that follows it); the endnote marks in the paragraphs, as a sequence too
   (``2024.6`` is note 6 where note 6 is next; ``JS2`` is an acronym, never note 2).
3. **The list of submissions** (the endnote naming the stakeholders): acronym and name in
   two columns, the category headings, joint submissions' members, attachments cited by
   their own acronyms (``(CoE-GREVIO) Group of Experts …``).
4. **Citations** (:func:`citation_pattern`): every endnote read as citations and the words between
   them (``and``, ``See also``, ``.``, ``;``). Words left over are a located warning quoting
   them; an acronym the list does not name is a warning with the closest listed one.

The summary is linked to the knowledge base (:func:`link_submissions`) and written as
``data/reviews/<review>/stakeholder-summary.yaml`` (:func:`plan_summary`).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any, ClassVar, NamedTuple
from xml.etree import ElementTree

from uprkb.core import limits
from uprkb.core.errors import Problems
from uprkb.core.hints import close_match
from uprkb.importers.base import ImportResult, ReadOptions, SourceFile
from uprkb.importers.layout import body_lines
from uprkb.importers.text import document_text, join_lines, words_of
from uprkb.model.refs import cycle_of_session, review_id
from uprkb.model.reviews import ImportFormat
from uprkb.model.summary import Attachment, Citation, Endnote, Stakeholder, SummaryParagraph

SYMBOL = re.compile(r"\bA/HRC/WG\.6/(?P<session>\d{1,3})/(?P<iso3>[A-Z]{3})/3\b")
_NOTES = re.compile(r"^\s*(?:End)?[Nn]otes\s*$")
_PARA = re.compile(r"^\s*(?P<n>\d{1,3})\.\s+(?P<rest>\S.*?)\s*$")
_NOTE = re.compile(r"^\s*(?P<n>\d{1,3})(?:\s+(?P<rest>\S.*?))?\s*$")
_BARE_NUMBER = re.compile(r"^\s*(\d{1,3})\s*$")
_SECTION_NUMERAL = re.compile(r"^\s*(?:[IVX]{1,4}|[A-Z]|\d{1,2})\.\s+\S")
_SENTENCE_END = re.compile(r"[.;:,!?)\]\"”’-]\s*\d{0,3}\s*$|\d\s*$")
#: An endnote mark in a paragraph: digits glued to a word or a punctuation mark, or after one space
#: following a punctuation mark (``in 2008. 8``); never after a space following a word (``Article 10``).
_MARK = re.compile(r"(?<=[^\W\d_]|[.,;:)’”'\"\]])(?P<space> ?)(?P<n>\d{1,3})(?=[\s.,;:)]|$)")
#: The title's asterisk note ("* The present document is being issued without formal editing."), wherever it falls.
_TITLE_NOTE = re.compile(r"^\s*\*\s+\S")
_GAP = re.compile(r"\t+|\s{3,}")
_ATTACHMENT = re.compile(r"^\((?P<acronym>[^()]{2,40})\)\s*-?\s*(?P<title>.*)$")
_PLACE_ONLY = re.compile(r"^[A-Z][\w .'-]{0,40}\([^()]{2,60}\)\.?$")

_NUM = r"\d+(?:\.\d+)*"
_RANGE = rf"{_NUM}(?:\s*[-–—]\s*{_NUM})?"
_NUMS = rf"{_RANGE}(?:\s*(?:,\s*and|,|and|&)\s*{_RANGE})*"
#: One place cited: ``p. 2``, ``pp. 4-5``, ``para. 43``, ``paras. 34 and 38`` (``para, 7`` and ``para.2`` too).
LOCATOR = re.compile(rf"(?P<kind>paras|para|pp|p)\s*[.,]?\s*(?P<nums>{_NUMS})")
_LOCATORS = rf"(?:paras|para|pp|p)\s*[.,]?\s*{_NUMS}"
_GENERIC_NAME = r"(?!(?:See|Also|And)\b)[A-Z][A-Za-z0-9]*(?:[-/][A-Za-z0-9]+)*"
#: What may stand between two citations of one endnote.
_BETWEEN = re.compile(r"^[\s.,;]*(?:(?:and|see also|also|see)\b[\s.,;]*)*$", re.IGNORECASE)
_SEE_ALSO = re.compile(r"\bsee\s+also\b", re.IGNORECASE)
_LIST_NOTE = re.compile(r"stakeholders listed below|contributed information for this summary", re.IGNORECASE)


def citation_pattern(acronyms: list[str]) -> re.Pattern[str]:
    """One citation: an acronym (a listed one, longest first, or any capitalised word), an optional
    document name (``Memorandum``), then one or more locators, e.g. ``CoE-ACFC, p. 4, para. 4``."""
    known = "|".join(re.escape(a) for a in sorted(set(acronyms), key=len, reverse=True))
    name = rf"(?<![\w/-])(?:{known + '|' if known else ''}{_GENERIC_NAME})(?![\w/-])"
    return re.compile(
        rf"(?P<name>{name})(?:\s*[,;]?\s*(?P<doc>(?!{_LOCATORS})[A-Za-z][A-Za-z ]{{0,40}}?))?\s*[,;]?\s*"
        rf"(?P<locs>{_LOCATORS}(?:\s*[,;]?\s*{_LOCATORS})*)"
    )


class Line(NamedTuple):
    no: int
    text: str
    furniture: bool


@dataclass
class _Para:
    number: int
    lines: list[str]
    heading: str | None


@dataclass
class _Note:
    number: int
    line: int
    lines: list[str] = field(default_factory=list)


@dataclass
class SummaryResult(ImportResult):
    """What the reader found: the summary's parts (``None`` when the document cannot be read)."""

    symbol: str | None = None
    iso3: str | None = None
    session: int | None = None
    state_name: str | None = None
    paragraphs: list[SummaryParagraph] = field(default_factory=list)
    endnotes: list[Endnote] = field(default_factory=list)
    stakeholders: list[Stakeholder] = field(default_factory=list)
    note_lines: dict[int, int] = field(default_factory=dict)  # endnote number → the line it starts on

    @property
    def review(self) -> str | None:
        return review_id(self.iso3, cycle_of_session(self.session)) if self.iso3 and self.session else None


# -- text of each format ------------------------------------------------------------------------

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def docx_text(data: bytes) -> str:
    """A Word document as the text layout reads: one line per paragraph (numbered paragraphs get their
    number), each endnote or footnote mark as its number glued to the text, the notes after "Notes"."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = set(zf.namelist())
        body = ElementTree.fromstring(zf.read("word/document.xml"))
        parts = {
            kind: ElementTree.fromstring(zf.read(f"word/{kind}s.xml"))
            for kind in ("endnote", "footnote")
            if f"word/{kind}s.xml" in names
        }
    numbers: dict[tuple[str, str], int] = {}

    def text_of(p: Any, marks: bool) -> str:
        out = []
        for el in p.iter():
            if el.tag == f"{W}t" and el.text:
                out.append(el.text)
            elif el.tag in (f"{W}tab", f"{W}br"):
                out.append("\t" if el.tag == f"{W}tab" else " ")
            elif marks and el.tag in (f"{W}endnoteReference", f"{W}footnoteReference"):
                key = (el.tag.removeprefix(W).removesuffix("Reference"), el.get(f"{W}id", ""))
                numbers.setdefault(key, len(numbers) + 1)
                out.append(str(numbers[key]))
        return "".join(out)

    lines: list[str] = []
    counter = 0
    for p in body.iter(f"{W}p"):
        text = text_of(p, marks=True)
        if p.find(f"{W}pPr/{W}numPr") is not None and text.strip() and not _PARA.match(text):
            counter += 1
            text = f"{counter}.\t{text}"
        elif m := _PARA.match(text):
            counter = int(m.group("n"))
        lines.append(text)
    lines += ["", "Notes"]
    for (kind, note_id), n in sorted(numbers.items(), key=lambda kv: kv[1]):
        note = next((e for e in parts.get(kind, ElementTree.Element("x")) if e.get(f"{W}id") == note_id), None)
        if note is not None:
            texts = [text_of(p, marks=False).strip() for p in note.iter(f"{W}p")]
            lines.append(f"{n} {texts[0] if texts else ''}".rstrip())
            lines += [f"\t\t{t}" for t in texts[1:]]
    return "\n".join(lines) + "\n"


def pdf_all_text(data: bytes) -> str:
    """A PDF's lines of every size (endnotes included), columns kept apart by a tab, pages apart by a blank."""
    from uprkb.importers.pdf import pdf_pages

    out: list[str] = []
    for page in pdf_pages(data):
        rows: list[tuple[float, list[tuple[float, str]]]] = []
        for top, left, chars in page:
            text = " ".join("".join(ch for ch, _s in chars).split())
            if not text:
                continue
            if rows and abs(rows[-1][0] - top) < 3:
                rows[-1][1].append((left, text))
            else:
                rows.append((top, [(left, text)]))
        out.append("")
        last = None
        for top, parts in rows:
            if last is not None and top - last > 20:
                out.append("")
            out.append("\t".join(t for _x, t in sorted(parts)))
            last = top
    return "\n".join(out) + "\n"


def summary_text(source: SourceFile, problems: Problems, encoding: str) -> str | None:
    """The document's text, whatever its format (see the module's description)."""
    suffix = source.path.suffix.lower()
    if suffix == ".docx" or limits.is_zip(source.data):
        try:
            return docx_text(source.data)
        except (zipfile.BadZipFile, KeyError, ElementTree.ParseError) as exc:
            problems.add(
                source.at(),
                "encoding",
                f"the Word document cannot be read ({type(exc).__name__})",
                "open it in Word and save it again as .docx, or give its text",
            )
            return None
    if source.data[:5] == b"%PDF-" or suffix == ".pdf":
        try:
            return pdf_all_text(source.data)
        except Exception as exc:  # pdfminer raises many kinds of errors on a damaged file
            problems.add(
                source.at(),
                "encoding",
                f"the PDF cannot be read: {type(exc).__name__}: {exc}",
                "give the document's text instead (copy it from the PDF into a .txt file)",
            )
            return None
    return document_text(source, problems, encoding)


# -- layout -------------------------------------------------------------------------------------


def lines_of(text: str) -> list[Line]:
    """Every line with its number, marked when :func:`.layout.body_lines` drops it as page furniture
    (the title's asterisk note too)."""
    kept = {no for no, line in body_lines(text) if not _TITLE_NOTE.match(line)}
    return [Line(no, line, no not in kept) for no, line in enumerate(text.split("\n"), 1)]


def _is_heading(block: list[str]) -> bool:
    """A block of one to three lines with no sentence end, opening with a capital or a section numeral."""
    if not block or len(block) > 3 or any(len(b) > 110 for b in block):
        return False
    first = block[0].strip()
    return bool(first[:1].isupper() or _SECTION_NUMERAL.match(first)) and not _SENTENCE_END.search(block[-1])


def _blocks(lines: list[str]) -> list[list[str]]:
    """Lines split into blocks at blank lines and after a line that ends a sentence."""
    out: list[list[str]] = [[]]
    for line in lines:
        if not line.strip():
            out.append([])
            continue
        out[-1].append(line)
        if re.search(r"[.;:]\s*\d{0,3}\s*$", line):
            out.append([])
    return [b for b in out if b]


def read_paragraphs(body: list[Line]) -> list[_Para]:
    """The numbered paragraphs, as a sequence, each with the heading it stands under (the last heading
    above it: a block of one to three lines with no sentence end, just before a paragraph's number)."""
    paras: list[_Para] = []
    heading: str | None = None
    pending: list[str] = []  # the lines after the current paragraph's first line

    def close() -> None:
        nonlocal heading
        blocks = _blocks(pending)
        nearest = None
        while blocks and _is_heading(blocks[-1]):
            found = " ".join(" ".join(blocks.pop()).split())
            nearest = nearest or found
        heading = nearest or heading
        if paras:
            paras[-1].lines += [line for b in blocks for line in b]

    for ln in body:
        m = None if ln.furniture else _PARA.match(ln.text)
        if m and int(m.group("n")) == len(paras) + 1:
            close()
            paras.append(_Para(len(paras) + 1, [m.group("rest")], heading))
            pending = []
            continue
        pending.append("" if ln.furniture else ln.text)
    if paras:
        paras[-1].lines += [line for b in _blocks(pending) for line in b]
    return paras


def read_notes(lines: list[Line]) -> list[_Note]:
    """The endnotes after "Notes", as a sequence; a number alone on its line opens the next note only
    when the note's text follows on the next line (a page number is followed by the running head)."""
    notes: list[_Note] = []
    for k, ln in enumerate(lines):
        expected = len(notes) + 1
        m = _NOTE.match(ln.text)
        if not ln.furniture and m and int(m.group("n")) == expected:
            notes.append(_Note(expected, ln.no, [m.group("rest") or ""]))
            continue
        bare = _BARE_NUMBER.match(ln.text)
        nxt = lines[k + 1] if k + 1 < len(lines) else None
        if bare and int(bare.group(1)) == expected and nxt and nxt.text.strip() and not nxt.furniture:
            notes.append(_Note(expected, ln.no, [""]))
            continue
        if notes and not ln.furniture:
            notes[-1].lines.append(ln.text)
    return notes


def read_marks(paras: list[_Para], acronyms: set[str], words: set[str]) -> tuple[list[str], list[list[int]]]:
    """Each paragraph's text without its endnote marks, and the marks' numbers, read as one sequence.

    A mark is the next note's number (or one or two further, when a note's mark is missing) glued to a
    word or punctuation; digits that end a listed acronym (``JS2``) are never a mark.
    """
    expected = 1
    texts: list[str] = []
    marks: list[list[int]] = []
    for p in paras:
        text = join_lines(p.lines, words)
        found: list[int] = []
        out, last = [], 0
        for m in _MARK.finditer(text):
            n = int(m.group("n"))
            if m.group("space") and text[m.start() - 1 : m.start()].isalpha():
                continue
            word = re.search(r"[\w/-]*$", text[: m.start()])
            if word and (word.group() + m.group("n")) in acronyms:
                continue
            if expected <= n <= expected + 2:
                found.append(n)
                out.append(text[last : m.start()])
                last = m.end()
                expected = n + 1
        out.append(text[last:])
        texts.append(" ".join("".join(out).split()))
        marks.append(found)
    return texts, marks


# -- the list of submissions --------------------------------------------------------------------


def read_stakeholders(lines: list[str]) -> list[Stakeholder]:
    """The list of submissions: ``ACRONYM   Name, place`` in two columns, continuation lines in the second,
    headings ending in a colon (``Joint submissions:``), ``Attachments:`` and ``(ACRONYM) title`` entries."""
    entries: list[dict[str, Any]] = []
    category: str | None = None
    started = False
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        cols = [c.strip() for c in _GAP.split(line, maxsplit=1)] if _GAP.search(line) else [line]
        if len(cols) == 2 and cols[0] and cols[1] and not cols[0].startswith("("):
            if cols[0].endswith(":"):  # "Joint submissions:   JS1 …" would not occur; a heading with text beside it
                category = cols[0].rstrip(":")
                cols = [c.strip() for c in _GAP.split(cols[1], maxsplit=1)]
                if len(cols) < 2:
                    continue
            entries.append({"acronym": cols[0], "name": [cols[1]], "category": category, "attachments": []})
            started = True
            continue
        text = cols[-1] if len(cols) == 2 else line
        if line.endswith(":") and len(cols) == 1 and len(line) < 60 and not line.startswith("Attachments"):
            category = line.rstrip(":").strip()
            continue
        if not started:
            continue
        entry = entries[-1]
        if text.startswith("Attachments"):
            entry["in_attachments"] = True
            continue
        att = _ATTACHMENT.match(text)
        if entry.get("in_attachments") and att:
            entry["attachments"].append([att.group("acronym").strip(), [att.group("title")]])
        elif entry.get("in_attachments") and entry["attachments"]:
            entry["attachments"][-1][1].append(text)
        else:
            entry["name"].append(text)
    out = []
    for e in entries:
        name = join_lines(e["name"])
        members: list[str] = []
        joint = re.search(r"\bsubmitted by:?\s*(?P<rest>.*)$", name, re.IGNORECASE)
        if joint:
            parts = [re.sub(r"^and\s+", "", p.strip()).strip() for p in joint.group("rest").split(";")]
            members = [p.rstrip(".").strip() for p in parts if p and not _PLACE_ONLY.match(p)]
        attachments = [Attachment(acronym=a, title=join_lines(t).rstrip(";.").strip()) for a, t in e["attachments"]]
        out.append(
            Stakeholder(
                acronym=e["acronym"],
                name=name.rstrip(";.").strip(),
                category=e["category"],
                members=members,
                attachments=attachments,
            )
        )
    return out


def acronym_owners(stakeholders: list[Stakeholder]) -> dict[str, str]:
    """Every acronym a citation may use → the acronym the list gives it: the listed acronym, each part of
    one written with a slash (``Ombudsman/HRORS`` → ``Ombudsman``, ``HRORS``), and attachments' acronyms."""
    owners: dict[str, str] = {}
    for s in stakeholders:
        owners.setdefault(s.acronym, s.acronym)
        for part in s.acronym.split("/") if "/" in s.acronym else []:
            owners.setdefault(part.strip(), s.acronym)
        for a in s.attachments:
            owners.setdefault(a.acronym, a.acronym)
    return owners


# -- citations ----------------------------------------------------------------------------------


def _numbers(nums: str) -> list[str]:
    """``34 and 38`` → ``["34", "38"]``; ``8– 17`` → ``["8-17"]``."""
    items = re.split(r"\s*(?:,\s*and|,|and|&)\s*", nums.strip())
    return [re.sub(r"\s*[-–—]\s*", "-", i) for i in items if i]


def _listed(items: list[str], one: str, many: str) -> str:
    if not items:
        return ""
    joined = items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
    return f"{one if len(items) == 1 and '-' not in items[0] else many} {joined}"


def read_citations(text: str, pattern: re.Pattern[str], owners: dict[str, str]) -> tuple[list[Citation], list[str]]:
    """An endnote's citations, and the words left between them that are not ``and``, ``See also`` or punctuation."""
    citations: list[Citation] = []
    leftovers: list[str] = []
    last = 0
    see_also = False
    for m in pattern.finditer(text):
        between = text[last : m.start()]
        if not _BETWEEN.match(between):
            leftovers.append(" ".join(between.split()).strip(" .,;"))
        see_also = see_also or bool(_SEE_ALSO.search(between))
        last = m.end()
        pages: list[str] = []
        paragraphs: list[str] = []
        for loc in LOCATOR.finditer(m.group("locs")):
            (pages if loc.group("kind") in ("p", "pp") else paragraphs).extend(_numbers(loc.group("nums")))
        name = m.group("name")
        doc = (m.group("doc") or "").strip() or None
        parts = [name, *([doc] if doc else []), _listed(pages, "p.", "pp."), _listed(paragraphs, "para.", "paras.")]
        citations.append(
            Citation(
                acronym=owners.get(name, name),
                text=" ".join(m.group().split()),
                label=", ".join(p for p in parts if p),
                document=doc,
                paragraphs=paragraphs,
                pages=pages,
                see_also=see_also,
            )
        )
    rest = text[last:]
    if not _BETWEEN.match(rest):
        leftovers.append(" ".join(rest.split()).strip(" .,;"))
    return citations, [t for t in leftovers if t]


# -- the reader ---------------------------------------------------------------------------------

_STATE = re.compile(
    r"Summary of stakeholders[’'`]?\s*(?:submissions|information)\s+on\s+(?P<name>[^*\n]+?)\s*\*?\s*$", re.I | re.M
)
_UN_DOCUMENT = re.compile(r"\b(?:A/(?:HRC/)?\d|A/HRC/|CCPR/|CERD/|CEDAW/|CRC/|E/C\.\d+/)")


class SummaryReader:
    """OHCHR's summary of stakeholders' submissions (PDF, Word or text): see the module's description."""

    format: ClassVar[ImportFormat] = ImportFormat.stakeholder_summary

    def read(self, source: SourceFile, options: ReadOptions) -> SummaryResult:
        result = SummaryResult(self.format, source)
        problems = result.problems
        text = summary_text(source, problems, options.encoding)
        if text is None:
            return result
        found = SYMBOL.search(text)
        symbol = options.symbol or (found.group() if found else None)
        given = SYMBOL.fullmatch(symbol or "")
        if given is None:
            problems.add(
                source.at(),
                "missing-value",
                "the summary's symbol (A/HRC/WG.6/<session>/<ISO3>/3) is not in the text"
                + (f"; {symbol!r} is not one" if symbol else ""),
                "give it with --symbol, e.g. --symbol A/HRC/WG.6/48/SVN/3",
            )
            return result
        result.symbol, result.iso3, result.session = symbol, given.group("iso3"), int(given.group("session"))
        state = _STATE.search(text)
        result.state_name = " ".join(state.group("name").split()) if state else None
        lines = lines_of(text)
        start = next((k for k, ln in enumerate(lines) if not ln.furniture and _NOTES.match(ln.text)), None)
        if start is None:
            problems.add(
                source.at(),
                "missing-value",
                "the summary has no 'Notes' heading before its endnotes",
                "check that the file is the whole summary, endnotes included",
            )
            return result
        paras = read_paragraphs(lines[:start])
        notes = read_notes(lines[start + 1 :])
        if not paras or not notes:
            problems.add(
                source.at(),
                "no-records",
                f"the summary holds {len(paras)} numbered paragraphs and "
                f"{len(notes)} endnotes that the importer can read",
                "check that the file is the summary",
            )
            return result
        words = words_of(text)
        listing = next((n for n in notes if _LIST_NOTE.search(join_lines(n.lines[:3]))), None)
        result.stakeholders = read_stakeholders(listing.lines[1:]) if listing else []
        if listing is None or not result.stakeholders:
            problems.warn(
                source.at(start + 1),
                "missing-value",
                "no endnote lists the stakeholders' submissions, so no acronym can be checked",
                "check the endnote that begins 'The stakeholders listed below have contributed …'",
            )
        owners = acronym_owners(result.stakeholders)
        pattern = citation_pattern(list(owners))
        texts, marks = read_marks(paras, set(owners), words)
        result.paragraphs = [
            SummaryParagraph(number=p.number, heading=p.heading, text=t, notes=m)
            for p, t, m in zip(paras, texts, marks, strict=True)
        ]
        for note in notes:
            result.note_lines[note.number] = note.line
            joined = join_lines(note.lines, words)
            if note is listing:
                result.endnotes.append(Endnote(number=note.number, text=join_lines(note.lines[:1], words) or "-"))
                continue
            citations, leftovers = read_citations(joined, pattern, owners)
            result.endnotes.append(Endnote(number=note.number, text=joined or "-", citations=citations))
            self._check_note(result, note, joined, citations, leftovers, owners)
        self._check_marks(result, notes)
        return result

    @staticmethod
    def _check_note(
        result: SummaryResult,
        note: _Note,
        text: str,
        citations: list[Citation],
        leftovers: list[str],
        owners: dict[str, str],
    ) -> None:
        at = result.source.at(note.line)
        if not citations and _UN_DOCUMENT.search(text):
            return  # a UN document cited, not a stakeholder
        for rest in leftovers:
            result.problems.warn(
                at,
                "invalid-format",
                f"endnote {note.number}: {rest!r} cannot be read as a citation (an acronym, then "
                f"p. or para. and numbers), so it is left out: {text[:200]!r}",
                "check the endnote in the document; the citations around it are kept",
            )
        for c in citations:
            if c.acronym in owners.values() or not owners:
                continue
            guess = close_match(c.acronym, owners)
            result.problems.warn(
                at,
                "unknown-reference",
                f"endnote {note.number} cites {c.acronym!r}, which the list of submissions does not name: {c.text!r}",
                f"did you mean {guess!r}? the citation is kept as printed"
                if guess
                else "the list names " + ", ".join(sorted(owners.values())[:20]),
            )

    @staticmethod
    def _check_marks(result: SummaryResult, notes: list[_Note]) -> None:
        marked = {n for p in result.paragraphs for n in p.notes}
        numbers = {n.number for n in notes}
        for n in sorted(numbers - marked):
            result.problems.warn(
                result.source.at(result.note_lines[n]),
                "unused-source",
                f"endnote {n}: no paragraph carries its mark that the importer finds",
                "check the paragraph that cites it; the endnote is kept",
            )
        for n in sorted(marked - numbers):
            para = next(p for p in result.paragraphs if n in p.notes)
            result.problems.warn(
                result.source.at(),
                "unknown-reference",
                f"paragraph {para.number} carries the mark {n}, but the notes stop at {len(notes)}",
                "check that the file holds every endnote",
            )
