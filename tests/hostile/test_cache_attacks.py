"""Tampered disk caches: into every cache the build keeps (validated data, Word and PDF documents, the
SQLite database) go an entry with changed bytes, a foreign entry, and links to /etc/passwd and to
/dev/zero. The build then publishes what a clean build publishes, file for file (a PDF's dates aside),
no planted byte reaches the site or the build's warnings, every planted entry is gone or made again
by this code, and the link to /dev/zero is discarded unread (the build stays within its memory).
The cache policy itself (:mod:`uprkb.core.cache`) is checked on its own below: sizes before reads,
regular files only, bounds with the oldest pruned."""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import copy_project
from tests.project import PROJECT
from uprkb.build.site import build_site
from uprkb.core import cache
from uprkb.core.project import Project

CACHES = ("validated", "documents", "sqlite")
MARK = b"PLANTED-BY-AN-ATTACKER"
PASSWD = b"root:x:0:0"
_PDF_VOLATILE = re.compile(rb"/CreationDate\(D:[^)]*\)|/ModDate\(D:[^)]*\)|/ID \[[^\]]*\]|/DocChecksum /[0-9A-F]+")
"""What LibreOffice writes anew into each PDF it makes: its dates, its ID and a checksum over them."""


def published(site: Path) -> dict[str, bytes]:
    """Every file of a built site by path (a PDF without its dates and ID; links by their target)."""
    out: dict[str, bytes] = {}
    for path in sorted(site.rglob("*")):
        rel = path.relative_to(site).as_posix()
        if path.is_symlink():
            out[rel] = b"link:" + str(path.readlink()).encode()
        elif path.is_file():
            data = path.read_bytes()
            out[rel] = _PDF_VOLATILE.sub(b"", data) if rel.endswith(".pdf") else data
    return out


