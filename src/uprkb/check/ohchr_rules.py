"""OHCHR's rules for stakeholder submissions, applied to one submission: each finding located, in plain words.

The rules are data (``data/vocabularies/ohchr-rules.yaml``, :class:`uprkb.model.ohchr.OhchrRules`): the
rule's words, its threshold, the phrases it looks for, its source and the date it applies from. This
module only knows how to hold the data against each rule; a rule the file leaves out is not applied, and
no number of a rule is written here. The word limits stay where they were (``ohchr-limits.yaml``, read by
:func:`uprkb.check.editorial.limits`) and words are counted by :mod:`uprkb.present.wordcount`; references
to received recommendations are read by :mod:`uprkb.model.refs` and resolved by
:class:`uprkb.index.followup.Resolver`; the previous review's date comes from :mod:`uprkb.index.calendar`.

Every finding is a warning with the code ``ohchr-rule`` (``--strict`` counts it as an error): ``validate``
and every build report them, and ``check submission ID`` prints each rule with what it measured.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from uprkb.check.editorial import WordCount, limits
from uprkb.core.errors import Location, Problem, Severity
from uprkb.index.calendar import Calendar
from uprkb.index.followup import Resolver
from uprkb.index.kb import KnowledgeBase, public_index
from uprkb.index.submission import SubmissionIndex, texts_of
from uprkb.load.dataset import Dataset
from uprkb.model.ohchr import OhchrRule, OhchrRules, RuleId
from uprkb.model.records import (
    Finding,
    FindingList,
    Model,
    QuoteBlock,
    Recommendation,
    RecommendationList,
    SubmissionType,
)
from uprkb.model.refs import REC_OFFICIAL, REVIEW_ID, parse_review_ref
from uprkb.present.citations import note_parts
from uprkb.present.labels import human_date
from uprkb.present.numbering import numbered_paragraphs
from uprkb.present.wordcount import count_words, word_counts

CODE = "ohchr-rule"

_NUMBER = REC_OFFICIAL.strip("^$")
MENTION = re.compile(rf"\brec(?:ommendation)?s?\.?\s+(?:no\.?\s*)?({_NUMBER})", re.IGNORECASE)
"""A recommendation cited by number in running text: ``recommendation 122.60``, ``Rec. 18.3``."""
UN_SYMBOL = re.compile(r"\b[A-Z]{1,8}(?:/[A-Za-z0-9.()-]*[A-Za-z0-9)])+(?:/[A-Za-z0-9.()-]+)*")
"""A UN document symbol in running text (at least one slash): ``A/HRC/28/10``, ``CCPR/C/KAZ/CO/2``."""
WG_DOCUMENT = re.compile(r"/WG\.6/\d+/([A-Z]{3})/")
"""The State code of a Working Group document's symbol: ``A/HRC/WG.6/48/KAZ/1`` → ``KAZ``."""
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[A-Z\"'“(])")


@dataclass
class RuleResult:
    """One rule applied to one submission."""

    rule: OhchrRule
    measured: str = ""
    """What the check measured, in a line (e.g. ``2,734 words in the body, limit 2,815``)."""
    findings: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """What the rule could not settle or what is worth knowing, never a warning."""

    @property
    def passed(self) -> bool:
        return not self.findings

    def find(self, where: Location, what: str, fix: str = "") -> None:
        """Record a finding: where, what in plain words, and what to do (the rule's fix unless given)."""
        message = f"{self.rule.id.value}: {what} ({self.rule.rule})"
        self.findings.append(Problem(where, CODE, message, fix or self.rule.fix, Severity.WARNING))


@dataclass
class SubmissionReport:
    """Every rule of the file, applied to one submission."""

    submission: str
    results: list[RuleResult]

    @property
    def findings(self) -> list[Problem]:
        return [p for r in self.results for p in r.findings]


@dataclass
class _Context:
    ds: Dataset
    kb: KnowledgeBase
    sub: SubmissionIndex
    calendar: Calendar | None

    def texts(self) -> Iterator[tuple[Model, str, str]]:
        """Every (record, field, text) of the body, with the summary and key words of the cover."""
        meta = self.sub.submission
        if meta.summary:
            yield meta, "summary", meta.summary
        for section in self.sub.sections:
            yield section, "title", section.title
            for block in section.body:
                if isinstance(block, (FindingList, RecommendationList)) and block.label:
                    yield block, "label", block.label
                yield from texts_of(block)


