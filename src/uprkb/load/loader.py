"""Read one YAML data file safely into located plain values.

The loader accepts a deliberately small, safe subset of YAML:

* UTF-8 only (a UTF-8 byte-order mark is accepted); no control characters;
* one document per file; no tags, anchors, aliases or merge keys;
* mapping keys are plain field names and appear once;
* every scalar stays a string (``no`` stays ``"no"``, ``1.10`` stays ``"1.10"``);
  only an empty value, ``~`` or ``null`` means "no value". Typing is the model's job;
* size and nesting depth are capped.

It never constructs arbitrary objects: it walks the parser's event stream (the C
parser when available) and builds :class:`LDict`/:class:`LList` containers that
remember where every key and value stands, so later stages can report
``path:line:col`` for any problem.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from uprkb.core import limits
from uprkb.core.errors import Location, Problems

# The C parser (libyaml) is about ten times faster; fall back to pure Python.
# Only the parser's event stream is used: the loaders' constructors never run.
_Parser = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_FILE_BYTES = limits.MAX_DATA_FILE_BYTES  # shared with the importers: they never write a larger file
MAX_DEPTH = 24
NULL_WORDS = frozenset({"", "~", "null", "Null", "NULL"})
# YAML 1.1 resolves these plain scalars to non-strings; as keys they are a trap.
_NON_STRING_KEY = re.compile(
    r"^(?:[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?|0x[0-9a-fA-F_]+|0o?[0-7_]+"
    r"|y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF"
    r"|~|null|Null|NULL|\.inf|\.nan)$"
)
_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_URLISH = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")


_SHIFT = 24
_COLUMN = (1 << _SHIFT) - 1


def _pack(mark: Any) -> int:
    """A parser mark as one int (1-based line and column): far smaller than a Location per node."""
    return ((mark.line + 1) << _SHIFT) | (mark.column + 1)


def _packed(where: Location | int) -> int:
    return where if isinstance(where, int) else (where.line << _SHIFT) | where.col


class Marks(dict):  # type: ignore[type-arg]
    """Key → where it stands, kept packed in ints; reading gives a :class:`Location`."""

    __slots__ = ("path",)

    def __init__(self, path: str = "") -> None:
        super().__init__()
        self.path = path

    def __getitem__(self, key: str) -> Location:
        v = dict.__getitem__(self, key)
        return Location(self.path, v >> _SHIFT, v & _COLUMN)

    def __setitem__(self, key: str, where: Location | int) -> None:
        """Set a key's place, given as a :class:`Location` (the loader's own hot path packs it itself)."""
        dict.__setitem__(self, key, _packed(where))

    def get(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        v = dict.get(self, key)
        return default if v is None else Location(self.path, v >> _SHIFT, v & _COLUMN)

    def __reduce__(self) -> Any:
        return (_marks, (self.path, dict(dict.items(self))))


class ItemMarks(list):  # type: ignore[type-arg]
    """Where each item of a sequence stands, packed in ints; indexing gives a :class:`Location`."""

    __slots__ = ("path",)

    def __init__(self, path: str = "") -> None:
        super().__init__()
        self.path = path

    def __getitem__(self, index: Any) -> Any:
        v = list.__getitem__(self, index)
        return Location(self.path, v >> _SHIFT, v & _COLUMN)

    def __iter__(self) -> Iterator[Location]:
        return (Location(self.path, v >> _SHIFT, v & _COLUMN) for v in list.__iter__(self))

    def extend(self, places: Iterable[Location | int]) -> None:  # type: ignore[override]
        """Add places given as :class:`Location` (the loader appends packed ints itself)."""
        list.extend(self, (_packed(p) for p in places))

    def __reduce__(self) -> Any:
        return (_item_marks, (self.path, list(list.__iter__(self))))


def _marks(path: str, packed: dict[str, int]) -> Marks:
    marks = Marks(path)
    dict.update(marks, packed)
    return marks


def _item_marks(path: str, packed: list[int]) -> ItemMarks:
    marks = ItemMarks(path)
    list.extend(marks, packed)
    return marks


class LDict(dict):  # type: ignore[type-arg]
    """A mapping that remembers where it, each key and each value stand."""

    __slots__ = ("mark", "key_marks", "value_marks")

    def __init__(self, mark: Location) -> None:
        super().__init__()
        self.mark = mark
        self.key_marks = Marks(mark.path)
        self.value_marks = Marks(mark.path)


class LList(list):  # type: ignore[type-arg]
    """A sequence that remembers where it and each item stand."""

    __slots__ = ("mark", "item_marks")

    def __init__(self, mark: Location) -> None:
        super().__init__()
        self.mark = mark
        self.item_marks = ItemMarks(mark.path)


@dataclass
class Loaded:
    """A successfully parsed file: its located root value."""

    path: Path
    data: Any


def _loc(path: str, mark: Any) -> Location:
    return Location(path, mark.line + 1, mark.column + 1)


def _offset_to_linecol(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


def decode(raw: bytes, shown: str, problems: Problems) -> str | None:
    """Decode UTF-8 bytes, reporting the first bad byte with its position."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or (len(raw) > 1 and b"\x00" in raw[:4]):
        problems.add(
            Location(shown, 1, 1),
            "encoding",
            "the file is UTF-16 encoded; data files must be UTF-8",
            "re-save the file as 'UTF-8' (without BOM) in your editor",
        )
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        good = raw[: exc.start].decode("utf-8", errors="replace")
        line, col = _offset_to_linecol(good, len(good))
        problems.add(
            Location(shown, line, col),
            "encoding",
            f"byte 0x{raw[exc.start]:02x} is not valid UTF-8 (the file looks like Latin-1 or Windows-1252)",
            "re-save the file as 'UTF-8' in your editor",
        )
        return None


