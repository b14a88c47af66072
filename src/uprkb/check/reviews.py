"""The rules for reviews and received recommendations, and for vocabulary equivalents.

* a review's folder, ``id``, State and cycle agree (``svn-upr4`` is SVN's 4th cycle);
  its session falls in the cycle's published range;
* recommendation IDs are unique within a review; tags name vocabulary terms;
* the counts the documents state match the records (a warning: the documents may
  count differently, but a mismatch usually means a missed or doubled record);
* every format in a record's ``provenance`` is listed in the review's ``imports``;
* a term lists an equivalent once (after normalising case, ``&`` and punctuation).

:func:`check_reviews` is called from :func:`uprkb.check.validate.check_dataset`.
"""

from __future__ import annotations

from collections.abc import Iterable

from uprkb.core.errors import Location, Problems
from uprkb.core.hints import reference_hint
from uprkb.core.names import normalise_label
from uprkb.index.kb import KnowledgeBase
from uprkb.index.reviews import ReviewIndex
from uprkb.load.dataset import Dataset
from uprkb.model.records import TermVocabulary
from uprkb.model.refs import CYCLE_SESSIONS, REVIEW_ID
from uprkb.model.reviews import ReceivedRecommendation


def _hint(value: str, known: Iterable[str], what: str) -> str:
    return reference_hint(value, known, what)


def check_equivalents(vocab: TermVocabulary | None, problems: Problems) -> None:
    """A term's equivalents are unique per system after normalisation."""
    for term in vocab.terms if vocab else []:
        seen: dict[tuple[str, str], str] = {}
        for i, eq in enumerate(term.equivalents):
            key = (eq.system, normalise_label(eq.label))
            if key in seen:
                same = seen[key] == eq.label
                problems.add(
                    term.field_where("equivalents", i),
                    "duplicate-equivalent",
                    f"the term '{term.id}' lists the {eq.system} label '{eq.label}' "
                    + ("twice" if same else f"twice (also as '{seen[key]}')"),
                    "remove the second one; labels are compared ignoring case, '&'/'and' and punctuation",
                )
            else:
                seen[key] = eq.label


def _refs(
    rec: ReceivedRecommendation, name: str, values: list[str], known: Iterable[str], what: str, p: Problems
) -> None:
    known_set = known if isinstance(known, dict | set | frozenset) else set(known)
    seen: set[str] = set()
    for i, value in enumerate(values):
        if value not in known_set:
            p.add(
                rec.field_where(name, i),
                "unknown-reference",
                f"recommendation {rec.id}: '{name}' refers to the unknown {what} '{value}'",
                _hint(value, known_set, what),
            )
        if value in seen:
            p.add(rec.field_where(name, i), "duplicate-reference", f"'{value}' is listed twice in '{name}'", "")
        seen.add(value)


def _review(kb: KnowledgeBase, idx: ReviewIndex, failed: set[str], p: Problems) -> None:
    review = idx.review
    expected = f"{review.state.iso3.lower()}-upr{review.cycle}"
    if REVIEW_ID.fullmatch(review.id) is None or review.id != expected:
        p.add(
            review.field_where("id"),
            "invalid-value",
            f"a review's id is '<iso3>-upr<cycle>'; for {review.state.iso3}, cycle {review.cycle} that is '{expected}'",
            f"write 'id: {expected}' and name the folder so",
        )
    if review.session is not None and review.cycle in CYCLE_SESSIONS:
        first, last = CYCLE_SESSIONS[review.cycle]
        if not first <= review.session <= last and not (review.cycle == 4 and review.session > last):
            p.warn(
                review.field_where("session"),
                "session-cycle",
                f"Working Group session {review.session} is not in cycle {review.cycle} (sessions {first}-{last})",
                "check the session and the cycle",
            )
    imported = {i.format for i in review.imports}
    ids: dict[str, Location] = {}
    missing_formats: set[str] = set()
    for rec in idx.recommendations:
        if rec.id in ids:
            p.add(
                rec.field_where("id"),
                "duplicate-id",
                f"recommendation {rec.id} is already listed at {ids[rec.id]}",
                "each recommendation appears once in a review",
            )
        else:
            ids[rec.id] = rec.field_where("id")
        if "themes" not in failed:
            _refs(rec, "themes", rec.themes, kb.themes, "theme", p)
        if "affected-persons" not in failed:
            _refs(rec, "affected_persons", rec.affected_persons, kb.affected_persons, "affected-persons group", p)
        if "sdgs" not in failed:
            _refs(rec, "sdg_targets", rec.sdg_targets, kb.targets, "SDG target", p)
        for fmt in rec.provenance:
            if fmt not in imported and fmt.value not in missing_formats:
                missing_formats.add(fmt.value)
                p.warn(
                    rec.field_where("provenance"),
                    "unknown-import",
                    f"recommendation {rec.id} was written by the '{fmt.value}' importer, "
                    "but the review lists no such import",
                    "re-run the import, or add the file to the review's 'imports'",
                )
    counts = review.counts
    if counts is not None:
        actual = {
            "received": len(idx.recommendations),
            "supported": sum(1 for r in idx.recommendations if r.position.value == "supported"),
            "noted": sum(1 for r in idx.recommendations if r.position.value == "noted"),
        }
        for key, value in actual.items():
            stated = getattr(counts, key)
            if stated is not None and stated != value:
                p.warn(
                    counts.field_where(key),
                    "count-mismatch",
                    f"{counts.source or 'the document'} states {stated} {key}, but the review holds {value}",
                    "look for a missed, doubled or wrongly placed recommendation",
                )


def check_reviews(kb: KnowledgeBase, ds: Dataset, problems: Problems) -> None:
    """Every review rule, and the equivalents rule; problems are added, never raised."""
    check_equivalents(ds.themes, problems)
    check_equivalents(ds.affected_persons, problems)
    reports: dict[str, str] = {}
    for rd in ds.reviews:
        idx = kb.reviews.get(rd.review.id)
        if rd.review.id != rd.folder.name:
            problems.add(
                rd.review.field_where("id"),
                "folder-mismatch",
                f"the review id '{rd.review.id}' differs from its folder name '{rd.folder.name}'",
                f"rename the folder to '{rd.review.id}' or change the id",
            )
        if idx is None or idx.review is not rd.review:
            problems.add(
                rd.review.field_where("id"),
                "duplicate-id",
                f"two review folders say they hold '{rd.review.id}'",
                "each review has one folder",
            )
            continue
        _review(kb, idx, ds.failed_vocabularies, problems)
        report = rd.review.report
        if report is not None:
            if report in reports:
                problems.add(
                    rd.review.field_where("report"),
                    "duplicate-id",
                    f"the report {report} is also the report of the review '{reports[report]}'",
                    "a Working Group report belongs to one review",
                )
            reports[report] = rd.review.id
