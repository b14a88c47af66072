"""The matrix's layout: what a line holds, and Word tables read as records' cells, each column by its cells.

OHCHR's thematic lists (the "matrix") come as a Word table or as its text. Both are read by
meaning, never by heading: every line is known by what it holds (:func:`line_kind`, a table of
cases: ``140.7 Ratify …``, ``Source of Position: …``, ``Supported``, ``- theme`` or ``A12 theme``,
``Groups of Persons:``, ``- 16 - PEACE …`` / ``S16 - peace …``). A table's rows come out as cells
located at their table, row and column (:func:`table_rows`); a merged cell is read once, and a row
of one merged cell (``Theme: …``) is a heading. Each column takes the role most of its cells hold
(:func:`vote_columns`); its title (:func:`column_role`) only breaks a tie, so a column titled in
other words, or moved, is read all the same. Each row becomes one record's :class:`Parts`; the
text export is laid out in :mod:`.ohchr_matrix`. A legacy ``.doc`` is converted with LibreOffice.
"""

from __future__ import annotations

import html
import io
import re
import shutil
import subprocess
import tempfile
import zipfile
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from uprkb.core.errors import Location, Problems
from uprkb.importers.base import ImportResult, SourceFile
from uprkb.importers.mapping import Mapper, state_iso3
from uprkb.importers.states import split_state_names

#: Column role → title patterns (normalised: lower case, single spaces), tried in this order.
ROLES: list[tuple[str, re.Pattern[str]]] = [
    ("source", re.compile(r"source of (?:the )?position")),
    ("states", re.compile(r"recommending (?:state|states|state/s|country|countries)\b(?! under review)")),
    ("assessment", re.compile(r"assessment|comments|level of implementation")),
    ("sdgs", re.compile(r"\bsdgs?\b|sustainable development")),
    ("persons", re.compile(r"^(?:affected persons|groups? of persons|persons affected)")),
    ("themes", re.compile(r"theme")),
    ("position", re.compile(r"position|response")),
    ("recommendation", re.compile(r"recommendation")),
]
#: A title's role as a role that cells vote for: themes, groups and SDGs are all labels; an assessment is other text.
VOTE_OF_TITLE = {"themes": "labels", "persons": "labels", "sdgs": "labels", "assessment": "other"}


def column_role(title: str) -> str | None:
    """The role of a column from its title, or ``None``."""
    key = " ".join(title.lower().split())
    if not key:
        return None
    if key.startswith("recommendation") and ("recommending" in key or key == "recommendation"):
        return "recommendation"
    for role, pattern in ROLES:
        if pattern.search(key):
            return role
    return None


@dataclass(frozen=True)
class Row:
    """One row of a Word table: its cells as (column, text), a merged cell once, at its first column."""

    table: int
    number: int
    """1-based, as Word counts the table's rows."""
    cells: tuple[tuple[int, str], ...]

    @property
    def heading(self) -> bool:
        """One cell merged across the table (``Theme: …``)."""
        return len(self.cells) == 1

    def text(self, column: int | None) -> str:
        """The text of the cell at ``column`` (empty when there is none)."""
        return next((text for c, text in self.cells if c == column), "")


@dataclass(frozen=True)
class Column:
    """What a column holds, by the vote of its cells."""

    role: str
    votes: int
    """How many cells voted for the role (0 when the title alone gave it)."""
    title: str


def open_docx(data: bytes, source: SourceFile, problems: Problems) -> Any | None:
    """The Word document, or ``None`` with a located ``invalid-format`` problem."""
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    try:
        return Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        problems.add(
            source.at(),
            "invalid-format",
            f"the file is not a Word document ({exc})",
            "give OHCHR's thematic list as .docx (or .doc), or its text",
        )
        return None


def _cells(row: Any) -> tuple[tuple[int, str], ...]:
    out: list[tuple[int, str]] = []
    seen: set[int] = set()
    for c, cell in enumerate(row.cells):
        if id(cell._tc) in seen:
            continue
        seen.add(id(cell._tc))
        out.append((c, "\n".join(p.text for p in cell.paragraphs)))
    return tuple(out)


def table_rows(doc: Any) -> list[list[Row]]:
    """Every table of the document as its rows, in the document's order."""
    return [[Row(t, r, _cells(row)) for r, row in enumerate(table.rows, 1)] for t, table in enumerate(doc.tables, 1)]


