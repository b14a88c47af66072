"""Reader for UPR Info's CSV export (and its original Excel 97-2003 ``.xls``).

Columns: ``To, To-Rgrp, To-Org, Text, From, From-Rgrp, From-Org, Response,
Action, Issue, Session``, found by their titles in any order and any letter case;
a column of another title is ignored with a warning, a title given twice is an
error. ``Response`` is ``Accepted`` or ``Noted`` (any case, spaces around); the
other values :data:`RESPONSES` lists are read, ``Pending`` and an empty cell are
imported as position ``unknown`` with a warning for the row, anything else is a
located error. ``Action`` is the action category 1–5; ``Issue`` holds
comma-separated issue labels; ``Session`` is the Working Group session. A value
that cannot be read is an error at its ``file:line:col``, never a default.

The text is UTF-8 (a byte-order mark dropped, any line end) or the encoding
``--encoding`` names; other bytes are read by the importers' one guess
(:func:`.base.legacy_encoding`): Mac Roman when the lines end with CR alone, as
UPR Info's older exports do, with a warning. Bytes the guess would read as
Windows-1252 are refused, showing how the first of them reads in both encodings:
a Mac Roman export whose line ends were changed reads as cp1252 without an
error, with the wrong letters.

The export has no paragraph numbers: each record gets an assigned ID ``u-`` +
8 hex digits of the SHA-1 of its recommending State and text, so the ID stays
the same when rows are re-ordered or when UPR Info changes the response,
category or issues.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

from uprkb.core.errors import Location, Problems
from uprkb.core.hints import close_match
from uprkb.importers.base import (
    ImportedRecord,
    ImportedReview,
    ImportResult,
    ReadOptions,
    SourceFile,
    legacy_encoding,
)
from uprkb.importers.mapping import Mapper, normalise_label, state_iso3, state_name
from uprkb.model.refs import cycle_of_session, review_id
from uprkb.model.reviews import ImportFormat

COLUMNS = ("To", "To-Rgrp", "To-Org", "Text", "From", "From-Rgrp", "From-Org", "Response", "Action", "Issue", "Session")

#: ``Response`` values (compared as :func:`normalise_label` keys: case, spaces and hyphens ignored) → position.
RESPONSES = {
    "accepted": "supported",
    "supported": "supported",
    "noted": "noted",
    "rejected": "noted",
    "not accepted": "noted",
    "not supported": "noted",
    "supported in part": "supported-in-part",
    "partially supported": "supported-in-part",
    "accepted in part": "supported-in-part",
    "partially accepted": "supported-in-part",
}
#: ``Response`` values that state no position yet: imported as ``unknown``, with a warning for the row.
NO_POSITION = ("", "pending", "no response", "general response")
_NUMBER = re.compile(r"(\d{1,4})(?:\.0+)?")
"""A whole number as a spreadsheet may write it (``19``, ``19.0``)."""


#: Other titles UPR Info's exports give the columns (the .xls: ``SuR, Rgrp, Org, Recommendation, RS, Rgrp, Org``).
_TITLES = {
    **{c.lower(): c for c in COLUMNS},
    "sur": "To",
    "state under review": "To",
    "recommendation": "Text",
    "rs": "From",
    "recommending state": "From",
    "response to recommendation": "Response",
    "action category": "Action",
    "issues": "Issue",
}


def column_names(header: list[str]) -> list[str]:
    """The header's titles as :data:`COLUMNS` names; ``Rgrp`` and ``Org`` belong to the State before them."""
    out: list[str] = []
    side = "To"
    for raw in header:
        title = str(raw).strip().lstrip("\ufeff").strip()
        name = _TITLES.get(" ".join(title.lower().split()), title)
        if name in ("To", "From"):
            side = name
        elif title.lower() in ("rgrp", "org"):
            name = f"{side}-{'Rgrp' if title.lower() == 'rgrp' else 'Org'}"
        out.append(name)
    return out


