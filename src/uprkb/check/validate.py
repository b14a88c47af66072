"""Cross-record rules that no single file can check on its own.

* IDs are unique within a submission, and vocabulary IDs across vocabularies;
* every reference resolves (tags, provisions, findings, sources, ``[^id]`` footnotes),
  with a "did you mean" hint for near misses;
* every source is cited and every footnote defined;
* quotations stand in the text that holds them; section numbers are unique.

:func:`check` runs loading, model validation and these rules and returns every
problem at once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from uprkb.check.editorial import WordCount, action_problem, placeholder_problems, word_count_check
from uprkb.check.followup import check_followup
from uprkb.check.ohchr_rules import ohchr_problems
from uprkb.check.reviews import check_reviews
from uprkb.core.errors import Location, Problem, Problems
from uprkb.core.hints import reference_hint
from uprkb.core.markup import footnote_ids
from uprkb.index.kb import KnowledgeBase, build_index
from uprkb.index.submission import texts_of
from uprkb.load.dataset import Dataset, read_dataset
from uprkb.model.records import (
    Finding,
    InstrumentVocabulary,
    Model,
    Paragraph,
    QuoteBlock,
    Recommendation,
    SdgVocabulary,
    Section,
    Submission,
    TermVocabulary,
)
from uprkb.present.links import SUBMISSION_PAGE_NAMES, TOP_LEVEL_NAMES


@dataclass
class CheckResult:
    dataset: Dataset
    problems: Problems
    kb: KnowledgeBase | None = None
    """The full index the checks ran on (confidential records included), passed on so a run indexes once."""
    unknown_terms: Counter[tuple[str, str]] = field(default_factory=Counter)
    """Each unknown vocabulary term, by (kind of term, ID), with its number of uses."""
    word_counts: list[WordCount] = field(default_factory=list)
    """Each submission's OHCHR word count (computed when the data has no errors)."""

    @property
    def ok(self) -> bool:
        return not self.problems.errors


def _did_you_mean(value: str, known: Iterable[str], what: str) -> str:
    return reference_hint(value, known, what)


def _section_hint(sid: str, section_ids: set[str], unlisted: list[str]) -> str:
    """A close spelling, else the section files the list leaves out (one of them is usually meant)."""
    hint = reference_hint(sid, section_ids, "section")
    if hint.startswith("did you mean") or not unlisted:
        return hint
    if len(unlisted) == 1:
        return f"did you mean '{unlisted[0]}'? It is the one section file the list leaves out"
    return "the section files the list leaves out are: " + ", ".join(f"'{u}'" for u in unlisted)


_VOCABULARY_OF = {
    "theme": "themes",
    "affected-persons group": "affected-persons",
    "SDG target": "sdgs",
    "provision": "instruments",
}