def vote_columns(
    rows: Sequence[Row], role_of: Callable[[str], str | None], titles: Mapping[int, str]
) -> dict[int, Column]:
    """Each column's role: the one most of its cells show (``role_of`` a cell's text), the title breaking a tie.

    A column whose cells are all empty takes its title's role, if the title has one.
    """
    votes: dict[int, Counter[str]] = {}
    for row in rows:
        for c, text in row.cells:
            role = role_of(text)
            if role:
                votes.setdefault(c, Counter())[role] += 1
    out: dict[int, Column] = {}
    for c in sorted(set(votes) | set(titles)):
        title = " ".join(titles.get(c, "").split())
        by_title = column_role(title)
        by_title = VOTE_OF_TITLE.get(by_title or "", by_title)
        counts = votes.get(c, Counter())
        if counts:
            top = max(counts.values())
            tied = [role for role, n in counts.items() if n == top]
            role = by_title if by_title in tied else tied[0]
            out[c] = Column(role, top, title)
        elif by_title:
            out[c] = Column(by_title, 0, title)
    return out


# --- the grammar of one line ---------------------------------------------------------------------------------

ID, TEXT, SOURCE, REC_SOURCE, POSITION, THEME, PERSONS, PERSON, SDG, SDG_LABEL, STATES, HEADING, OTHER = (
    "id text source rec-source position theme persons person sdg sdg-label states heading other".split()
)
"""Kinds of line. TEXT and REC_SOURCE are a recommendation's own lines after its ID; PERSON is a group."""

ID_LINE = re.compile(r"^(\d{1,3})\.(\d{1,3})\.?(?:\s+(\S.*))?$")
SOURCE_LINE = re.compile(r"^source\s+of\s+(?:the\s+)?position\s*:", re.I)
_SYMBOL = re.compile(r"^A/HRC/\S")
_SDG = re.compile(r"^[-–•*]?\s*(?:(SDGs?|S|Goal)\s*)?(\d{1,2})(?:\.(?:\d{1,2}|[a-z]))?(\s*[-–—:]\s*|\s+|$)", re.I)
"""An SDG line: ``- 16 - PEACE …``, ``16 - PEACE …``, ``S16 - peace …``, ``SDG 16: …``, ``Goal 16``, ``16.3 - …``."""
_SDG_LABEL = re.compile(r"^(?:relevant\s+)?(?:sdgs?|sustainable\s+development\s+goals?)\s*:?\s*$", re.I)
THEME_CODE = re.compile(r"^([A-Z]\d{1,2})\s+(\S.*)$")
"""The code OHCHR's older thematic lists put before a theme: ``A12 Acceptance of international norms``."""
_BULLET = re.compile(r"^[-–•*▪]\s*")
_PERSONS_LABEL = re.compile(
    r"^(?:affected\s+persons|groups?\s+of\s+persons|persons\s+affected|persons\s+concerned)\s*:(.*)$", re.I
)
"""The label before the groups of persons (the groups are never themes)."""
HEADING_LINE = re.compile(r"^(?:theme|thematic\s+(?:area|cluster)|cluster)\s*:", re.I)
FURNITURE = re.compile(r"\bpage\s+\d+\s+of\s+\d+\s*$", re.I)
"""A running head or foot that a text export keeps (``UPR of China … Page 1 of 1``)."""
ENDS_STATES = re.compile(r"\)\s*[;.,]?$")
_POSITIONS = {
    "supported": "supported",
    "accepted": "supported",
    "noted": "noted",
    "supported/noted": "supported-in-part",
    "noted/supported": "supported-in-part",
    "partially supported": "supported-in-part",
    "supported in part": "supported-in-part",
    "partially accepted": "supported-in-part",
    "accepted in part": "supported-in-part",
}
HEADER_LINES = {
    "recommendation and recommending state",
    "position of the state under review",
    "human rights themes and groups of persons",
    "relevant sdgs",
    "recommendation",
    "position",
    "full list of themes",
    "assessment/comments on level of implementation",
}
"""Column titles OHCHR prints; a text export may repeat them between rows (they are dropped there)."""
LABEL_KINDS = (THEME, PERSONS, PERSON, SDG, SDG_LABEL)


def sdg_goal(line: str) -> int | None:
    """The goal of an SDG line (a plain number needs a dash after it: ``16 - PEACE …``), else ``None``."""
    m = _SDG.match(line)
    if not m or not 1 <= int(m.group(2)) <= 17:
        return None
    if not m.group(1) and not re.search(r"[-–—]", m.group(3)):
        return None
    return int(m.group(2))


def position_of(text: str) -> str | None:
    """``Supported``, ``Noted``, ``Supported/Noted`` … as our position, else ``None``."""
    return _POSITIONS.get(re.sub(r"\s*/\s*", "/", " ".join(text.lower().split())).strip(" ."))