def _check_characters(text: str, shown: str, problems: Problems) -> bool:
    ok = True
    for m in _BAD_CHARS.finditer(text):
        line, col = _offset_to_linecol(text, m.start())
        name = unicodedata.name(m.group(), f"U+{ord(m.group()):04X}")
        problems.add(
            Location(shown, line, col),
            "control-character",
            f"control character U+{ord(m.group()):04X} ({name}) is not allowed in data files",
            "delete the invisible character; it often comes from copying text out of a PDF or word processor",
        )
        ok = False
        if len(problems) > 50:
            break
    return ok


def _quoted(value: str) -> str:
    """``value`` as a double-quoted YAML scalar."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _line(text: str, mark: Any) -> str:
    lines = text.splitlines()
    return lines[mark.line] if mark is not None and 0 <= mark.line < len(lines) else ""


_KEY_VALUE = re.compile(r"^(\s*(?:- +)?)([^\s:#'\"][^:#]*?):[ \t]+(.*?)\s*$")


def _tab(text: str, mark: Any) -> tuple[int, int] | None:
    """The line and column of the tab nearest ``mark``, if the parser stopped at one."""
    for line_no in (mark.line, mark.line - 1):
        lines = text.splitlines()
        if 0 <= line_no < len(lines) and "\t" in lines[line_no]:
            line = lines[line_no]
            return line_no + 1, line.index("\t") + 1
    return None


def _explain_syntax(exc: yaml.MarkedYAMLError, text: str) -> tuple[Any, str, str]:
    """Turn a parser error into (mark, plain message, concrete fix).

    The table: a tab; a value that holds ': '; text after a closing quote; an
    unclosed quote; a line without ':'; indentation that does not line up; a
    value starting with a character YAML reserves; a bad escape in double quotes.
    """
    raw = " ".join(str(x) for x in (exc.context, exc.problem) if x)
    mark = exc.problem_mark or exc.context_mark
    line = _line(text, mark)
    col = mark.column if mark is not None else 0
    char = line[col] if col < len(line) else ""
    if "tab" in raw or char == "\t" or ("cannot start any token" in raw and "\t" in line):
        where = _tab(text, mark) if mark is not None else None
        if where:
            line_no, tab_col = where
            return (
                _Mark(line_no - 1, tab_col - 1),
                f"there is a tab character at column {tab_col}; YAML only accepts spaces for indentation",
                f"replace the tab at column {tab_col} with spaces (set your editor to insert spaces for Tab)",
            )
    if "unexpected end of stream" in raw and "quoted scalar" in raw and exc.context_mark is not None:
        start = exc.context_mark
        quote = _line(text, start)[start.column : start.column + 1] or '"'
        return (
            start,
            f"the quote {quote} opened here (line {start.line + 1}, column {start.column + 1}) is never closed",
            f"add the closing {quote} at the end of the value",
        )
    if "unknown escape character" in raw:
        return (
            mark,
            "inside double quotes a backslash starts a special sequence, and this one is not valid",
            "write a backslash as \\\\ inside double quotes, or put the value in single quotes instead",
        )
    if "mapping values are not allowed" in raw:
        m = _KEY_VALUE.match(line[:col])
        if m and m.group(3):
            key, value = m.group(2), line[len(m.group(1)) + len(m.group(2)) + 1 :].strip()
            return (
                mark,
                f"the value of '{key}' contains ': ', which YAML reads as the start of another field",
                f"put the whole value in double quotes: {m.group(1).strip()}{' ' if m.group(1).strip() else ''}"
                f"{key}: {_quoted(value)}",
            )
        return (
            mark,
            "this line is indented further than the field above it, so YAML cannot tell where it belongs",
            "line it up with the other fields of the same record (the same number of spaces), "
            "or, if it continues the value above, put that whole value in double quotes",
        )
    if "could not find expected ':'" in raw:
        start = exc.context_mark or mark
        return (
            start,
            f"line {start.line + 1} is neither 'field: value' nor a list item ('- ...')",
            "add ': ' after the field name, or close a quote left open on the line above",
        )
    if "cannot start any token" in raw and char:
        m = _KEY_VALUE.match(line)
        fix = f"{m.group(2)}: {_quoted(m.group(3))}" if m else "put the value in double quotes"
        return (
            mark,
            f"a value cannot start with '{char}' unless it is in quotes",
            f"put the whole value in double quotes: {fix}",
        )
    if re.search(r":\s*([\"']).*\1\s+\S", line) and col and line[:col].rstrip()[-1:] in "\"'":
        return (
            mark,
            "there is more text after the closing quote",
            "put the whole value inside the quotes",
        )
    if any(s in raw for s in ("expected <block end>", "did not find expected key", "did not find expected '-'")):
        return (
            mark,
            "the indentation is off: this line does not line up with the lines above it",
            "give the fields of one record the same number of leading spaces, and start the items "
            "of one list with '- ' at the same column; use spaces, never tabs",
        )
    if "found undefined alias" in raw or "expected alphabetic or numeric character" in raw:
        return (mark, "a value cannot start with '*' or '&' unless it is in quotes", "put the value in double quotes")
    return (
        mark,
        f"YAML cannot read this line (the parser says: {raw})",
        "check the indentation and the quotes on this line and the line above",
    )


@dataclass(frozen=True)
class _Mark:
    line: int
    column: int


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str, shown: str, problems: Problems) -> None:
    mark, message, hint = _explain_syntax(exc, text)
    loc = _loc(shown, mark) if mark is not None else Location(shown)
    problems.add(loc, "yaml-syntax", message, hint)


class _Builder:
    """Builds located plain values from a parser's event stream."""

    def __init__(self, text: str, shown: str, problems: Problems) -> None:
        self.text = text
        self.lines = text.splitlines()
        self.shown = shown
        self.problems = problems

    def run(self) -> Any:
        parser = _Parser(self.text)
        try:
            return self._stream(parser)
        except yaml.MarkedYAMLError as exc:
            _syntax_problem(exc, self.text, self.shown, self.problems)
            return None
        except yaml.YAMLError as exc:  # pragma: no cover - unmarked parser errors are rare
            self.problems.add(Location(self.shown), "yaml-syntax", f"YAML error: {exc}", "check the YAML syntax")
            return None
        finally:
            dispose = getattr(parser, "dispose", None)
            if dispose:
                dispose()

    def _stream(self, parser: Any) -> Any:
        parser.get_event()  # StreamStart
        documents = 0
        root: Any = None
        while not parser.check_event(yaml.StreamEndEvent):
            start = parser.get_event()  # DocumentStart
            documents += 1
            if documents == 2:
                self.problems.add(
                    _loc(self.shown, start.start_mark),
                    "yaml-multiple-documents",
                    "the file holds more than one YAML document ('---' separates documents)",
                    "keep one record set per file: remove the second '---' or move it to its own file",
                )
            value = self._node(parser, 0)
            parser.get_event()  # DocumentEnd
            if documents == 1:
                root = value
        if documents == 0:
            self.problems.add(
                Location(self.shown, 1, 1),
                "empty-file",
                "the file is empty",
                "fill it in or delete it; see docs/editing.md for what each file holds",
            )
        return root

    def _reject_node_features(self, event: Any) -> bool:
        if not (getattr(event, "anchor", None) or getattr(event, "tag", None)):
            return False
        loc = _loc(self.shown, event.start_mark)
        bad = False
        if getattr(event, "anchor", None):
            self.problems.add(
                loc,
                "yaml-anchor",
                f"YAML anchors ('&{event.anchor}') are not allowed",
                "write the value out in full; if you meant text starting with '&', put it in double quotes",
            )
            bad = True
        if getattr(event, "tag", None):
            self.problems.add(
                loc,
                "yaml-tag",
                f"YAML tags ('{event.tag}') are not allowed",
                "remove the tag; if you meant text starting with '!', put it in double quotes",
            )
            bad = True
        return bad

    def _node(self, parser: Any, depth: int) -> Any:
        event = parser.get_event()
        if isinstance(event, yaml.ScalarEvent) and depth <= MAX_DEPTH and not (event.anchor or event.tag):
            if not event.style and event.value in NULL_WORDS:
                return None
            return event.value
        loc = _loc(self.shown, event.start_mark)
        if isinstance(event, yaml.AliasEvent):
            self.problems.add(
                loc,
                "yaml-alias",
                f"YAML aliases ('*{event.anchor}') are not allowed",
                "write the value out in full; if you meant text starting with '*', put it in double quotes",
            )
            return None
        self._reject_node_features(event)
        if depth > MAX_DEPTH:
            self.problems.add(
                loc,
                "too-deep",
                f"nesting is deeper than {MAX_DEPTH} levels",
                "the data model is shallow; check the indentation",
            )
            raise _TooDeep
        if isinstance(event, yaml.ScalarEvent):
            if not event.style and event.value in NULL_WORDS:
                return None
            if event.style == '"' and (bad := _BAD_CHARS.search(event.value)):
                self._escaped_control(bad.group(), loc)
            return event.value
        if isinstance(event, yaml.SequenceStartEvent):
            seq = LList(loc)
            while not parser.check_event(yaml.SequenceEndEvent):
                nxt = parser.peek_event()
                seq.item_marks.append(_pack(nxt.start_mark))
                seq.append(self._node(parser, depth + 1))
            parser.get_event()
            return seq
        if isinstance(event, yaml.MappingStartEvent):
            return self._mapping(parser, loc, depth)
        raise AssertionError(f"unexpected event {event!r}")  # pragma: no cover

    def _escaped_control(self, char: str, loc: Location) -> None:
        name = unicodedata.name(char, "") or {0: "NULL", 7: "BELL", 27: "ESCAPE"}.get(ord(char), "control")
        self.problems.add(
            loc,
            "control-character",
            f"an escape sequence in this quoted value makes the control character U+{ord(char):04X} ({name}), "
            "which is not allowed in data files",
            "delete the backslash escape (such as \\e, \\0 or \\a); write \\n for a line break, \\t for a tab",
        )

    def _mapping(self, parser: Any, loc: Location, depth: int) -> LDict:
        mapping = LDict(loc)
        while not parser.check_event(yaml.MappingEndEvent):
            key_event = parser.peek_event()
            key_mark = _pack(key_event.start_mark)
            if not isinstance(key_event, yaml.ScalarEvent):
                key_loc = _loc(self.shown, key_event.start_mark)
                self.problems.add(
                    key_loc,
                    "key-not-string",
                    "a mapping key must be a plain field name, not a list or mapping",
                    "check the indentation and the '?' or '[' at this place",
                )
                self._node(parser, depth + 1)
                self._node(parser, depth + 1)
                continue
            key = self._node(parser, depth + 1)
            value_event = parser.peek_event()
            value_mark = _pack(value_event.start_mark)
            if not key_event.style and key_event.value == "<<":
                self.problems.add(
                    _loc(self.shown, key_event.start_mark),
                    "yaml-merge",
                    "YAML merge keys ('<<') are not allowed",
                    "write the fields out in full",
                )
                self._node(parser, depth + 1)
                continue
            key = key_event.value
            if not key_event.style and _NON_STRING_KEY.match(key):
                self.problems.add(
                    _loc(self.shown, key_event.start_mark),
                    "key-not-string",
                    f"the key {key!r} is not a field name (YAML reads it as a number, boolean or null)",
                    "keys are field names such as 'id' or 'text'; see the data-model reference",
                )
            value = self._node(parser, depth + 1)
            if key in mapping.key_marks:
                first = mapping.key_marks[key]
                self.problems.add(
                    _loc(self.shown, key_event.start_mark),
                    "duplicate-key",
                    f"the key '{key}' appears twice in this mapping (first at line {first.line})",
                    "delete one of the two; YAML tools would silently keep only the last",
                )
                continue
            if isinstance(value, str) and not value_event.style and _URLISH.match(value):
                self._check_cut_url(value_event, _loc(self.shown, value_event.start_mark))
            mapping[key] = value
            dict.__setitem__(mapping.key_marks, key, key_mark)
            dict.__setitem__(mapping.value_marks, key, value_mark)
        parser.get_event()
        return mapping

    def _check_cut_url(self, event: Any, loc: Location) -> None:
        end = event.end_mark
        if end.line >= len(self.lines):
            return
        rest = self.lines[end.line][end.column :]
        if rest.startswith((" #", "\t#")):
            self.problems.warn(
                loc,
                "url-cut-by-comment",
                "this URL is followed by ' #': YAML treats the rest of the line as a comment, "
                "so the URL may be cut short",
                "put the whole URL in double quotes",
            )


class _TooDeep(Exception):
    pass


def load_text(text: str, shown: str, problems: Problems) -> Any:
    """Parse decoded YAML text into located plain values; problems go to ``problems``."""
    if not _check_characters(text, shown, problems):
        return None
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        problems.add(
            Location(shown, 1, 1),
            "empty-file",
            "the file is empty",
            "fill it in or delete it; see docs/editing.md for what each file holds",
        )
        return None
    try:
        return _Builder(text, shown, problems).run()
    except _TooDeep:
        return None


def load_file(path: Path, shown: str, problems: Problems) -> Any:
    """Read, decode and parse one data file. Returns ``None`` when it cannot be used.

    Only a regular file is read (a FIFO, a device or a link out of the data folder is
    refused), and never more than :data:`MAX_FILE_BYTES` of it.
    """
    try:
        raw = limits.read_file(path, MAX_FILE_BYTES, shown, "data file", limits.current_root())
    except limits.Refused as refused:
        problems.items.append(refused.problem)
        return None
    text = decode(raw, shown, problems)
    if text is None:
        return None
    return load_text(text, shown, problems)
