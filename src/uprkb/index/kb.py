"""Resolve the validated data into one cross-linked knowledge base.

The :class:`KnowledgeBase` is built once per build. It holds every record by
ID, which section holds it, and the reverse relations the site shows
("cited in", "recommendations resting on this finding", "everything tagged
with this theme"). Confidential records are dropped here, at one place, unless
an internal build asks for them; every later stage sees only what it may publish.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Any

from uprkb.index.followup import FollowUpIndex, build_followup
from uprkb.index.reviews import ReviewIndex, index_reviews
from uprkb.index.submission import Record, SubmissionIndex, index_submission, ordered_sections, public_section
from uprkb.load.dataset import Dataset
from uprkb.model.records import (
    Finding,
    Instrument,
    Paragraph,
    Provision,
    QuoteBlock,
    Recommendation,
    SdgGoal,
    SdgTarget,
    Term,
)
from uprkb.model.reviews import ReceivedRecommendation


@dataclass
class KnowledgeBase:
    """All submissions and vocabularies, cross-linked."""

    submissions: list[SubmissionIndex]
    themes: dict[str, Term]
    affected_persons: dict[str, Term]
    goals: dict[str, SdgGoal]
    targets: dict[str, SdgTarget]
    goal_of_target: dict[str, SdgGoal]
    instruments: dict[str, Instrument]
    provisions: dict[str, Provision]
    instrument_of: dict[str, Instrument]
    include_confidential: bool = False
    word_limits: dict[Any, int] = field(default_factory=dict)
    """OHCHR's word limits by submission type, as the data states them (empty: the built-in ones)."""
    # (vocabulary, term id) -> [(submission index, finding or recommendation)]
    tagged: dict[tuple[str, str], list[tuple[SubmissionIndex, Record]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    reviews: dict[str, ReviewIndex] = field(default_factory=dict)
    """Review ID → the review and its received recommendations (``uprkb.model.reviews.ReviewIndex``)."""
    # (vocabulary, term id) -> [(review index, received recommendation)]; kept apart from the NGOs' records
    received_tagged: dict[tuple[str, str], list[tuple[ReviewIndex, ReceivedRecommendation]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    followup: FollowUpIndex = field(default_factory=FollowUpIndex)
    """The organisations' records linked to the recommendations States received, both ways
    (follows-up, assessments, take-up and derived responses; see ``uprkb.index.followup``)."""

    def submission(self, sid: str) -> SubmissionIndex:
        return next(s for s in self.submissions if s.id == sid)

    def record_count(self) -> dict[str, int]:
        return {
            "submissions": len(self.submissions),
            "sections": sum(len(s.sections) for s in self.submissions),
            "findings": sum(len(s.findings) for s in self.submissions),
            "recommendations": sum(len(s.recommendations) for s in self.submissions),
            "sources": sum(len(s.sources) for s in self.submissions),
        }


def build_index(ds: Dataset, include_confidential: bool = False) -> KnowledgeBase:
    """Resolve a dataset that passed validation into a :class:`KnowledgeBase`."""
    assert ds.themes and ds.affected_persons and ds.sdgs and ds.instruments
    goals = {g.id: g for g in ds.sdgs.goals}
    targets = {t.id: t for g in ds.sdgs.goals for t in g.targets}
    goal_of_target = {t.id: g for g in ds.sdgs.goals for t in g.targets}
    instruments = {i.id: i for i in ds.instruments.instruments}
    provisions = {p.id: p for i in ds.instruments.instruments for p in i.provisions}
    instrument_of = {p.id: i for i in ds.instruments.instruments for p in i.provisions}
    subs: list[SubmissionIndex] = []
    for sd in sorted(ds.submissions, key=lambda s: s.submission.id):
        sections = ordered_sections(sd.submission, sd.sections)
        if not include_confidential:
            sections = [public_section(s) for s in sections]
        subs.append(index_submission(sd.submission, sections))
    kb = KnowledgeBase(
        submissions=subs,
        themes={t.id: t for t in ds.themes.terms},
        affected_persons={t.id: t for t in ds.affected_persons.terms},
        goals=goals,
        targets=targets,
        goal_of_target=goal_of_target,
        instruments=instruments,
        provisions=provisions,
        instrument_of=instrument_of,
        include_confidential=include_confidential,
    )
    for sub in subs:
        records: list[Finding | Recommendation] = [*sub.findings, *sub.recommendations]
        for record in records:
            for tid in record.themes:
                kb.tagged[("theme", tid)].append((sub, record))
            for pid in record.affected_persons:
                kb.tagged[("persons", pid)].append((sub, record))
            for pid in record.provisions:
                kb.tagged[("provision", pid)].append((sub, record))
                inst = instrument_of.get(pid)
                if inst is not None:
                    kb.tagged[("instrument", inst.id)].append((sub, record))
            for tid in getattr(record, "sdg_targets", []):
                kb.tagged[("sdg", tid)].append((sub, record))
                goal = goal_of_target.get(tid)
                if goal is not None:
                    kb.tagged[("goal", goal.id)].append((sub, record))
        for section in sub.sections:
            for block in section.body:
                quotes = []
                if isinstance(block, QuoteBlock):
                    quotes = [block.provision]
                elif isinstance(block, Paragraph):
                    quotes = [q.provision for q in block.quotes]
                for pid in quotes:
                    kb.tagged[("provision", pid)].append((sub, block))
                    inst = instrument_of.get(pid)
                    if inst is not None:
                        kb.tagged[("instrument", inst.id)].append((sub, block))
    for key, items in kb.tagged.items():
        seen: set[int] = set()
        kb.tagged[key] = [x for x in items if not (id(x[1]) in seen or seen.add(id(x[1])))]  # type: ignore[func-returns-value]
    kb.reviews = index_reviews(ds.reviews)
    for review in kb.reviews.values():
        for rec in review.recommendations:
            for tid in rec.themes:
                kb.received_tagged[("theme", tid)].append((review, rec))
            for pid in rec.affected_persons:
                kb.received_tagged[("persons", pid)].append((review, rec))
            for tid in rec.sdg_targets:
                kb.received_tagged[("sdg", tid)].append((review, rec))
    kb.followup = build_followup(kb.submissions, kb.reviews)
    return kb


def public_index(kb: KnowledgeBase, ds: Dataset) -> KnowledgeBase:
    """The public knowledge base from the full one: the same object when nothing is confidential.

    Validation indexes everything, confidential records included. A public build
    reuses that index unless some record is confidential; only then is the public
    index built, without them.
    """
    if not kb.include_confidential:
        return kb
    if all(public_section(s) is s for sd in ds.submissions for s in sd.sections):
        return replace(kb, include_confidential=False)
    return build_index(ds, include_confidential=False)