@dataclass
class Table:
    """An export as rows of text: its header, its ``(line, row)`` pairs, and where each field stands."""

    source: SourceFile
    header: list[str] | None
    rows: Iterator[tuple[int, list[str]]]
    lines: list[str] | None = None
    """The CSV's lines (line ends made LF), to find a field's column; ``None`` for a workbook."""

    def at(self, line: int, index: int) -> Location:
        """The place of field ``index`` (0-based) of the row starting on ``line``: line and column in a CSV
        (a quoted text may run over lines), row and column number in a workbook."""
        if self.lines is None:
            return self.source.at(line, index + 1)
        return self.source.at(*field_start(self.lines, line, index))


def field_start(lines: list[str], line: int, index: int) -> tuple[int, int]:
    """Line and column (1-based) where field ``index`` of the CSV row starting on ``line`` begins.

    Walks the row as the ``csv`` module reads it: a quote opens a quoted field only at the start of
    a field, ``""`` inside one is a quote, and a line end inside one belongs to the field.
    """
    n, text, pos, field, quoted, fresh = line - 1, lines[line - 1] if line <= len(lines) else "", 0, 0, False, True
    while field < index:
        if pos >= len(text):
            if not quoted or n + 1 >= len(lines):
                break
            n, text, pos = n + 1, lines[n + 1], 0
            continue
        ch = text[pos]
        pos += 1
        if quoted:
            if ch == '"':
                if text[pos : pos + 1] == '"':
                    pos += 1
                else:
                    quoted = False
        elif ch == '"' and fresh:
            quoted = True
        elif ch == ",":
            field += 1
            fresh = True
            continue
        fresh = False
    return n + 1, pos + 1


def xls_rows(source: SourceFile, problems: Problems) -> Table | None:
    """The first sheet of an Excel 97-2003 (BIFF8) workbook as text rows, numbers without a trailing '.0'."""
    import xlrd

    try:
        book = xlrd.open_workbook(
            file_contents=source.data, logfile=io.StringIO(), ignore_workbook_corruption=True, on_demand=True
        )
        sheet = book.sheet_by_index(0)
    except (xlrd.XLRDError, xlrd.compdoc.CompDocError, OSError, ValueError, IndexError) as exc:
        problems.add(
            source.at(),
            "invalid-format",
            f"the file is not an Excel 97-2003 workbook ({exc})",
            "give UPR Info's export as .xls or as CSV",
        )
        return None

    def text(cell: Any) -> str:
        if cell.ctype == xlrd.XL_CELL_NUMBER and float(cell.value).is_integer():
            return str(int(cell.value))
        return "" if cell.ctype == xlrd.XL_CELL_EMPTY else str(cell.value)

    if sheet.nrows == 0:
        return Table(source, None, iter(()))
    header = [text(c) for c in sheet.row(0)]
    return Table(source, header, ((n + 1, [text(c) for c in sheet.row(n)]) for n in range(1, sheet.nrows)))


def decoded(source: SourceFile, encoding: str, problems: Problems) -> str | None:
    """The CSV's text: UTF-8 or the encoding named, else Mac Roman as the one guess reads it, said where.

    A file the guess would read as Windows-1252 is refused: UPR Info's exports are Mac Roman, and
    Mac Roman bytes with their line ends changed read as cp1252 without an error, with the wrong
    letters (``Côte`` as ``C™te``). The refusal shows how the first such word reads in both.
    """
    guess = legacy_encoding(source.data, encoding)
    if guess is None:
        return source.text(problems, encoding)
    trial = Problems()
    source.text(trial, "utf-8")
    where = trial.items[0].location if trial.items else source.at()
    word, mac, win = _readings(source.data)
    if guess == "mac-roman":
        text = source.text(problems, guess)
        if text is not None:
            problems.warn(
                where,
                "encoding",
                f"the file is not UTF-8 and its lines end with CR alone, as UPR Info's older exports do: "
                f"read it as mac-roman ('{word}' reads '{mac}')",
                "name the encoding with --encoding if the text reads wrongly (e.g. --encoding cp1252)",
            )
        return text
    as_win = f"as '{win}' in cp1252" if win is not None else "cannot be read as cp1252"
    problems.add(
        where,
        "encoding",
        f"the file is not UTF-8, and its line ends do not say which encoding it is: '{word}' reads "
        f"'{mac}' in mac-roman and {as_win}",
        "name the encoding with --encoding mac-roman (UPR Info's older exports) or --encoding cp1252 "
        "(a file saved by Excel on Windows), whichever reads the word rightly, or save the file as CSV UTF-8",
    )
    return None