@dataclass
class Clean:
    project: Project
    site: dict[str, bytes]
    warm: Path
    """A copy of the cache folder as the clean build left it."""

    def restore(self) -> Path:
        """The project's cache folder as the clean build left it; returns it."""
        shutil.rmtree(self.project.cache, ignore_errors=True)
        shutil.copytree(self.warm, self.project.cache, symlinks=True)
        return self.project.cache

    def entries(self, name: str) -> list[Path]:
        found = sorted(p for p in (self.project.cache / name).iterdir() if re.fullmatch(r"[0-9a-f]+\.[a-z]+", p.name))
        assert found, f"the clean build left no entry in .cache/{name}"
        return found


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Clean]:
    """The seed built once from a cold cache (every build here makes its Word files with a fixed date)."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SOURCE_DATE_EPOCH", "1700000000")
        env.delenv("UPRKB_NO_CACHE", raising=False)
        project = copy_project(tmp_path_factory.mktemp("cache-attacks") / "project")
        build_site(project)
        warm = project.root.parent / "warm-cache"
        shutil.copytree(project.cache, warm, symlinks=True)
        yield Clean(project, published(project.site), warm)


def foreign_seal(payload: bytes) -> bytes:
    """``payload`` sealed as another machine (another secret) would seal it."""
    mac = hmac.new(b"another machine's secret, 32 bytes", payload, hashlib.sha256).hexdigest().encode()
    return cache.SEAL + mac + b"\n" + payload


def planted_database(payload: bytes) -> bytes:
    """The cached database with a table and a row added, as the attack on ``.cache/sqlite`` did."""
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "db.sqlite"
        db.write_bytes(payload)
        con = sqlite3.connect(db)
        con.execute("create table planted (note text)")
        con.execute("insert into planted values (?)", (MARK.decode(),))
        con.commit()
        con.close()
        return db.read_bytes()


def changed(name: str, payload: bytes) -> bytes:
    """The entry's payload with the attacker's bytes in it."""
    if name == "sqlite":
        return planted_database(payload)
    if name == "validated" and b"Submission of" in payload:
        return payload.replace(b"Submission of", MARK, 1)
    return payload[: len(payload) // 2] + MARK + payload[len(payload) // 2 + len(MARK) :]


def plant(entry: Path, name: str, kind: str) -> None:
    blob = entry.read_bytes()
    head, payload = blob.partition(b"\n")[::2] if blob.startswith(cache.SEAL) else (b"", blob)
    entry.unlink()
    if kind == "changed":  # the seal kept, the bytes under it changed
        entry.write_bytes((head + b"\n" if head else b"") + changed(name, payload))
    elif kind == "foreign":  # sealed, but not with this machine's secret
        entry.write_bytes(foreign_seal(changed(name, payload)))
    elif kind == "passwd":
        entry.symlink_to("/etc/passwd")
    else:
        entry.symlink_to("/dev/zero")


def plant_everywhere(clean: Clean, kind: str) -> list[Path]:
    """Every entry of every cache planted, and an unsealed file named like an entry beside them (never
    looked up, so it only waits to be pruned). Returns the entries planted."""
    clean.restore()
    planted = []
    for name in CACHES:
        for entry in clean.entries(name):
            plant(entry, name, kind)
            planted.append(entry)
        (clean.project.cache / name / ("0123456789abcdef" * 2 + entry.suffix)).write_bytes(MARK)
    return planted


def assert_as_clean(clean: Clean, planted: list[Path], warnings: list[str]) -> None:
    site = published(clean.project.site)
    assert sorted(set(site) ^ set(clean.site)) == []
    assert [name for name in site if site[name] != clean.site[name]] == []
    assert [name for name, data in site.items() if MARK in data or PASSWD in data] == []
    assert not [w for w in warnings if MARK.decode() in w or "root:x" in w]
    for entry in planted:
        assert not entry.is_symlink(), f"{entry} is still a link"
        if entry.exists():  # made again by this code: sealed with this machine's secret
            assert cache.unseal(entry.read_bytes()) is not None, entry
            assert MARK not in entry.read_bytes()


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["changed", "foreign", "passwd"])
def test_a_planted_cache_publishes_what_a_clean_build_does(clean: Clean, kind: str) -> None:
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SOURCE_DATE_EPOCH", "1700000000")
        planted = plant_everywhere(clean, kind)
        result = build_site(clean.project)
    assert_as_clean(clean, planted, [w.format() for w in result.warnings])


def build_in_a_process(project: Project, memory: int) -> tuple[int, int, str]:
    """Build ``project`` in a new process held to ``memory`` bytes of address space: its exit status, its
    peak resident memory (bytes) and its output. Run from here, so its cache keys are this process's."""
    import resource

    code = (
        "import sys; from pathlib import Path; from uprkb.build.site import build_site; "
        "from uprkb.core.project import Project; root = Path(sys.argv[1]); "
        "build_site(Project.at(root).with_(templates=root / 'templates'))"
    )
    env = {**os.environ, "PYTHONPATH": str(PROJECT / "src"), "SOURCE_DATE_EPOCH": "1700000000"}

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    with tempfile.TemporaryFile() as out:
        command = [sys.executable, "-c", code, str(project.root)]
        proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env, preexec_fn=limit)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        return proc.returncode, usage.ru_maxrss * 1024, out.read().decode("utf-8", "replace")


@pytest.mark.slow
def test_links_to_dev_zero_are_discarded_unread(clean: Clean) -> None:
    """Today's reader took a build to 3.8 GB and a bare MemoryError; held to 3 GB here, it would fail."""
    planted = plant_everywhere(clean, "zero")
    status, peak, output = build_in_a_process(clean.project, memory=3 << 30)
    assert status == 0, output[-3000:]
    assert "MemoryError" not in output and "Traceback" not in output
    assert peak < 1 << 30, f"the build peaked at {peak >> 20} MB"
    assert_as_clean(clean, planted, output.splitlines())


# -- the policy on its own ------------------------------------------------------------------------


def sparse(path: Path) -> None:
    """8 GiB on paper, nothing on disk: read whole, it would take the memory of the machine."""
    with path.open("wb") as f:
        f.truncate(8 << 30)


