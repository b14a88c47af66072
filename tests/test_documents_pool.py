"""Word and PDF documents made by a pool of workers, only for submissions whose text changed."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from uprkb.check.validate import check
from uprkb.exports import documents
from uprkb.exports import docx as docx_export
from uprkb.index.kb import KnowledgeBase, public_index


def _kb(data: Path) -> KnowledgeBase:
    result = check(data)
    assert result.ok and result.kb is not None, result.problems.errors[:3]
    return public_index(result.kb, result.dataset)


def test_the_pool_makes_each_missing_document_once_and_in_parallel(
    followup_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kb = _kb(followup_data)
    subs = kb.submissions
    assert len(subs) >= 3
    made: list[str] = []
    threads: set[str] = set()
    real = docx_export.export_docx

    def counting(sub, output, *args, **kw):  # type: ignore[no-untyped-def]
        made.append(sub.id)
        threads.add(threading.current_thread().name)
        return real(sub, output, *args, **kw)

    monkeypatch.setattr(docx_export, "export_docx", counting)
    files, warnings = documents.all_document_files(subs, tmp_path / "cache", with_pdf=False, jobs=3)
    assert not warnings
    assert sorted(made) == sorted(s.id for s in subs)  # each once
    assert len(threads) > 1 and all(t.startswith("uprkb-documents") for t in threads)
    assert list(files) == [f"{s.id}.docx" for s in subs]  # in submission order
    assert all(content.startswith(b"PK") for content in files.values())

    # Nothing changed: every document comes from the cache, none is made again.
    made.clear()
    again, _ = documents.all_document_files(subs, tmp_path / "cache", with_pdf=False, jobs=3)
    assert made == [] and again == files


def test_only_the_changed_submission_is_made_again(
    followup_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    data = tmp_path / "data"
    shutil.copytree(followup_data, data)
    cache = tmp_path / "cache"
    before = _kb(data)
    documents.all_document_files(before.submissions, cache, with_pdf=False, jobs=2)
    sub = before.submissions[0]
    section = next((data / "submissions" / sub.id / "sections").glob("*.yaml"))
    text = section.read_text(encoding="utf-8")
    word = sub.recommendations[0].text.split()[-1].strip(".")
    assert word in text
    section.write_text(text.replace(word, word + " (changed)", 1), encoding="utf-8")
    made: list[str] = []
    real = docx_export.export_docx
    monkeypatch.setattr(
        docx_export, "export_docx", lambda s, out, *a, **k: (made.append(s.id), real(s, out, *a, **k))[1]
    )
    documents.all_document_files(_kb(data).submissions, cache, with_pdf=False, jobs=2)
    assert made == [sub.id]


def test_workers_follow_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UPRKB_DOCUMENT_WORKERS", "3")
    assert documents.workers() == 3
    monkeypatch.setenv("UPRKB_DOCUMENT_WORKERS", "none")
    assert 1 <= documents.workers() <= 8