class _Checker:
    def __init__(self, kb: KnowledgeBase, problems: Problems, ds: Dataset) -> None:
        self.kb = kb
        self.p = problems
        self.ds = ds
        self.unknown: Counter[tuple[str, str]] = Counter()
        """How often each unknown vocabulary term is used, by (kind of term, ID)."""

    def ref(self, record: Model, fieldname: str, index: int | None, value: str, known: Any, what: str) -> None:
        if _VOCABULARY_OF.get(what) in self.ds.failed_vocabularies or value in self.ds.failed_ids:
            return  # declared in a file that failed to load: its own errors are already reported
        if value not in known:
            if what in _VOCABULARY_OF:
                self.unknown[(what, value)] += 1
            self.p.add(
                record.field_where(fieldname, index),
                "unknown-reference",
                f"'{fieldname}' refers to the unknown {what} '{value}'",
                _did_you_mean(value, known, what),
            )

    def refs(self, record: Model, fieldname: str, values: list[str], known: Any, what: str) -> None:
        seen: set[str] = set()
        for i, v in enumerate(values):
            self.ref(record, fieldname, i, v, known, what)
            if v in seen:
                self.p.add(
                    record.field_where(fieldname, i),
                    "duplicate-reference",
                    f"'{v}' is listed twice in '{fieldname}'",
                    "remove the second one",
                )
            seen.add(v)

    def vocabularies(self) -> None:
        kb = self.kb
        seen: dict[str, Location] = {}
        groups: list[Iterable[Any]] = [
            kb.themes.values(),
            kb.affected_persons.values(),
            kb.goals.values(),
            kb.targets.values(),
            kb.instruments.values(),
            kb.provisions.values(),
        ]
        for group in groups:
            for term in group:
                if term.id in seen:
                    self.p.add(
                        term.field_where("id"),
                        "duplicate-id",
                        f"the vocabulary ID '{term.id}' is also used at {seen[term.id]}",
                        "vocabulary IDs are unique across all vocabularies; rename one",
                    )
                else:
                    seen[term.id] = term.field_where("id")
        for goal in kb.goals.values():
            for t in goal.targets:
                if not t.number.startswith(f"{goal.number}."):
                    self.p.add(
                        t.field_where("number"),
                        "invalid-value",
                        f"target {t.number} does not belong to goal {goal.number}",
                        "move the target under its goal",
                    )

    def submission(self, meta: Submission, sections: list[Section], folder: Path) -> None:
        ids: dict[str, Location] = {}

        def claim(record: Model, rid: str) -> None:
            if rid in ids:
                self.p.add(
                    record.field_where("id"),
                    "duplicate-id",
                    f"the ID '{rid}' is already used at {ids[rid]}",
                    "IDs are unique within a submission; choose another",
                )
            else:
                ids[rid] = record.field_where("id")

        claim(meta, meta.id)
        if meta.id in TOP_LEVEL_NAMES:
            self.p.add(
                meta.field_where("id"),
                "reserved-id",
                f"the submission ID '{meta.id}' is the name of a page of the site (kb/{meta.id}/)",
                f"choose a more specific ID, such as '{meta.id}-{meta.state.iso3.lower()}-upr{meta.cycle}',"
                " and rename the folder to match",
            )
        numbers: dict[int, Section] = {}
        for section in sections:
            claim(section, section.id)
            if section.id in SUBMISSION_PAGE_NAMES:
                self.p.add(
                    section.field_where("id"),
                    "reserved-id",
                    f"the section ID '{section.id}' would replace the submission's own page kb/{meta.id}/{section.id}/",
                    f"choose another ID for the section, such as '{section.id}-section' or one naming its subject",
                )
            if section.number in numbers:
                self.p.add(
                    section.field_where("number"),
                    "duplicate-number",
                    f"section number {section.number} is also used by '{numbers[section.number].id}'",
                    "give each section its own number",
                )
            numbers[section.number] = section
            fname = Path(section.where.path).name
            if fname[:2].isdigit() and int(fname[:2]) != section.number:
                self.p.warn(
                    section.field_where("number"),
                    "file-name",
                    f"section number {section.number} differs from the file name '{fname}'",
                    f"rename the file to start with '{section.number:02d}-'",
                )
            for source in section.sources:
                claim(source, source.id)
            for _block, record in section.records():
                claim(record, record.id)
        section_ids = {s.id for s in sections}
        for i, sid in enumerate(meta.sections):
            if sid not in section_ids and sid not in self.ds.failed_ids:
                self.p.add(
                    meta.field_where("sections", i),
                    "unknown-reference",
                    f"'sections' lists '{sid}', but no section file has that id",
                    _section_hint(sid, section_ids, [s.id for s in sections if s.id not in meta.sections]),
                )
        if meta.sections:
            for s in sections:
                if s.id not in meta.sections:
                    self.p.add(
                        s.field_where("id"),
                        "unlisted-section",
                        f"the section '{s.id}' is not listed in submission.yaml 'sections'",
                        "add it to the list where it belongs in the document",
                    )

    def records(self, sections: list[Section]) -> None:
        kb = self.kb
        sources = {s.id: s for sec in sections for s in sec.sources}
        findings = {f.id: f for sec in sections for f in sec.findings()}
        cited: set[str] = set()
        for section in sections:
            for block in section.body:
                for record, fieldname, text in texts_of(block):
                    for sid in footnote_ids(text):
                        cited.add(sid)
                        if sid not in sources and sid not in self.ds.failed_ids:
                            self.p.add(
                                record.field_where(fieldname),
                                "unknown-footnote",
                                f"the footnote marker '[^{sid}]' names no source of this submission",
                                _did_you_mean(sid, sources, "source"),
                            )
                if isinstance(block, QuoteBlock):
                    self.ref(block, "provision", None, block.provision, kb.provisions, "provision")
                if isinstance(block, Paragraph):
                    self._quotes(block)
            for f in section.findings():
                self._quotes(f)
                self.refs(f, "sources", f.sources, sources, "source")
                cited.update(f.sources)
                self._tags(f)
            for r in section.recommendations():
                self._tags(r)
                self._action(r)
                self.refs(r, "sdg_targets", r.sdg_targets, kb.targets, "SDG target")
                self.refs(r, "findings", r.findings, findings, "finding")
                numbers = [x.number for x in section.recommendations()]
                if numbers.count(r.number) > 1:
                    self.p.add(
                        r.field_where("number"),
                        "duplicate-number",
                        f"recommendation number {r.number} appears twice in section '{section.id}'",
                        "number the recommendations as the document does",
                    )
        for sid, source in sources.items():
            # A section checked in part (its file failed) may have lost the text that cites the source.
            if sid not in cited and source.where.path not in self.ds.salvaged:
                self.p.add(
                    source.field_where("id"),
                    "unused-source",
                    f"the source '{sid}' is defined but no text cites it",
                    f"put the marker '[^{sid}]' where the footnote stands, or remove the source",
                )

    def _quotes(self, record: Paragraph | Finding) -> None:
        for i, q in enumerate(record.quotes):
            self.ref(q, "provision", None, q.provision, self.kb.provisions, "provision")
            if q.text not in record.text:
                self.p.add(
                    record.field_where("quotes", i),
                    "quote-not-in-text",
                    "the quotation does not stand word for word in the text",
                    "copy the quoted words exactly from the text",
                )

    def _action(self, r: Recommendation) -> None:
        action_problem(self.ds.action_categories, r, self.p)

    def _tags(self, record: Finding | Recommendation) -> None:
        kb = self.kb
        self.refs(record, "themes", record.themes, kb.themes, "theme")
        self.refs(record, "affected_persons", record.affected_persons, kb.affected_persons, "affected-persons group")
        self.refs(record, "provisions", record.provisions, kb.provisions, "provision")


