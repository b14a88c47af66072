"""Suggested matches: which received recommendations an organisation's records may follow up or were taken up as.

A transparent lexical similarity, nothing learnt: each record's text and each received
recommendation's text are lowercased and cut into words (punctuation dropped), and the score is
rapidfuzz's ``token_set_ratio`` (0–100): the similarity of the words the two texts share, set
against the words each has of its own, so a short recommendation contained in a longer one scores
high. The best ``top`` candidates per record are written to a YAML file for a person to accept or
reject; nothing here writes a link into the data (``benchmarks/suggest_bench.py`` measures the
ranking on hand-labelled pairs).

* ``take-up`` — after the review: the organisation's recommendations against the review's
  recommendations (accepting one means adding it to the recommendation's ``taken_up_as``);
* ``follows-up`` — findings and recommendations against an earlier review's recommendations
  (accepting one means adding it to the record's ``follows_up``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from rapidfuzz import fuzz, process

from uprkb.core import yamlout
from uprkb.core.errors import UserError
from uprkb.core.hints import close_match
from uprkb.index.followup import Resolver
from uprkb.index.kb import KnowledgeBase
from uprkb.index.reviews import ReviewIndex
from uprkb.index.submission import SubmissionIndex
from uprkb.model.records import Finding, Recommendation
from uprkb.model.refs import format_review_ref
from uprkb.model.reviews import ReceivedRecommendation

Purpose = Literal["take-up", "follows-up"]
PURPOSES: tuple[Purpose, ...] = ("take-up", "follows-up")
METHOD = (
    "rapidfuzz fuzz.token_set_ratio (0-100) between the two texts, lowercased and cut into words "
    "(punctuation dropped); the highest scores first, ties in the report's order"
)
_WORD = re.compile(r"\w+")
_FIELD: dict[str, str] = {"take-up": "taken_up_as", "follows-up": "follows_up"}


def words(text: str) -> str:
    """The text as the similarity sees it: lowercase words joined by single spaces."""
    return " ".join(_WORD.findall(text.lower()))


def score(a: str, b: str) -> float:
    """The similarity of two texts, 0–100 (see the module's description)."""
    return float(fuzz.token_set_ratio(words(a), words(b)))


@dataclass(frozen=True)
class Candidate:
    """One received recommendation suggested for a record, with its score."""

    review_id: str
    recommendation: ReceivedRecommendation
    score: float

    @property
    def reference(self) -> str:
        return format_review_ref(self.review_id, self.recommendation.id)


@dataclass
class Suggestion:
    """The candidates for one finding or recommendation of the submission."""

    record: Finding | Recommendation
    already: list[str] = field(default_factory=list)
    """References of the review the record already lists in the field (kept, shown, never ranked away)."""
    candidates: list[Candidate] = field(default_factory=list)


@dataclass
class SuggestionReport:
    """Every suggestion for one submission against one review."""

    submission: SubmissionIndex
    review: ReviewIndex
    purpose: Purpose
    top: int
    suggestions: list[Suggestion] = field(default_factory=list)


def rank(queries: list[str], review: ReviewIndex, top: int) -> list[list[tuple[int, float]]]:
    """For each query text, the ``top`` best (index into ``review.recommendations``, score) pairs."""
    choices = [words(r.text) for r in review.recommendations]
    out: list[list[tuple[int, float]]] = []
    for q in queries:
        found = process.extract(words(q), choices, scorer=fuzz.token_set_ratio, processor=None, limit=None)
        ordered = sorted(((i, float(s)) for _, s, i in found), key=lambda x: (-x[1], x[0]))
        out.append(ordered[:top])
    return out


def _submission(kb: KnowledgeBase, submission_id: str) -> SubmissionIndex:
    ids = [s.id for s in kb.submissions]
    if submission_id not in ids:
        close = close_match(submission_id, ids)
        raise UserError(
            f"no submission '{submission_id}' in the knowledge base",
            hint=(f"did you mean '{close}'? " if close else "") + "the submissions are: " + ", ".join(ids),
        )
    return kb.submission(submission_id)


def _review(kb: KnowledgeBase, review_id: str) -> ReviewIndex:
    review = kb.reviews.get(review_id)
    if review is None:
        known = sorted(kb.reviews)
        close = close_match(review_id, known)
        raise UserError(
            f"no review '{review_id}' in the knowledge base",
            hint=(f"did you mean '{close}'? " if close else "")
            + (
                "the reviews are: " + ", ".join(known[:20]) + (" …" if len(known) > 20 else "")
                if known
                else "import it first, e.g. 'build_site.py import wg-report REPORT.txt'"
            ),
        )
    if not review.recommendations:
        raise UserError(f"the review '{review_id}' holds no recommendations", hint="import its report first")
    return review


def suggest(
    kb: KnowledgeBase, submission_id: str, review_id: str, purpose: Purpose = "take-up", top: int = 5
) -> SuggestionReport:
    """Rank the review's recommendations for each record of the submission; nothing is written."""
    if purpose not in PURPOSES:
        raise UserError(f"'{purpose}' is not a kind of suggestion", hint="use take-up or follows-up")
    if top < 1:
        raise UserError("--top must be at least 1", hint="e.g. --top 5")
    sub = _submission(kb, submission_id)
    review = _review(kb, review_id)
    records: list[Finding | Recommendation] = (
        list(sub.recommendations) if purpose == "take-up" else [*sub.findings, *sub.recommendations]
    )
    resolver = Resolver(kb.reviews)
    report = SuggestionReport(sub, review, purpose, top)
    ranked = rank([r.text for r in records], review, top)
    for record, best in zip(records, ranked, strict=True):
        listed: list[str] = getattr(record, _FIELD[purpose], [])
        already = [ref.reference for ref in map(resolver.resolve, listed) if ref.review_id == review.id]
        report.suggestions.append(
            Suggestion(record, already, [Candidate(review.id, review.recommendations[i], s) for i, s in best])
        )
    return report


def to_yaml(report: SuggestionReport, today: dt.date | None = None) -> str:
    """The report as a YAML file for a person to read, accept or reject."""
    fieldname = _FIELD[report.purpose]
    header = (
        "# Suggested matches, for a person to accept or reject: nothing here is in the knowledge base.\n"
        f"# To accept a candidate, copy its 'reference' into the '{fieldname}' list of the record, in the\n"
        "# file and line 'where' names, then run 'build_site.py validate'. To reject one, do nothing.\n"
        "# The score (0-100) is lexical similarity only: read both texts before accepting.\n"
    )
    body = {
        "submission": report.submission.id,
        "review": report.review.id,
        "for": report.purpose,
        "field": fieldname,
        "method": METHOD,
        "top": report.top,
        "generated": (today or dt.date.today()).isoformat(),
        "suggestions": [
            {
                "record": s.record.id,
                "kind": "finding" if isinstance(s.record, Finding) else "recommendation",
                "where": str(s.record.where),
                "text": s.record.text,
                "already": s.already,
                "candidates": [
                    {
                        "reference": c.reference,
                        "score": round(c.score, 1),
                        "listed": c.reference in s.already,
                        "position": c.recommendation.position.value,
                        "recommending_states": [x.name for x in c.recommendation.recommending_states],
                        "text": c.recommendation.text,
                    }
                    for c in s.candidates
                ],
            }
            for s in report.suggestions
        ],
    }
    return yamlout.dump(body, header)


def write_report(text: str, target: Path, data_dir: Path, force: bool = False) -> None:
    """Write the suggestions file: never inside the data folder, never over a file unless ``force``."""
    where = target.resolve()
    if where.is_relative_to(data_dir.resolve()):
        raise UserError(
            f"{target} is inside the data folder; suggestions are not data",
            hint="write them elsewhere, e.g. -o suggestions.yaml, and copy the references you accept by hand",
        )
    if where.exists() and not force:
        raise UserError(
            f"{target} exists (it may hold someone's notes on earlier suggestions)",
            hint="choose another file with -o, or pass --force to replace it",
        )
    where.parent.mkdir(parents=True, exist_ok=True)
    tmp = where.with_name(f".{where.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(where)
