"""The downloads: the whole knowledge base as JSON and the recommendations as CSV.

Views of the index, like the text export (:mod:`uprkb.exports.text`): a number or
an ID cannot differ between the site and a download. The generator writes them to
``kb/downloads/`` with the pages, so pages link to them and the links are checked.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

from uprkb.core import markup
from uprkb.index.followup import AssessmentEntry, ResolvedRef
from uprkb.index.kb import KnowledgeBase
from uprkb.index.reviews import ReviewIndex
from uprkb.index.submission import SubmissionIndex
from uprkb.model.records import Finding, Instrument, Provision, Recommendation, SdgTarget, Section, Source, Term
from uprkb.model.refs import format_review_ref
from uprkb.model.reviews import ReceivedRecommendation
from uprkb.present import links
from uprkb.present.labels import ACTION_LABELS, review_title, source_label
from uprkb.present.links import Permalinks

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A cell that starts with one of these is read as a formula by spreadsheet programs (OWASP, CSV injection)."""
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""Control characters other than tab and line feed: never written to a download."""


def spreadsheet_cell(value: object) -> object:
    """A CSV cell as a spreadsheet shows it as text: a leading formula character gets a ``'`` before it
    (as OWASP advises), control characters are left out. Numbers are written as they are; the JSON
    download keeps every text as written."""
    if not isinstance(value, str):
        return value
    if value.startswith(FORMULA_STARTS):
        value = "'" + value
    return _CONTROL.sub("", value)


class SpreadsheetWriter:
    """``csv.writer`` whose every text cell goes through :func:`spreadsheet_cell`."""

    def __init__(self, buf: io.StringIO) -> None:
        self._w = csv.writer(buf, lineterminator="\n")

    def writerow(self, row: Iterable[object]) -> None:
        self._w.writerow([spreadsheet_cell(v) for v in row])


def downloads(kb: KnowledgeBase, permalinks: Permalinks) -> dict[str, bytes]:
    """Every download: the whole knowledge base (JSON, CSV) and each submission alone (JSON, CSV, text).

    A submission's JSON holds its own records and the vocabularies, its CSV its own rows: each
    record and row is written once, and the whole knowledge base's files are joined from the same text.
    """
    from uprkb.exports.text import export_text

    vocabulary = [_record_text(r) for r in vocabulary_records(kb, permalinks)]
    parts: list[str] = []
    rows: list[str] = []
    own: dict[str, bytes] = {}
    for sub in kb.submissions:
        sub_parts = [_record_text(r) for r in submission_records(kb, sub, permalinks)]
        sub_rows = _csv_text(recommendation_row(kb, sub, r, permalinks) for r in sub.recommendations)
        own[submission_file(sub.id, "json")] = _json_document([*sub_parts, *vocabulary])
        own[submission_file(sub.id, "csv")] = (_RECOMMENDATION_HEADER + sub_rows).encode("utf-8")
        own[submission_file(sub.id, "txt")] = export_text(sub, followup=kb.followup).encode("utf-8")
        parts += sub_parts
        rows.append(sub_rows)
    parts += (_record_text(r) for r in review_records(kb, permalinks))
    files = {
        "knowledge-base.json": _json_document([*parts, *vocabulary]),
        "recommendations.csv": (_RECOMMENDATION_HEADER + "".join(rows)).encode("utf-8"),
    }
    del parts, rows
    if kb.reviews:
        files["received-recommendations.csv"] = _received_csv(kb, permalinks)
    files.update(own)
    return files


def submission_file(sid: str, kind: str) -> str:
    """The name of a submission's download: ``<id>.json``, ``<id>-recommendations.csv``, ``<id>.txt``."""
    return f"{sid}-recommendations.csv" if kind == "csv" else f"{sid}.{kind}"


Record = dict[str, Any]
"""One record of ``knowledge-base.json``: its ``id``, ``kind``, fields and ``permalink``."""