def names_states(line: str) -> bool:
    names = split_state_names(line.strip(" ;,."))
    return bool(names) and all(state_iso3(n) for n in names)


def line_kind(line: str, mapper: Mapper | None = None) -> str:
    """What one line holds, by its words alone (a recommendation's continuation lines are OTHER here).

    A number such as ``16.3 - Promote the rule of law`` is an SDG target, not recommendation 16.3:
    the recommendations of a report are numbered in one of its last paragraphs, far beyond 17.
    """
    rec = ID_LINE.match(line)
    if rec and not (int(rec.group(1)) <= 17 and sdg_goal(line) is not None):
        return ID
    if SOURCE_LINE.match(line):
        return SOURCE
    if HEADING_LINE.match(line):
        return HEADING
    if _PERSONS_LABEL.match(line):
        return PERSONS
    if _SDG_LABEL.match(line):
        return SDG_LABEL
    if sdg_goal(line) is not None:
        return SDG
    if position_of(line):
        return POSITION
    if THEME_CODE.match(line) or (_BULLET.match(line) and len(line) <= 120 and not line.endswith(".")):
        return THEME
    if mapper is not None and (mapper.theme("uhri", line) or mapper.person("uhri", line)):
        return THEME
    if names_states(line):
        return STATES
    return OTHER


def mark_persons(kinds: list[str]) -> None:
    """Themes after a persons label are its groups, up to the first line of another kind."""
    run = False
    for i, kind in enumerate(kinds):
        if kind == PERSONS:
            run = True
        elif run and kind == THEME:
            kinds[i] = PERSON
        elif kind != PERSON:
            run = False


def cell_lines(text: str) -> list[str]:
    return [line for raw in text.split("\n") if (line := html.unescape(raw).strip())]


# --- one record's pieces ---------------------------------------------------------------------------------------


@dataclass
class Parts:
    """One record's pieces, each with where it stands, however the file lays them out."""

    where: Location
    rec: list[tuple[Location, str]] = field(default_factory=list)
    """The recommendation's cell: its ID line, its text, perhaps its 'Source of position:' line."""
    sources: list[tuple[Location, str]] = field(default_factory=list)
    positions: list[tuple[Location, str]] = field(default_factory=list)
    labels: list[tuple[str, str]] = field(default_factory=list)
    """(kind, line): themes, persons labels, groups, SDG lines, in their order."""
    states: list[str] = field(default_factory=list)
    stray: list[tuple[Location, str]] = field(default_factory=list)
    """Lines or cells that none of the above reads."""

    def split_rec(
        self, expect_source: bool
    ) -> tuple[list[str], tuple[Location, str] | None, list[tuple[Location, str]]]:
        """The recommendation's lines, its source line, and the lines left over where a source line was expected."""
        lines = self.rec
        at = next((i for i, (_, line) in enumerate(lines) if i and SOURCE_LINE.match(line)), None)
        if at is not None:
            return [t for _, t in lines[:at]], lines[at], list(lines[at + 1 :])
        if not expect_source or self.sources or len(lines) == 1:
            return [t for _, t in lines], None, []
        # No source line where most records have one: the text ends with its States' parenthesis.
        end = max((i for i, (_, line) in enumerate(lines) if ENDS_STATES.search(line)), default=0)
        return [t for _, t in lines[: end + 1]], None, list(lines[end + 1 :])

    def has_source(self) -> bool:
        return bool(self.sources) or any(i and SOURCE_LINE.match(t) for i, (_, t) in enumerate(self.rec))

    def holds(self) -> set[str]:
        """The kinds of line the record has (SOURCE, POSITION, THEME, PERSONS, SDG, STATES)."""
        kinds = {PERSONS if k == PERSON else k for k, _ in self.labels} - {SDG_LABEL}
        held = {SOURCE: self.has_source(), POSITION: bool(self.positions), STATES: bool(self.states)}
        return kinds | {k for k, yes in held.items() if yes}


def read_labels(labels: list[tuple[str, str]]) -> tuple[list[str], list[str], list[int]]:
    """Themes, groups of persons and SDG goals of a record's label lines."""
    themes: list[str] = []
    persons: list[str] = []
    goals: list[int] = []
    for kind, line in labels:
        if kind == SDG:
            goal = sdg_goal(line)
            if goal is not None and goal not in goals:
                goals.append(goal)
        elif kind == PERSONS:
            label = _PERSONS_LABEL.match(line)
            rest = _BULLET.sub("", label.group(1).strip()) if label else ""
            if rest:
                persons.append(rest)
        elif kind in (THEME, PERSON):
            (persons if kind == PERSON else themes).append(_BULLET.sub("", line).strip())
    return themes, persons, goals


