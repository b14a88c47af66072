"""Validated-file cache: a data file that validated cleanly is not parsed again while nothing changed.

An entry is found only by a key made of everything its result depends on:

* the file's bytes (SHA-256) and the path shown in messages;
* the model it was validated against (its name and a fingerprint of its JSON schema);
* the code: a hash of every source file of the package, plus the Python and pydantic versions.

Change one byte of the file, the schema or the code and the key changes, so the
file is read and validated again: the cache is never trusted over the data.
Only clean results are kept (a record and its warnings); a file with an error is
validated every time, so its errors are always reported afresh.

The plain build keeps its entries in ``.cache/validated/`` beside ``mkdocs.yml``,
one file per entry (each written atomically; one that cannot be read is a miss),
so a run after an edit writes only the entry of the file that changed.
The live preview keeps one cache in memory across rebuilds, so an edit
re-reads only the file that changed. Entries not used by the latest run are
dropped, so the cache never grows beyond the data it describes.

:data:`TEMPLATE_CODE` keeps compiled Jinja templates in memory for the life of
the process (checked against each template's source by Jinja).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import os
import pickle
import re
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache
import pydantic

from .errors import Problem, Problems, display_path
from .limits import MAX_DATA_FILE_BYTES, Refused, current_root, read_file

log = logging.getLogger(__name__)

FORMAT = 1
"""Bumped when the layout of an entry changes."""
PACKAGE = Path(__file__).resolve().parent
FOLDER_NAME = "validated"
SUFFIX = ".pickle"

Validate = Callable[[Path, Any, Problems, "set[str] | None"], Any]


@functools.cache
def code_version(package: Path = PACKAGE) -> str:
    """A hash of every Python source file of the package and of the Python and pydantic versions."""
    digest = hashlib.sha256(f"{FORMAT}|{sys.version}|{pydantic.VERSION}".encode())
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+|(?<=:)\d{6,}(?=')")
"""Memory addresses in a core schema: of functions, and in the ``ref`` of each model ('module.Name:1234')."""


@functools.cache
def schema_version(model: type[pydantic.BaseModel]) -> str:
    """The model's name and a fingerprint of its validation schema (fields, types, constraints, validators).

    Taken from pydantic's core schema, with memory addresses left out so that it is the same
    in every process (a tenth of the cost of the JSON schema).
    """
    schema = _ADDRESS.sub("", repr(model.__pydantic_core_schema__))
    return f"{model.__module__}.{model.__qualname__}:{hashlib.sha256(schema.encode()).hexdigest()}"


@dataclass(frozen=True)
class Entry:
    """What validating one file gave: the record, the warnings, and the IDs the file declares."""

    record: Any
    warnings: tuple[Problem, ...]
    declared: frozenset[str]


class _Recorder(set[str]):
    """A copy of the ``failed`` IDs that notes every ID a validation adds (the IDs a file declares)."""

    def __init__(self, initial: set[str]) -> None:
        super().__init__(initial)
        self.declared: set[str] = set()

    def update(self, *others: Any) -> None:
        for other in others:
            self.declared.update(other)
        super().update(*others)


class FileCache:
    """Validated files by key, in memory; with ``folder``, also one file per entry kept between runs.

    One file per entry, so that a run after an edit reads every entry but writes only the new one.
    """

    def __init__(self, folder: Path | None = None, code: str | None = None) -> None:
        self.folder = folder
        self.code = code if code is not None else code_version()
        self.entries: dict[str, Entry] = {}
        self.used: set[str] = set()
        self.new: set[str] = set()
        self.hits = 0
        self.misses = 0

    def key(self, data: bytes, model: type[pydantic.BaseModel], shown: str) -> str:
        digest = hashlib.sha256(data).hexdigest()
        return hashlib.sha256(f"{self.code}|{schema_version(model)}|{shown}|{digest}".encode()).hexdigest()

    def get(self, key: str) -> Entry | None:
        """The entry for ``key``, from memory or its file; ``None`` when absent or unreadable."""
        entry = self.entries.get(key)
        if entry is not None or self.folder is None:
            return entry
        try:
            with (self.folder / f"{key}{SUFFIX}").open("rb") as f:
                entry = pickle.load(f)
        except FileNotFoundError:
            return None
        except Exception as exc:  # a torn or foreign file is only a missed entry
            log.info("ignoring the cached entry %s: %s", key, exc)
            return None
        if not isinstance(entry, Entry):
            return None
        self.entries[key] = entry
        return entry

    def put(self, key: str, entry: Entry) -> None:
        self.entries[key] = entry
        self.used.add(key)
        self.new.add(key)

    def validate(
        self,
        path: Path,
        model: type[pydantic.BaseModel],
        problems: Problems,
        failed: set[str] | None,
        validate: Validate,
    ) -> Any:
        """``validate(path, model, problems, failed)``, or its result from the cache when the key matches."""
        try:
            data = read_file(path, MAX_DATA_FILE_BYTES, what="data file", root=current_root())
        except Refused:  # the validator reports why, located
            return validate(path, model, problems, failed)
        key = self.key(data, model, display_path(path))
        entry = self.get(key)
        if entry is not None:
            self.hits += 1
            self.used.add(key)
            problems.extend(list(entry.warnings))
            if failed is not None:
                failed.difference_update(entry.declared)
            return entry.record
        self.misses += 1
        before = len(problems.items)
        recorder = _Recorder(failed) if failed is not None else None
        record = validate(path, model, problems, recorder)
        if failed is not None and recorder is not None:
            failed.clear()
            failed.update(recorder)
        added = problems.items[before:]
        if record is not None and not any(p.is_error for p in added):
            self.put(key, Entry(record, tuple(added), frozenset(recorder.declared if recorder else ())))
        return record

    def finish(self) -> None:
        """Write the new entries, and drop (in memory and on disk) those this run did not use."""
        for key in self.entries.keys() - self.used:
            del self.entries[key]
        if self.folder is not None:
            for key in self.new:
                _write(self.folder / f"{key}{SUFFIX}", self.entries[key])
            with contextlib.suppress(OSError):
                for path in self.folder.iterdir():
                    if path.suffix == SUFFIX and path.stem not in self.used:
                        path.unlink(missing_ok=True)
        self.used = set()
        self.new = set()


def _write(path: Path, entry: Entry) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as f:
                pickle.dump(entry, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except (OSError, pickle.PicklingError, RecursionError) as exc:
        log.info("could not write the validated-file cache entry %s: %s", path, exc)


class TemplateCodeCache(jinja2.BytecodeCache):
    """Compiled Jinja templates kept in memory for the life of the process, and on disk between runs.

    An environment made anew (each ``generate`` run, each MkDocs build of the preview)
    then skips compiling the templates again, and so does the next build: compiling the
    templates was half of a cold generation of the seed. Jinja checks every entry against
    a checksum of the template's source (and its own bytecode version), so an edited
    template is compiled afresh; a damaged file on disk is only a miss.
    """

    def __init__(self, directory: Path | None = None) -> None:
        self.store: dict[str, bytes] = {}
        self.directory = directory

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = self.store.get(bucket.key)
        if data is None and self.directory is not None and not os.environ.get("UPRKB_NO_CACHE"):
            try:
                data = (self.directory / f"{bucket.key}.jinja").read_bytes()
            except OSError:
                data = None
        if data is not None:
            try:
                bucket.bytecode_from_string(data)
            except Exception:  # noqa: BLE001 - a damaged entry is a miss, never an error
                bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = bucket.bytecode_to_string()
        self.store[bucket.key] = data
        if self.directory is None or os.environ.get("UPRKB_NO_CACHE"):
            return
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, self.directory / f"{bucket.key}.jinja")
        except OSError as exc:
            log.info("could not keep the compiled template %s: %s", bucket.key, exc)


TEMPLATE_CODE = TemplateCodeCache(Path(__file__).resolve().parents[2] / ".cache" / "templates")

_active: FileCache | None = None


def active() -> FileCache | None:
    """The cache that :func:`uprkb.dataset.validate_file` consults, if any."""
    return _active


@contextlib.contextmanager
def using(cache: FileCache | None) -> Iterator[FileCache | None]:
    """Let validation consult ``cache`` inside the block; the unused entries are dropped at the end."""
    global _active
    previous, _active = _active, cache
    try:
        yield cache
    finally:
        _active = previous
        if cache is not None:
            cache.finish()


def for_project(config: Path) -> FileCache | None:
    """The on-disk cache of the project whose ``mkdocs.yml`` is ``config`` (none with ``UPRKB_NO_CACHE=1``)."""
    if os.environ.get("UPRKB_NO_CACHE"):
        return None
    return FileCache(config.resolve().parent / ".cache" / FOLDER_NAME)


__all__ = [
    "TEMPLATE_CODE",
    "Entry",
    "FileCache",
    "TemplateCodeCache",
    "active",
    "code_version",
    "for_project",
    "schema_version",
    "using",
]
