"""The SQLite download: the same records as the JSON download, linked, searchable, openable anywhere."""

from __future__ import annotations

import importlib.util
import json
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from uprkb.check.validate import check
from uprkb.exports import sqlite as sqlite_export
from uprkb.exports.downloads import downloads, records, records_json
from uprkb.index.kb import public_index
from uprkb.present.links import Permalinks

URL = "https://upr-kb.example.org/"


def _database(data: Path, tmp_path: Path) -> tuple[dict[str, object], Path]:
    result = check(data)
    assert result.ok and result.kb is not None, result.problems.errors[:3]
    kb = public_index(result.kb, result.dataset)
    payload = json.loads(downloads(kb, Permalinks(URL))["knowledge-base.json"])
    db = tmp_path / "knowledge-base.sqlite"
    db.write_bytes(sqlite_export.database_bytes(records(kb, Permalinks(URL)), b"key", None))
    return payload, db


def _counts_equal(payload: dict[str, object], db: Path) -> None:
    kinds = Counter(r["kind"] for r in payload["records"])  # type: ignore[attr-defined, index]
    con = sqlite3.connect(db)
    for kind, table in sqlite_export.TABLES.items():
        n = con.execute(f"select count(*) from [{table}]").fetchone()[0] if kinds[kind] else 0
        assert n == kinds[kind], (kind, n, kinds[kind])
    assert set(kinds) <= set(sqlite_export.TABLES), set(kinds) - set(sqlite_export.TABLES)


def test_counts_equal_the_json_download_and_search_works(data: Path, tmp_path: Path) -> None:
    payload, db = _database(data, tmp_path)
    _counts_equal(payload, db)
    con = sqlite3.connect(db)
    # Every field of a record is a column; lists are JSON text that json_each reads.
    rec = next(r for r in payload["records"] if r["kind"] == "recommendation")  # type: ignore[attr-defined]
    row = con.execute(
        "select text, themes from recommendations where submission = ? and id = ?", (rec["submission"], rec["id"])
    ).fetchone()
    assert row[0] == rec["text"] and json.loads(row[1]) == rec["themes"]
    # Full-text search over the recommendations' text finds that recommendation by one of its words.
    word = max(rec["text"].split(), key=len).strip(".,;:()'\"")
    found = con.execute(
        "select r.id from recommendations_fts f join recommendations r on r.rowid = f.rowid "
        "where recommendations_fts match ?",
        (f'"{word}"',),
    ).fetchall()
    assert (rec["id"],) in found
    # The links: a recommendation's findings and sources are rows of their own.
    linked = con.execute(
        "select count(*) from finding_recommendations where submission = ? and recommendation = ?",
        (rec["submission"], rec["id"]),
    ).fetchone()[0]
    assert linked == len(rec["findings"])
    sources = sum(len(r["sources"]) for r in payload["records"] if r["kind"] in ("finding", "recommendation"))  # type: ignore[attr-defined]
    assert con.execute("select count(*) from record_sources").fetchone()[0] == sources


def test_reviews_and_follow_ups_are_linked(followup_data: Path, tmp_path: Path) -> None:
    payload, db = _database(followup_data, tmp_path)
    _counts_equal(payload, db)
    con = sqlite3.connect(db)
    received = [r for r in payload["records"] if r["kind"] == "received-recommendation"]  # type: ignore[attr-defined]
    assert received
    states = sum(len(r["recommending_states"]) for r in received)
    assert con.execute("select count(*) from recommending_states").fetchone()[0] == states
    # Every follow-up that the JSON resolves names a received recommendation that is in the database.
    resolved = con.execute(
        "select count(*) from follow_ups f join received_recommendations r on r.id = f.received_recommendation"
    ).fetchone()[0]
    expected = sum(
        1
        for r in payload["records"]  # type: ignore[attr-defined]
        for rel in ("follows_up", "taken_up_as", "assessments")
        for ref in r.get(rel, [])
        if ref["in_knowledge_base"]
    )
    assert expected and resolved == expected
    hits = con.execute(
        "select count(*) from received_recommendations_fts where received_recommendations_fts match 'torture'"
    ).fetchone()[0]
    assert hits == sum(1 for r in received if "tortur" in r["text"].lower())


def test_the_json_is_written_as_json_dumps_writes_it(data: Path) -> None:
    result = check(data)
    assert result.kb is not None
    kb = public_index(result.kb, result.dataset)
    items = list(records(kb, Permalinks(URL)))
    expected = json.dumps({"generator": "uprkb", "records": items}, ensure_ascii=False, indent=1) + "\n"
    assert records_json(items).decode("utf-8") == expected
    assert records_json([]).decode("utf-8") == json.dumps({"generator": "uprkb", "records": []}, indent=1) + "\n"


def test_datasette_opens_it(data: Path, tmp_path: Path) -> None:
    if importlib.util.find_spec("datasette") is None:
        pytest.skip("datasette is not installed (it is in requirements-dev.lock)")
    _payload, db = _database(data, tmp_path)
    out = subprocess.run(
        [sys.executable, "-m", "datasette", "inspect", str(db)], capture_output=True, text=True, timeout=120, check=True
    ).stdout
    assert "recommendations" in json.loads(out)[db.stem]["tables"]


def test_the_json_with_reviews_and_follow_ups_is_json_dumps_too(followup_data: Path) -> None:
    result = check(followup_data)
    assert result.kb is not None
    kb = public_index(result.kb, result.dataset)
    items = list(records(kb, Permalinks(URL)))
    assert any(r.get("assessments") for r in items) and any(r["kind"] == "received-recommendation" for r in items)
    expected = json.dumps({"generator": "uprkb", "records": items}, ensure_ascii=False, indent=1) + "\n"
    assert records_json(items).decode("utf-8") == expected
