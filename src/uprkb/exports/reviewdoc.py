"""What OHCHR's matrix and the mid-term report share: one review seen through one organisation's follow-up.

Both documents read the knowledge base's follow-up index (:mod:`uprkb.index.followup`), never the YAML:

* **the organisation** — the one whose assessments fill the documents: given by a submission
  (``--submission``), else the only organisation whose records link to the review; several such
  organisations and none given is a :class:`UserError` naming them (:func:`organisation_for`);
* **followed** — a received recommendation the organisation follows: one of its findings or
  recommendations follows it up or assesses it, or one of its recommendations was taken up as it;
* **its assessment** — the organisation's latest assessment of the recommendation (by ``as_of``), with the
  earlier ones, the finding that makes it and that finding's sources (:class:`RecommendationView`);
* **themes** — a recommendation stands under its first theme (the thematic list's order), groups in the
  order of the themes vocabulary, recommendations without a theme last (:func:`theme_groups`).

The documents are pandoc document trees built with the Word export's own pieces
(:mod:`uprkb.exports.docx`: its styles, its real footnotes with the one citation formatter), written by
:func:`write_document` with the same reference document and the same kind of mark (the command line's
``-o`` replaces only a document the same command wrote for the same review).
"""

from __future__ import annotations

import io
import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from uprkb.core.errors import UserError
from uprkb.core.hints import close_match
from uprkb.exports import docx
from uprkb.index.followup import AssessmentEntry, ReceivedFollowUp
from uprkb.index.kb import KnowledgeBase
from uprkb.index.reviews import ReviewIndex
from uprkb.index.submission import SubmissionIndex
from uprkb.model.records import AssessmentStatus, Organisation, Source
from uprkb.model.reviews import ReceivedRecommendation
from uprkb.present.labels import CLAIM_LABELS, POSITION_LABELS, optional_date
from uprkb.present.wordcount import count_words

NOT_ASSESSED = "not yet assessed"
"""The status column of a followed recommendation the organisation has not assessed."""
NO_THEME = "Recommendations without a theme"


# ---------------------------------------------------------------------------
# The view: the review, the organisation, what it follows and how it assessed it
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Follower:
    """The organisation whose follow-up fills a document."""

    name: str
    """Its name, as its submissions give it (the follow-up index's key)."""
    organisation: Organisation
    """Its details (abbreviation, description) from :attr:`submission`."""
    submission: SubmissionIndex
    """The submission the cover speaks for: the one given, else its submission to the review's cycle, else its first."""

    @property
    def short(self) -> str:
        return self.organisation.abbreviation or self.name


@dataclass
class RecommendationView:
    """One received recommendation with the organisation's follow-up of it."""

    rec: ReceivedRecommendation
    followed: bool
    """Whether the organisation follows it (follows up, assesses or was taken up as it)."""
    assessments: list[AssessmentEntry] = field(default_factory=list)
    """The organisation's assessments of it, oldest first."""

    @property
    def latest(self) -> AssessmentEntry | None:
        return self.assessments[-1] if self.assessments else None

    @property
    def status(self) -> str:
        """The latest status's label, or :data:`NOT_ASSESSED`."""
        latest = self.latest
        return latest.status_label if latest is not None else NOT_ASSESSED


def status_columns() -> list[str]:
    """Every status label in the model's order, then :data:`NOT_ASSESSED`: the summary's columns."""
    from uprkb.index.followup import STATUS_LABELS

    return [STATUS_LABELS[s] for s in AssessmentStatus] + [NOT_ASSESSED]


def find_review(kb: KnowledgeBase, review_id: str) -> ReviewIndex:
    review = kb.reviews.get(review_id)
    if review is None:
        known = sorted(kb.reviews)
        close = close_match(review_id, known)
        hint = f"did you mean '{close}'?" if close else f"known reviews: {', '.join(known) or 'none'}"
        raise UserError(f"no review '{review_id}' in the knowledge base", hint)
    return review


