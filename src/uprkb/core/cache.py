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
one JSON file per entry (each written atomically; one that cannot be read is a miss),
so a run after an edit writes only the entry of the file that changed.
The live preview keeps one cache in memory across rebuilds, so an edit
re-reads only the file that changed. Entries not used by the latest run are
dropped, so the cache never grows beyond the data it describes.

:data:`TEMPLATE_CODE` keeps compiled Jinja templates in memory for the life of
the process (checked against each template's source by Jinja).

Caches are data, never code: no entry is unpickled or unmarshalled. Every file in the cache
folder is *sealed* (:func:`seal`): an HMAC of its bytes under a secret kept outside the
project (``~/.local/state/uprkb/cache-secret``, or ``UPRKB_CACHE_SECRET``), so an entry that
was edited, planted, copied from elsewhere or torn is ignored and made again, never trusted.
A validated-file entry holds the parsed YAML tree (with its line and column marks) as JSON;
a hit validates that tree against the model again, so even a sealed entry can only give what
the model accepts, with the locations of the file. Every key comes from :func:`cache_key`,
which takes in the versions of the tools and the source of the code that make the entry.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import hashlib
import hmac
import importlib.metadata
import json
import logging
import os
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

from uprkb.core.errors import Location, Problem, Problems, Severity, display_path
from uprkb.core.limits import MAX_DATA_FILE_BYTES, Refused, current_root, read_file
from uprkb.core.project import PACKAGE

log = logging.getLogger(__name__)

FORMAT = 2
"""Bumped when the layout of an entry changes."""
FOLDER_NAME = "validated"
SUFFIX = ".json"
SEAL = b"uprkb-cache-2 "

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


def _code_digest(files: tuple[Path, ...]) -> str:
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode())
        digest.update(b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"<missing>")
        digest.update(b"\0")
    return digest.hexdigest()


@functools.cache
def tool_version(name: str) -> str:
    """The installed version of a Python distribution (``matplotlib``, ``pypandoc_binary``), or ``none``."""
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "none"


def cache_key(kind: str, *parts: str | bytes, code: tuple[Path, ...] = (), tools: dict[str, str] | None = None) -> str:
    """The one key helper of every cache: ``kind``, the entry's inputs (``parts``), the source files of the
    code that makes it (``code``) and the versions of the tools it uses (``tools``), with the Python version."""
    digest = hashlib.sha256(f"{FORMAT}|{kind}|{sys.version}".encode())
    digest.update(_code_digest(tuple(code)).encode())
    for name, version in sorted((tools or {}).items()):
        digest.update(f"|{name}={version}".encode())
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()[:40]


@functools.cache
def _secret() -> bytes:
    """The key that seals cache files: kept outside the project, made once (0600); in memory when it cannot be kept."""
    env = os.environ.get("UPRKB_CACHE_SECRET")
    if env:
        return env.encode("utf-8")
    home = Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state") / "uprkb"
    path = home / "cache-secret"
    try:
        data = path.read_bytes()
        if len(data) >= 32:
            return data
    except OSError:
        pass
    secret = os.urandom(32)
    try:
        home.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(secret)
    except FileExistsError:
        with contextlib.suppress(OSError):
            return path.read_bytes()
    except OSError as exc:
        log.info("could not keep the cache secret (%s): cache files last for this run only", exc)
    return secret


def seal(payload: bytes) -> bytes:
    """``payload`` with a header line holding its HMAC-SHA256 under the cache secret."""
    mac = hmac.new(_secret(), payload, hashlib.sha256).hexdigest().encode("ascii")
    return SEAL + mac + b"\n" + payload


def unseal(blob: bytes) -> bytes | None:
    """The payload of a sealed file, or ``None`` when its seal does not check out."""
    head, sep, payload = blob.partition(b"\n")
    if not sep or not head.startswith(SEAL):
        return None
    expected = hmac.new(_secret(), payload, hashlib.sha256).hexdigest().encode("ascii")
    return payload if hmac.compare_digest(head[len(SEAL) :], expected) else None


def read_sealed(path: Path) -> bytes | None:
    """The payload of the sealed file ``path``; ``None`` when absent, unreadable or not checking out."""
    if os.environ.get("UPRKB_NO_CACHE"):
        return None
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    payload = unseal(blob)
    if payload is None:
        log.info("ignoring the cache file %s: its seal does not check out", path)
    return payload


