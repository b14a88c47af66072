"""The follow-up links of the organisations' records (see :mod:`uprkb.index.followup`).

* a reference in ``follows_up``, ``taken_up_as`` or an assessment whose review is in the knowledge base
  names one of its recommendations (else an error, with a "did you mean"); a reference to a review the
  knowledge base does not hold is a citation, kept as written;
* no recommendation is listed twice in one field (in either spelling of the reference);
* ``taken_up_as`` names recommendations of the review the submission answers: another cycle's is an error,
  another State's review of the same cycle a warning;
* a reference by ID to a review not held, for a State whose other reviews are held, is a warning naming them;
* an assessment's ``quote`` stands word for word in the finding; one finding assesses a recommendation
  once per date; the finding has sources (its evidence; a warning); the date is not before the review.

:func:`check_followup` is called from :func:`uprkb.check.validate.check_dataset`.
"""

from __future__ import annotations

import re

from rapidfuzz.distance import OSA, Indel

from uprkb.core.errors import Problems
from uprkb.core.hints import close_match
from uprkb.index.followup import ResolvedRef, Resolver, submission_review
from uprkb.index.kb import KnowledgeBase
from uprkb.index.reviews import ReviewIndex
from uprkb.index.submission import SubmissionIndex
from uprkb.load.dataset import Dataset
from uprkb.model.records import Finding, Model, Recommendation
from uprkb.model.refs import REVIEW_ID


def _numeric(rec_id: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", rec_id))


def suggest_recommendation(rec_id: str, review: ReviewIndex) -> str | None:
    """The received recommendation ``rec_id`` most plausibly meant, in ``review``, or ``None``.

    ``140.07`` is ``140.7``; otherwise the closest ID by one or two edits (a swap of neighbouring
    digits counts as one), a digit too many or too few before a digit mistyped, then the numerically nearest.
    """
    if not review.by_id:
        return None
    stripped = ".".join(str(int(p)) for p in rec_id.split(".")) if re.fullmatch(r"[0-9.]+", rec_id) else rec_id
    if stripped in review.by_id:
        return stripped
    limit = 1 if len(rec_id) < 6 else 2
    target = _numeric(rec_id)
    best: tuple[int, int, int, str] | None = None
    for cand in review.by_id:
        d = OSA.distance(rec_id, cand, score_cutoff=limit)
        if d > limit:
            continue
        nums = _numeric(cand)
        gap = abs(nums[-1] - target[-1]) if nums and target and nums[:-1] == target[:-1] else 10**6
        key = (d, Indel.distance(rec_id, cand), gap, cand)
        if best is None or key < best:
            best = key
    return best[3] if best else None


def _cycle_of(review_id: str) -> int:
    m = re.search(r"upr(\d+)$", review_id)
    return int(m.group(1)) if m else 0


def _ordinal(n: int) -> str:
    return f"{n}" + ("th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th"))


def _excerpt(text: str, words: int = 12) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


