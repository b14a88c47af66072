"""The one cache policy of the project, and the validated-file cache.

Every disk cache lives in the project's cache folder (``.cache/`` beside ``mkdocs.yml``; delete it at any
time) under one policy, kept here. Entries are **keyed** by their inputs' bytes, the code that makes them and
the versions of its tools (:func:`cache_key`); **sealed** with an HMAC (:func:`seal`; :func:`seal_json` for a
cache kept as readable JSON) under a secret kept outside the project (``~/.local/state/uprkb/cache-secret``,
or ``UPRKB_CACHE_SECRET``), so one edited, planted, copied or torn is discarded and made again, and what a cache
gives (a database published as it is) is what this code made; **regular files, size checked first**
(:func:`read_entry`: a symbolic link, device, pipe or file over its :class:`Policy`'s limit is discarded
unopened, a file read to its limit, no further); **bounded** (a :class:`Store` per folder, ``validated``,
``documents``, ``sqlite``, prunes its oldest entries past its bounds and anything in it not an entry; the link
check's one file keeps its entries under ``POLICIES["links"]``). They hold data, never code: nothing is
unpickled, and compiled templates stay in memory (:data:`TEMPLATE_CODE`).

The validated-file cache (:class:`FileCache`) keeps a data file that validated cleanly while its bytes, the
path shown in messages, the model's schema (:func:`schema_version`) and the code (:func:`code_version`) are the
same; a file with an error is reported afresh every run. An entry holds the parsed YAML tree (with its marks)
as JSON, validated against the model again on a hit. The build keeps one file per entry in ``.cache/validated/``
and drops those its latest run did not use; the preview also keeps them in memory.
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
import stat
import sys
import tempfile
import threading
import time
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
from uprkb.core.settings import environ

log = logging.getLogger(__name__)

FORMAT = 2  # bumped when the layout of an entry changes
FOLDER_NAME = "validated"
SUFFIX = ".json"
SEAL = b"uprkb-cache-2 "

Validate = Callable[[Path, Any, Problems, "set[str] | None"], Any]


@functools.cache
def code_version(package: Path = PACKAGE) -> str:
    """A hash of every Python source file of the package and of the Python and pydantic versions."""
    digest = hashlib.sha256(f"{FORMAT}|{sys.version}|{pydantic.VERSION}".encode())
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+|(?<=:)\d{6,}(?=')")
"""Memory addresses in a core schema: of functions, and in the ``ref`` of each model ('module.Name:1234')."""


@functools.cache
def schema_version(model: type[pydantic.BaseModel]) -> str:
    """The model's name and a fingerprint of its validation schema (fields, types, constraints, validators):
    pydantic's core schema without memory addresses, the same in every process (a tenth of the JSON schema's cost)."""
    schema = _ADDRESS.sub("", repr(model.__pydantic_core_schema__))
    return f"{model.__module__}.{model.__qualname__}:{hashlib.sha256(schema.encode()).hexdigest()}"


def _code_digest(files: tuple[Path, ...]) -> str:
    digest = hashlib.sha256()
    for path in files:
        try:
            data = path.read_bytes()
        except OSError:
            data = b"<missing>"
        digest.update(path.name.encode() + b"\0" + data + b"\0")
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
    env = environ("UPRKB_CACHE_SECRET")
    if env:
        return env.encode("utf-8")
    home = Path(environ("XDG_STATE_HOME") or Path.home() / ".local" / "state") / "uprkb"
    path = home / "cache-secret"
    with contextlib.suppress(OSError):
        if len(data := path.read_bytes()) >= 32:
            return data
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


def _mac(payload: bytes) -> str:
    return hmac.new(_secret(), payload, hashlib.sha256).hexdigest()


def seal(payload: bytes) -> bytes:
    """``payload`` with a header line holding its HMAC-SHA256 under the cache secret."""
    return SEAL + _mac(payload).encode("ascii") + b"\n" + payload


SEAL_BYTES = len(SEAL) + 65  # the header line a seal adds


def unseal(blob: bytes) -> bytes | None:
    """The payload of a sealed file, or ``None`` when its seal does not check out."""
    head, sep, payload = blob.partition(b"\n")
    if not sep or not head.startswith(SEAL):
        return None
    return payload if hmac.compare_digest(head[len(SEAL) :], _mac(payload).encode("ascii")) else None


def _canonical(obj: dict[str, Any]) -> bytes:
    return json.dumps(obj, sort_keys=True, ensure_ascii=True, separators=(",", ":")).encode("ascii")


def seal_json(obj: dict[str, Any]) -> dict[str, Any]:
    """``obj`` with a ``seal`` member: the HMAC of its other members, for a cache kept as readable JSON."""
    return {**obj, "seal": _mac(_canonical(obj))}


def unseal_json(obj: Any) -> dict[str, Any] | None:
    """``obj`` without its ``seal``, or ``None`` when it is not an object whose seal checks out."""
    mac = obj.get("seal") if isinstance(obj, dict) else None
    if not isinstance(mac, str) or not mac.isascii():
        return None
    body = {k: v for k, v in obj.items() if k != "seal"}
    return body if hmac.compare_digest(mac, _mac(_canonical(body))) else None


@dataclass(frozen=True)
class Policy:
    """How one disk cache is bounded."""

    entry_bytes: int
    """The largest entry read (its payload); a larger file is discarded unread."""
    total_bytes: int
    """The most bytes kept, and ``entries`` the most entries: past either the oldest are pruned."""
    entries: int


_MIB = 1 << 20
POLICIES = {
    FOLDER_NAME: Policy(64 * _MIB, 4096 * _MIB, 200_000),
    "documents": Policy(256 * _MIB, 2048 * _MIB, 20_000),
    "sqlite": Policy(1024 * _MIB, 2048 * _MIB, 2),
    "links": Policy(64 * _MIB, 64 * _MIB, 100_000),
}
"""Every disk cache by its folder's name (``links``: the entries of the one link-cache file)."""
ENTRY_NAME = re.compile(r"[0-9a-f]{16,64}\.[a-z]{2,8}")
"""The name of an entry (its key and a suffix); anything else in a cache folder is foreign."""


