"""The door every user file passes before a parser sees it: kinds of file, sizes, zip packages,
XML, CSV and JSON shapes.

Each check answers with located :class:`~uprkb.core.errors.Problem` s in plain words (what is
wrong, how to fix it), never an exception from deep inside a parser. The limits are
shared: what an import may write is what the loader accepts (:data:`MAX_DATA_FILE_BYTES`).

* :func:`read_file` reads a user file only when it is a regular file (not a FIFO, a
  device or a folder), inside the data folder when it is a data file, and not larger
  than its limit; it never reads more than the limit, so ``/dev/zero`` cannot grow.
* :func:`zip_problems` reads a Word or Excel package's directory before anything is
  unpacked (total size, compression ratio, number of parts) and parses each XML part
  without DTDs or entities.
* :func:`csv_problems` and :func:`json_problems` find oversized fields, quotes that
  swallow rows, and nesting too deep for a parser, with their line.
* the PDF limits (``MAX_PDF_*``) are kept by :mod:`uprkb.core.pdfdoor`, which reads a PDF's
  pages with pdfminer.six's decoders held to them.
"""

from __future__ import annotations

import contextlib
import contextvars
import csv
import errno
import io
import os
import re
import stat
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from uprkb.core.errors import Location, Problem, UserError, display_path

MAX_DATA_FILE_BYTES = 2 * 1024 * 1024
"""One data file: the loader refuses a larger one, so an import never writes one."""
MAX_INPUT_BYTES = 64 * 1024 * 1024
"""One file given to an import (a CSV, JSON, text, Word or Excel file)."""
MAX_UNZIPPED_BYTES = 256 * 1024 * 1024
"""Everything a Word or Excel package unpacks to."""
MAX_XML_PART_BYTES = 32 * 1024 * 1024
"""One XML part of a package (a 32 MiB document.xml is some thousands of pages)."""
MAX_ZIP_RATIO = 100
"""How much one part may inflate; real XML compresses 5 to 30 times, a zip bomb a thousand."""
RATIO_FLOOR = 1024 * 1024
"""Parts smaller than this are not held to the ratio (tiny parts of repeated tags compress well)."""
MAX_ZIP_PARTS = 10_000
MAX_CSV_FIELD = 128 * 1024
"""The longest CSV field (the ``csv`` module's own default limit)."""
MAX_CSV_ROWS = 50_000
"""Rows of one CSV file: each becomes a record held in memory (UPR Info's export of four sessions has 7,786)."""
MAX_PDF_STREAM_BYTES = 4 * 1024 * 1024
"""What one stream of a PDF may inflate to (the largest in 49 OHCHR reports: 0.35 MB, a page's text)."""
MAX_PDF_UNPACKED_BYTES = 64 * 1024 * 1024
"""What the streams a PDF's reading inflates may hold together (the most in 49 OHCHR reports: 2.2 MB)."""
MAX_PDF_PAGES = 1_000
MAX_PDF_OBJECTS = 100_000
"""Numbered objects and cross-reference entries (a report of a hundred pages has some thousands)."""
MAX_PDF_PAGE_ITEMS = 50_000
"""Characters, lines, images and forms one page draws (a dense page of a report draws about 6,000)."""
MAX_PDF_CHARS = 1_000_000
"""Characters in the whole PDF (some 300 dense pages; a Working Group report has about 40)."""
MAX_PDF_NESTING = 100
"""Arrays and dictionaries inside one another (each level of ``[[[…`` costs memory, none carries text)."""
MAX_JSON_DEPTH = 64
MAX_JSON_DIGITS = 100
"""A JSON number longer than this is not a count or an ID; Python refuses 4,300 digits and more."""

_data_root: contextvars.ContextVar[Path | None] = contextvars.ContextVar("data_root", default=None)


