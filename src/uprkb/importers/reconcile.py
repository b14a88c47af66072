"""UPR Info's rows against the official IDs of the report or matrix: which row is which recommendation.

UPR Info numbers nothing and splits a recommendation made by several States into one
row per State, so one official ID may hold several rows. A row is matched to the
official record with the most similar text (rapidfuzz, after normalising case,
punctuation and white space) among those its recommending State made; when no record
of that State is close enough, among all records with a stricter threshold. Each match
keeps its score, and every disagreement between the two sources (position, States).

``--apply`` (:func:`apply_review`) merges each matched row into its official record and
never erases: a field goes by a precedence (the official documents for the ID, text, States
and position; UPR Info for the action category, and for its labels where the documents give
none; a field only one source gives is taken from it), the editors' ``notes`` and ``tags``
stay, the rows' IDs become the record's ``aliases``, what UPR Info says otherwise is listed,
and the replaced file is copied first to ``backups/`` beside the data folder.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from rapidfuzz import fuzz, process

from uprkb.core.errors import DataError, Location, Problems, UserError, display_path
from uprkb.core.yamlout import dump
from uprkb.importers.fastcheck import twin
from uprkb.importers.mapping import normalise_label
from uprkb.importers.writer import RECS_HEADER, commit, data_lock
from uprkb.load.dataset import validate_file
from uprkb.model.refs import REC_OFFICIAL_RE, REVIEW_ID
from uprkb.model.reviews import FieldSources, ImportFormat, ReceivedRecommendation, ReceivedRecommendations

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


def check_review_id(review: str) -> str:
    """``review`` when it is a review ID (``svn-upr4``, :data:`uprkb.model.refs.REVIEW_ID`); a path never is."""
    if REVIEW_ID.fullmatch(review) is None:
        raise UserError(
            f"{review!r} is not a review ID",
            hint="give the review's ID, the name of its folder under data/reviews/: the State's ISO3 code in "
            "lower case, '-upr' and the cycle, e.g. 'svn-upr4'; nothing was reconciled",
        )
    return review


def load_review(data_dir: Path, review_id: str) -> tuple[Path, list[dict[str, Any]]]:
    """The review's ``recommendations.yaml`` and its records (validated, in their canonical form)."""
    check_review_id(review_id)
    path = data_dir / "reviews" / review_id / "recommendations.yaml"
    problems = Problems()
    if not path.exists():
        held = sorted(p.parent.name for p in (data_dir / "reviews").glob("*/recommendations.yaml"))
        same = [h for h in held if h[:3] == review_id[:3]]
        hint = (
            f"the data holds {', '.join(same)} for this State"
            if same
            else f"the data holds {', '.join(held[:10])}" + (" …" if len(held) > 10 else "")
            if held
            else "import the review first (import wg-report, import upr-info)"
        )
        problems.add(Location.of(path), "unknown-review", f"the review '{review_id}' is not in the data", hint)
    loaded = validate_file(path, ReceivedRecommendations, problems) if path.exists() else None
    if loaded is None:
        raise DataError(problems.items, footer="Nothing was reconciled.")
    return path, [_canonical(r) for r in loaded.recommendations]


def _canonical(rec: ReceivedRecommendation) -> dict[str, Any]:
    """A record as the writer writes it: JSON values, defaults left out, ``position`` always shown."""
    d: dict[str, Any] = rec.model_dump(mode="json", exclude_defaults=True)
    d.setdefault("position", rec.position.value)
    return {k: d[k] for k in REC_FIELDS if k in d}


def _reconcile_records(review_id: str, recs: list[dict[str, Any]]) -> tuple[Reconciliation, dict[str, Any]]:
    rows = {r["id"]: r for r in recs if r.get("id_assigned") and UPR_INFO in r.get("provenance", [])}
    official = {r["id"]: r for r in recs if not r.get("id_assigned")}
    result = reconcile(review_id, rows.values(), official.values())
    out = report(result, rows, official)
    out["generated_by"] = GENERATED
    return result, out


def reconcile_review(data_dir: Path, review_id: str) -> tuple[Reconciliation, dict[str, Any]]:
    """Reconcile a review in the data: its UPR Info rows (assigned IDs) against its official records."""
    _, recs = load_review(data_dir, review_id)
    return _reconcile_records(review_id, recs)


