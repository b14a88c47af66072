"""The organisation's mid-term report on a review: how far the State implemented the recommendations it follows.

OHCHR invites stakeholders to report at mid-term on the recommendations of the last review. This export writes
that report from the knowledge base as a Word document, with the submission's styles and real footnotes
(:mod:`uprkb.exports.docx`), the organisation and the recommendations it follows as
:mod:`uprkb.exports.reviewdoc` says:

* the cover: the title, the organisation, the contact, the State, the cycle, the session and the report;
* **Introduction** — what the report covers, in figures (followed, assessed, the latest date);
* **Methodology** — how statuses are given (the latest assessment, the A–E grade, the evidence);
* **Summary of implementation** — two tables: recommendations per status, and per theme with the statuses
  present (a recommendation counts under each of its themes, in the vocabulary's order; the total row counts
  each once);
* **Implementation of the recommendations** — one entry per recommendation followed, in number order: its
  number, recommending States and text, the State's position and where it is stated, its themes, the
  organisation's latest assessment, the finding that makes it with its sources as footnotes, and earlier
  assessments.

The paragraphs are numbered continuously (``12.`` and a tab, as in the submission); the word count leaves the
cover and the paragraph numbers out and counts the footnotes apart (:func:`uprkb.exports.reviewdoc.body_words`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from uprkb.exports import docx
from uprkb.exports import reviewdoc as rd
from uprkb.index.followup import GRADES, STATUS_LABELS
from uprkb.index.kb import KnowledgeBase
from uprkb.index.reviews import ReviewIndex
from uprkb.present.labels import optional_date, ordinal


@dataclass
class MidtermResult:
    """What the export wrote, with the figures it prints."""

    path: Path
    entries: int
    """Recommendations followed (one entry each)."""
    assessed: int
    footnotes: int
    by_status: dict[str, int]
    """Status label → recommendations whose latest assessment has it (and ``not yet assessed``)."""
    words_body: int
    words_with_notes: int
    seconds: float


class _Report:
    def __init__(self, kb: KnowledgeBase, review: ReviewIndex, follower: rd.Follower) -> None:
        self.kb = kb
        self.review = review
        self.follower = follower
        self.views = [v for v in rd.recommendation_views(kb, review, follower) if v.followed]
        self.notes = rd.Notes()
        self.number = 0

    def numbered(self, inlines: list[dict[str, Any]]) -> dict[str, Any]:
        self.number += 1
        n = self.number
        return docx._para([{"t": "Str", "c": f"{n}."}, docx._TAB, *inlines], docx.STYLE_PARAGRAPH, f"para-{n}")

    def cover(self) -> list[dict[str, Any]]:
        r = self.review.review
        meta = self.follower.submission.submission
        title = f"Mid-term report on the implementation of the recommendations of the {ordinal(r.cycle)} UPR cycle: "
        blocks = [rd.para(rd.words(title + r.state.name), docx.STYLE_TITLE)]
        facts = [f"{docx.COVER_BY} {docx._org_name(self.follower.organisation)}"]
        if meta.contact:
            c = meta.contact
            parts = [p for p in (c.name, c.email, c.phone, c.address) if p]
            if parts:
                facts.append(f"{docx.COVER_CONTACT} " + ", ".join(parts))
        facts.append(f"{docx.COVER_STATE} {r.state.name}")
        facts.append(f"{docx.COVER_CYCLE} {ordinal(r.cycle)} cycle")
        if r.session:
            session = f"{docx.COVER_SESSION} {ordinal(r.session)} session"
            if r.review_date:
                session += f", {optional_date(r.review_date)}"
            facts.append(session)
        if r.report:
            facts.append(
                f"Report of the Working Group: {r.report}" + (f"; addendum: {r.addendum}" if r.addendum else "")
            )
        blocks += [rd.para(rd.words(f), docx.STYLE_COVER) for f in facts]
        if self.follower.organisation.description:
            sub = self.follower.submission
            blocks.append(
                rd.para(self.notes.inline(sub, self.follower.organisation.description), docx.STYLE_INTRODUCTION)
            )
        return blocks

    def introduction(self) -> list[dict[str, Any]]:
        r = self.review.review
        assessed = [v for v in self.views if v.latest is not None]
        latest = max((v.latest.as_of for v in assessed if v.latest is not None), default=None)
        when = f" The latest assessment holds as of {optional_date(latest)}." if latest else ""
        report = f" ({r.report})" if r.report else ""
        text = (
            f"{r.state.name} received {len(self.review.recommendations)} recommendations in its review of the "
            f"{ordinal(r.cycle)} cycle{report}. {self.follower.name} follows {len(self.views)} of them and has "
            f"assessed the implementation of {len(assessed)}.{when} This report sets out, for each recommendation "
            "it follows, the State's position, the organisation's assessment and the evidence it rests on."
        )
        return [rd.header(1, "1. Introduction", "introduction"), self.numbered(rd.words(text))]

    def methodology(self) -> list[dict[str, Any]]:
        statuses = "; ".join(f"{STATUS_LABELS[s]} (grade {g.letter}, {g.label})" for s, g in GRADES.items())
        texts = [
            f"Each recommendation is given the status of {self.follower.name}'s latest assessment of it, as of the "
            "date the assessment holds for; earlier assessments are listed after it. A recommendation the "
            f"organisation follows but has not assessed is shown as {rd.NOT_ASSESSED}.",
            f"The statuses are: {statuses}. The grades are those of the Human Rights Committee's follow-up "
            "procedure, derived from the status.",
            "The evidence of an assessment is the organisation's finding that makes it; its sources are given in "
            "the footnotes. The State's position and where it is stated are taken from the Working Group's report "
            "and its addendum.",
        ]
        return [rd.header(1, "2. Methodology", "methodology"), *(self.numbered(rd.words(t)) for t in texts)]

    def summary(self) -> tuple[list[dict[str, Any]], dict[str, int]]:
        columns = rd.status_columns()
        by_status = {s: 0 for s in columns}
        for v in self.views:
            by_status[v.status] += 1
        total = len(self.views)
        rows = [[[rd.para(rd.words(s[0].upper() + s[1:]))], [rd.para(rd.words(str(n)))]] for s, n in by_status.items()]
        rows.append([[rd.para([rd.strong("Total")])], [rd.para([rd.strong(str(total))])]])
        order = {tid: i for i, tid in enumerate(self.kb.themes)}
        per_theme: dict[str | None, dict[str, int]] = {}
        for v in self.views:
            tids: list[str | None] = [*v.rec.themes] or [None]
            for tid in tids:
                per_theme.setdefault(tid, dict.fromkeys(columns, 0))[v.status] += 1
        ranked = sorted(per_theme, key=lambda t: (t is None, order.get(t or "", len(order)), t or ""))
        theme_rows = [
            [
                [rd.para(rd.words(rd.theme_label(self.kb, tid) if tid else rd.NO_THEME))],
                [rd.para(rd.words(str(sum(per_theme[tid].values()))))],
                [rd.para(rd.words(_statuses(per_theme[tid])))],
            ]
            for tid in ranked
        ]
        theme_rows.append(
            [
                [rd.para([rd.strong("All recommendations followed")])],
                [rd.para([rd.strong(str(total))])],
                [rd.para([rd.strong(_statuses(by_status))])],
            ]
        )
        lead = (
            "Table 1 counts the recommendations followed by the status of the latest assessment; Table 2 counts "
            "them by theme (a recommendation with several themes counts under each)."
        )
        blocks = [
            rd.header(1, "3. Summary of implementation", "summary"),
            self.numbered(rd.words(lead)),
            rd.para(rd.words("Table 1. Recommendations by status"), "Table Caption"),
            rd.table(["Status", "Recommendations"], rows, [0.6, 0.4]),
            rd.para(rd.words("Table 2. Recommendations by theme and status"), "Table Caption"),
            rd.table(["Theme", "Recommendations", "By status"], theme_rows, [0.36, 0.24, 0.4]),
        ]
        return blocks, by_status

    def entries(self) -> list[dict[str, Any]]:
        blocks = [rd.header(1, "4. Implementation of the recommendations", "recommendations")]
        for v in self.views:
            rec = v.rec
            blocks.append(rd.header(2, f"Recommendation {rec.id} ({rd.states_words(rec)})", f"rec-{rec.id}"))
            blocks.append({"t": "BlockQuote", "c": [{"t": "Para", "c": rd.words(rec.text)}]})
            position = rd.position_words(rec)
            source = rd.position_source_words(rec)
            line = [rd.strong("Position:"), {"t": "Space"}, *rd.words(position + (f" ({source})." if source else "."))]
            if rec.themes:
                themes = "; ".join(rd.theme_label(self.kb, t) for t in rec.themes)
                line += [{"t": "Space"}, rd.strong("Themes:"), {"t": "Space"}, *rd.words(themes + ".")]
            blocks.append(self.numbered(line))
            latest = v.latest
            if latest is None:
                blocks.append(self.numbered([rd.strong("Assessment:"), {"t": "Space"}, *rd.words("not yet assessed.")]))
                continue
            head = [rd.strong("Assessment:"), {"t": "Space"}, *rd.words(rd.assessment_words(latest) + ".")]
            blocks.append(self.numbered([*head, {"t": "Space"}, *self.notes.evidence(latest)]))
            earlier = v.assessments[:-1]
            if earlier:
                words = "; ".join(f"{e.status_label} as of {optional_date(e.as_of)}" for e in reversed(earlier))
                blocks.append(
                    self.numbered([rd.strong("Earlier assessments:"), {"t": "Space"}, *rd.words(words + ".")])
                )
        return blocks


def _statuses(counts: dict[str, int]) -> str:
    """``partially implemented 1; not yet assessed 2``: the statuses present, in the model's order."""
    return "; ".join(f"{label} {n}" for label, n in counts.items() if n)


