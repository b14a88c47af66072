"""``knowledge-base.sqlite``: the whole knowledge base as an SQLite database, for researchers.

Made with sqlite-utils from the very records of ``knowledge-base.json``
(:func:`uprkb.exports.downloads.records`), so the two always hold the same
records: one table per kind of record, one row per record, every field of the
JSON as a column (lists and objects as JSON text, which SQLite's ``json_each``
reads), plus tables for the links between records, and full-text search over
the texts and titles. It opens in Datasette (``datasette knowledge-base.sqlite``)
or any SQLite client; the README (section "The database download")
shows three queries.

Tables (the JSON's ``kind`` → table):

* ``submissions``, ``sections``, ``findings``, ``recommendations``, ``sources``
  (keyed by ``submission`` and ``id``), ``reviews`` and ``received_recommendations``
  (keyed by ``id``; a received recommendation's ``id`` is ``<review>/<number>``),
  ``themes``, ``affected_persons``, ``sdg_targets``, ``instruments``, ``provisions``;
* links: ``finding_recommendations``, ``record_sources`` (a finding or recommendation
  and a source it cites), ``record_terms`` (a record and a theme, affected persons,
  SDG target or provision), ``follow_ups`` (a submission's finding or recommendation
  and the received recommendation it follows up, was taken up as, or assesses;
  ``relation`` says which),
  ``recommending_states`` (a received recommendation and each State that made it);
* full-text search (SQLite FTS5, through sqlite-utils: ``<table>_fts``) on the
  texts of findings, recommendations and received recommendations, and on titles.

The database is cached (``.cache/sqlite/``) under the one cache policy of
:mod:`uprkb.core.cache`: keyed by the JSON download it mirrors, this module's source
and the sqlite-utils and SQLite versions; sealed, so a database edited, planted or
replaced by a link in the cache is discarded and made again, never published; the
two newest kept. The bytes published are the bytes whose seal was checked.
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from uprkb.core.cache import cache_key, store, tool_version
from uprkb.core.project import PACKAGE

FILE_NAME = "knowledge-base.sqlite"
CACHE_VERSION = "2"
"""Bumped to make every cached database stale."""
MAGIC = b"SQLite format 3\0"

TABLES = {
    "submission": "submissions",
    "section": "sections",
    "finding": "findings",
    "recommendation": "recommendations",
    "source": "sources",
    "review": "reviews",
    "received-recommendation": "received_recommendations",
    "theme": "themes",
    "affected-persons": "affected_persons",
    "sdg-target": "sdg_targets",
    "instrument": "instruments",
    "provision": "provisions",
}
"""The JSON download's ``kind`` of record → its table."""

SCOPED = {"section", "finding", "recommendation", "source"}
"""Kinds whose IDs are unique within their submission: keyed by (submission, id)."""

SEARCHED = {
    "submissions": ["title", "organisation"],
    "sections": ["title"],
    "findings": ["text"],
    "recommendations": ["text"],
    "sources": ["title", "author"],
    "reviews": ["title"],
    "received_recommendations": ["text"],
}
"""The columns of each table that full-text search covers."""

TERM_FIELDS = {
    "themes": "theme",
    "affected_persons": "affected-persons",
    "sdg_targets": "sdg-target",
    "provisions": "provision",
}