def submission_record(sub: SubmissionIndex, permalinks: Permalinks) -> Record:
    meta = sub.submission
    return {
        "id": meta.id,
        "kind": "submission",
        "title": meta.title,
        "organisation": meta.organisation.name,
        "state_under_review": meta.state.name,
        "state_iso3": meta.state.iso3,
        "cycle": meta.cycle,
        "session": meta.session,
        "review_date": meta.review_date.isoformat() if meta.review_date else None,
        "documents": [d.symbol for d in meta.documents],
        "sections": [s.id for s in sub.sections],
        "permalink": permalinks.page(links.submission_page(sub)),
    }


def section_record(sub: SubmissionIndex, section: Section, permalinks: Permalinks) -> Record:
    meta = sub.submission
    return {
        "id": section.id,
        "kind": "section",
        "submission": meta.id,
        "number": section.number,
        "title": section.title,
        "findings": [f.id for f in section.findings()],
        "recommendations": [r.id for r in section.recommendations()],
        "permalink": permalinks.page(links.section_page(sub, section)),
    }


def finding_record(kb: KnowledgeBase, sub: SubmissionIndex, f: Finding, permalinks: Permalinks) -> Record:
    meta, permalink = sub.submission, permalinks.record
    return {
        "id": f.id,
        "kind": "finding",
        "submission": meta.id,
        "section": sub.section_of[f.id].id,
        "number": f.number,
        "text": markup.plain(f.text),
        "finding_kind": f.kind.value,
        "status": f.status.value,
        "sources": [s.id for s in sub.sources_of(f)],
        "provisions": f.provisions,
        "themes": f.themes,
        "affected_persons": f.affected_persons,
        "events": [e.model_dump() for e in f.events],
        "figures": [x.model_dump() for x in f.figures],
        "recommendations": [r.id for r in sub.recommendations_of_finding.get(f.id, [])],
        **_finding_followup(kb, sub.id, f.id),
        "permalink": permalink(sub, f),
    }


def recommendation_record(kb: KnowledgeBase, sub: SubmissionIndex, r: Recommendation, permalinks: Permalinks) -> Record:
    meta, permalink = sub.submission, permalinks.record
    return {
        "id": r.id,
        "kind": "recommendation",
        "submission": meta.id,
        "section": sub.section_of[r.id].id,
        "number": r.number,
        "text": markup.plain(r.text),
        "action_category": r.action_category.value,
        "action_verb": r.action_verb,
        "addressee": r.addressee,
        "themes": r.themes,
        "affected_persons": r.affected_persons,
        "sdg_targets": r.sdg_targets,
        "provisions": r.provisions,
        "findings": [f for f in r.findings if f in sub.records],
        "sources": [s.id for s in sub.sources_of(r)],
        **_recommendation_followup(kb, sub.id, r.id),
        "permalink": permalink(sub, r),
    }


def source_record(sub: SubmissionIndex, s: Source, permalinks: Permalinks) -> Record:
    meta, permalink = sub.submission, permalinks.record
    return {
        "id": s.id,
        "kind": "source",
        "submission": meta.id,
        "title": source_label(s),
        "source_kind": s.kind.value,
        "author": s.author,
        "url": s.url,
        "archived_url": s.archived_url,
        "published": s.published,
        "accessed": s.accessed.isoformat() if s.accessed else None,
        "cited_in": [c.id for c in sub.cited_in.get(s.id, [])],
        "permalink": permalink(sub, s),
    }


def review_record(review: ReviewIndex, permalinks: Permalinks) -> Record:
    rmeta = review.review
    return {
        "id": review.id,
        "kind": "review",
        "title": review_title(rmeta),
        "state_under_review": rmeta.state.name,
        "state_iso3": rmeta.state.iso3,
        "cycle": rmeta.cycle,
        "session": rmeta.session,
        "review_date": rmeta.review_date.isoformat() if rmeta.review_date else None,
        "report": rmeta.report,
        "addendum": rmeta.addendum,
        "recommendations": [format_review_ref(review.id, x.id) for x in review.recommendations],
        "permalink": permalinks.page(links.review_page(review.id)),
    }