class _FollowUpChecker:
    def __init__(self, kb: KnowledgeBase, problems: Problems) -> None:
        self.kb = kb
        self.p = problems
        self.resolver = Resolver(kb.reviews)

    def refs(self, record: Model, name: str, values: list[str]) -> list[ResolvedRef | None]:
        """Check each reference of a list field; returns them resolved (``None`` where unknown)."""
        out: list[ResolvedRef | None] = []
        seen: dict[str, int] = {}
        for i, text in enumerate(values):
            ref = self.one(record, name, i, text)
            out.append(ref)
            key = ref.reference if ref is not None else text
            if key in seen:
                self.p.add(
                    record.field_where(name, i),
                    "duplicate-reference",
                    f"'{name}' lists the recommendation {key} twice"
                    + (f": '{text}' names the same one as '{values[seen[key]]}'" if values[seen[key]] != text else ""),
                    "remove the second one",
                )
            seen.setdefault(key, i)
        return out

    def one(self, record: Model, name: str, index: int | None, text: str) -> ResolvedRef | None:
        ref = self.resolver.resolve(text)
        if ref.review_id is None:
            self.not_held(record, name, index, text, ref)
        if ref.review_id is None or ref.recommendation is not None:
            return ref
        review = self.kb.reviews[ref.review_id]
        close = suggest_recommendation(ref.rec_id, review)
        if close is not None:
            rec = review.by_id[close]
            states = ", ".join(s.name for s in rec.recommending_states)
            hint = f"did you mean '{review.id}/{close}'? ({_excerpt(rec.text)} — {states})"
        else:
            ids = [r.id for r in review.recommendations]
            span = f"{ids[0]} to {ids[-1]}" if ids else "none"
            hint = (
                f"the review {review.id} holds the recommendations {span}; look the number up on its page, "
                "or let 'build_site.py suggest' propose candidates"
            )
        self.p.add(
            record.field_where(name, index) if index is not None else record.field_where(name),
            "unknown-reference",
            f"'{name}' refers to '{text}', but the review {review.id} has no recommendation {ref.rec_id}",
            hint,
        )
        return None

    def not_held(self, record: Model, name: str, index: int | None, text: str, ref: ResolvedRef) -> None:
        """A reference by review ID to a review not held, for a State whose other reviews are: a warning."""
        head = text.split("/", 1)[0].strip()
        m = REVIEW_ID.match(head)
        if "#" in text or m is None:
            return
        iso3 = head[:3]
        held = sorted(r for r in self.kb.reviews if r.startswith(f"{iso3}-upr"))
        if not held:
            return
        close = close_match(head, held)
        guess = close or (held[0] if len(held) == 1 else None)
        has = guess is not None and ref.rec_id in self.kb.reviews[guess].by_id
        self.p.warn(
            record.field_where(name, index) if index is not None else record.field_where(name),
            "review-not-held",
            f"'{name}' refers to '{text}', but the knowledge base does not hold the review {head}; "
            f"it holds {', '.join(held)} for {self.kb.reviews[held[0]].review.state.name}",
            (f"did you mean '{guess}/{ref.rec_id}'? " if has else "")
            + f"a review not held is kept as a citation, unchecked; import {head} to check it, "
            "or correct the cycle",
        )

    def submission(self, sub: SubmissionIndex) -> None:
        own = submission_review(sub)
        for f in sub.findings:
            self.refs(f, "follows_up", f.follows_up)
            self.assessments(sub, f)
        for r in sub.recommendations:
            self.refs(r, "follows_up", r.follows_up)
            self.take_up(r, own)

    def take_up(self, r: Recommendation, own: str | None) -> None:
        for i, ref in enumerate(self.refs(r, "taken_up_as", r.taken_up_as)):
            if ref is None or own is None:
                continue
            held = self.kb.reviews.get(ref.review_id) if ref.review_id else None
            if held is not None and held.review.cycle != _cycle_of(own):
                self.p.add(
                    r.field_where("taken_up_as", i),
                    "take-up-cycle",
                    f"'taken_up_as' names {ref.reference}, a recommendation of the "
                    f"{_ordinal(held.review.cycle)} cycle, "
                    f"but this submission informed the review {own} ({_ordinal(_cycle_of(own))} cycle)",
                    "a recommendation is taken up by the review it was submitted to: list recommendations of "
                    f"{own}; a recommendation of an earlier cycle that this one continues goes in 'follows_up'",
                )
            elif ref.review_id is not None and ref.review_id != own:
                self.p.warn(
                    r.field_where("taken_up_as", i),
                    "take-up-review",
                    f"'taken_up_as' names {ref.reference}, a recommendation of the review {ref.review_id}, "
                    f"but this submission answers the review {own}",
                    f"list recommendations of {own}: the ones States made in the review this submission informed",
                )
            elif ref.review_id is None and own in self.kb.reviews:
                self.p.warn(
                    r.field_where("taken_up_as", i),
                    "take-up-review",
                    f"'taken_up_as' names '{ref.text}', outside the knowledge base, but the review this "
                    f"submission answers ({own}) is in it",
                    f"write the reference as '{own}/<number>', e.g. '{own}/{ref.rec_id}'",
                )

    def assessments(self, sub: SubmissionIndex, f: Finding) -> None:
        seen: dict[tuple[str, str], int] = {}
        for i, a in enumerate(f.assessments):
            ref = self.one(a, "recommendation", None, a.recommendation)
            key = (ref.reference if ref else a.recommendation, a.as_of.isoformat())
            if key in seen:
                self.p.add(
                    f.field_where("assessments", i),
                    "duplicate-reference",
                    f"the finding assesses {key[0]} as of {key[1]} twice",
                    "keep one assessment per recommendation and date; a later date is a new assessment",
                )
            seen.setdefault(key, i)
            if a.quote is not None and a.quote not in f.text:
                self.p.add(
                    a.field_where("quote"),
                    "quote-not-in-text",
                    "the assessment's quote does not stand word for word in the finding's text",
                    "copy the words exactly from the finding's 'text', or leave 'quote' out",
                )
            review = self.kb.reviews.get(ref.review_id) if ref and ref.review_id else None
            if review is not None and review.review.review_date and a.as_of < review.review.review_date:
                self.p.warn(
                    a.field_where("as_of"),
                    "assessment-date",
                    f"the assessment is as of {a.as_of.isoformat()}, before the review "
                    f"{review.id} made the recommendation ({review.review.review_date.isoformat()})",
                    "check the date: 'as_of' is when the implementation was assessed",
                )
        if f.assessments and not sub.sources_of(f):
            self.p.warn(
                f.field_where("assessments"),
                "assessment-evidence",
                f"the finding '{f.id}' assesses recommendations but cites no source",
                "the finding's sources are the assessment's evidence: cite them with [^source-id] or 'sources'",
            )


def check_followup(kb: KnowledgeBase, ds: Dataset, problems: Problems) -> None:
    """Every follow-up rule over the full index; problems are added, never raised."""
    del ds  # the rules need only the index; the signature matches the other checks
    checker = _FollowUpChecker(kb, problems)
    for sub in kb.submissions:
        checker.submission(sub)