# ---------------------------------------------------------------------------
# --apply: merge each matched row into its official record
# ---------------------------------------------------------------------------

UPR_INFO = ImportFormat.upr_info.value
REC_FIELDS = list(ReceivedRecommendation.model_fields)
LABELS = ("themes", "affected_persons", "sdg_goals", "sdg_targets")
"""Tags both kinds of source give: the official documents' where they give any, else UPR Info's."""
STATE_FIELDS = ("regional_group", "organisations")
"""What UPR Info says of a recommending State that the official documents do not."""
FILLED = ("claim", "state_comment")
"""The official documents' fields that a row fills only where they give none."""
_FORMAT_ORDER = {f.value: i for i, f in enumerate(ImportFormat)}


@dataclass
class Difference:
    """A field the sources give differently, and which one ``--apply`` kept (by the precedence)."""

    id: str
    field: str
    kept: str
    """Whose value was kept, with the value: ``the official [a, b]``, ``u-3f2a9c1b's 4``, ``unknown``."""
    others: list[str]
    """Each other value, with its row: ``u-77aa01c2 5``."""
    by: str = "UPR Info"
    """Whose the other values are."""

    def line(self) -> str:
        return f"{self.id} {self.field}: kept {self.kept}; {self.by} says {', '.join(self.others)}"


@dataclass
class Merge:
    """What ``--apply`` does to a review's records: the records to write and what to report."""

    records: list[dict[str, Any]]
    folded: int = 0
    """UPR Info rows merged into official records."""
    into: int = 0
    """Official records that received rows."""
    taken: Counter[str] = field(default_factory=Counter)
    """Per field, the records that took it from UPR Info (the official documents give none)."""
    notes: int = 0
    """Merged records that carry editors' notes or tags (every one of the record's and its rows' is kept)."""
    differences: list[Difference] = field(default_factory=list)
    backup: Path | None = None
    """Where the replaced file was copied (``None`` when nothing was written)."""


def _shown(value: Any) -> str:
    return f"[{', '.join(str(v) for v in value)}]" if isinstance(value, list) else str(value)


def _union(lists: Iterable[Iterable[Any]]) -> list[Any]:
    out: list[Any] = []
    for items in lists:
        out.extend(i for i in items if i not in out)
    return out


def _state_key(state: Mapping[str, Any]) -> str:
    return str(state.get("iso3") or normalise_label(str(state.get("name", ""))))