def test_an_entry_is_read_only_as_a_regular_file_within_its_limit(tmp_path: Path) -> None:
    store = cache.Store(tmp_path / "sqlite", cache.Policy(entry_bytes=1024, total_bytes=1 << 20, entries=10))
    store.write("a" * 40 + ".sqlite", b"kept")
    assert store.read("a" * 40 + ".sqlite") == b"kept"
    kinds: dict[str, Callable[[Path], object]] = {
        "passwd": lambda p: p.symlink_to("/etc/passwd"),
        "zero": lambda p: p.symlink_to("/dev/zero"),
        "fifo": lambda p: os.mkfifo(p),
        "folder": lambda p: p.mkdir(),
        "sparse": sparse,
        "sealed-but-large": lambda p: p.write_bytes(cache.seal(b"x" * 2048)),
    }
    for i, (kind, make) in enumerate(kinds.items()):
        entry = store.folder / f"{i:040x}.sqlite"
        make(entry)
        started = time.monotonic()
        assert store.read(entry.name) is None, kind
        assert time.monotonic() - started < 1, kind
        assert not entry.is_symlink() and (kind == "folder" or not entry.exists()), f"{kind} was not discarded"
    assert Path("/etc/passwd").is_file()  # a link is removed, never what it points to


def test_the_read_is_bounded_whatever_the_size_says(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file that grows after its size was looked at is read to the limit and one byte more, then refused."""
    entry = tmp_path / ("b" * 40 + ".json")
    entry.write_bytes(b"small")
    real = os.fdopen

    def growing(fd: int, *args: object, **kwargs: object) -> object:
        with open(entry, "ab") as more:
            more.write(b"x" * 4096)
        return real(fd, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(os, "fdopen", growing)
    assert cache.read_entry(entry, 100) is None


def test_a_store_is_bounded_and_prunes_the_oldest(tmp_path: Path) -> None:
    folder = tmp_path / "documents"
    folder.mkdir()
    old = []
    for i in range(5):  # left by earlier runs, oldest first
        entry = folder / f"{i:032x}.pdf"
        entry.write_bytes(cache.seal(b"x" * 100))
        os.utime(entry, (1_000_000 + i, 1_000_000 + i))
        old.append(entry)
    (folder / "notes.txt").write_bytes(MARK)  # not an entry: never kept
    store = cache.Store(folder, cache.Policy(entry_bytes=1000, total_bytes=1000, entries=3))
    store.write("f" * 32 + ".pdf", b"y" * 100)
    kept = sorted(p.name for p in folder.iterdir())
    assert kept == sorted([old[3].name, old[4].name, "f" * 32 + ".pdf"])
    store.write("e" * 32 + ".pdf", b"z" * 800)  # past the bytes: all but the entry just written go, oldest first
    assert sorted(p.name for p in folder.iterdir()) == ["e" * 32 + ".pdf"]


def test_old_databases_are_pruned(tmp_path: Path) -> None:
    from uprkb.exports import sqlite as export

    folder = tmp_path / "sqlite"
    records = [{"kind": "theme", "id": "t", "label": "A theme"}]
    for i in range(5):  # five builds, each of a changed knowledge base
        data = export.database_bytes(records, f"download {i}".encode(), folder)
        assert data.startswith(export.MAGIC)
        os.utime(folder / export.cache_name(f"download {i}".encode()), (1_000_000 + i, 1_000_000 + i))
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted(export.cache_name(f"download {i}".encode()) for i in (3, 4))


def test_a_cache_folder_that_is_a_link_is_not_used(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_bytes(b"not the cache's")
    (tmp_path / "sqlite").symlink_to(elsewhere)
    store = cache.Store(tmp_path / "sqlite")
    store.write("c" * 40 + ".sqlite", b"data")
    store.prune()
    assert sorted(p.name for p in elsewhere.iterdir()) == ["keep.txt"]