def _has_phrase(text: str, phrases: list[str]) -> str | None:
    low = " ".join(text.lower().split())
    return next((p for p in phrases if re.search(rf"(?<!\w){re.escape(p.lower())}(?!\w)", low)), None)


# ---------------------------------------------------------------------------
# The rules
# ---------------------------------------------------------------------------


def _word_limit(c: _Context, r: RuleResult) -> None:
    table, counts = limits(c.ds)
    meta = c.sub.submission
    body, with_notes = word_counts(c.sub, c.kb.followup)
    wc = WordCount(meta.id, meta.where, body, with_notes, table[meta.submission_type], counts)
    kind = "joint" if meta.submission_type is SubmissionType.joint else "individual"
    r.measured = f"{wc.line()}; an {kind} submission, the {counts} count is held against the limit"
    if wc.over:
        r.find(
            meta.field_where("submission_type"),
            f"{wc.counted:,} words, {wc.counted - wc.limit:,} over the limit of {wc.limit:,} for an {kind} submission",
            f"shorten the text by {wc.counted - wc.limit:,} words",
        )


def _paragraphs_numbered(c: _Context, r: RuleResult) -> None:
    longest = r.rule.threshold
    for section in c.sub.sections:
        numbered_before = False
        for block in section.body:
            if isinstance(block, QuoteBlock) and not numbered_before:
                r.find(
                    block.where,
                    f"the quotation '{block.id}' opens section {section.number}: it belongs to no numbered "
                    "paragraph, so it is printed without a number",
                    "put the paragraph that introduces the quotation before it",
                )
            if isinstance(block, (FindingList, RecommendationList)) and block.label and longest is not None:
                words = count_words(block.label)
                if words > longest:
                    r.find(
                        block.field_where("label"),
                        f"a list lead-in of {words} words is printed as an unnumbered paragraph "
                        f"(more than {longest} words)",
                        "make the text a paragraph of its own (type: paragraph) and keep a short lead-in",
                    )
            for record, name, text in texts_of(block):
                if "\n" in text.strip():
                    r.find(
                        record.field_where(name),
                        f"the text of '{getattr(record, 'id', name)}' holds a line break: the second paragraph "
                        "would be printed under the first one's number",
                        "split it into two paragraphs, each with its own ID",
                    )
            numbered_before = numbered_before or not isinstance(block, QuoteBlock)
    r.measured = f"{len(numbered_paragraphs(c.sub))} numbered paragraphs (paragraphs, findings, list items, lists)"


def _one_state(c: _Context, r: RuleResult) -> None:
    meta = c.sub.submission
    iso3 = meta.state.iso3
    for i, doc in enumerate(meta.documents):
        m = WG_DOCUMENT.search(doc.symbol)
        if m and m.group(1) != iso3:
            r.find(
                meta.field_where("documents", i),
                f"the document {doc.symbol} is of the review of {m.group(1)}, not of {meta.state.name} ({iso3})",
                "list only the documents of the State under review",
            )
    resolver = Resolver(c.kb.reviews)
    refs = 0
    records: list[Finding | Recommendation] = [*c.sub.findings, *c.sub.recommendations]
    for record in records:
        fields: list[tuple[str, list[str]]] = [("follows_up", list(record.follows_up))]
        if isinstance(record, Finding):
            fields.append(("assessments", [a.recommendation for a in record.assessments]))
        else:
            fields.append(("taken_up_as", list(record.taken_up_as)))
        for name, values in fields:
            for i, text in enumerate(values):
                refs += 1
                other = _state_of_ref(resolver, text)
                if other is not None and other != iso3:
                    r.find(
                        record.field_where(name, i),
                        f"'{text}' in {record.id} is a recommendation to {other}, not to {meta.state.name} ({iso3})",
                    )
    r.measured = f"{meta.state.name} ({iso3}); {len(meta.documents)} UN documents and {refs} references checked"


def _state_of_ref(resolver: Resolver, text: str) -> str | None:
    ref = parse_review_ref(text)
    if not ref.by_symbol:
        m = REVIEW_ID.fullmatch(ref.review)
        return m.group(1).upper() if m else None
    review = resolver.review_of(text)
    return review.review.state.iso3 if review is not None else None