class Refused(UserError):
    """A user file refused at the door; renders like a located problem, with its code."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message, hint=problem.hint, where=problem.location)
        self.problem = problem

    def format(self) -> str:
        return self.problem.format()


@contextlib.contextmanager
def data_root(root: Path) -> Iterator[None]:
    """Within the block, data files are read only from below ``root`` (a symlink out is refused)."""
    token = _data_root.set(root.resolve())
    try:
        yield
    finally:
        _data_root.reset(token)


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a regular file"


def current_root() -> Path | None:
    """The data folder of the enclosing :func:`data_root` block, if any."""
    return _data_root.get()


def file_problem(
    path: Path,
    what: str = "file",
    root: Path | None = None,
    *,
    shown: str | None = None,
    place: str = "the data folder",
    folders: bool = False,
    then: str = "it is not read",
) -> Problem | None:
    """Why ``path`` may not be read, or ``None``: one rule for data files, inputs and published files.

    Refused: a path that cannot be stat'ed, a link leading nowhere, anything but a regular file
    (a FIFO, a device, a socket; a folder unless ``folders``) and, given ``root`` (a resolved
    folder, called ``place`` in the message), a path whose real place, through links, is outside it.
    """
    where = Location(shown or _shown(path))
    link = os.path.islink(path)
    try:
        st = os.stat(path)
    except OSError as exc:
        if link and exc.errno in (errno.ENOENT, errno.ELOOP, errno.ENOTDIR):
            return Problem(
                where,
                "not-a-file",
                f"the {what} is a link to {os.readlink(path)}, which does not exist; {then}",
                "remove the link, or point it at a file that exists",
            )
        return Problem(where, "unreadable", f"cannot read the {what}: {exc.strerror}", "check the path and permissions")
    if not (stat.S_ISREG(st.st_mode) or (folders and stat.S_ISDIR(st.st_mode))):
        via = f" (a link to {os.path.realpath(path)})" if link else ""
        return Problem(
            where,
            "not-a-file",
            f"the {what} is {_kind(st.st_mode)}{via}, not a regular file; {then}",
            "replace it with an ordinary file" if root or what == "data file" else "give the path of an ordinary file",
        )
    if root is not None and not (real := Path(os.path.realpath(path))).is_relative_to(root):
        return Problem(
            where,
            "not-a-file",
            f"the {what} is a link to {real}, outside {place}; {then}",
            f"copy the {what} into {place} instead of linking to it",
        )
    return None


def _shown(path: Path) -> str:
    """``path`` as messages show it, its last part not followed (a link is named, not its target)."""
    folder = display_path(Path(path).parent)
    return Path(path).name if folder == "." else os.path.join(folder, Path(path).name)


def read_file(path: Path, limit: int, shown: str | None = None, what: str = "file", root: Path | None = None) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; :class:`Refused` otherwise.

    A symlink is followed only to a regular file, and, given ``root`` (a resolved
    folder), only to one below it (:func:`file_problem`). The file is opened without
    blocking (a FIFO cannot hang the read) and read up to ``limit + 1`` bytes whatever its size says.
    """
    shown = shown or _shown(path)
    where = Location(shown)
    problem = file_problem(path, what, root, shown=shown)
    if problem is not None:
        raise Refused(problem)
    size = os.stat(path).st_size
    if size > limit:
        raise Refused(_too_large(Location(shown, 1, 1), size, limit, what))
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise Refused(
            Problem(where, "unreadable", f"cannot read the {what}: {exc.strerror}", "check the permissions")
        ) from None
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):  # swapped for something else since the check
            raise Refused(Problem(where, "not-a-file", f"the {what} is not a regular file", "give an ordinary file"))
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise Refused(_too_large(Location(shown, 1, 1), len(data), limit, what))
    return data


def _too_large(where: Location, size: int, limit: int, what: str) -> Problem:
    more = "or more " if size == limit + 1 else ""
    return Problem(
        where,
        "file-too-large",
        f"the {what} is {size:,} bytes {more}long; the limit is {limit:,} ({limit // (1024 * 1024)} MiB)",
        "split the section into smaller files or move long text out of the data"
        if what == "data file"
        else "check that this is the right file; split a large export by State or session",
    )


def output_problems(files: dict[Path, str], at: Location) -> list[Problem]:
    """Files an import would write that the loader would then refuse as too large."""
    out = []
    for path, text in files.items():
        size = len(text.encode("utf-8"))
        if size > MAX_DATA_FILE_BYTES:
            out.append(
                Problem(
                    at,
                    "file-too-large",
                    f"the import would write {size:,} bytes to {display_path(path)}, more than the "
                    f"{MAX_DATA_FILE_BYTES:,} bytes a data file may hold; nothing was written",
                    "check that the file's records are what you meant to import (a quote left open makes "
                    "huge texts); import fewer records at a time with --state or --session",
                )
            )
    return out


# -- zip packages (.docx, .xlsx) ----------------------------------------------------------

_XML_PART = re.compile(r"\.(?:xml|rels|vml)$", re.I)
_DTD_MARKS = tuple(
    mark.encode(enc) for mark in ("<!DOCTYPE", "<!ENTITY") for enc in ("utf-8", "utf-16-le", "utf-16-be")
)