def _discard(path: Path, why: str) -> None:
    log.info("discarding the cache file %s: %s", path, why)
    with contextlib.suppress(OSError):
        os.unlink(path)  # not a folder: unlink() refuses one


def read_entry(path: Path, limit: int) -> bytes | None:
    """The bytes of the cache file ``path`` when it is a regular file of at most ``limit`` bytes, else ``None``.

    A symbolic link (to ``/etc/passwd``, to ``/dev/zero``), device, pipe or larger file is removed unread (a
    folder is left). A file is opened without following links, checked to be the one looked at, and read
    to ``limit + 1`` bytes at most, whatever its size says."""
    try:
        st = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode) or st.st_size > limit:
        _discard(path, f"not a regular file of at most {limit} bytes (a link, device, pipe?); not read")
        return None
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        _discard(path, f"cannot be opened as a file ({exc.strerror})")
        return None
    with os.fdopen(fd, "rb") as f:
        now = os.fstat(f.fileno())
        same = stat.S_ISREG(now.st_mode) and (now.st_dev, now.st_ino) == (st.st_dev, st.st_ino)
        data = f.read(limit + 1) if same else b""
    if not same or len(data) > limit:
        _discard(path, "changed while it was read")
        return None
    return data


class Store:
    """One cache folder under its :class:`Policy`: sealed entries read through :func:`read_entry` (one that
    does not check out is discarded, to be made again), written atomically, pruned oldest first past the
    bounds (those this process used go last). A folder that is a symbolic link is not used."""

    def __init__(self, folder: Path, policy: Policy | None = None) -> None:
        self.folder = folder
        self.policy = policy or POLICIES.get(folder.name, POLICIES["documents"])
        self.used: set[str] = set()
        self._lock = threading.Lock()
        self._size = self._count = sys.maxsize // 2  # unknown until a prune counts them: the first write prunes

    def _usable(self) -> bool:
        return not environ("UPRKB_NO_CACHE") and not os.path.islink(self.folder)

    def read(self, name: str) -> bytes | None:
        """The payload of the entry ``name``; ``None`` when absent or discarded."""
        if not self._usable():
            return None
        blob = read_entry(self.folder / name, self.policy.entry_bytes + SEAL_BYTES)
        payload = unseal(blob) if blob is not None else None
        if blob is not None and payload is None:
            _discard(self.folder / name, "its seal does not check out")
        elif payload is not None:
            with self._lock:
                self.used.add(name)
        return payload

    def write(self, name: str, payload: bytes) -> None:
        """Keep ``payload`` sealed as the entry ``name`` (a failure only loses it); prune when past the bounds."""
        if not self._usable() or len(payload) > self.policy.entry_bytes:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", dir=self.folder)
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(seal(payload))
                os.replace(tmp, self.folder / name)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                raise
        except OSError as exc:
            log.info("could not write the cache file %s: %s", self.folder / name, exc)
            return
        with self._lock:
            self.used.add(name)
            self._size, self._count = self._size + len(payload) + SEAL_BYTES, self._count + 1
            over = self._size > self.policy.total_bytes or self._count > self.policy.entries
        if over:
            self.prune(keep=name)

    def prune(self, drop: Callable[[str], bool] | None = None, keep: str = "") -> None:
        """Remove what is foreign (not an entry's name, not a regular file) and the entries ``drop`` names; then,
        past the bounds, the oldest entries (those this process used go last; ``keep`` never)."""
        if not self._usable():
            return
        with self._lock:
            used = set(self.used)
        kept: list[tuple[bool, bool, float, str, int]] = []
        total = count = 0
        try:
            found = [(Path(i.path), i.name, i.stat(follow_symlinks=False)) for i in os.scandir(self.folder)]
        except OSError:
            return
        for path, name, st in found:
            if name.startswith("."):
                if stat.S_ISREG(st.st_mode) and time.time() - st.st_mtime < 3600:
                    continue  # being written now (an hour later, the leftover of a stopped run)
                _discard(path, "left by a stopped run")
            elif not (stat.S_ISREG(st.st_mode) and ENTRY_NAME.fullmatch(name)):
                _discard(path, "not an entry of this cache")
            elif drop is not None and drop(name):
                _discard(path, "not used by the latest run")
            else:
                kept.append((name == keep, name in used, st.st_mtime, name, st.st_size))
        for *_, old, size in sorted(kept, reverse=True):
            if old != keep and (total + size > self.policy.total_bytes or count + 1 > self.policy.entries):
                _discard(self.folder / old, "the oldest past the cache's bounds")
            else:
                total, count = total + size, count + 1
        with self._lock:
            self._size, self._count = total, count


