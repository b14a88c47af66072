"""UPR Info's rows against the official IDs of the report or matrix: which row is which recommendation.

UPR Info numbers nothing and splits a recommendation made by several States into one
row per State, so one official ID may hold several rows. A row is matched to the
official record with the most similar text (rapidfuzz, after normalising case,
punctuation and white space) among those its recommending State made; when no record
of that State is close enough, among all records with a stricter threshold. Each match
keeps its score, and every disagreement between the two sources (position, States).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

from uprkb.core.errors import DataError, Location, Problem, Problems, display_path
from uprkb.importers.mapping import normalise_label
from uprkb.load.loader import load_file

_OFFICIAL = re.compile(r"^[0-9]+(?:\.[0-9]+)+$")
STATE_THRESHOLD = 80.0
"""The least similarity for a match among the records of the row's own State."""
ANY_THRESHOLD = 92.0
"""The least similarity for a match among all records (the row's State is not among the record's)."""


def text_key(text: str) -> str:
    """A recommendation's text for comparison: the trailing States and punctuation dropped, labels normalised."""
    return normalise_label(re.sub(r"\s*\([^()]*\)\s*[;.]?\s*$", "", text.strip()))


@dataclass
class Match:
    row: str
    """The UPR Info row's assigned ID."""
    official: str | None
    score: float
    how: str
    """``state`` (among the row's State's records), ``text`` (among all), or ``none``."""


@dataclass
class Reconciliation:
    review: str
    matches: list[Match] = field(default_factory=list)
    disagreements: list[dict[str, Any]] = field(default_factory=list)
    official_ids: list[str] = field(default_factory=list)

    @property
    def matched(self) -> list[Match]:
        return [m for m in self.matches if m.official]

    @property
    def unmatched(self) -> list[Match]:
        return [m for m in self.matches if not m.official]

    def aliases(self) -> dict[str, list[str]]:
        """Official ID → the assigned IDs matched to it."""
        out: dict[str, list[str]] = {}
        for m in self.matched:
            out.setdefault(m.official or "", []).append(m.row)
        return out


def _score(a: str, b: str, **kwargs: Any) -> float:
    """Similarity of two texts: whole-text, or a row's text within an official record that joins several."""
    return max(fuzz.token_sort_ratio(a, b), fuzz.partial_ratio(a, b) if len(a) >= 12 else 0.0)


def _iso3s(rec: Mapping[str, Any]) -> set[str]:
    return {s.get("iso3") or s.get("name", "") for s in rec.get("recommending_states", [])}


def reconcile(review: str, rows: Iterable[Mapping[str, Any]], official: Iterable[Mapping[str, Any]]) -> Reconciliation:
    """Match UPR Info's rows (assigned IDs) to official records; both as record fields (``id``, ``text`` …)."""
    records = list(official)
    keys = [text_key(str(r["text"])) for r in records]
    by_state: dict[str, list[int]] = {}
    for i, rec in enumerate(records):
        for code in _iso3s(rec):
            by_state.setdefault(code, []).append(i)
    out = Reconciliation(review, official_ids=[str(r["id"]) for r in records])
    rows = list(rows)
    for row in rows:
        key = text_key(str(row["text"]))
        best: tuple[int, float, str] | None = None
        for code in _iso3s(row):
            choices = {i: keys[i] for i in by_state.get(code, [])}
            hit = process.extractOne(key, choices, scorer=_score, score_cutoff=STATE_THRESHOLD)
            if hit and (best is None or hit[1] > best[1]):
                best = (int(hit[2]), float(hit[1]), "state")
        if best is None:
            hit = process.extractOne(key, keys, scorer=fuzz.token_sort_ratio, score_cutoff=ANY_THRESHOLD)
            if hit:
                best = (int(hit[2]), float(hit[1]), "text")
        if best is None:
            out.matches.append(Match(str(row["id"]), None, 0.0, "none"))
            continue
        rec = records[best[0]]
        out.matches.append(Match(str(row["id"]), str(rec["id"]), round(best[1], 1), best[2]))
        row_pos, rec_pos = row.get("position", "unknown"), rec.get("position", "unknown")
        if row_pos != rec_pos and "unknown" not in (row_pos, rec_pos):
            out.disagreements.append(
                {"id": rec["id"], "row": row["id"], "field": "position", "official": rec_pos, "upr-info": row_pos}
            )
        if not _iso3s(row) <= _iso3s(rec):
            out.disagreements.append(
                {
                    "id": rec["id"],
                    "row": row["id"],
                    "field": "recommending_states",
                    "official": sorted(_iso3s(rec)),
                    "upr-info": sorted(_iso3s(row)),
                }
            )
    return out