def xml_parser() -> Any:
    """An lxml parser that loads no DTD, expands no entity, fetches nothing and keeps libxml2's size limits."""
    from lxml import etree

    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, dtd_validation=False
    )


def parse_xml(blob: bytes, shown: str) -> tuple[Any, Problem | None]:
    """``(root, None)``, or ``(None, problem)`` for XML that declares a DTD or cannot be parsed."""
    from lxml import etree

    if any(mark in blob for mark in _DTD_MARKS):
        return None, Problem(
            Location(shown, 1, 1),
            "xml-entity",
            "the XML declares a DTD or entities (<!DOCTYPE, <!ENTITY), which Word and Excel never write; "
            "such declarations can read local files or expand to gigabytes, so the file is not read",
            "open the document in Word or Excel and save it again under a new name",
        )
    try:
        return etree.fromstring(blob, xml_parser()), None
    except etree.XMLSyntaxError as exc:
        line, col = exc.position if exc.position else (0, 0)
        msg = str(exc.msg or exc).split(", line ")[0]
        return None, Problem(
            Location(shown, line, col + 1 if line else 0),
            "invalid-format",
            f"the XML is damaged: {msg}",
            "open the document in Word or Excel and save it again; if that fails, ask for a new copy",
        )


def part_name(shown: str, name: str) -> str:
    return f"{shown}:{name}"


WORD_MAIN = "word/document.xml"
WORD_ROOT = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}document"
WORD_BODY = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}body"


def zip_problems(data: bytes, shown: str, what: str = "document") -> list[Problem]:
    """Problems of a Word or Excel package, read from its directory before anything is unpacked.

    A Word package's main part must also be a document with a body (not some other XML).
    """
    at = Location(shown)
    hint = "open it in Word or Excel and save it again, or ask for the original file"
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        return [
            Problem(
                at,
                "invalid-format",
                f"the {what} is damaged: it cannot be opened as a Word or Excel package ({exc})",
                hint,
            )
        ]
    with zf:
        infos = zf.infolist()
        return _size_problems(infos, shown, what, hint) or _xml_problems(zf, infos, shown, hint)


def _size_problems(infos: list[zipfile.ZipInfo], shown: str, what: str, hint: str) -> list[Problem]:
    """The first size check a package fails, from its directory alone: parts, total, ratio, XML size."""
    at = Location(shown)
    if len(infos) > MAX_ZIP_PARTS:
        return [
            Problem(at, "zip-bomb", f"the {what} holds {len(infos):,} parts (the limit is {MAX_ZIP_PARTS:,})", hint)
        ]
    total = sum(i.file_size for i in infos)
    if total > MAX_UNZIPPED_BYTES:
        return [
            Problem(
                at,
                "zip-bomb",
                f"the {what} would unpack to {total:,} bytes, more than the limit of {MAX_UNZIPPED_BYTES:,}; "
                "it is not unpacked",
                hint,
            )
        ]
    for i in infos:
        if i.file_size > RATIO_FLOOR and i.file_size > MAX_ZIP_RATIO * max(i.compress_size, 1):
            return [
                Problem(
                    Location(part_name(shown, i.filename)),
                    "zip-bomb",
                    f"the part inflates {i.file_size // max(i.compress_size, 1):,} times "
                    f"({i.compress_size:,} bytes to {i.file_size:,}), far more than real content "
                    f"(the limit is {MAX_ZIP_RATIO} times): this looks like a zip bomb; it is not unpacked",
                    hint,
                )
            ]
        if _XML_PART.search(i.filename) and i.file_size > MAX_XML_PART_BYTES:
            return [
                Problem(
                    Location(part_name(shown, i.filename)),
                    "zip-bomb",
                    f"the XML part is {i.file_size:,} bytes; the limit is {MAX_XML_PART_BYTES:,}",
                    hint,
                )
            ]
    return []


def _xml_problems(zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo], shown: str, hint: str) -> list[Problem]:
    """Every XML part parsed safely (no entities, no DTD); a Word package's main part must hold a body."""
    problems = []
    for i in infos:
        if not _XML_PART.search(i.filename) or i.is_dir():
            continue
        try:
            blob = zf.read(i)
        except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError) as exc:
            problems.append(
                Problem(Location(part_name(shown, i.filename)), "invalid-format", f"the part is damaged ({exc})", hint)
            )
            continue
        root, problem = parse_xml(blob, part_name(shown, i.filename))
        if problem is not None:
            problems.append(problem)
        elif i.filename == WORD_MAIN and (root.tag != WORD_ROOT or root.find(WORD_BODY) is None):
            problems.append(
                Problem(
                    Location(part_name(shown, i.filename), 1, 1),
                    "invalid-format",
                    f"the document's main part is not a Word document with a body (its root is <{root.tag}>)",
                    hint,
                )
            )
    return problems