def _linked_organisations(kb: KnowledgeBase, review: ReviewIndex) -> dict[str, list[SubmissionIndex]]:
    """Organisation name → its submissions, for every organisation whose records link to the review."""
    out: dict[str, list[SubmissionIndex]] = {}
    for rec in review.recommendations:
        rfu = kb.followup.of_received(review.id, rec.id)
        if rfu is None:
            continue
        subs = [n.submission for n in (*rfu.followed_up_by, *rfu.taken_up_from)] + [
            e.submission for e in rfu.assessments
        ]
        for sub in subs:
            out.setdefault(sub.submission.organisation.name, [])
    for sub in kb.submissions:
        if sub.submission.organisation.name in out:
            out[sub.submission.organisation.name].append(sub)
    return dict(sorted(out.items()))


def organisation_for(
    kb: KnowledgeBase, review: ReviewIndex, submission_id: str | None, required: bool
) -> Follower | None:
    """The organisation a document speaks for (see the module's docstring); ``None`` when none follows the
    review and ``required`` is false (the matrix leaves its assessment column empty)."""
    if submission_id is not None:
        found = [s for s in kb.submissions if s.id == submission_id]
        if not found:
            known = [s.id for s in kb.submissions]
            close = close_match(submission_id, known)
            hint = f"did you mean '{close}'?" if close else f"known submissions: {', '.join(known) or 'none'}"
            raise UserError(f"no submission '{submission_id}' in the knowledge base", hint)
        sub = found[0]
        return Follower(sub.submission.organisation.name, sub.submission.organisation, sub)
    linked = _linked_organisations(kb, review)
    if len(linked) > 1:
        names = "; ".join(f"{name} ({', '.join(s.id for s in subs)})" for name, subs in linked.items())
        raise UserError(
            f"several organisations follow review '{review.id}': {names}",
            "name the one the document speaks for with --submission ID",
        )
    if not linked:
        if required:
            raise UserError(
                f"no organisation's record follows up, assesses or was taken up as a recommendation of '{review.id}'",
                "add 'follows_up' or 'assessments' to the findings that follow the review, then export again",
            )
        return None
    name, subs = next(iter(linked.items()))
    cycle = [s for s in subs if s.submission.cycle == review.review.cycle]
    sub = (cycle or subs)[0]
    return Follower(name, sub.submission.organisation, sub)


def recommendation_views(kb: KnowledgeBase, review: ReviewIndex, follower: Follower | None) -> list[RecommendationView]:
    """Every received recommendation of the review in number order, with the organisation's follow-up."""
    out = []
    for rec in sorted(review.recommendations, key=lambda r: number_key(r.id)):
        rfu = kb.followup.of_received(review.id, rec.id)
        if follower is None or rfu is None:
            out.append(RecommendationView(rec, False))
            continue
        mine = [e for e in rfu.assessments if e.organisation == follower.name]
        out.append(RecommendationView(rec, _follows(rfu, follower.name), mine))
    return out


def _follows(rfu: ReceivedFollowUp, name: str) -> bool:
    records = [*rfu.followed_up_by, *rfu.taken_up_from]
    return any(n.submission.submission.organisation.name == name for n in records) or any(
        e.organisation == name for e in rfu.assessments
    )


def number_key(rec_id: str) -> tuple[Any, ...]:
    """``98.2`` before ``98.10``; an assigned ID after every number."""
    parts = rec_id.split(".")
    if all(p.isdigit() for p in parts):
        return (0, *map(int, parts))
    return (1, rec_id)


def theme_groups(kb: KnowledgeBase, views: Iterable[RecommendationView]) -> list[tuple[str, list[RecommendationView]]]:
    """(theme label, its recommendations) by each recommendation's first theme, in the vocabulary's order."""
    order = {tid: i for i, tid in enumerate(kb.themes)}
    groups: dict[str | None, list[RecommendationView]] = {}
    for view in views:
        first = view.rec.themes[0] if view.rec.themes else None
        groups.setdefault(first, []).append(view)
    keys = sorted(groups, key=lambda t: (t is None, order.get(t or "", len(order)), t or ""))
    return [(theme_label(kb, t) if t else NO_THEME, groups[t]) for t in keys]