def write_sealed(path: Path, payload: bytes) -> None:
    """Write ``payload`` sealed to ``path`` atomically; a failure only loses the entry."""
    if os.environ.get("UPRKB_NO_CACHE"):
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(seal(payload))
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except OSError as exc:
        log.info("could not write the cache file %s: %s", path, exc)


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
        return cache_key("validated", self.code, schema_version(model), shown, data)

    def get(self, key: str, model: type[pydantic.BaseModel] | None = None) -> Entry | None:
        """The entry for ``key``, from memory or its file; ``None`` when absent or not checking out.

        An entry read from disk is sealed JSON: the parsed tree of the file, validated again
        against ``model`` here. A seal, key, shape or validation that does not check out is a miss.
        """
        entry = self.entries.get(key)
        if entry is not None or self.folder is None or model is None:
            return entry
        payload = read_sealed(self.folder / f"{key}{SUFFIX}")
        if payload is None:
            return None
        try:
            blob = json.loads(payload)
            if blob.get("key") != key or blob.get("model") != schema_version(model):
                return None
            record = model.model_validate(_decode(blob["tree"]))
            warnings = tuple(
                Problem(Location(*w["at"]), w["code"], w["message"], w["hint"], Severity(w["severity"]))
                for w in blob["warnings"]
            )
            entry = Entry(record, warnings, frozenset(str(i) for i in blob["declared"]))
        except Exception as exc:  # noqa: BLE001 - a wrong-shaped entry is only a missed one
            log.info("ignoring the cached entry %s: %s", key, exc)
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
        entry = self.get(key, model)
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
                _write(self.folder / f"{key}{SUFFIX}", key, self.entries[key])
            with contextlib.suppress(OSError):
                for path in self.folder.iterdir():
                    if path.suffix == SUFFIX and path.stem not in self.used:
                        path.unlink(missing_ok=True)
        self.used = set()
        self.new = set()


def _write(path: Path, key: str, entry: Entry) -> None:
    """Keep ``entry`` as sealed JSON: the parsed tree of its file, its warnings and declared IDs."""
    tree = getattr(entry.record, "_src", None)
    if tree is None:
        return  # a record without its parsed tree stays in memory only
    try:
        blob = {
            "key": key,
            "model": schema_version(type(entry.record)),  # type: ignore[arg-type]
            "tree": _encode(tree),
            "warnings": [
                {
                    "at": list(w.location),
                    "code": w.code,
                    "message": w.message,
                    "hint": w.hint,
                    "severity": w.severity.value,
                }
                for w in entry.warnings
            ],
            "declared": sorted(entry.declared),
        }
        payload = json.dumps(blob, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    except (TypeError, ValueError, RecursionError) as exc:
        log.info("could not keep the validated-file cache entry %s: %s", path, exc)
        return
    write_sealed(path, payload)


_TREE: tuple[Any, Any] | None = None


def register_tree(mapping: type, sequence: type) -> None:
    """The loader's marked mapping and sequence types (``mark``, ``key_marks``, ``value_marks``,
    ``item_marks``), which the validated-file cache keeps as JSON (told by :mod:`uprkb.load.dataset`)."""
    global _TREE
    _TREE = (mapping, sequence)


def _encode(node: Any) -> Any:
    """A parsed YAML tree (with its marks) as plain JSON values."""
    if _TREE is None:
        raise TypeError("no tree types registered")
    mapping, sequence = _TREE
    if isinstance(node, mapping):
        return {
            "d": [
                [k, _encode(v), list(node.key_marks.get(k, node.mark)), list(node.value_marks.get(k, node.mark))]
                for k, v in node.items()
            ],
            "m": list(node.mark),
        }
    if isinstance(node, sequence):
        return {"l": [_encode(v) for v in node], "m": list(node.mark), "im": [list(m) for m in node.item_marks]}
    if isinstance(node, datetime.datetime):
        return {"datetime": node.isoformat()}
    if isinstance(node, datetime.date):
        return {"date": node.isoformat()}
    if node is None or isinstance(node, (str, bool, int, float)):
        return node
    raise TypeError(f"cannot keep a {type(node).__name__} in the cache")


def _decode(node: Any) -> Any:
    if _TREE is None:
        raise TypeError("no tree types registered")
    mapping, sequence = _TREE
    if isinstance(node, dict):
        if "d" in node:
            out = mapping(Location(*node["m"]))
            for k, v, km, vm in node["d"]:
                if not isinstance(k, str):
                    raise TypeError("a key that is not text")
                out[k] = _decode(v)
                out.key_marks[k] = Location(*km)
                out.value_marks[k] = Location(*vm)
            return out
        if "l" in node:
            items = sequence(Location(*node["m"]))
            items.extend(_decode(v) for v in node["l"])
            items.item_marks.extend(Location(*m) for m in node["im"])
            return items
        if "datetime" in node:
            return datetime.datetime.fromisoformat(node["datetime"])
        if "date" in node:
            return datetime.date.fromisoformat(node["date"])
        raise TypeError("an unknown node")
    if isinstance(node, list):
        raise TypeError("a bare list")
    return node


class TemplateCodeCache(jinja2.BytecodeCache):
    """Compiled Jinja templates kept in memory for the life of the process, never on disk.

    An environment made anew (each ``generate`` run, each MkDocs build of the preview)
    then skips compiling the templates again: compiling them was half of a cold generation
    of the seed. Jinja checks every entry against a checksum of the template's source (and
    its own bytecode version), so an edited template is compiled afresh. Nothing compiled is
    written to or read from disk: the caches that outlive a run hold data, never code.
    """

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = self.store.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


TEMPLATE_CODE = TemplateCodeCache()
"""The compiled templates of this process."""

_active: FileCache | None = None


def active() -> FileCache | None:
    """The cache that :func:`uprkb.load.dataset.validate_file` consults, if any."""
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


def for_project(cache: Path) -> FileCache | None:
    """The validated-file cache in a project's cache folder ``cache`` (none with ``UPRKB_NO_CACHE=1``)."""
    if os.environ.get("UPRKB_NO_CACHE"):
        return None
    return FileCache(cache / FOLDER_NAME)


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