def received_record(review: ReviewIndex, rec: ReceivedRecommendation, permalinks: Permalinks) -> Record:
    return {
        "id": format_review_ref(review.id, rec.id),
        "kind": "received-recommendation",
        "review": review.id,
        "number": rec.id,
        "official_number": not rec.id_assigned,
        "text": rec.text,
        "recommending_states": [s.model_dump(exclude_none=True) for s in rec.recommending_states],
        "position": rec.position.value,
        "claim": rec.claim.value if rec.claim else None,
        "position_source": (rec.position_source.model_dump(exclude_none=True) if rec.position_source else None),
        "themes": rec.themes,
        "affected_persons": rec.affected_persons,
        "sdg_goals": rec.sdg_goals,
        "sdg_targets": rec.sdg_targets,
        "action_category": rec.action_category.value if rec.action_category else None,
        "permalink": permalinks.received(review.id, rec.id),
    }


def term_record(t: Term, kind: str, record_kind: str, permalinks: Permalinks) -> Record:
    return {
        "id": t.id,
        "kind": record_kind,
        "title": t.label,
        "equivalents": [e.model_dump() for e in t.equivalents],
        "permalink": permalinks.page(links.term_page(kind, t.id)),
    }


def target_record(kb: KnowledgeBase, target: SdgTarget, permalinks: Permalinks) -> Record:
    return {
        "id": target.id,
        "kind": "sdg-target",
        "title": f"SDG {target.number}",
        "text": target.text,
        "goal": kb.goal_of_target[target.id].number,
        "permalink": permalinks.page(links.term_page("sdg", target.id)),
    }


def instrument_record(inst: Instrument, permalinks: Permalinks) -> Record:
    return {
        "id": inst.id,
        "kind": "instrument",
        "title": inst.title,
        "url": inst.url,
        "provisions": [p.id for p in inst.provisions],
        "permalink": permalinks.page(links.term_page("instrument", inst.id)),
    }


def provision_record(inst: Instrument, p: Provision, permalinks: Permalinks) -> Record:
    return {
        "id": p.id,
        "kind": "provision",
        "title": f"{inst.short_title or inst.title}, {p.label}",
        "instrument": inst.id,
        "permalink": permalinks.page(links.term_page("instrument", inst.id), p.id),
    }


def records(kb: KnowledgeBase, permalinks: Permalinks) -> Iterator[Record]:
    """Every record of the knowledge base, one serializer per kind, in the download's order."""
    for sub in kb.submissions:
        yield from submission_records(kb, sub, permalinks)
    yield from review_records(kb, permalinks)
    yield from vocabulary_records(kb, permalinks)


def submission_records(kb: KnowledgeBase, sub: SubmissionIndex, permalinks: Permalinks) -> Iterator[Record]:
    """One submission's records: the submission, its sections, findings, recommendations and sources."""
    yield submission_record(sub, permalinks)
    for section in sub.sections:
        yield section_record(sub, section, permalinks)
    for f in sub.findings:
        yield finding_record(kb, sub, f, permalinks)
    for r in sub.recommendations:
        yield recommendation_record(kb, sub, r, permalinks)
    for s in sub.sources.values():
        yield source_record(sub, s, permalinks)


def review_records(kb: KnowledgeBase, permalinks: Permalinks) -> Iterator[Record]:
    """Each review and the recommendations the State received in it."""
    for review in kb.reviews.values():
        yield review_record(review, permalinks)
        for rec in review.recommendations:
            yield received_record(review, rec, permalinks)