def theme_label(kb: KnowledgeBase, tid: str) -> str:
    term = kb.themes.get(tid)
    return term.label if term is not None else tid


def check_theme(kb: KnowledgeBase, tid: str) -> None:
    if tid not in kb.themes:
        close = close_match(tid, kb.themes)
        raise UserError(
            f"no theme '{tid}' in the themes vocabulary",
            f"did you mean '{close}'?" if close else "give a theme's ID, as data/vocabularies/themes.yaml writes it",
        )


# ---------------------------------------------------------------------------
# Words both documents print
# ---------------------------------------------------------------------------


def position_words(rec: ReceivedRecommendation) -> str:
    """``Supported``, ``Noted``, ``Position not known``, and the State's claim of implementation where it makes one
    (``Supported; the State considers it already implemented``)."""
    words = POSITION_LABELS[rec.position.value]
    if rec.claim is not None:
        words += f"; {CLAIM_LABELS[rec.claim.value]}"
    return words[0].upper() + words[1:]


def position_source_words(rec: ReceivedRecommendation) -> str | None:
    """``A/HRC/99/10/Add.1, para. 3``, or the database the position was taken from; ``None`` when unknown."""
    src = rec.position_source
    if src is None:
        return None
    if src.document:
        return src.document + (f", para. {src.paragraph}" if src.paragraph else "")
    return src.database


def states_words(rec: ReceivedRecommendation) -> str:
    return ", ".join(s.name for s in rec.recommending_states)


def assessment_words(entry: AssessmentEntry) -> str:
    """``Partially implemented as of 15 March 2027 (grade B, partially satisfactory)``."""
    label = entry.status_label
    g = entry.grade
    return f"{label[0].upper()}{label[1:]} as of {optional_date(entry.as_of)} (grade {g.letter}, {g.label})"


# ---------------------------------------------------------------------------
# Pandoc pieces on top of the Word export's
# ---------------------------------------------------------------------------


class Notes:
    """Real footnotes from the sources of several submissions, counted together (the Word export's notes)."""

    def __init__(self) -> None:
        self.builders: dict[str, Any] = {}

    def builder(self, sub: SubmissionIndex) -> Any:
        if sub.id not in self.builders:
            self.builders[sub.id] = docx._Builder(sub)
        return self.builders[sub.id]

    def inline(self, sub: SubmissionIndex, text: str) -> list[dict[str, Any]]:
        """Data text of ``sub`` with its ``[^id]`` markers as real footnotes."""
        return self.builder(sub).inline(text)

    def evidence(self, entry: AssessmentEntry) -> list[dict[str, Any]]:
        """The finding that makes an assessment, its footnotes real, then a note for each source it lists
        in ``sources`` without a marker."""
        sub = entry.submission
        out = self.inline(sub, entry.finding.text)
        cited = set(re.findall(r"\[\^([^\]]+)\]", entry.finding.text))
        extra: list[Source] = [s for s in entry.evidence if s.id not in cited]
        for source in extra:
            out.append(self.builder(sub).note(source))
        return out

    @property
    def count(self) -> int:
        return sum(b.footnotes for b in self.builders.values())


def words(text: str) -> list[dict[str, Any]]:
    return docx._words(text)


def para(inlines: list[dict[str, Any]], style: str | None = None) -> dict[str, Any]:
    return docx._para(inlines, style)


def strong(text: str) -> dict[str, Any]:
    return {"t": "Strong", "c": words(text)}


def header(level: int, text: str, ident: str = "") -> dict[str, Any]:
    return {"t": "Header", "c": [level, [ident, [], []], words(text)]}


def _cell(blocks: list[dict[str, Any]]) -> list[Any]:
    return [["", [], []], {"t": "AlignDefault"}, 1, 1, blocks]