class _RecordMerge:
    """One official record and the UPR Info rows matched to it, merged field by field."""

    def __init__(self, official: dict[str, Any], rows: list[dict[str, Any]]) -> None:
        order = [_state_key(s) for s in official["recommending_states"]]
        rank = {k: i for i, k in enumerate(order)}
        # The rows in the order of the record's States, so "the first row" is the first State's.
        self.rows = sorted(
            rows, key=lambda r: min(rank.get(_state_key(s), len(rank)) for s in r["recommending_states"])
        )
        self.rec = json.loads(json.dumps(official))
        self.id = str(official["id"])
        self.sources: dict[str, str] = dict(official.get("field_sources") or {})
        self.taken: set[str] = set()
        self.differences: list[Difference] = []

    def took(self, name: str) -> None:
        self.sources[name] = UPR_INFO
        self.taken.add(name)

    def differ(self, name: str, kept: str, others: list[str], by: str = "UPR Info") -> None:
        if others:
            self.differences.append(Difference(self.id, name, kept, others, by))

    def run(self) -> dict[str, Any]:
        rec, rows = self.rec, self.rows
        self.states()
        self.position()
        self.action_category()
        for name in LABELS:
            self.labels(name)
        for name in FILLED:
            given = next((r[name] for r in rows if r.get(name)), None)
            if given is not None and not rec.get(name):
                rec[name] = given
                self.took(name)
        self.upstream()
        rec["unmapped"] = _union([rec.get("unmapped", []), *(r.get("unmapped", []) for r in rows)])
        rec["provenance"] = sorted(
            set(rec.get("provenance", [])).union(*(r.get("provenance", []) for r in rows)),
            key=_FORMAT_ORDER.__getitem__,
        )
        rec["aliases"] = sorted(
            set(rec.get("aliases", [])).union(r["id"] for r in rows).union(*(r.get("aliases", []) for r in rows))
        )
        # The editors' own fields: every note and tag stays.
        notes = _union([[n] for n in [rec.get("notes"), *(r.get("notes") for r in rows)] if n])
        if notes:
            rec["notes"] = "\n\n".join(notes)
        rec["tags"] = _union([rec.get("tags", []), *(r.get("tags", []) for r in rows)])
        if self.sources:
            rec["field_sources"] = {k: self.sources[k] for k in FieldSources.model_fields if k in self.sources}
        return {k: rec[k] for k in REC_FIELDS if rec.get(k) not in (None, [], {})}

    def states(self) -> None:
        """The official States, each with what UPR Info says of it that the documents do not."""
        given: dict[str, list[tuple[str, dict[str, Any]]]] = {}
        for row in self.rows:
            for s in row["recommending_states"]:
                given.setdefault(_state_key(s), []).append((row["id"], s))
        for state in self.rec["recommending_states"]:
            for name in STATE_FIELDS:
                values = [(rid, s[name]) for rid, s in given.get(_state_key(state), []) if s.get(name)]
                if not values:
                    continue
                if not state.get(name):
                    state[name] = values[0][1]
                    self.took(name)
                kept = state[name]
                self.differ(
                    f"{name} of {state['name']}",
                    f"{_shown(kept)}",
                    [f"{rid} {_shown(v)}" for rid, v in values if v != kept],
                )

    def position(self) -> None:
        """The official position; UPR Info's where the documents state none (the rows agreeing)."""
        rec = self.rec
        if rec.get("position", "unknown") != "unknown":
            return  # a disagreement with a row is one of the reconciliation's
        known = [r for r in self.rows if r.get("position", "unknown") != "unknown"]
        values = _union([[r["position"]] for r in known])
        if len(values) == 1:
            rec["position"] = values[0]
            source = next(r.get("position_source") for r in known)
            if source:
                rec["position_source"] = source
            else:
                rec.pop("position_source", None)
            self.took("position")
        elif values:
            self.differ("position", "unknown (UPR Info's rows differ)", [f"{r['id']} {r['position']}" for r in known])

    def action_category(self) -> None:
        """UPR Info's action category; where its rows differ, the first State's row's, listed."""
        values = [(r["id"], r["action_category"]) for r in self.rows if r.get("action_category") is not None]
        if not values:
            return
        (rid, chosen), rec = values[0], self.rec
        if rec.get("action_category") not in (None, chosen) and self.sources.get("action_category") != UPR_INFO:
            self.differ("action_category", f"UPR Info's {chosen}", [str(rec["action_category"])], "the record itself")
        rec["action_category"] = chosen
        self.took("action_category")
        self.differ("action_category", f"{rid}'s {chosen}", [f"{r} {v}" for r, v in values[1:] if v != chosen])

    def labels(self, name: str) -> None:
        """The official documents' tags where they give any, else the union of the rows'."""
        rows = [r for r in self.rows if r.get(name)]
        if not rows:
            return
        given = _union(r[name] for r in rows)
        rec = self.rec
        if rec.get(name) and self.sources.get(name) != UPR_INFO:
            kept = rec[name]
            self.differ(
                name,
                f"the official {_shown(kept)}",
                [
                    f"{r['id']} also {_shown([v for v in r[name] if v not in kept])}"
                    for r in rows
                    if set(r[name]) - set(kept)
                ],
            )
            return
        rec[name] = _union([rec.get(name, []), given])
        self.took(name)

    def upstream(self) -> None:
        """The record's IDs in other databases: each database's from the record, else from a row."""
        ids = dict(self.rec.get("upstream") or {})
        for row in self.rows:
            for system, value in (row.get("upstream") or {}).items():
                if system not in ids:
                    ids[system] = value
                elif ids[system] != value:
                    self.differ(f"upstream {system}", str(ids[system]), [f"{row['id']} {value}"])
        if ids:
            self.rec["upstream"] = ids