def _joint_submitters(c: _Context, r: RuleResult) -> None:
    meta = c.sub.submission
    joint = meta.submission_type is SubmissionType.joint
    names = [meta.organisation.name, *(o.name for o in meta.co_submitters)]
    r.measured = f"{'joint' if joint else 'individual'}; on the cover: " + "; ".join(names)
    if not joint and meta.co_submitters:
        r.find(
            meta.field_where("co_submitters"),
            f"{len(meta.co_submitters)} co-submitter(s) listed, but the submission is filed as individual",
            "write 'submission_type: joint' (its limit is that of a joint submission), or remove co_submitters",
        )
    if not joint:
        starts: list[tuple[Model, str, str]] = [(meta, "title", meta.title)]
        if meta.summary:
            starts.append((meta, "summary", meta.summary))
        if meta.organisation.description:
            starts.append((meta.organisation, "description", meta.organisation.description))
        for record, name, text in starts:
            phrase = _has_phrase(text, r.rule.phrases)
            if phrase:
                r.find(
                    record.field_where(name),
                    f"the {name} says '{phrase}', but no co-submitter is named: the submission is filed as individual",
                )
    seen: set[str] = set()
    for i, org in enumerate(meta.co_submitters):
        key = " ".join(org.name.lower().split())
        if key in seen or key == " ".join(meta.organisation.name.lower().split()):
            r.find(meta.field_where("co_submitters", i), f"'{org.name}' is named twice among the submitters")
        seen.add(key)


def _endnotes(c: _Context, r: RuleResult) -> None:
    longest = r.rule.threshold
    cited = {sid for sid, records in c.sub.cited_in.items() if records}
    sizes: list[int] = []
    for sid in sorted(cited):
        source = c.sub.sources.get(sid)
        if source is None:
            continue
        words = sum(count_words(part) for part in note_parts(source))
        sizes.append(words)
        if longest is not None and words > longest:
            r.find(source.where, f"the note '{sid}' prints {words} words (more than {longest}): it carries text")
        printed = " ".join(note_parts(source))
        if not (source.url or source.title or source.author or source.publisher or UN_SYMBOL.search(printed)):
            r.find(
                source.where,
                f"the note '{sid}' points nowhere: no URL, UN document symbol, title, author or publisher",
            )
    r.measured = f"{len(sizes)} notes, the longest {max(sizes, default=0)} words"


def _no_annex(c: _Context, r: RuleResult) -> None:
    for section in c.sub.sections:
        first = (section.title.lower().split() or [""])[0].strip(".:;,")
        if first in [t.lower() for t in r.rule.terms]:
            r.find(section.field_where("title"), f"section {section.number} '{section.title}' is an annex")
    for record, name, text in c.texts():
        phrase = _has_phrase(text, r.rule.phrases)
        if phrase:
            what = getattr(record, "id", name)
            r.find(record.field_where(name), f"the {name} of '{what}' refers to an annex ('{phrase}')")
    r.measured = f"{len(c.sub.sections)} sections, none an annex" if not r.findings else ""


def _event_end(value: str) -> dt.date:
    """The last day a partial date can mean: ``2011`` → 31 December 2011, ``2022-01`` → 31 January 2022."""
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 3:
        return dt.date(*parts)
    if len(parts) == 2:
        following = dt.date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1)
        return following - dt.timedelta(days=1)
    return dt.date(parts[0], 12, 31)


def _period_covered(c: _Context, r: RuleResult) -> None:
    meta = c.sub.submission
    previous = c.calendar.previous_review(meta.state.iso3, meta.session) if c.calendar else None
    if previous is not None:
        start = previous.start
        since = f"the previous review of {meta.state.name} (session {previous.number}, {human_date(start.isoformat())})"
    else:
        session = c.calendar.session(meta.session) if c.calendar else None
        anchor = session.start if session else meta.review_date
        if anchor is None or r.rule.threshold is None:
            r.notes.append("not checked: neither the previous review nor the session's date is known")
            return
        months = r.rule.threshold
        year, month = divmod(anchor.year * 12 + anchor.month - 1 - months, 12)
        start = dt.date(year, month + 1, 1)
        since = f"{months} months before the session ({human_date(start.isoformat())}; no earlier review listed)"
    dated = 0
    for finding in c.sub.findings:
        if not finding.events:
            continue
        dated += 1
        ends = [_event_end(e.end or e.date) for e in finding.events]
        if max(ends) < start and not _has_phrase(finding.text, r.rule.phrases):
            r.find(
                finding.field_where("events"),
                f"every event the finding '{finding.id}' dates ended before {since}",
                'keep to developments since the last review, or say that the situation continues ("to date")',
            )
    r.measured = f"the period since {since}; {dated} findings with dated events"


