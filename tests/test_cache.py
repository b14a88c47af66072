"""The validated-file cache: it saves re-reading unchanged files, and it can never hide an error.

A changed byte in the file, a changed schema or changed code each give a new key,
so the file is validated again and its error is reported.
"""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import pytest
from pydantic import Field

from uprkb.build.site import generate_docs
from uprkb.check.validate import check
from uprkb.core import cache
from uprkb.core.errors import Problems
from uprkb.core.project import Project
from uprkb.load.dataset import _validate_file, validate_file
from uprkb.model.records import Term, TermVocabulary

SECTION = "submissions/ili-kazakhstan-upr4/sections/05-freedom-of-torture.yaml"


def checked(data: Path, store: cache.FileCache | None) -> list[str]:
    with cache.using(store):
        result = check(data)
    return [p.format() for p in result.problems.sorted()]


def test_a_warm_cache_gives_the_same_problems_without_reading_the_files(project: Project, tmp_path: Path) -> None:
    store_path = tmp_path / "validated"
    plain = checked(project.data, None)
    first = cache.FileCache(store_path)
    assert checked(project.data, first) == plain
    assert first.hits == 0 and first.misses > 5
    assert len(list(store_path.glob("*.json"))) == first.misses
    second = cache.FileCache(store_path)
    assert checked(project.data, second) == plain  # warnings replayed, nothing lost
    assert (second.hits, second.misses) == (first.misses, 0)


def test_a_changed_byte_brings_the_error_back(project: Project, tmp_path: Path) -> None:
    store_path = tmp_path / "validated"
    assert not [p for p in checked(project.data, cache.FileCache(store_path)) if "error" in p.split("]")[0]]
    entries = set(store_path.iterdir())
    section = project.data / SECTION
    text = section.read_text(encoding="utf-8")
    assert "\nnumber: 5" in text
    section.write_text(text.replace("\nnumber: 5", "\nnumbr: 5"), encoding="utf-8")
    store = cache.FileCache(store_path)
    problems = checked(project.data, store)
    assert any("unknown-field" in p and "numbr" in p for p in problems), problems
    assert store.misses == 1  # only the changed file was read again
    # Its old entry is gone, and nothing new was written: a file with an error is not cached.
    assert len(set(store_path.iterdir())) == len(entries) - 1 and set(store_path.iterdir()) < entries
    # The file with the error is not cached: it is reported on every run.
    again = cache.FileCache(store_path)
    assert checked(project.data, again) == problems
    assert again.misses == 1


def _stricter_vocabulary() -> type[TermVocabulary]:
    """The same model, by module and name, with one more rule in its schema (at most 2 terms)."""

    class Stricter(TermVocabulary):
        terms: list[Term] = Field(max_length=2)

    Stricter.__name__ = Stricter.__qualname__ = TermVocabulary.__qualname__
    Stricter.__module__ = TermVocabulary.__module__
    return Stricter


def test_a_changed_schema_brings_the_error_back(tmp_path: Path, project: Project) -> None:
    themes = project.data / "vocabularies" / "themes.yaml"
    store = cache.FileCache(tmp_path / "validated")
    problems = Problems()
    assert store.validate(themes, TermVocabulary, problems, None, _validate_file) is not None
    assert not problems.errors
    stricter = _stricter_vocabulary()
    assert cache.schema_version(stricter) != cache.schema_version(TermVocabulary)
    problems = Problems()
    assert store.validate(themes, stricter, problems, None, _validate_file) is None
    assert len(problems.errors) == 1 and "terms" in problems.errors[0].message
    assert (store.hits, store.misses) == (0, 2)


def test_other_code_never_trusts_the_cache(project: Project, tmp_path: Path) -> None:
    """An entry written by other code (say, an older version that accepted the file) is not used."""
    store_path = tmp_path / "validated"
    section = project.data / SECTION
    good = cache.FileCache(store_path, code="older code")
    problems = Problems()
    record = good.validate(section, _section_model(), problems, None, _validate_file)
    assert record is not None
    # That older code also accepted the broken file: poison its cache with the broken bytes' key.
    section.write_text(section.read_text(encoding="utf-8").replace("\nnumber: 5", "\nnumbr: 5"), encoding="utf-8")
    key = good.key(section.read_bytes(), _section_model(), cache.display_path(section))
    good.put(key, cache.Entry(record, (), frozenset()))
    good.finish()
    older = cache.FileCache(store_path, code="older code")
    assert older.get(key, _section_model()) is not None  # that code would take the broken file from its cache
    current = cache.FileCache(store_path)  # this code's version
    problems = Problems()
    with cache.using(current):
        assert validate_file(section, _section_model(), problems) is None
    assert sorted(p.code for p in problems.errors) == ["missing-field", "unknown-field"]
    assert (current.hits, current.misses) == (0, 1)