def _links(record: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """The link rows a record gives: (table, row)."""
    kind = record["kind"]
    sub = record.get("submission")
    rid = record["id"]
    if kind == "recommendation":
        for finding in record.get("findings", []):
            yield "finding_recommendations", {"submission": sub, "finding": finding, "recommendation": rid}
    if kind in ("finding", "recommendation"):
        for source in record.get("sources", []):
            yield "record_sources", {"record_kind": kind, "submission": sub, "record": rid, "source": source}
        for relation in ("follows_up", "taken_up_as", "assessments"):
            for ref in record.get(relation, []):
                yield (
                    "follow_ups",
                    {
                        "record_kind": kind,
                        "submission": sub,
                        "record": rid,
                        "relation": relation,
                        "reference": ref.get("reference"),
                        "review": ref.get("review"),
                        "received_recommendation": ref.get("recommendation"),
                        "in_knowledge_base": bool(ref.get("in_knowledge_base")),
                    },
                )
    if kind in ("finding", "recommendation", "received-recommendation"):
        for field, vocabulary in TERM_FIELDS.items():
            if field == "provisions" and kind == "received-recommendation":
                continue
            for term in record.get(field) or []:
                yield (
                    "record_terms",
                    {
                        "record_kind": kind,
                        "submission": sub,
                        "review": record.get("review"),
                        "record": rid,
                        "vocabulary": vocabulary,
                        "term": term,
                    },
                )
    if kind == "received-recommendation":
        for state in record.get("recommending_states", []):
            yield "recommending_states", {"received_recommendation": rid, **state}


SCOPED_TABLES = {TABLES[k] for k in SCOPED}


def _column_type(value: Any) -> type:
    if isinstance(value, bool) or isinstance(value, int):
        return int
    if isinstance(value, float):
        return float
    return str


def _value(value: Any) -> Any:
    if value == []:
        return "[]"
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return value


def write_database(records: Iterable[dict[str, Any]], path: Path) -> dict[str, int]:
    """Write the records into a new SQLite database at ``path``; returns the rows of each table."""
    import sqlite_utils

    path.unlink(missing_ok=True)
    db = sqlite_utils.Database(path)
    db.conn.execute("PRAGMA journal_mode = OFF")
    db.conn.execute("PRAGMA synchronous = OFF")
    rows: dict[str, list[dict[str, Any]]] = {}
    links: dict[str, list[dict[str, Any]]] = {}
    counts: dict[str, int] = {}

    columns: dict[str, list[str]] = {}

    def flush(table: str, batch: list[dict[str, Any]], link: bool = False) -> None:
        """Insert a batch: the table made (by sqlite-utils) from the first, rows written by ``executemany``
        with lists and objects as JSON text (sqlite-utils' own insert is five times slower here)."""
        if not batch:
            return
        known = columns.get(table)
        names = list(dict.fromkeys(k for row in batch for k in row))
        if known is None:
            pk: Any = None if link else (("submission", "id") if table in SCOPED_TABLES else "id")
            types = {
                name: _column_type(next((r[name] for r in batch if r.get(name) is not None), None)) for name in names
            }
            db.table(table).create(types, pk=pk)
            known = columns[table] = names
        else:
            for name in names:
                if name not in known:
                    db.table(table).add_column(
                        name, _column_type(next((r[name] for r in batch if r.get(name) is not None), None))
                    )
                    known.append(name)
        sql = f"INSERT INTO [{table}] ({', '.join(f'[{c}]' for c in known)}) VALUES ({', '.join('?' * len(known))})"
        db.conn.executemany(sql, [[_value(row.get(c)) for c in known] for row in batch])
        counts[table] = counts.get(table, 0) + len(batch)
        batch.clear()

    with db.conn:
        for record in records:
            table = TABLES.get(record["kind"])
            if table is None:
                continue
            row = {k: v for k, v in record.items() if k != "kind"}
            batch = rows.setdefault(table, [])
            batch.append(row)
            if len(batch) >= 2000:
                flush(table, batch)
            for link_table, link_row in _links(record):
                lb = links.setdefault(link_table, [])
                lb.append(link_row)
                if len(lb) >= 5000:
                    flush(link_table, lb, link=True)
        for table, batch in rows.items():
            flush(table, batch)
        for table, batch in links.items():
            flush(table, batch, link=True)
    _index_and_search(db)
    db.conn.execute("VACUUM")
    db.conn.close()
    return counts


def _index_and_search(db: Any) -> None:
    names = set(db.table_names())
    for table, columns in (
        ("finding_recommendations", ["submission", "finding"]),
        ("finding_recommendations", ["submission", "recommendation"]),
        ("record_sources", ["submission", "record"]),
        ("record_sources", ["submission", "source"]),
        ("record_terms", ["vocabulary", "term"]),
        ("record_terms", ["record"]),
        ("follow_ups", ["received_recommendation"]),
        ("follow_ups", ["submission", "record"]),
        ("recommending_states", ["received_recommendation"]),
        ("recommending_states", ["name"]),
        ("received_recommendations", ["review"]),
        ("received_recommendations", ["position"]),
    ):
        if table in names and set(columns) <= set(db[table].columns_dict):
            db[table].create_index(columns, if_not_exists=True)
    for table, columns in SEARCHED.items():
        if table in names:
            present = [c for c in columns if c in db[table].columns_dict]
            if present:
                db[table].enable_fts(present, create_triggers=False, tokenize="porter")


def cache_name(key: bytes) -> str:
    """The cache entry of the database mirroring the JSON download ``key``, made by this code and these libraries."""
    tools = {"sqlite-utils": tool_version("sqlite-utils"), "sqlite": sqlite3.sqlite_version}
    return cache_key("sqlite", CACHE_VERSION, key, code=(PACKAGE / "exports" / "sqlite.py",), tools=tools) + ".sqlite"


def database_bytes(records: Iterable[dict[str, Any]], key: bytes, cache: Path | None) -> bytes:
    """The database of ``records`` as bytes; cached in the folder ``cache`` under ``key`` (the JSON download
    it mirrors). A cached database is returned only when its entry is a regular file within the cache's
    limit, its seal checks out and it is an SQLite file: the bytes returned, which the site publishes, are the
    ones checked. Anything else is discarded and the database made again."""
    entries = store(cache) if cache is not None else None
    name = cache_name(key)
    data = entries.read(name) if entries is not None else None
    if data is not None and data.startswith(MAGIC):
        return data
    with tempfile.TemporaryDirectory(prefix="uprkb-sqlite-") as tmp:
        made = Path(tmp) / FILE_NAME
        write_database(records, made)
        data = made.read_bytes()
    if entries is not None:
        entries.write(name, data)  # the oldest databases are pruned past the cache's bounds
    return data


__all__ = ["FILE_NAME", "TABLES", "cache_name", "database_bytes", "write_database"]
