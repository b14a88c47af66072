"""Stage 4, index: resolve the validated data into one cross-linked knowledge base.

The :class:`KnowledgeBase` is built once per build. It holds every record by
ID, which section holds it, and the reverse relations the site shows
("cited in", "recommendations resting on this finding", "everything tagged
with this theme"). Confidential records are dropped here, at one place, unless
an internal build asks for them; every later stage sees only what it may publish.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from .dataset import Dataset
from .followup import FollowUpIndex, build_followup
from .models import (
    Finding,
    FindingBlock,
    FindingList,
    Instrument,
    Paragraph,
    Provision,
    QuoteBlock,
    Recommendation,
    RecommendationList,
    SdgGoal,
    SdgTarget,
    Section,
    Source,
    Submission,
    Term,
    TextList,
)
from .reviews import ReceivedRecommendation, ReviewIndex, index_reviews

FOOTNOTE = re.compile(r"\[\^([^\]\s]*)\]")

Record = Any  # a Section, body block, Finding, Recommendation or Source


def footnote_ids(text: str) -> list[str]:
    """The source IDs that ``[^id]`` markers in ``text`` cite, in order."""
    return FOOTNOTE.findall(text)


def texts_of(block: Any) -> Iterator[tuple[Any, str, str]]:
    """Every (record, field name, text) of a body block that may carry footnotes."""
    if isinstance(block, (Paragraph, QuoteBlock)):
        yield block, "text", block.text
    elif isinstance(block, TextList):
        for line in block.items:
            yield block, "items", line
    elif isinstance(block, FindingBlock):
        yield block.finding, "text", block.finding.text
    elif isinstance(block, (FindingList, RecommendationList)):
        for item in block.items:
            yield item, "text", item.text


def _public_block(block: Any) -> Any | None:
    if getattr(block, "confidential", False):
        return None
    if isinstance(block, FindingBlock):
        return None if block.finding.confidential else block
    if isinstance(block, (FindingList, RecommendationList)):
        items = [i for i in block.items if not i.confidential]
        if not items:
            return None
        if len(items) == len(block.items):
            return block
        return block.model_copy(update={"items": items})
    return block


def public_section(section: Section) -> Section:
    """A copy of the section without its confidential records."""
    body = [b for b in (_public_block(b) for b in section.body) if b is not None]
    sources = [s for s in section.sources if not s.confidential]
    if (
        len(body) == len(section.body)
        and len(sources) == len(section.sources)
        and all(a is b for a, b in zip(body, section.body, strict=True))
    ):
        return section
    return section.model_copy(update={"body": body, "sources": sources})


@dataclass
class SubmissionIndex:
    """One submission with its records resolved."""

    submission: Submission
    sections: list[Section]
    records: dict[str, Record] = field(default_factory=dict)
    section_of: dict[str, Section] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    recommendations: list[Recommendation] = field(default_factory=list)
    sources: dict[str, Source] = field(default_factory=dict)
    cited_in: dict[str, list[Record]] = field(default_factory=lambda: defaultdict(list))
    recommendations_of_finding: dict[str, list[Recommendation]] = field(default_factory=lambda: defaultdict(list))

    @property
    def id(self) -> str:
        return self.submission.id

    def sources_of(self, record: Finding | Recommendation) -> list[Source]:
        """Sources behind a finding (its footnotes and ``sources``) or a recommendation (via its findings)."""
        ids: list[str] = []
        if isinstance(record, Finding):
            ids = footnote_ids(record.text) + list(record.sources)
        else:
            ids = footnote_ids(record.text)
            for fid in record.findings:
                f = self.records.get(fid)
                if isinstance(f, Finding):
                    ids += footnote_ids(f.text) + list(f.sources)
        seen: dict[str, Source] = {}
        for sid in ids:
            if sid in self.sources and sid not in seen:
                seen[sid] = self.sources[sid]
        return list(seen.values())


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
    """Review ID → the review and its received recommendations (``uprkb.reviews.ReviewIndex``)."""
    # (vocabulary, term id) -> [(review index, received recommendation)]; kept apart from the NGOs' records
    received_tagged: dict[tuple[str, str], list[tuple[ReviewIndex, ReceivedRecommendation]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    followup: FollowUpIndex = field(default_factory=FollowUpIndex)
    """The organisations' records linked to the recommendations States received, both ways
    (follows-up, assessments, take-up and derived responses; see ``uprkb.followup``)."""

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


def _ordered_sections(meta: Submission, sections: list[Section]) -> list[Section]:
    if not meta.sections:
        return sections
    by_id = {s.id: s for s in sections}
    listed = [by_id[i] for i in meta.sections if i in by_id]
    rest = [s for s in sections if s.id not in set(meta.sections)]
    return listed + rest


def _index_submission(meta: Submission, sections: list[Section]) -> SubmissionIndex:
    idx = SubmissionIndex(meta, sections)
    recs = idx.records
    for section in sections:
        recs.setdefault(section.id, section)
        idx.section_of[section.id] = section
        for source in section.sources:
            recs.setdefault(source.id, source)
            idx.sources.setdefault(source.id, source)
            idx.section_of[source.id] = section
        for block in section.body:
            if isinstance(block, (Paragraph, QuoteBlock, TextList)):
                recs.setdefault(block.id, block)
                idx.section_of[block.id] = section
            items: list[Any] = []
            if isinstance(block, FindingBlock):
                items = [block.finding]
            elif isinstance(block, (FindingList, RecommendationList)):
                items = list(block.items)
            for item in items:
                recs.setdefault(item.id, item)
                idx.section_of[item.id] = section
                if isinstance(item, Finding):
                    idx.findings.append(item)
                else:
                    idx.recommendations.append(item)
    for section in sections:
        for block in section.body:
            for record, _name, text in texts_of(block):
                for sid in footnote_ids(text):
                    if sid in idx.sources and record not in idx.cited_in[sid]:
                        idx.cited_in[sid].append(record)
    for f in idx.findings:
        for sid in f.sources:
            if sid in idx.sources and f not in idx.cited_in[sid]:
                idx.cited_in[sid].append(f)
    for r in idx.recommendations:
        for fid in r.findings:
            idx.recommendations_of_finding[fid].append(r)
    return idx


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
        sections = _ordered_sections(sd.submission, sd.sections)
        if not include_confidential:
            sections = [public_section(s) for s in sections]
        subs.append(_index_submission(sd.submission, sections))
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
    kb.followup = build_followup(kb)
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