# --- Word tables: each column by what its cells hold ---------------------------------------------------------------


def _cell_role(text: str, mapper: Mapper) -> str | None:
    lines = cell_lines(text)
    if not lines:
        return None
    m = ID_LINE.match(lines[0])
    if m and line_kind(lines[0]) == ID:
        return "recommendation" if m.group(3) or len(lines) > 1 else "id"
    if SOURCE_LINE.match(lines[0]) or (len(lines) == 1 and _SYMBOL.match(lines[0])):
        return "source"
    if len(lines) == 1 and position_of(lines[0]):
        return "position"
    kinds = [line_kind(line, mapper) for line in lines]
    if sum(1 for k in kinds if k in LABEL_KINDS) * 2 > len(kinds):
        return "labels"
    if all(k == STATES for k in kinds):
        return "states"
    return "other"


def _cell_labels(text: str, mapper: Mapper) -> list[tuple[str, str]]:
    """A labels cell: every line a theme, unless it is a persons label, a group after one, or an SDG line."""
    lines = cell_lines(text)
    kinds = [k if (k := line_kind(line, mapper)) in (PERSONS, SDG, SDG_LABEL) else THEME for line in lines]
    mark_persons(kinds)
    return list(zip(kinds, lines, strict=True))


def _best(columns: dict[int, Column], role: str) -> int | None:
    found = [(col.votes, -c, c) for c, col in columns.items() if col.role == role]
    return max(found)[2] if found else None


def _text_column(rows: list[Row], columns: dict[int, Column]) -> int | None:
    """Beside a column of bare IDs, the free-text column whose cells end with States in parentheses."""
    scores = []
    for c, col in columns.items():
        if col.role == "other":
            ends = sum(1 for r in rows if ENDS_STATES.search(r.text(c).strip()))
            scores.append((ends, column_role(col.title) == "recommendation", -c, c))
    return max(scores)[3] if scores else None


def _unread(rows: list[Row], columns: dict[int, Column], used: set[int | None], table: str, problems: Problems) -> None:
    """A warning for each column with text that is read as nothing (an assessment column aside)."""
    for c, col in columns.items():
        sample = next((t for r in rows if (t := " ".join(r.text(c).split()))), "")
        if c in used or not sample or column_role(col.title) == "assessment":
            continue
        title = f" ({col.title!r})" if col.title else ""
        problems.warn(
            Location(table, rows[0].number, c + 1),
            "invalid-format",
            f"column {c + 1}{title} is not read: most of its cells hold no themes, groups of persons, SDGs, "
            f"position or States (e.g. {sample[:60]!r})",
            "write its themes and groups as OHCHR does ('- label', 'A12 label', 'Groups of persons:'), "
            "or give their labels as equivalents in the vocabularies",
        )


def table_records(doc: Any, source: SourceFile, mapper: Mapper, result: ImportResult) -> list[Parts] | None:
    """Each table's rows as records: the rows above the first with an ID give the titles, the rest vote.

    ``None``, with a located error, when no table has a column of IDs, or IDs without their text.
    """
    problems = result.problems
    out: list[Parts] = []
    found = False
    tables = table_rows(doc)
    for rows in tables:
        body = [r for r in rows if not r.heading]
        ids = (
            k for k, r in enumerate(body) if any(_cell_role(t, mapper) in ("recommendation", "id") for _, t in r.cells)
        )
        start = next(ids, None)
        if start is None:
            continue
        titles: dict[int, str] = {}
        for r in body[:start]:
            for c, t in r.cells:
                titles[c] = f"{titles.get(c, '')} {t}".strip()
        data = body[start:]
        columns = vote_columns(data, lambda text: _cell_role(text, mapper), titles)
        rec_col, id_col = _best(columns, "recommendation"), _best(columns, "id")
        text_col = _text_column(data, columns) if rec_col is None else None
        table = f"{source.shown} (table {data[0].table})"
        if rec_col is None and (id_col is None or text_col is None):
            held = f"column {id_col + 1} holds IDs" if id_col is not None else "no column holds IDs"
            problems.add(
                Location(table, data[0].number, 1),
                "missing-column",
                f"the table needs a column of recommendations such as '140.7 Ratify … (Maldives);' "
                f"and {held}, but no column holds the recommendations' text",
                "give OHCHR's thematic list with its recommendation column (ID and text)",
            )
            return None
        picked = {role: _best(columns, role) for role in ("position", "source", "states")}
        label_cols = [c for c, col in columns.items() if col.role == "labels"]
        _unread(data, columns, {rec_col, id_col, text_col, *picked.values(), *label_cols}, table, problems)
        found = True
        for row in data:
            out.extend(_row_record(row, table, rec_col, id_col, text_col, picked, label_cols, titles, mapper, result))
    if not found:
        where = Location(f"{source.shown} (table 1)") if tables else source.at()
        problems.add(
            where,
            "missing-column" if tables else "no-records",
            "no column of the document's tables holds recommendation IDs such as '140.7 Ratify … (Maldives);' "
            "or '186.1.'"
            if tables
            else "the Word document holds no table; OHCHR's thematic list is a table of recommendations",
            "give OHCHR's thematic list of recommendations as text or as the .docx with its table",
        )
        return None
    return out