_stores: dict[Path, Store] = {}
_stores_lock = threading.Lock()


def store(folder: Path) -> Store:
    """The :class:`Store` of ``folder`` in this process (one per folder, under its policy)."""
    with _stores_lock:
        return _stores.setdefault(folder, Store(folder))


def read_sealed(path: Path) -> bytes | None:
    """The payload of the sealed cache file ``path`` (an entry of its folder's :class:`Store`), or ``None``."""
    return store(path.parent).read(path.name)


def write_sealed(path: Path, payload: bytes) -> None:
    """Keep ``payload`` sealed as the cache file ``path`` (an entry of its folder's :class:`Store`)."""
    store(path.parent).write(path.name, payload)


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
    """Validated files by key, in memory; with ``folder``, also one file per entry kept between runs
    (so a run after an edit reads every entry but writes only the new one)."""

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
        """The entry for ``key``, from memory or its file (the parsed tree, validated against ``model``
        again); ``None`` when absent or when its seal, key, shape or validation does not check out."""
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
            used = {f"{key}{SUFFIX}" for key in self.used}
            store(self.folder).prune(drop=lambda name: name.endswith(SUFFIX) and name not in used)
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
                dict(at=list(w.location), code=w.code, message=w.message, hint=w.hint, severity=w.severity.value)
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
    if _TREE is None or isinstance(node, list):
        raise TypeError("no tree types registered" if _TREE is None else "a bare list")
    mapping, sequence = _TREE
    if not isinstance(node, dict):
        return node
    if "d" in node:
        out = mapping(Location(*node["m"]))
        for k, v, km, vm in node["d"]:
            if not isinstance(k, str):
                raise TypeError("a key that is not text")
            out[k] = _decode(v)
            out.key_marks[k], out.value_marks[k] = Location(*km), Location(*vm)
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


class TemplateCodeCache(jinja2.BytecodeCache):
    """Compiled Jinja templates kept in memory for the life of the process, never on disk: a new
    environment (each ``generate`` run, each preview build) skips compiling them again (half of a
    cold generation of the seed). Jinja checks each against its template's source and its own version."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if (data := self.store.get(bucket.key)) is not None:
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
    return None if environ("UPRKB_NO_CACHE") else FileCache(cache / FOLDER_NAME)


__all__ = [
    "TEMPLATE_CODE",
    "Entry",
    "FileCache",
    "Store",
    "TemplateCodeCache",
    "active",
    "code_version",
    "for_project",
    "schema_version",
    "using",
]