def is_zip(data: bytes) -> bool:
    return data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06")


# -- CSV ----------------------------------------------------------------------------------


def _fields(line: str) -> int:
    try:
        return len(next(csv.reader([line]), []))
    except csv.Error:
        return 0


def _swallowed(lines: list[str], start: int, end: int, width: int) -> int | None:
    """The first line after ``start`` of a row spanning lines ``start``..``end`` (1-based) that is a whole
    row on its own: a quote left open on ``start`` swallowed it into one text."""
    if width < 3:
        return None
    for number in range(start + 1, min(end, len(lines)) + 1):
        if _fields(lines[number - 1]) >= width:
            return number
    return None


def _shorten(line: str, n: int = 80) -> str:
    return line if len(line) <= n else line[: n - 1] + "…"


def csv_problems(text: str, shown: str) -> list[Problem]:
    """Fields longer than :data:`MAX_CSV_FIELD`, quotes that swallow rows, rows the reader cannot split,
    and more than :data:`MAX_CSV_ROWS` rows (the file's lines are split only to quote one)."""
    split: list[list[str]] = []

    def lines() -> list[str]:
        if not split:
            split.append(text.split("\n"))
        return split[0]

    reader = csv.reader(io.StringIO(text, newline=""))
    problems: list[Problem] = []
    width = 0
    rows = 0
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                problems.append(
                    Problem(
                        Location(shown, start, 1),
                        "field-too-large",
                        f"a field of the row starting on line {start} is longer than {MAX_CSV_FIELD:,} characters "
                        f"(line {start}: {_shorten(lines()[start - 1] if start <= len(lines()) else '')!r})",
                        "a quote left open usually swallows the rows after it: check the quotes on this line; "
                        "a real text this long does not belong in one recommendation",
                    )
                )
            else:
                problems.append(
                    Problem(
                        Location(shown, start, 1),
                        "bad-row",
                        f"the row starting on line {start} cannot be split into fields ({exc})",
                        "re-export the file, or repair the row in a spreadsheet",
                    )
                )
            return problems
        rows += 1
        if rows > MAX_CSV_ROWS + 1:  # the header, then the rows
            return [
                Problem(
                    Location(shown, start, 1),
                    "file-too-large",
                    f"the file holds more than {MAX_CSV_ROWS:,} rows (UPR Info's export of four sessions holds "
                    "about 8,000), and every row is held in memory as a record; nothing is read",
                    "split the export by sessions and import each part",
                )
            ]
        if not width:
            width = len(row)
            continue
        end = reader.line_num
        if end > start and (swallowed := _swallowed(lines(), start, end, width)) is not None:
            col = lines()[start - 1].rfind('"') + 1 or 1
            problems.append(
                Problem(
                    Location(shown, start, col),
                    "unclosed-quote",
                    f"the quote opened on line {start} is not closed on its line, so line {swallowed} and the "
                    f"rows up to line {end} are read as part of one text (line {start}: "
                    f"{_shorten(lines()[start - 1])!r})",
                    f"add the missing closing quote on line {start}, or remove the stray one",
                )
            )
    return problems


# -- JSON ---------------------------------------------------------------------------------

_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]|-?\d{' + str(MAX_JSON_DIGITS + 1) + ",}", re.S)


def json_problems(text: str, shown: str) -> list[Problem]:
    """Nesting deeper than :data:`MAX_JSON_DEPTH` and numbers too long to be numbers, with their line."""
    depth = 0
    for m in _JSON_TOKEN.finditer(text):
        token = m.group()
        if token[0] == '"':
            continue
        if token in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                return [
                    _json_problem(
                        text,
                        m.start(),
                        shown,
                        "too-deep",
                        f"the JSON nests deeper than {MAX_JSON_DEPTH} levels",
                        "UHRI's export nests three levels; give the export as UHRI wrote it",
                    )
                ]
        elif token in "]}":
            depth -= 1
        else:
            return [
                _json_problem(
                    text,
                    m.start(),
                    shown,
                    "invalid-format",
                    f"a number of {len(token.lstrip('-')):,} digits is not a value UHRI writes",
                    "give the export as UHRI wrote it",
                )
            ]
    return []


def _json_problem(text: str, offset: int, shown: str, code: str, message: str, hint: str) -> Problem:
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return Problem(Location(shown, line, col), code, message, hint)
