"""Reader for UPR Info's CSV export.

Columns: ``To, To-Rgrp, To-Org, Text, From, From-Rgrp, From-Org, Response,
Action, Issue, Session``. ``Response`` is ``Accepted`` or ``Noted``; ``Action``
is the action category 1–5; ``Issue`` holds comma-separated issue labels;
``Session`` is the Working Group session. The export has no paragraph numbers:
each record gets an assigned ID ``u-`` + 8 hex digits of the SHA-1 of its
recommending State and text, so the ID stays the same when rows are re-ordered
or when UPR Info changes the response, category or issues.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections import defaultdict
from collections.abc import Iterator
from typing import Any, ClassVar

from uprkb.core.errors import Problems, Severity
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
RESPONSES = {"accepted": "supported", "noted": "noted", "": "unknown"}
_WS = re.compile(r"\s+")


#: Other titles UPR Info's exports give the columns (the .xls: ``SuR, Rgrp, Org, Recommendation, RS, Rgrp, Org``).
_TITLES = {
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
        title = str(raw).strip().lstrip("\ufeff")
        name = _TITLES.get(" ".join(title.lower().split()), title)
        if name in ("To", "From"):
            side = name
        elif title.lower() in ("rgrp", "org"):
            name = f"{side}-{'Rgrp' if title.lower() == 'rgrp' else 'Org'}"
        out.append(name)
    return out


def xls_rows(source: SourceFile, problems: Problems) -> tuple[list[str] | None, Iterator[tuple[int, list[str]]]] | None:
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
        return None, iter(())
    header = [text(c) for c in sheet.row(0)]
    return header, ((n + 1, [text(c) for c in sheet.row(n)]) for n in range(1, sheet.nrows))


def assigned_id(state: str, text: str) -> str:
    """The stable assigned ID of an export row: ``u-`` + 8 hex digits of SHA-1(State, text)."""
    key = f"{normalise_label(state)}\n{' '.join(text.split())}".encode()
    return "u-" + hashlib.sha1(key, usedforsecurity=False).hexdigest()[:8]


class UprInfoReader:
    """UPR Info's database export (CSV)."""

    format: ClassVar[ImportFormat] = ImportFormat.upr_info
    mapper: Mapper

    def read(self, source: SourceFile, options: ReadOptions) -> ImportResult:
        result = ImportResult(self.format, source)
        problems = result.problems
        self.mapper = options.mapper
        table = self._table(source, options, result)
        if table is None:
            return result
        header, lines = table
        if header is None:
            problems.add(source.at(1, 1), "empty-file", "the file is empty", "export the recommendations again")
            return result
        header = column_names(header)
        missing = [c for c in COLUMNS if c not in header]
        if missing:
            problems.add(
                source.at(1, 1),
                "missing-column",
                f"this is not a UPR Info export: the column(s) {', '.join(missing)} are missing"
                + (f" (the header has: {', '.join(header[:12])})" if header else ""),
                "export from UPR Info's database with the columns " + ", ".join(COLUMNS),
            )
            return result
        col = {c: header.index(c) for c in COLUMNS}
        groups = self._groups(lines, col, len(header), source, options, problems)
        reviews = self._reviews(groups, col, source, problems, result)
        result.reviews = [reviews[k] for k in sorted(reviews)]
        return result

    def _groups(
        self,
        lines: Iterator[tuple[int, list[str]]],
        col: dict[str, int],
        width: int,
        source: SourceFile,
        options: ReadOptions,
        problems: Problems,
    ) -> dict[tuple[str, int], list[tuple[int, list[str]]]]:
        """The rows that pass the door and the filters, grouped by State under review and session."""
        want_state = self._state_filter(options)
        groups: dict[tuple[str, int], list[tuple[int, list[str]]]] = defaultdict(list)
        c_session, c_to = col["Session"], col["To"]
        for start, row in lines:
            if not row or not "".join(row).strip():
                continue
            if len(row) != width:
                problems.add(
                    source.at(start, 1),
                    "bad-row",
                    f"this row has {len(row)} fields where the header has {width}",
                    "a quote is probably missing or doubled in the Text column; repair the row in a spreadsheet",
                )
                continue
            session_text = row[c_session].strip()
            if not session_text.isdigit() or not 1 <= int(session_text) <= 200:
                problems.add(
                    source.at(start, 1),
                    "invalid-value",
                    f"Session is {session_text!r}, not a Working Group session number",
                    "write the session as a number such as 19",
                )
                continue
            session = int(session_text)
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
        source: SourceFile,
        problems: Problems,
        result: ImportResult,
    ) -> dict[str, ImportedReview]:
        """One review per State and session (a review filled by two sessions is an error), with its records."""
        reviews: dict[str, ImportedReview] = {}
        for (to, session), rows in groups.items():
            iso3 = state_iso3(to)
            if iso3 is None:
                problems.add(
                    source.at(rows[0][0], 1),
                    "unknown-state",
                    f"the State under review '{to}' matches no ISO 3166 country",
                    "add the spelling to the State's aliases in src/uprkb/importers/states.yaml",
                )
                continue
            cycle = cycle_of_session(session)
            rid = review_id(iso3, cycle)
            if rid in reviews:
                problems.add(
                    source.at(rows[0][0], 1),
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
            self._records(review, rows, col, source, problems, result)
        return reviews

    def _table(
        self, source: SourceFile, options: ReadOptions, result: ImportResult
    ) -> tuple[list[str] | None, Iterator[tuple[int, list[str]]]] | None:
        """The header and the (line, row) pairs of a CSV export (any line end) or of the .xls export."""
        if source.path.suffix.lower() == ".xls" or source.data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
            return xls_rows(source, result.problems)
        guess = legacy_encoding(source.data, options.encoding)
        text = source.text(result.problems, guess or options.encoding)
        if text is None:
            return None
        if guess:
            result.problems.add(
                source.at(),
                "encoding",
                f"the file is not UTF-8 and its lines end with CR alone: read it as {guess}",
                "name the encoding with --encoding if the text reads wrongly (UPR Info's older exports are mac-roman)",
                severity=Severity.WARNING,
            )
        reader = csv.reader(io.StringIO(text, newline=""))
        header = next(reader, None)

        def rows() -> Iterator[tuple[int, list[str]]]:
            line = 2
            for row in reader:
                yield line, row
                line = reader.line_num + 1

        return header, rows()

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

    def _records(
        self,
        review: ImportedReview,
        rows: list[tuple[int, list[str]]],
        col: dict[str, int],
        source: SourceFile,
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
            where = source.at(line, 1)
            if not text or not state:
                problems.add(
                    where,
                    "missing-value",
                    f"the row has no {'Text' if not text else 'From'} (recommending State)",
                    "every row needs the recommendation's text and the State that made it",
                )
                continue
            response = row[col["Response"]].strip()
            position = RESPONSES.get(response.lower())
            if position is None:
                problems.add(
                    where,
                    "invalid-choice",
                    f"Response is {response!r}; a UPR Info export says Accepted or Noted",
                    "correct the Response column",
                )
                continue
            action = row[col["Action"]].strip()
            if action and action not in ("1", "2", "3", "4", "5"):
                problems.add(
                    where,
                    "invalid-choice",
                    f"Action is {action!r}; UPR Info's action categories are 1 to 5",
                    "correct the Action column",
                )
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
            if action:
                fields["action_category"] = int(action)
            review.records.append(ImportedRecord(fields, where))