def table(head: list[str], rows: list[list[list[dict[str, Any]]]], widths: list[float]) -> dict[str, Any]:
    """A pandoc table: a header row of ``head``, each row a list of cells (each a list of blocks)."""
    colspecs = [[{"t": "AlignDefault"}, {"t": "ColWidth", "c": w}] for w in widths]
    head_row = [["", [], []], [_cell([{"t": "Plain", "c": [strong(h)]}]) for h in head]]
    body_rows = [[["", [], []], [_cell(c) for c in row]] for row in rows]
    return {
        "t": "Table",
        "c": [
            ["", [], []],
            [None, []],
            colspecs,
            [["", [], []], [head_row]],
            [[["", [], []], 0, [], body_rows]],
            [["", [], []], []],
        ],
    }


def body_words(blocks: list[dict[str, Any]]) -> tuple[int, int]:
    """``(body, notes)``: the words of the blocks as printed (see :mod:`uprkb.present.wordcount`), paragraph
    numbers (``12.`` before a tab) and heading numbers (``1. Introduction``) left out, footnotes counted apart."""
    counts = [0, 0]

    def walk(node: Any, in_note: bool) -> None:
        if isinstance(node, list):
            for i, item in enumerate(node):
                if isinstance(item, dict) and item.get("t") == "Str" and i + 1 < len(node) and node[i + 1] == docx._TAB:
                    continue
                walk(item, in_note)
        elif isinstance(node, dict):
            kind = node.get("t")
            if kind == "Str":
                counts[in_note] += count_words(node["c"])
            elif kind == "Note":
                walk(node["c"], True)
            elif kind == "Header":
                inlines = node["c"][2]
                numbered = inlines and inlines[0].get("t") == "Str" and re.fullmatch(r"\d+\.", inlines[0]["c"])
                walk(inlines[1:] if numbered else inlines, in_note)
            elif "c" in node:
                walk(node["c"], in_note)

    walk(blocks, False)
    return counts[0], counts[1]


# ---------------------------------------------------------------------------
# Writing and marking
# ---------------------------------------------------------------------------


TABLE_BORDERS = (
    '<w:tblBorders xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    + "".join(
        f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="808080"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    + "</w:tblBorders>"
)


def _ruled(data: bytes) -> bytes:
    """The document with a thin rule around every table cell, as OHCHR's matrix has (python-docx keeps every
    other part, the footnotes and the custom properties included)."""
    from docx import Document
    from docx.oxml import parse_xml

    document = Document(io.BytesIO(data))
    for tbl in document.tables:
        props = tbl._tbl.tblPr
        for old in props.findall("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblBorders"):
            props.remove(old)
        props.append(parse_xml(TABLE_BORDERS))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def write_document(blocks: list[dict[str, Any]], output: Path, mark: str, language: str = "en") -> None:
    """Write pandoc blocks as a Word document with the export's styles and ``mark`` (replaced atomically)."""
    import pypandoc

    reference = docx.REFERENCE_DOCX
    if not reference.is_file():
        raise UserError(
            f"the Word reference document {reference} is missing",
            hint="run: .venv/bin/python tools/make_reference_docx.py",
        )
    meta = {"lang": {"t": "MetaString", "c": language}, docx.MARK_PROPERTY: {"t": "MetaString", "c": mark}}
    tree = {"pandoc-api-version": list(docx._api_version()), "meta": meta, "blocks": blocks}
    tmp = docx.new_file_beside(output, ".docx")  # 0644 under the usual umask, as the submission's document
    try:
        pypandoc.convert_text(
            json.dumps(tree), "docx", format="json", outputfile=str(tmp), extra_args=[f"--reference-doc={reference}"]
        )
        tmp.write_bytes(_ruled(tmp.read_bytes()))
        os.replace(tmp, output)
    except RuntimeError as exc:
        raise UserError(f"pandoc could not write the Word document: {exc}", where=output) from None
    finally:
        tmp.unlink(missing_ok=True)
