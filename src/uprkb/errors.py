"""Located problems: every issue in the data is reported as ``path:line:col: [code] message``.

A :class:`Problem` is one finding of the loader or the validator. Problems are
collected, never raised one at a time, so an editor sees everything wrong with
the data in one run. :class:`DataError` carries the whole list to the CLI,
which prints it and exits non-zero without a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Location:
    """A place in a data file; ``line`` and ``col`` are 1-based."""

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
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
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


class DataError(Exception):
    """Raised when the data has errors; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        n = sum(1 for p in problems if p.is_error)
        super().__init__(f"{n} error(s) in the data")