def report(
    rec: Reconciliation, rows: Mapping[str, Mapping[str, Any]], official: Mapping[str, Mapping[str, Any]]
) -> dict[str, Any]:
    """The reconciliation as plain data (for YAML/JSON): per official ID what each source says."""
    aliases = rec.aliases()
    ids: dict[str, Any] = {}
    for oid in rec.official_ids:
        o = official[oid]
        entry: dict[str, Any] = {
            "official": {
                "position": o.get("position", "unknown"),
                "states": sorted(_iso3s(o)),
            },
            "upr-info": [
                {
                    "id": rid,
                    "position": rows[rid].get("position", "unknown"),
                    "states": sorted(_iso3s(rows[rid])),
                    "score": next(m.score for m in rec.matches if m.row == rid),
                }
                for rid in aliases.get(oid, [])
            ],
        }
        ids[oid] = entry
    return {
        "review": rec.review,
        "summary": {
            "official_ids": len(rec.official_ids),
            "rows": len(rec.matches),
            "matched": len(rec.matched),
            "unmatched": len(rec.unmatched),
            "ids_with_rows": len(aliases),
            "disagreements": len(rec.disagreements),
        },
        "ids": ids,
        "unmatched": [{"id": m.row, "text": rows[m.row].get("text", "")} for m in rec.unmatched],
        "disagreements": rec.disagreements,
    }


GENERATED = "uprkb review reconcile"
"""The mark a reconciliation file carries, so the command knows it may overwrite it."""


def reconcile_review(data_dir: Path, review_id: str) -> tuple[Reconciliation, dict[str, Any]]:
    """Reconcile a review in the data: its UPR Info rows (assigned IDs) against its official records."""
    path = data_dir / "reviews" / review_id / "recommendations.yaml"
    problems = Problems()
    data = load_file(path, display_path(path), problems) if path.exists() else None
    if data is None:
        raise DataError(
            problems.items
            or [
                Problem(
                    Location.of(path), "unknown-review", f"the review '{review_id}' has no recommendations.yaml", ""
                )
            ],
            footer="Nothing was reconciled.",
        )
    recs = json.loads(json.dumps(list(data.get("recommendations", []))))
    rows = {r["id"]: r for r in recs if r.get("id_assigned") and "upr-info" in r.get("provenance", [])}
    official = {r["id"]: r for r in recs if not r.get("id_assigned")}
    result = reconcile(review_id, rows.values(), official.values())
    out = report(result, rows, official)
    out["generated_by"] = GENERATED
    return result, out


def apply_aliases(data_dir: Path, result: Reconciliation) -> int:
    """Fold each matched UPR Info row into its official record: its ID becomes one of the record's ``aliases``.

    The row's own fields are dropped (the reconciliation file keeps what it said); references to
    its assigned ID resolve to the official record. Returns how many rows were folded.
    """
    from uprkb.importers.writer import data_lock

    with data_lock(data_dir):
        return _apply_aliases(data_dir, result)


def _apply_aliases(data_dir: Path, result: Reconciliation) -> int:
    from uprkb.core.yamlout import dump
    from uprkb.importers.writer import RECS_HEADER, commit

    path = data_dir / "reviews" / result.review / "recommendations.yaml"
    problems = Problems()
    data = json.loads(json.dumps(load_file(path, display_path(path), problems)))
    aliases = result.aliases()
    folded = {a for ids in aliases.values() for a in ids}
    recs = []
    for r in data["recommendations"]:
        if r["id"] in folded:
            continue
        if r["id"] in aliases:
            keys = list(r)
            r = dict(r)
            r["aliases"] = sorted(set(r.get("aliases", [])) | set(aliases[r["id"]]))
            if "aliases" not in keys:  # just after the ID fields, as the model orders them
                at = keys.index("text")
                keys.insert(at, "aliases")
            r = {k: r[k] for k in keys}
        recs.append(r)
    if all(_OFFICIAL.match(r["id"]) for r in recs):
        recs.sort(key=lambda r: tuple(int(p) for p in r["id"].split(".")))
    commit({path: dump({**data, "recommendations": recs}, RECS_HEADER)}, data_dir.resolve().parent)
    return len(folded)


def report_lines(out: dict[str, Any]) -> list[str]:
    """The reconciliation for the command line: per ID, then the unmatched rows and the disagreements."""
    s = out["summary"]
    lines = [
        f"{out['review']}: {s['rows']} UPR Info row(s), {s['official_ids']} official ID(s); "
        f"{s['matched']} matched to {s['ids_with_rows']} ID(s), {s['unmatched']} unmatched, "
        f"{s['disagreements']} disagreement(s)"
    ]
    for oid, entry in out["ids"].items():
        o = entry["official"]
        said = "; ".join(
            f"{u['id']} {u['position']} {','.join(u['states'])} ({u['score']:.0f})" for u in entry["upr-info"]
        )
        lines.append(f"  {oid}: official {o['position']} {','.join(o['states'])} | UPR Info: {said or '(no row)'}")
    if out["unmatched"]:
        lines.append("Unmatched UPR Info rows:")
        lines += [f"  {u['id']}: {u['text'][:100]}" for u in out["unmatched"]]
    if out["disagreements"]:
        lines.append("Disagreements:")
        lines += [
            f"  {d['id']} ({d['row']}) {d['field']}: official {d['official']}, UPR Info {d['upr-info']}"
            for d in out["disagreements"]
        ]
    return lines