def midterm_blocks(
    kb: KnowledgeBase, review: ReviewIndex, follower: rd.Follower
) -> tuple[list[dict[str, Any]], MidtermResult]:
    """The report as pandoc blocks, and its figures (``path`` and ``seconds`` left to the writer)."""
    report = _Report(kb, review, follower)
    cover = report.cover()
    body = report.introduction() + report.methodology()
    summary, by_status = report.summary()
    body += summary + report.entries()
    words_body, words_notes = rd.body_words(body)
    result = MidtermResult(
        path=Path(),
        entries=len(report.views),
        assessed=sum(v.latest is not None for v in report.views),
        footnotes=report.notes.count,
        by_status=by_status,
        words_body=words_body,
        words_with_notes=words_body + words_notes,
        seconds=0.0,
    )
    return cover + body, result


def export_midterm(
    kb: KnowledgeBase, review: ReviewIndex, follower: rd.Follower, output: Path, mark: str
) -> MidtermResult:
    """Write the mid-term report to ``output`` (replaced atomically, carrying ``mark``); returns its figures."""
    t0 = time.perf_counter()
    blocks, result = midterm_blocks(kb, review, follower)
    rd.write_document(blocks, output, mark, follower.submission.submission.language)
    result.path = output
    result.seconds = time.perf_counter() - t0
    return result