def vocabulary_records(kb: KnowledgeBase, permalinks: Permalinks) -> Iterator[Record]:
    """The shared vocabularies: themes, affected persons, SDG targets, instruments and their provisions."""
    for vocabulary, kind, record_kind in (
        (kb.themes, "theme", "theme"),
        (kb.affected_persons, "persons", "affected-persons"),
    ):
        for t in vocabulary.values():
            yield term_record(t, kind, record_kind, permalinks)
    for target in kb.targets.values():
        yield target_record(kb, target, permalinks)
    for inst in kb.instruments.values():
        yield instrument_record(inst, permalinks)
        for p in inst.provisions:
            yield provision_record(inst, p, permalinks)


def records_json(items: Iterable[dict[str, Any]]) -> bytes:
    """``{"generator": "uprkb", "records": [...]}`` as ``json.dumps(..., indent=1)`` writes it, encoded one
    record at a time, so the whole list of records is never held (a JSON string holds no line break)."""
    return _json_document(_record_text(r) for r in items)


def _record_text(record: Record) -> str:
    """One record as it stands in the list of ``records_json``."""
    parts: list[str] = []
    try:
        _indented(record, "\n  ", parts)
    except _Unusual:  # a value the writer below does not know: let json say what it makes of it
        return json.dumps(record, ensure_ascii=False, indent=1).replace("\n", "\n  ")
    return "".join(parts)


def _json_document(texts: Iterable[str]) -> bytes:
    """The download's JSON around records already written by :func:`_record_text`."""
    body = ",\n  ".join(texts)
    if not body:
        return b'{\n "generator": "uprkb",\n "records": []\n}\n'
    return ('{\n "generator": "uprkb",\n "records": [\n  ' + body + "\n ]\n}\n").encode("utf-8")


class _Unusual(Exception):
    pass


_encode_str = json.encoder.encode_basestring  # the C function where available, as json.dumps uses