def _section_model() -> type:
    from uprkb.model.records import Section

    return Section


def test_the_code_version_follows_every_byte_of_the_package(tmp_path: Path) -> None:
    package = tmp_path / "uprkb"
    shutil.copytree(cache.PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
    before = cache.code_version(package)
    assert before == cache.code_version.__wrapped__(package)
    models = package / "model" / "records.py"
    models.write_bytes(models.read_bytes() + b"\n")
    assert cache.code_version.__wrapped__(package) != before


@pytest.mark.parametrize("content", [b"", b"not a pickle", pickle.dumps({"code": "x", "entries": []})])
def test_an_unreadable_entry_is_only_a_miss(project: Project, tmp_path: Path, content: bytes) -> None:
    store_path = tmp_path / "validated"
    plain = checked(project.data, None)
    assert checked(project.data, cache.FileCache(store_path)) == plain
    for entry in store_path.iterdir():
        entry.write_bytes(content)
    store = cache.FileCache(store_path)
    assert checked(project.data, store) == plain
    assert store.hits == 0 and store.misses > 5
    again = cache.FileCache(store_path)  # rewritten
    assert checked(project.data, again) == plain and again.misses == 0


def test_the_build_keeps_its_cache_beside_the_config_and_drops_what_it_did_not_use(project: Project) -> None:
    generate_docs(project)
    stored = project.config.parent / ".cache" / cache.FOLDER_NAME
    count = len(list(stored.glob("*.json")))
    assert count >= 5
    shutil.rmtree(project.data / "submissions" / "ili-kazakhstan-upr4" / "sections")
    with pytest.raises(Exception):  # noqa: B017 - the submission lists sections that are now gone
        generate_docs(project)
    assert 0 < len(list(stored.glob("*.json"))) < count


def test_an_edit_writes_one_entry(project: Project, tmp_path: Path) -> None:
    store_path = tmp_path / "validated"
    checked(project.data, cache.FileCache(store_path))
    before = {p.name: p.stat().st_mtime_ns for p in store_path.iterdir()}
    section = project.data / SECTION
    section.write_text(section.read_text(encoding="utf-8").replace("Ensure fair", "Ensure a fair"), encoding="utf-8")
    store = cache.FileCache(store_path)
    checked(project.data, store)
    after = {p.name: p.stat().st_mtime_ns for p in store_path.iterdir()}
    assert (store.hits, store.misses) == (len(before) - 1, 1)
    assert len(after.keys() - before.keys()) == 1 and len(before.keys() - after.keys()) == 1
    assert all(after[name] == before[name] for name in after.keys() & before.keys())


def test_the_keys_are_the_same_in_every_process() -> None:
    """A key that changed from one run to the next (a memory address in it) would make the cache useless."""
    import os
    import subprocess
    import sys

    from tests.project import PROJECT
    from uprkb.model.records import Section

    code = "from uprkb.core import cache; from uprkb.model.records import Section; print(cache.schema_version(Section))"
    # The package is not installed into .venv: the child process finds it the way pytest does, in src/.
    env = {**os.environ, "PYTHONPATH": str(PROJECT / "src")}

    def key() -> str:
        return subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
        ).stdout.strip()

    runs = {key(), key()}
    assert runs == {cache.schema_version(Section)}


def test_compiled_templates_are_kept_in_memory_and_never_outlive_their_source(tmp_path: Path) -> None:
    """A new environment reuses compiled templates; an edited one is compiled afresh; nothing goes to disk."""
    import jinja2

    from uprkb.core.cache import TemplateCodeCache

    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "t.md.j2").write_text("first {{ x }}")
    compiled: list[str] = []

    class Counting(TemplateCodeCache):
        def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            compiled.append(bucket.key)
            super().dump_bytecode(bucket)

    code = Counting()

    def render() -> str:
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(templates)), bytecode_cache=code)
        return env.get_template("t.md.j2").render(x=1)

    assert render() == "first 1" and len(compiled) == 1
    assert render() == "first 1" and len(compiled) == 1, "compiled again instead of reused"
    (templates / "t.md.j2").write_text("second {{ x }}")
    assert render() == "second 1" and len(compiled) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["templates"]
