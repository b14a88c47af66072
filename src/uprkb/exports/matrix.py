"""OHCHR's matrix of a review's recommendations as a Word document, its assessment column filled in.

OHCHR publishes, for each review, a thematic list of the recommendations (the "matrix") with a last column,
"Assessment/comments on level of implementation", left empty for stakeholders to fill in at mid-term. This
export prints that matrix from the knowledge base with the column filled from the organisation's assessments
(:mod:`uprkb.exports.reviewdoc` says whose, and which recommendations it follows):

* a title block: the State, the cycle, the Working Group's report, the organisation and the selection;
* per theme (a recommendation stands under its first theme), a heading and a table of four columns:

  1. **Recommendation** — its number, its text, the recommending States, and "Source of position:" with the
     document and paragraph that state the position;
  2. **Position** — supported, noted, supported in part or not known;
  3. **Full list of themes** — every theme, then the groups of persons ("Affected persons:");
  4. **Assessment** — the organisation's latest status with its date and A–E grade, then the finding that
     makes it, its sources as real footnotes; "Not yet assessed." for a recommendation it follows without
     assessing; empty for one it does not follow (the column to be filled in).

A selection: one theme (``theme``: every recommendation that lists it, under that one heading), or only the
recommendations the organisation follows (``followed``), or both.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from uprkb.exports import reviewdoc as rd
from uprkb.exports.docx import STYLE_COVER, STYLE_TITLE
from uprkb.index.kb import KnowledgeBase
from uprkb.index.reviews import ReviewIndex
from uprkb.present.labels import ordinal

HEAD = ("Recommendation", "Position", "Full list of themes", "Assessment/comments on level of implementation")
WIDTHS = (0.33, 0.14, 0.20, 0.33)


@dataclass
class MatrixResult:
    """What the export wrote, with the figures it prints."""

    path: Path
    themes: int
    """Theme headings (tables)."""
    rows: int
    """Recommendations printed."""
    followed: int
    """Of them, those the organisation follows."""
    assessed: int
    """Of them, those it assessed."""
    footnotes: int
    by_status: dict[str, int]
    """Status label → rows whose latest assessment has it (and ``not yet assessed``)."""
    seconds: float


def _themes_cell(kb: KnowledgeBase, view: rd.RecommendationView) -> list[dict[str, Any]]:
    rec = view.rec
    blocks = []
    if rec.themes:
        blocks.append(rd.para(rd.words("; ".join(rd.theme_label(kb, t) for t in rec.themes))))
    if rec.affected_persons:
        labels = [kb.affected_persons[p].label if p in kb.affected_persons else p for p in rec.affected_persons]
        blocks.append(rd.para([rd.strong("Affected persons:"), {"t": "Space"}, *rd.words("; ".join(labels))]))
    return blocks


def _recommendation_cell(view: rd.RecommendationView) -> list[dict[str, Any]]:
    rec = view.rec
    text = [rd.strong(rec.id), {"t": "Space"}, *rd.words(f"{rec.text} ({rd.states_words(rec)})")]
    blocks = [rd.para(text)]
    source = rd.position_source_words(rec)
    if source:
        blocks.append(rd.para([{"t": "Emph", "c": rd.words(f"Source of position: {source}")}]))
    return blocks


def _assessment_cell(view: rd.RecommendationView, notes: rd.Notes) -> list[dict[str, Any]]:
    latest = view.latest
    if latest is None:
        return [rd.para(rd.words("Not yet assessed."))] if view.followed else []
    return [rd.para([rd.strong(rd.assessment_words(latest) + ".")]), rd.para(notes.evidence(latest))]


def matrix_blocks(
    kb: KnowledgeBase,
    review: ReviewIndex,
    follower: rd.Follower | None,
    theme: str | None = None,
    followed: bool = False,
) -> tuple[list[dict[str, Any]], MatrixResult]:
    """The matrix as pandoc blocks, and its figures (``path`` and ``seconds`` left to the writer)."""
    views = rd.recommendation_views(kb, review, follower)
    if followed:
        views = [v for v in views if v.followed]
    if theme is not None:
        views = [v for v in views if theme in v.rec.themes]
        groups = [(rd.theme_label(kb, theme), views)] if views else []
    else:
        groups = rd.theme_groups(kb, views)
    r = review.review
    blocks = [rd.para(rd.words(f"Matrix of recommendations: {r.state.name}"), STYLE_TITLE)]
    session = f", {ordinal(r.session)} session of the Working Group" if r.session else ""
    facts = [f"Universal Periodic Review: {ordinal(r.cycle)} cycle{session}"]
    if r.report:
        facts.append(f"Report of the Working Group: {r.report}" + (f"; addendum: {r.addendum}" if r.addendum else ""))
    if follower is not None:
        facts.append(
            f"Assessment of implementation by: {follower.name}"
            + (f" ({follower.organisation.abbreviation})" if follower.organisation.abbreviation else "")
        )
    selection = ["recommendations the organisation follows" if followed else "every recommendation"]
    if theme is not None:
        selection.append(f"theme: {rd.theme_label(kb, theme)}")
    facts.append(f"Selection: {'; '.join(selection)} ({len(views)} of {len(review.recommendations)})")
    blocks += [rd.para(rd.words(f), STYLE_COVER) for f in facts]
    notes = rd.Notes()
    for label, group in groups:
        blocks.append(rd.header(1, f"Theme: {label}"))
        rows = [
            [
                _recommendation_cell(v),
                [rd.para(rd.words(rd.position_words(v.rec)))],
                _themes_cell(kb, v),
                _assessment_cell(v, notes),
            ]
            for v in group
        ]
        blocks.append(rd.table(list(HEAD), rows, list(WIDTHS)))
    if not groups:
        blocks.append(rd.para(rd.words("No recommendation of the review matches the selection.")))
    by_status = {s: 0 for s in rd.status_columns()}
    for v in views:
        if v.followed or v.latest is not None:
            by_status[v.status] += 1
    result = MatrixResult(
        path=Path(),
        themes=len(groups),
        rows=len(views),
        followed=sum(v.followed for v in views),
        assessed=sum(v.latest is not None for v in views),
        footnotes=notes.count,
        by_status=by_status,
        seconds=0.0,
    )
    return blocks, result


def export_matrix(
    kb: KnowledgeBase,
    review: ReviewIndex,
    follower: rd.Follower | None,
    output: Path,
    mark: str,
    theme: str | None = None,
    followed: bool = False,
) -> MatrixResult:
    """Write the matrix to ``output`` (replaced atomically, carrying ``mark``); returns its figures."""
    t0 = time.perf_counter()
    if theme is not None:
        rd.check_theme(kb, theme)
    blocks, result = matrix_blocks(kb, review, follower, theme, followed)
    rd.write_document(blocks, output, mark)
    result.path = output
    result.seconds = time.perf_counter() - t0
    return result