def _recommendation_references(c: _Context, r: RuleResult) -> None:
    resolver = Resolver(c.kb.reviews)
    mentions = 0
    for record, name, text in c.texts():
        for sentence in _SENTENCE_END.split(text):
            for m in MENTION.finditer(sentence):
                mentions += 1
                number = m.group(1)
                what = getattr(record, "id", name)
                symbols = [s for s in UN_SYMBOL.findall(sentence) if s.startswith("A/HRC/")]
                if not symbols:
                    r.find(
                        record.field_where(name),
                        f"'{m.group(0)}' in '{what}' names no report: which review's recommendation {number} is it?",
                        f"add the Working Group report's symbol, e.g. 'recommendation {number} (A/HRC/28/10)'",
                    )
                    continue
                resolved = resolver.resolve(f"{symbols[0].rstrip('.,;)')}#{number}")
                if resolved.external:
                    r.notes.append(f"{what}: {m.group(0)} ({symbols[0]}) not checked: the review is not in the data")
                elif not resolved.resolved:
                    r.find(
                        record.field_where(name),
                        f"'{m.group(0)}' in '{what}': {resolved.review_id} ({symbols[0]}) has no "
                        f"recommendation {number}",
                        "check the number against the report",
                    )
    r.measured = f"{mentions} recommendations cited by number in the text"


def _language(c: _Context, r: RuleResult) -> None:
    meta = c.sub.submission
    code = meta.language
    r.measured = f"language '{code}'"
    if r.rule.accepted and code not in r.rule.accepted:
        r.find(
            meta.field_where("language"),
            f"the submission is in '{code}', which is not among the languages OHCHR accepts "
            f"({', '.join(r.rule.accepted)})",
        )
    elif r.rule.preferred and code not in r.rule.preferred:
        r.notes.append(f"'{code}' is accepted; OHCHR prefers {', '.join(r.rule.preferred)}")


RULES: dict[RuleId, Callable[[_Context, RuleResult], None]] = {
    RuleId.word_limit: _word_limit,
    RuleId.paragraphs_numbered: _paragraphs_numbered,
    RuleId.one_state: _one_state,
    RuleId.joint_submitters: _joint_submitters,
    RuleId.endnotes: _endnotes,
    RuleId.no_annex: _no_annex,
    RuleId.period_covered: _period_covered,
    RuleId.recommendation_references: _recommendation_references,
    RuleId.language: _language,
}
"""How each rule of the file is applied."""


def check_submission(
    ds: Dataset, kb: KnowledgeBase, sub: SubmissionIndex, skip: frozenset[RuleId] = frozenset()
) -> SubmissionReport:
    """Apply every rule of ``ohchr-rules.yaml`` (but those in ``skip``) to one indexed submission."""
    rules: OhchrRules | None = ds.ohchr_rules
    calendar = Calendar(ds.upr_calendar) if ds.upr_calendar is not None else None
    context = _Context(ds, kb, sub, calendar)
    results = []
    for rule in rules.rules if rules is not None else []:
        if rule.id in skip:
            continue
        result = RuleResult(rule)
        RULES[rule.id](context, result)
        results.append(result)
    return SubmissionReport(sub.id, results)


def ohchr_problems(ds: Dataset, kb: KnowledgeBase) -> list[Problem]:
    """The findings of every rule for every submission, for ``validate`` and the build (warnings).

    The word limit is left out: ``validate`` warns about it already (``word-limit``).
    """
    out: list[Problem] = []
    if ds.ohchr_rules is None:
        return out
    for sub in public_index(kb, ds).submissions:
        out += check_submission(ds, kb, sub, frozenset({RuleId.word_limit})).findings
    return out
