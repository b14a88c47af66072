"""The importers' common interface: a reader turns one file into records plus located problems.

Every format has one :class:`Reader`; it returns an :class:`ImportResult` — the
reviews it found, each with the upstream fields of its records, and every problem
with its ``file:line:col``. Readers never write: the shared writer
(:mod:`uprkb.importers.writer`) merges the records into ``data/reviews/`` so each
format gets the same idempotence, the same "write nothing on error" and the same
layout.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Protocol

from uprkb.core import limits
from uprkb.core.errors import Location, Problems, display_path
from uprkb.importers.mapping import Mapper
from uprkb.model.reviews import ImportFormat


@dataclass
class SourceFile:
    """The file being imported: its bytes, the name shown in messages and its SHA-256."""

    path: Path
    data: bytes
    shown: str
    sha256: str

    @classmethod
    def open(cls, path: Path) -> SourceFile:
        shown = display_path(path)
        data = limits.read_file(path, limits.MAX_INPUT_BYTES, shown)
        return cls(path, data, shown, hashlib.sha256(data).hexdigest())

    def at(self, line: int = 0, col: int = 0) -> Location:
        return Location(self.shown, line, col)

    def text(self, problems: Problems, encoding: str = "utf-8") -> str | None:
        """The file decoded; a located ``encoding`` problem (and ``None``) when the bytes do not decode."""
        data = self.data
        if encoding.replace("_", "-").lower() in ("utf-8", "utf8") and data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        try:
            return data.decode(encoding).replace("\r\n", "\n").replace("\r", "\n")
        except LookupError:
            problems.add(
                self.at(),
                "encoding",
                f"'{encoding}' is not a text encoding Python knows",
                "use a name such as utf-8, mac-roman or cp1252",
            )
        except UnicodeDecodeError as exc:
            before = data[: exc.start]
            line = before.count(b"\n") + (before.count(b"\r") if b"\n" not in data else 0) + 1
            col = exc.start - max(before.rfind(b"\n"), before.rfind(b"\r")) if before else 1
            problems.add(
                self.at(line, col),
                "encoding",
                f"the file is not {encoding} text: byte 0x{data[exc.start]:02x} cannot be read",
                "re-save the file as UTF-8, or name its encoding with --encoding "
                "(UPR Info's older exports are mac-roman; Windows exports are often cp1252)",
            )
        return None


def legacy_encoding(data: bytes, encoding: str) -> str | None:
    """The one guess of an encoding, for bytes that are not the UTF-8 asked for.

    ``None`` when there is nothing to guess: an encoding other than UTF-8 was named
    (``--encoding``), or the bytes are UTF-8. Otherwise ``mac-roman`` when the lines end with
    CR alone (classic Mac OS, as UPR Info's older exports do) and ``cp1252`` (Windows) when
    they do not. Each reader says which it used; a reader that cannot trust the second guess
    (a Mac Roman export whose line ends were changed reads as cp1252 without an error, with
    the wrong letters) refuses the file instead, naming both readings.
    """
    if encoding.replace("_", "-").lower() not in ("utf-8", "utf8"):
        return None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "mac-roman" if b"\r" in data and b"\n" not in data else "cp1252"
    return None


@dataclass
class ImportedRecord:
    """One received recommendation as a format gives it: upstream field name → value."""

    fields: dict[str, Any]
    where: Location

    @property
    def id(self) -> str:
        return str(self.fields["id"])


@dataclass
class ImportedReview:
    """The records of one review that a file holds, and the review-level fields it states."""

    id: str
    review: dict[str, Any]
    records: list[ImportedRecord] = field(default_factory=list)
    complete: bool = True
    """True when the file lists every record of the review (records missing from it are reported as gone)."""
    update_only: bool = False
    """True when the file only adds to records that must already exist (an addendum's positions)."""


@dataclass
class ImportResult:
    """What a reader found: reviews, problems, and the upstream labels no vocabulary term maps."""

    format: ImportFormat
    source: SourceFile
    reviews: list[ImportedReview] = field(default_factory=list)
    problems: Problems = field(default_factory=Problems)
    unmapped: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    """(system, kind, label) → how many records carry it."""
    unmatched_states: Counter[str] = field(default_factory=Counter)
    """Recommending-State names that no ISO 3166 country matched → how many records."""


@dataclass
class ReadOptions:
    """What the command line passes to a reader."""

    data_dir: Path
    mapper: Mapper
    state: str | None = None
    session: int | None = None
    cycle: int | None = None
    review: str | None = None
    symbol: str | None = None
    select_all: bool = False
    encoding: str = "utf-8"


class Reader(Protocol):
    """One input format."""

    format: ClassVar[ImportFormat]

    def read(self, source: SourceFile, options: ReadOptions) -> ImportResult: ...
