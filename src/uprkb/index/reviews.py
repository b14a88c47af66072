"""The reviews indexed: each review's received recommendations looked up by ID."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from uprkb.model.reviews import ReceivedRecommendation, Review, ReviewData


@dataclass
class ReviewIndex:
    """One review with its recommendations looked up by ID (``KnowledgeBase.reviews[review_id]``)."""

    review: Review
    recommendations: list[ReceivedRecommendation]
    by_id: dict[str, ReceivedRecommendation] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.review.id

    def counts(self) -> dict[str, dict[str, int]]:
        """Counts of the records: total, by position and by action category."""
        by_position: dict[str, int] = defaultdict(int)
        by_category: dict[str, int] = defaultdict(int)
        for r in self.recommendations:
            by_position[r.position.value] += 1
            by_category[str(r.action_category.value) if r.action_category else "none"] += 1
        return {
            "total": {"received": len(self.recommendations)},
            "position": dict(by_position),
            "action_category": dict(by_category),
        }


def index_reviews(reviews: list[ReviewData]) -> dict[str, ReviewIndex]:
    """Review ID → :class:`ReviewIndex`, in ID order (first record wins on a duplicate ID)."""
    out: dict[str, ReviewIndex] = {}
    for rd in sorted(reviews, key=lambda r: r.review.id):
        idx = ReviewIndex(rd.review, rd.recommendations)
        for r in rd.recommendations:
            idx.by_id.setdefault(r.id, r)
        for r in rd.recommendations:
            for alias in r.aliases:
                idx.by_id.setdefault(alias, r)
        out.setdefault(rd.review.id, idx)
    return out