def _row_record(
    row: Row,
    table: str,
    rec_col: int | None,
    id_col: int | None,
    text_col: int | None,
    picked: dict[str, int | None],
    label_cols: list[int],
    titles: dict[int, str],
    mapper: Mapper,
    result: ImportResult,
) -> list[Parts]:
    """One table row as a record (none for an empty row or a repeated header; a warning for a row without an ID)."""
    col = rec_col if rec_col is not None else id_col
    assert col is not None
    lines = cell_lines(row.text(col))
    if rec_col is None and text_col is not None:
        lines = [" ".join(lines + cell_lines(row.text(text_col))[:1]), *cell_lines(row.text(text_col))[1:]]
    filled = [(c, " ".join(t.split())) for c, t in row.cells if t.strip()]
    if not lines or not ID_LINE.match(lines[0]):
        repeated = all(" ".join(titles.get(c, "").split()) == t for c, t in filled)
        if filled and not repeated and not (len(filled) == 1 and HEADING_LINE.match(filled[0][1])):
            shown = " ".join(lines)[:60] or "nothing"
            result.problems.warn(
                Location(table, row.number, col + 1),
                "missing-value",
                f"the row has no recommendation ID in column {col + 1} (it holds {shown!r}); the row is left out",
                "begin the cell with the recommendation's ID (e.g. 140.7), or delete the row",
            )
        return []

    def at(c: int) -> Location:
        return Location(table, row.number, c + 1)

    parts = Parts(at(col), [(at(col), line) for line in lines])
    if (c := picked["position"]) is not None and row.text(c).strip():
        parts.positions.append((at(c), " ".join(row.text(c).split())))
    if (c := picked["source"]) is not None and row.text(c).strip():
        text = " ".join(row.text(c).split())
        parts.sources.append((at(c), text if SOURCE_LINE.match(text) else f"Source of position: {text}"))
    if (c := picked["states"]) is not None:
        parts.states = [n for line in cell_lines(row.text(c)) for n in split_state_names(line.strip(" ;,."))]
    for c in label_cols:
        parts.labels.extend(_cell_labels(row.text(c), mapper))
    return [parts]


def doc_to_docx(source: SourceFile, problems: Problems) -> bytes | None:
    """A legacy Word ``.doc`` as ``.docx`` bytes, converted by LibreOffice (``soffice --headless``)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        problems.add(
            source.at(),
            "missing-tool",
            "a .doc (Word 97-2003) file needs LibreOffice to be read, and 'soffice' is not installed",
            "install LibreOffice (Debian: apt-get install libreoffice-writer), or save the file as .docx in Word",
        )
        return None
    with tempfile.TemporaryDirectory(prefix="uprkb-doc-") as tmp:
        src = Path(tmp) / "input.doc"
        src.write_bytes(source.data)
        try:
            run = subprocess.run(
                [
                    soffice,
                    "--headless",
                    f"-env:UserInstallation=file://{tmp}/profile",
                    "--convert-to",
                    "docx:MS Word 2007 XML",
                    "--outdir",
                    tmp,
                    str(src),
                ],
                capture_output=True,
                text=True,
                timeout=180,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            problems.add(source.at(), "conversion-failed", f"LibreOffice could not convert the file ({exc})", "")
            return None
        out = Path(tmp) / "input.docx"
        if run.returncode != 0 or not out.exists():
            detail = (run.stderr or run.stdout).strip().splitlines()[-1:] or ["no output"]
            problems.add(
                source.at(),
                "conversion-failed",
                f"LibreOffice could not convert the .doc to .docx ({detail[0]})",
                "open the file in Word or LibreOffice and save it as .docx",
            )
            return None
        return out.read_bytes()