def inside(problem: Problem, folder: Path) -> bool:
    """Whether a problem is located in a file below ``folder``."""
    return Path(problem.location.path).resolve().is_relative_to(folder)


def check_dataset(ds: Dataset, problems: Problems, unknown: Counter[tuple[str, str]] | None = None) -> KnowledgeBase:
    """Run the cross-record rules over whatever loaded; returns the full knowledge base."""
    empty: dict[str, Any] = {
        "themes": TermVocabulary.model_construct(source=None, terms=[]),
        "affected_persons": TermVocabulary.model_construct(source=None, terms=[]),
        "sdgs": SdgVocabulary.model_construct(source=None, goals=[]),
        "instruments": InstrumentVocabulary.model_construct(source=None, instruments=[]),
    }
    missing = {name: vocab for name, vocab in empty.items() if getattr(ds, name) is None}
    full = replace(ds, **missing) if missing else ds
    kb = build_index(full, include_confidential=True)
    checker = _Checker(kb, problems, full)
    checker.vocabularies()
    check_reviews(kb, full, problems)
    check_followup(kb, full, problems)
    for sd in ds.submissions:
        checker.submission(sd.submission, sd.sections, sd.folder)
        checker.records(sd.sections)
    if unknown is not None:
        unknown.update(checker.unknown)
    if not ds.submissions:
        problems.warn(
            Location.of(ds.root),
            "no-submissions",
            "the data folder holds no submission",
            "add data/submissions/<id>/submission.yaml",
        )
    return kb


def check(data_dir: Path, site_url: str | None = None, leave_out: frozenset[str] = frozenset()) -> CheckResult:
    """Load, validate and cross-check everything below ``data_dir``.

    ``site_url``: the published address the hints point at for the data-model reference. ``leave_out``: the
    submission folders (by name) to leave out, with every problem found in their files.
    """
    problems = Problems()
    ds = read_dataset(data_dir, problems, site_url)
    if leave_out:
        gone = [sd.folder.resolve() for sd in ds.submissions if sd.folder.name in leave_out]
        ds.submissions = [sd for sd in ds.submissions if sd.folder.name not in leave_out]
        problems.items = [p for p in problems.items if not any(inside(p, folder) for folder in gone)]
    unknown: Counter[tuple[str, str]] = Counter()
    kb = check_dataset(ds, problems, unknown)
    for sd in ds.submissions:
        problems.extend(placeholder_problems(sd.submission, sd.sections))
    result = CheckResult(ds, problems, kb, unknown_terms=unknown)
    if result.ok:
        result.word_counts = word_count_check(ds, kb, problems)
        problems.extend(ohchr_problems(ds, kb))
    return result
