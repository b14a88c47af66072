"""One submission indexed: its records by ID, which section holds each, what cites what."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from uprkb.core.markup import footnote_ids
from uprkb.model.records import (
    Finding,
    FindingBlock,
    FindingList,
    Paragraph,
    QuoteBlock,
    Recommendation,
    RecommendationList,
    Section,
    Source,
    Submission,
    TextList,
)

Record = Any  # a Section, body block, Finding, Recommendation or Source


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


def ordered_sections(meta: Submission, sections: list[Section]) -> list[Section]:
    if not meta.sections:
        return sections
    by_id = {s.id: s for s in sections}
    listed = [by_id[i] for i in meta.sections if i in by_id]
    rest = [s for s in sections if s.id not in set(meta.sections)]
    return listed + rest


def index_submission(meta: Submission, sections: list[Section]) -> SubmissionIndex:
    idx = SubmissionIndex(meta, sections)
    recs = idx.records
    for section in sections:
        recs.setdefault(section.id, section)
        idx.section_of[section.id] = section
        for source in section.sources:
            recs.setdefault(source.id, source)
            idx.sources.setdefault(source.id, source)
            idx.section_of[source.id] = section
        for _block, item in section.records():
            recs.setdefault(item.id, item)
            idx.section_of[item.id] = section
            if isinstance(item, Finding):
                idx.findings.append(item)
            elif isinstance(item, Recommendation):
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