def _readings(data: bytes) -> tuple[str, str, str | None]:
    """The word holding the first byte that is not UTF-8: as bytes shown, and read as Mac Roman and as cp1252."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        start, end = exc.start, exc.start + 1
        while start > 0 and exc.start - start < 40 and data[start - 1 : start] not in b' ,;"()\r\n\t':
            start -= 1
        while end < len(data) and end - exc.start < 40 and data[end : end + 1] not in b' ,;"()\r\n\t':
            end += 1
        raw = data[start:end]
        try:
            win: str | None = raw.decode("cp1252")
        except UnicodeDecodeError:
            win = None
        return raw.decode("ascii", "backslashreplace"), raw.decode("mac-roman"), win
    return "", "", ""


def csv_rows(source: SourceFile, text: str) -> Table:
    """The header and the ``(line, row)`` pairs of a CSV export whose line ends are LF."""
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)

    def rows() -> Iterator[tuple[int, list[str]]]:
        line = reader.line_num + 1
        for row in reader:
            yield line, row
            line = reader.line_num + 1

    return Table(source, header, rows(), text.split("\n"))


def assigned_id(state: str, text: str) -> str:
    """The stable assigned ID of an export row: ``u-`` + 8 hex digits of SHA-1(State, text)."""
    key = f"{normalise_label(state)}\n{' '.join(text.split())}".encode()
    return "u-" + hashlib.sha1(key, usedforsecurity=False).hexdigest()[:8]


class UprInfoReader:
    """UPR Info's database export (CSV, or the original .xls)."""

    format: ClassVar[ImportFormat] = ImportFormat.upr_info
    mapper: Mapper
    table: Table

    def read(self, source: SourceFile, options: ReadOptions) -> ImportResult:
        result = ImportResult(self.format, source)
        problems = result.problems
        self.mapper = options.mapper
        table = self._table(source, options, problems)
        if table is None:
            return result
        self.table = table
        if table.header is None:
            problems.add(source.at(1, 1), "empty-file", "the file is empty", "export the recommendations again")
            return result
        col = self._columns(column_names(table.header), problems)
        if col is None:
            return result
        groups = self._groups(col, len(table.header), options, problems)
        reviews = self._reviews(groups, col, problems, result)
        result.reviews = [reviews[k] for k in sorted(reviews)]
        return result

    def _table(self, source: SourceFile, options: ReadOptions, problems: Problems) -> Table | None:
        """The export as rows: the .xls workbook, or a CSV in any encoding and line end."""
        if source.path.suffix.lower() == ".xls" or source.data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
            return xls_rows(source, problems)
        text = decoded(source, options.encoding, problems)
        return None if text is None else csv_rows(source, text)

    def _columns(self, header: list[str], problems: Problems) -> dict[str, int] | None:
        """Each of :data:`COLUMNS` → its index; a missing or doubled column is an error, another a warning."""
        at = self.table.at
        missing = [c for c in COLUMNS if c not in header]
        if missing:
            titles = ", ".join(repr(t) for t in header[:12])
            split = next((d for d in (";", "\t") if len(header) == 1 and d in header[0]), None)
            problems.add(
                at(1, 0),
                "missing-column",
                f"this is not a UPR Info export: the column(s) {', '.join(missing)} are missing"
                + (f" (the header has: {titles})" if header else ""),
                (f"the columns are separated by {split!r}: save the file as comma-separated CSV; " if split else "")
                + "export from UPR Info's database with the columns "
                + ", ".join(COLUMNS),
            )
            return None
        ok = True
        for index, title in enumerate(header):
            first = header.index(title)
            if title in COLUMNS and first != index:
                problems.add(
                    at(1, index),
                    "duplicate-key",
                    f"the column {title} is given twice (columns {first + 1} and {index + 1}), "
                    "so which one to read is unknown",
                    "delete one of the two columns",
                )
                ok = False
            elif title not in COLUMNS:
                near = close_match(title.lower(), [c.lower() for c in COLUMNS])
                problems.warn(
                    at(1, index),
                    "unknown-field",
                    f"column {index + 1}, {title!r}, is not one of UPR Info's columns; its values are not imported",
                    (f"did you mean {COLUMNS[[c.lower() for c in COLUMNS].index(near)]!r}? " if near else "")
                    + "UPR Info's columns are "
                    + ", ".join(COLUMNS)
                    + "; delete the column to silence this warning",
                )
        return {c: header.index(c) for c in COLUMNS} if ok else None

    def _groups(
        self, col: dict[str, int], width: int, options: ReadOptions, problems: Problems
    ) -> dict[tuple[str, int], list[tuple[int, list[str]]]]:
        """The rows that pass the door and the filters, grouped by State under review and session."""
        want_state = self._state_filter(options)
        groups: dict[tuple[str, int], list[tuple[int, list[str]]]] = defaultdict(list)
        c_session, c_to = col["Session"], col["To"]
        for start, row in self.table.rows:
            if not row or not "".join(row).strip():
                continue
            if len(row) != width:
                problems.add(
                    self.table.at(start, 0),
                    "bad-row",
                    f"this row has {len(row)} fields where the header has {width}",
                    "a quote is probably missing or doubled in the Text column; repair the row in a spreadsheet",
                )
                continue
            session_text = row[c_session].strip()
            number = _NUMBER.fullmatch(session_text)
            if number is None or not 1 <= int(number[1]) <= 200:
                problems.add(
                    self.table.at(start, c_session),
                    "invalid-value",
                    f"Session is {session_text!r}, not a Working Group session number",
                    "write the session as a number such as 19 (UPR Info's Session column)",
                )
                continue
            session = int(number[1])
            to = row[c_to].strip()
            if options.session is not None and session != options.session:
                continue
            if want_state is not None and to != want_state[0] and state_iso3(to) != want_state[1]:
                continue
            groups[(to, session)].append((start, row))
        return groups

    def _reviews(
        self,
        groups: dict[tuple[str, int], list[tuple[int, list[str]]]],
        col: dict[str, int],
        problems: Problems,
        result: ImportResult,
    ) -> dict[str, ImportedReview]:
        """One review per State and session (a review filled by two sessions is an error), with its records."""
        reviews: dict[str, ImportedReview] = {}
        for (to, session), rows in groups.items():
            iso3 = state_iso3(to)
            where = self.table.at(rows[0][0], col["To"])
            if iso3 is None:
                problems.add(
                    where,
                    "unknown-state",
                    f"the State under review '{to}' matches no ISO 3166 country",
                    "add the spelling to the State's aliases in src/uprkb/importers/states.yaml",
                )
                continue
            cycle = cycle_of_session(session)
            rid = review_id(iso3, cycle)
            if rid in reviews:
                problems.add(
                    where,
                    "duplicate-review",
                    f"'{to}' session {session} falls in review {rid}, which another session of this file also fills",
                    "import one session at a time with --session",
                )
                continue
            review = ImportedReview(
                rid,
                {
                    "id": rid,
                    "state": {"name": state_name(iso3) or to, "iso3": iso3},
                    "cycle": cycle,
                    "session": session,
                },
            )
            reviews[rid] = review
            self._records(review, rows, col, problems, result)
        return reviews

    def _state_filter(self, options: ReadOptions) -> tuple[str, str | None] | None:
        """``--state`` as (name as written, ISO3 code): it takes the export's spelling or a code."""
        if options.state is None:
            return None
        wanted = options.state.strip()
        iso3 = wanted.upper() if re.fullmatch(r"[A-Z]{3}", wanted) else state_iso3(wanted)
        return (wanted, iso3)

    def _state(self, name: str, group: str, orgs: str) -> dict[str, Any]:
        """A recommending State's entry (shared by every row of the same State)."""
        entry: dict[str, Any] = {"name": name}
        iso3 = state_iso3(name)
        if iso3:
            entry["iso3"] = iso3
        if group.strip():
            entry["regional_group"] = group.strip()
        listed = [o.strip() for o in orgs.split(",") if o.strip()]
        if listed:
            entry["organisations"] = listed
        return entry

    def _issues(self, issue: str) -> tuple[list[str], list[dict[str, str]]]:
        """An ``Issue`` cell as theme IDs and the labels no theme maps (computed once per distinct cell)."""
        themes: list[str] = []
        unmapped: list[dict[str, str]] = []
        for part in issue.split(","):
            label = part.strip()
            if not label:
                continue
            tids = self.mapper.theme("upr-info", label)
            if not tids:
                unmapped.append({"system": "upr-info", "kind": "themes", "label": label})
            themes.extend(t for t in tids if t not in themes)
        return themes, unmapped

    def _position(self, line: int, value: str, index: int, problems: Problems) -> str | None:
        """The position a ``Response`` cell states; ``unknown`` said for the row; ``None`` (an error) if unread."""
        key = normalise_label(value)
        position = RESPONSES.get(key)
        if position is not None:
            return position
        if key in NO_POSITION:
            problems.warn(
                self.table.at(line, index),
                "no-position",
                f"Response is {value.strip()!r}: UPR Info states no position for this recommendation, "
                "so it is imported with position unknown",
                "import the State's addendum (import responses) for its position, or write Accepted or Noted here",
            )
            return "unknown"
        near = close_match(key, list(RESPONSES))
        problems.add(
            self.table.at(line, index),
            "invalid-choice",
            f"Response is {value.strip()!r}, which states no position this import reads",
            (f"did you mean {near!r}? " if near else "")
            + "write Accepted or Noted (also read: Supported in part, Rejected; Pending or an empty cell "
            "for no position yet)",
        )
        return None

    def _action(self, line: int, value: str, index: int, problems: Problems) -> tuple[bool, int | None]:
        """Whether an ``Action`` cell reads, and its action category (``None`` for an empty cell, said)."""
        text = value.strip()
        number = _NUMBER.fullmatch(text)
        if number is not None and 1 <= int(number[1]) <= 5:
            return True, int(number[1])
        where = self.table.at(line, index)
        if not text:
            problems.warn(
                where,
                "missing-value",
                "Action is empty: the recommendation is imported without an action category",
                "write UPR Info's action category (1 to 5) in the Action column if it has one",
            )
            return True, None
        problems.add(
            where,
            "invalid-choice",
            f"Action is {text!r}; UPR Info's action categories are the numbers 1 to 5",
            "write the category as a number from 1 (minimal action) to 5 (specific action), or leave the cell empty",
        )
        return False, None

    def _records(
        self,
        review: ImportedReview,
        rows: list[tuple[int, list[str]]],
        col: dict[str, int],
        problems: Problems,
        result: ImportResult,
    ) -> None:
        used: dict[str, int] = {}
        states: dict[tuple[str, str, str], dict[str, Any]] = {}
        issues: dict[str, tuple[list[str], list[dict[str, str]]]] = {}
        c_rgrp, c_org, c_issue = col["From-Rgrp"], col["From-Org"], col["Issue"]
        for line, row in rows:
            text = row[col["Text"]].strip()
            state = row[col["From"]].strip()
            if not text or not state:
                problems.add(
                    self.table.at(line, col["Text" if not text else "From"]),
                    "missing-value",
                    f"the row has no {'Text' if not text else 'From'} (recommending State)",
                    "every row needs the recommendation's text and the State that made it",
                )
                continue
            position = self._position(line, row[col["Response"]], col["Response"], problems)
            read, action = self._action(line, row[col["Action"]], col["Action"], problems)
            if position is None or not read:
                continue
            rid = assigned_id(state, text)
            used[rid] = used.get(rid, 0) + 1
            if used[rid] > 1:
                rid = f"{rid}-{used[rid]}"
            state_key = (state, row[c_rgrp], row[c_org])
            state_rec = states.get(state_key)
            if state_rec is None:
                state_rec = states[state_key] = self._state(state, row[c_rgrp], row[c_org])
            if "iso3" not in state_rec:
                result.unmatched_states[state] += 1
            issue = row[c_issue]
            tags = issues.get(issue)
            if tags is None:
                tags = issues[issue] = self._issues(issue)
            themes, unmapped = tags
            for u in unmapped:
                result.unmapped[("upr-info", "themes", u["label"])] += 1
            fields: dict[str, Any] = {
                "id": rid,
                "id_assigned": True,
                "text": text,
                "recommending_states": [state_rec],
                "position": position,
                "position_source": {"database": "UPR Info"},
                "themes": list(themes),
                "unmapped": list(unmapped),
            }
            if action is not None:
                fields["action_category"] = action
            review.records.append(ImportedRecord(fields, self.table.at(line, 0)))
