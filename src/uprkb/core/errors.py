"""Located problems: every issue in the data is reported as ``path:line:col: [code] message``.

A :class:`Problem` is one finding of the loader or the validator. Problems are
collected, never raised one at a time, so an editor sees everything wrong with
the data in one run. :class:`DataError` carries the whole list to the CLI,
which prints it and exits non-zero without a traceback.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import NamedTuple


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


class Location(NamedTuple):
    """A place in a data file; ``line`` and ``col`` are 1-based (a tuple: cheap, ordered, hashable)."""

    path: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if self.line:
            return f"{self.path}:{self.line}:{self.col}"
        return self.path

    @classmethod
    def of(cls, path: Path | str, line: int = 0, col: int = 0) -> Location:
        return cls(display_path(path), line, col)


def display_path(path: Path | str) -> str:
    """Show a path relative to the working directory when it lies below it."""
    return _display_path(str(path), os.getcwd())


@functools.lru_cache(maxsize=65536)
def _display_path(path: str, cwd: str) -> str:
    # Cached: resolving a path asks the file system about each of its folders, and every data file
    # is shown (in its cache key, in any problem) on every run of the preview.
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path(cwd).resolve()))
    except ValueError:
        return str(p)


@dataclass(frozen=True)
class Problem:
    """One located problem with a stable code, a message and a hint on how to fix it."""

    location: Location
    code: str
    message: str
    hint: str = ""
    severity: Severity = Severity.ERROR

    def format(self) -> str:
        text = f"{self.location}: [{self.code}] {self.message}"
        if self.severity is Severity.WARNING:
            text = f"{self.location}: warning: [{self.code}] {self.message}"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


@dataclass
class Problems:
    """An ordered collection of problems, errors and warnings alike."""

    items: list[Problem] = field(default_factory=list)

    def add(
        self,
        location: Location,
        code: str,
        message: str,
        hint: str = "",
        severity: Severity = Severity.ERROR,
    ) -> None:
        self.items.append(Problem(location, code, message, hint, severity))

    def warn(self, location: Location, code: str, message: str, hint: str = "") -> None:
        self.add(location, code, message, hint, Severity.WARNING)

    def extend(self, other: Problems | list[Problem]) -> None:
        self.items.extend(other.items if isinstance(other, Problems) else other)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if not p.is_error]

    def sorted(self) -> list[Problem]:
        return sorted(self.items, key=lambda p: (p.location, p.code, p.message))

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)


class UserError(Exception):
    """A problem the user can fix (bad input, a missing tool); renders itself, never as a traceback.

    Raise sites pass facts: what is wrong, where (a :class:`Location`, a path, or
    nothing) and what to do. The command line prints :meth:`format` and exits
    with :attr:`exit_code` (the click ``ClickException`` / mkdocs ``Abort`` pattern).
    """

    exit_code = 1

    def __init__(self, message: str, hint: str = "", where: Location | Path | str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.where = where if where is None or isinstance(where, Location) else Location.of(where)

    def format(self) -> str:
        text = f"{self.where}: {self.message}" if self.where else f"error: {self.message}"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text


class DataError(UserError):
    """Raised when the data has errors; carries every problem found."""

    def __init__(self, problems: list[Problem], footer: str = "") -> None:
        self.problems = problems
        self.footer = footer
        n = sum(1 for p in problems if p.is_error)
        super().__init__(f"{n} error(s) in the data")

    def format(self) -> str:
        lines = [p.format() for p in self.problems]
        errors = sum(1 for p in self.problems if p.is_error)
        lines.append(f"{errors} error(s), {len(self.problems) - errors} warning(s).")
        if self.footer:
            lines.append(self.footer)
        return "\n".join(lines)


#: Every problem code, with what it means. The editing guide's error table is generated from it.
CODES: dict[str, str] = {
    "encoding": "The file is not UTF-8 (for example UTF-16 or Latin-1). Re-save it as UTF-8.",
    "control-character": "An invisible control character, often pasted from a PDF. Delete it.",
    "yaml-syntax": "The YAML cannot be read: tabs for indentation, an unquoted ': ', an unclosed quote.",
    "yaml-multiple-documents": "More than one YAML document ('---') in one file.",
    "yaml-anchor": "An anchor ('&name'). Write values out in full, or quote text starting with '&'.",
    "yaml-alias": "An alias ('*name'). Write values out in full, or quote text starting with '*'.",
    "yaml-tag": "A tag ('!!python/...', '!x'). Remove it, or quote text starting with '!'.",
    "yaml-merge": "A merge key ('<<'). Write the fields out in full.",
    "empty-file": "The file holds nothing.",
    "too-deep": "Nesting deeper than the data model (or, on import, the JSON format) allows.",
    "file-too-large": "The file is larger than its limit (2 MiB for a data file, also for what an import writes).",
    "unreadable": "The file cannot be read (permissions).",
    "not-a-file": "A FIFO, device or folder where a file belongs, or a link out of data/, docs/ or overrides/.",
    "key-not-string": "A key that is not a field name (a number, boolean, list or mapping).",
    "duplicate-key": "The same key twice in one mapping.",
    "url-cut-by-comment": "Warning: ' #' after a URL starts a YAML comment; quote the URL.",
    "missing-field": "A required field is missing.",
    "unknown-field": "A field the model does not know (often a typo; the hint suggests the right name).",
    "wrong-type": "A value of the wrong kind (text where a list is expected, and so on).",
    "invalid-value": "A value the field does not accept (a bad date, URL scheme or ID).",
    "invalid-choice": "A value outside the field's fixed list of choices.",
    "invalid-format": "A value that does not match the field's format.",
    "too-long": "A value longer than allowed (IDs: 64 characters).",
    "too-short": "An empty list or text where content is required.",
    "no-data": "The data folder does not exist.",
    "missing-file": "A required file (a vocabulary or submission.yaml) is missing.",
    "file-name": "A section file is not named 'NN-slug.yaml', or its number differs from the file name.",
    "folder-mismatch": "A submission's id differs from its folder name.",
    "stray-file": "Warning: a file in data/ that is not data (a lock, swap or office file); it is ignored.",
    "duplicate-id": "Two records share one ID.",
    "reserved-id": "An ID that a page of the site already uses (e.g. 'themes', 'sources').",
    "unknown-reference": "A reference to an ID that does not exist.",
    "duplicate-reference": "The same ID listed twice in one field.",
    "duplicate-number": "Two sections, or two recommendations of a section, share a number.",
    "unlisted-section": "A section file that submission.yaml's 'sections' list leaves out.",
    "unknown-footnote": "A footnote marker '[^id]' that names no source.",
    "unused-source": "A source that no text cites.",
    "quote-not-in-text": "A quotation that does not stand word for word in its text.",
    "no-submissions": "Warning: the data folder holds no submission.",
    "duplicate-equivalent": "A vocabulary term lists one upstream label twice (ignoring case, '&' and punctuation).",
    "session-cycle": "Warning: a review's Working Group session lies outside its cycle's published range.",
    "count-mismatch": "Warning: the counts a review's documents state differ from its records.",
    "unknown-import": "Warning: a record names an import format the review's 'imports' does not list.",
    "take-up-review": "Warning: 'taken_up_as' names a recommendation of another review than the submission answers.",
    "take-up-cycle": "'taken_up_as' names a recommendation of another cycle than the review the submission informed.",
    "review-not-held": "Warning: a reference to a review not held, for a State whose other reviews are held.",
    "assessment-date": "Warning: an assessment is dated before the review that made the recommendation.",
    "assessment-evidence": "Warning: a finding assesses recommendations but cites no source as evidence.",
    "missing-column": "Import: the file lacks a column its format needs (perhaps the wrong file or format).",
    "bad-row": "Import: a CSV row has more or fewer fields than the header (a stray or missing quote).",
    "field-too-large": "Import: a CSV field longer than 128 KiB, usually a quote left open.",
    "unclosed-quote": "Import: a CSV quote left open swallows the rows after it into one text.",
    "zip-bomb": "Import: a Word, Excel or PDF file that would unpack to far more than its size (a bomb).",
    "xml-entity": "Import: XML that declares a DTD or entities, which Word and Excel never write.",
    "missing-value": "Import: a record lacks something it needs (text, recommending State, State or cycle).",
    "unknown-state": "Import: a State name that matches no ISO 3166 country.",
    "duplicate-review": "Import: two sessions of one State in one file fall in the same review.",
    "no-records": "Import: the file holds no record the import selects.",
    "impossible-id": "Import: a recommendation number out of sequence, or a range that runs backwards.",
    "double-position": "Import: the addendum gives one recommendation two positions.",
    "misprinted-number": "Warning: a recommendation number printed out of its sequence, read as the sequence gives it.",
    "state-read": "Warning: a recommending State read otherwise than printed (a missing parenthesis, a misspelling).",
    "unread-sentence": "Import: a report's sentence about recommendations read as no position, claim or comment.",
    "unplaced-sentence": "Import: a report's sentence states a position without saying on which recommendations.",
    "unknown-id": "Import: a report's sentence refers to a recommendation number the report does not list.",
    "conflicting-position": "Import: two sentences of a report give one recommendation two positions.",
    "no-stated-position": "Warning: a report lists recommendations but no sentence read states their position.",
    "unread-total": "Warning: an addendum states a number of recommendations in words the importer does not read.",
    "unknown-review": "Import: the review the file belongs to is not in the data (import its report first).",
    "gone-upstream": "Warning: records no longer in the re-imported file; they are kept, not deleted.",
    "no-position": "Warning: recommendations of the review the addendum gives no position.",
    "position-conflict": "Warning: a file's position differs from the addendum's (the addendum's is kept).",
    "action-category": "Warning: a recommendation's action category differs from the one UPR Info gives its verb.",
    "placeholder-text": (
        "Warning: text that 'new submission' or 'new section' wrote as a placeholder is still there; replace it."
    ),
    "submission-left-out": (
        "Warning: a submission imported from Word is not complete yet; the build leaves it out and builds the rest."
    ),
    "word-limit": "Warning (an error with validate --strict): a submission is over OHCHR's word limit for its type.",
    "ohchr-rule": (
        "Warning (an error with --strict): a submission breaks one of OHCHR's rules for stakeholders "
        "(data/vocabularies/ohchr-rules.yaml); the message names the rule, the hint how to fix it."
    ),
    "missing-tool": "A program the import needs (LibreOffice for a .doc file) is not installed; the hint names it.",
    "conversion-failed": "A legacy .doc file could not be converted to .docx; save it as .docx in Word, import that.",
    "document-not-offered": (
        "Warning: the site offers no Word or PDF document of a submission (pandoc or LibreOffice failed or is missing)."
    ),
    "position-without-ids": (
        "Warning: a report states a position by pointing back at its dialogue, without IDs; kept as written."
    ),
    "unknown-wording": (
        "An addendum or report mentions recommendation IDs in words the importer does not understand; nothing written."
    ),
    "site-url-placeholder": "Warning: mkdocs.yml's site_url is still the placeholder; permalinks stay relative.",
    "build-failed": "MkDocs could not build the site (a broken link or anchor in strict mode).",
    "active-content": "The built HTML carries script the templates did not produce.",
    "broken-link": "An internal link or anchor of the built site does not resolve.",
    "placeholder-link": "A link of the built site points at the placeholder host upr-kb.example.org; link relatively.",
}