def merge(records: list[dict[str, Any]], result: Reconciliation) -> Merge:
    """Each matched UPR Info row merged into its official record (the rows' IDs become its ``aliases``).

    Field by field: the official documents' ID, text, States and position; UPR Info's action
    category, and its labels where the documents give none; a field only UPR Info gives is
    taken from it; a known position is never replaced by an unknown one. What UPR Info says
    differently is listed in :attr:`Merge.differences`; the editors' notes and tags all stay.
    """
    by_id = {r["id"]: r for r in records}
    aliases = result.aliases()
    folded = {a for rows in aliases.values() for a in rows}
    out = Merge([])
    for rec in records:
        if rec["id"] in folded:
            continue
        rows = [by_id[a] for a in aliases.get(rec["id"], [])]
        if rows:
            one = _RecordMerge(rec, rows)
            rec = one.run()
            out.folded += len(rows)
            out.into += 1
            out.taken.update(one.taken)
            out.notes += bool(rec.get("notes") or rec.get("tags"))
            out.differences += one.differences
        out.records.append(rec)
    if all(REC_OFFICIAL_RE.fullmatch(r["id"]) for r in out.records):
        out.records.sort(key=lambda r: tuple(int(p) for p in r["id"].split(".")))
    return out


BACKUPS = "backups"
"""Beside the data folder, what ``--apply`` replaced (outside data/: never read, never published)."""


def backup_path(data_dir: Path, review_id: str, now: dt.datetime) -> Path:
    """``backups/reviews/<id>/recommendations-YYYY-MM-DD-HHMMSS.yaml`` beside the data folder (never overwritten)."""
    folder = data_dir.resolve().parent / BACKUPS / "reviews" / review_id
    stem = f"recommendations-{now:%Y-%m-%d-%H%M%S}"
    path, n = folder / f"{stem}.yaml", 1
    while path.exists():
        n += 1
        path = folder / f"{stem}-{n}.yaml"
    return path


def apply_review(
    data_dir: Path, review_id: str, now: dt.datetime | None = None
) -> tuple[Reconciliation, dict[str, Any], Merge]:
    """Reconcile the review and merge its matched rows into their records, under the project's lock.

    The replaced ``recommendations.yaml`` is copied first to :func:`backup_path`; nothing is
    written when no row matches, or when the merged records would not validate.
    """
    check_review_id(review_id)
    with data_lock(data_dir):
        path, recs = load_review(data_dir, review_id)
        result, out = _reconcile_records(review_id, recs)
        merged = merge(recs, result)
        if merged.folded:
            _write(data_dir, review_id, path, merged, now or dt.datetime.now())
    return result, out, merged


def _write(data_dir: Path, review_id: str, path: Path, merged: Merge, now: dt.datetime) -> None:
    doc = {"review": review_id, "recommendations": merged.records}
    try:
        twin(ReceivedRecommendations).model_validate(doc)
    except ValidationError as exc:  # a merge the model refuses is this code's fault: say so, write nothing
        raise UserError(
            f"the merged records of '{review_id}' do not validate: {exc.errors(include_url=False)[0]['msg']}",
            hint="nothing was written; please report this with the review's files",
            where=path,
        ) from None
    merged.backup = backup_path(data_dir, review_id, now)
    with path.open(encoding="utf-8", newline="") as fh:  # the file as it stands, line ends and all
        replaced = fh.read()
    commit({merged.backup: replaced, path: dump(doc, RECS_HEADER)}, data_dir.resolve().parent)


def merge_lines(merged: Merge, disagreements: int = 0) -> list[str]:
    """What ``--apply`` did, for the command line (``disagreements``: the reconciliation's, listed above)."""
    if not merged.folded:
        return ["Nothing to merge: no UPR Info row matches an official record; nothing was written."]
    lines = [
        f"{merged.folded} UPR Info row(s) merged into {merged.into} official record(s); "
        "their IDs are kept as the records' aliases"
    ]
    if merged.taken:
        taken = ", ".join(f"{name} {n}" for name, n in sorted(merged.taken.items()))
        lines.append(f"  taken from UPR Info where the official documents give none (records): {taken}")
    if merged.notes:
        lines.append(f"  the editors' notes and tags are kept: {merged.notes} merged record(s) carry some")
    if disagreements:
        lines.append(f"  the {disagreements} disagreement(s) listed above keep the official documents' word")
    if merged.differences:
        lines.append("Where UPR Info says otherwise, the field's higher source was kept:")
        lines += [f"  {d.line()}" for d in merged.differences]
    if merged.backup is not None:
        lines.append(f"The replaced recommendations.yaml is kept in {display_path(merged.backup)}")
    return lines


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