def _indented(value: Any, newline: str, out: list[str]) -> None:
    """``value`` as ``json.dumps(value, ensure_ascii=False, indent=1)`` writes it, at the indentation of
    ``newline``: the same bytes, without the pure-Python encoder's generator machinery (``indent``
    keeps ``json`` off its C encoder), which took a tenth of a cold build of the whole record."""
    if isinstance(value, str):
        out.append(_encode_str(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif type(value) is int:
        out.append(int.__repr__(value))
    elif isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        inner = newline + " "
        out.append("{")
        sep = inner
        for k, v in value.items():
            if not isinstance(k, str):
                raise _Unusual
            out.append(sep)
            out.append(_encode_str(k))
            out.append(": ")
            _indented(v, inner, out)
            sep = "," + inner
        out.append(newline + "}")
    elif isinstance(value, list):
        if not value:
            out.append("[]")
            return
        inner = newline + " "
        out.append("[")
        sep = inner
        for v in value:
            out.append(sep)
            _indented(v, inner, out)
            sep = "," + inner
        out.append(newline + "]")
    else:
        raise _Unusual


RECOMMENDATION_COLUMNS = [
    "recommendation_id",
    "submission_id",
    "state_under_review",
    "state_iso3",
    "cycle",
    "session",
    "submitting_organisation",
    "section",
    "number",
    "recommendation",
    "action_category",
    "action_category_label",
    "action_verb",
    "themes",
    "affected_persons",
    "sdg_targets",
    "provisions",
    "response",
    "follows_up",
    "taken_up_as",
    "permalink",
]
"""The columns of ``recommendations.csv``: one row per recommendation of the organisations."""


def recommendation_row(kb: KnowledgeBase, sub: SubmissionIndex, r: Recommendation, permalinks: Permalinks) -> list[Any]:
    meta, permalink = sub.submission, permalinks.record
    section = sub.section_of[r.id]
    fu = kb.followup.record(meta.id, r.id)
    return [
        r.id,
        meta.id,
        meta.state.name,
        meta.state.iso3,
        meta.cycle,
        meta.session,
        meta.organisation.name,
        f"§{section.number}. {section.title}",
        f"{section.number}.{r.number}",
        markup.plain(r.text),
        r.action_category.value,
        ACTION_LABELS[r.action_category.value],
        r.action_verb,
        "; ".join(kb.themes[t].label for t in r.themes),
        "; ".join(kb.affected_persons[p].label for p in r.affected_persons),
        "; ".join(kb.targets[t].number for t in r.sdg_targets),
        "; ".join(r.provisions),
        fu.response if fu else "",
        "; ".join(ref.label for ref in fu.follows_up) if fu else "",
        "; ".join(ref.label for ref in fu.taken_up_as) if fu else "",
        permalink(sub, r),
    ]


def _csv_text(rows: Iterable[list[Any]]) -> str:
    """Rows as the CSV downloads write them (each text cell as a spreadsheet shows it as text)."""
    buf = io.StringIO()
    w = SpreadsheetWriter(buf)
    for row in rows:
        w.writerow(row)
    return buf.getvalue()


_RECOMMENDATION_HEADER = _csv_text([RECOMMENDATION_COLUMNS])


def _ref(ref: ResolvedRef) -> dict[str, Any]:
    """A reference to a received recommendation as written and as resolved (``review`` is null outside the KB)."""
    return {
        "reference": ref.text,
        "review": ref.review_id,
        "recommendation": ref.reference if ref.resolved else None,
        "in_knowledge_base": ref.resolved,
    }


def _assessment(e: AssessmentEntry) -> dict[str, Any]:
    return {
        **_ref(e.ref),
        "organisation": e.organisation,
        "status": e.status.value,
        "grade": e.grade.letter,
        "triggered_action": e.triggered_action,
        "as_of": e.as_of.isoformat(),
        "quote": e.quote,
        "evidence": [s.id for s in e.evidence],
    }


def _finding_followup(kb: KnowledgeBase, sid: str, fid: str) -> dict[str, Any]:
    fu = kb.followup.record(sid, fid)
    return {
        "follows_up": [_ref(x) for x in fu.follows_up] if fu else [],
        "assessments": [_assessment(e) for e in fu.assessments] if fu else [],
    }


def _recommendation_followup(kb: KnowledgeBase, sid: str, rid: str) -> dict[str, Any]:
    fu = kb.followup.record(sid, rid)
    take_up = fu.take_up if fu else None
    return {
        "follows_up": [_ref(x) for x in fu.follows_up] if fu else [],
        "taken_up_as": [_ref(x) for x in fu.taken_up_as] if fu else [],
        "response": take_up.response if take_up else None,
        "take_up_status": take_up.status if take_up else None,
    }


def _received_csv(kb: KnowledgeBase, permalinks: Permalinks) -> bytes:
    """One row per recommendation a State received, in the spirit of UPR Info's export."""
    buf = io.StringIO()
    w = SpreadsheetWriter(buf)
    w.writerow(
        [
            "reference",
            "review",
            "state_under_review",
            "state_iso3",
            "cycle",
            "session",
            "number",
            "recommendation",
            "recommending_states",
            "position",
            "claim",
            "action_category",
            "themes",
            "affected_persons",
            "sdg_goals",
            "sdg_targets",
            "permalink",
        ]
    )
    for review in kb.reviews.values():
        meta = review.review
        for r in review.recommendations:
            w.writerow(
                [
                    format_review_ref(review.id, r.id),
                    review.id,
                    meta.state.name,
                    meta.state.iso3,
                    meta.cycle,
                    meta.session or "",
                    r.id,
                    r.text,
                    "; ".join(s.name for s in r.recommending_states),
                    r.position.value,
                    r.claim.value if r.claim else "",
                    r.action_category.value if r.action_category else "",
                    "; ".join(kb.themes[t].label for t in r.themes if t in kb.themes),
                    "; ".join(kb.affected_persons[p].label for p in r.affected_persons if p in kb.affected_persons),
                    "; ".join(str(g) for g in r.sdg_goals),
                    "; ".join(kb.targets[t].number for t in r.sdg_targets if t in kb.targets),
                    permalinks.received(review.id, r.id),
                ]
            )
    return buf.getvalue().encode("utf-8")
