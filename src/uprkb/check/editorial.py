"""Editorial checks: UPR Info's action category by verb, OHCHR's word limit, placeholder text left in.

The first two rules live in ``data/vocabularies/`` (``action-categories.yaml`` and
``ohchr-limits.yaml``) so an editor can correct them without touching code.
All give warnings, never errors: the data says what the document says, and an
editor decides. ``validate --strict`` turns warnings into errors.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from uprkb.core.errors import Location, Problem, Problems, Severity
from uprkb.index.kb import KnowledgeBase, public_index
from uprkb.index.submission import texts_of
from uprkb.load.dataset import Dataset
from uprkb.model.records import ActionCategoryVocabulary, Model, Recommendation, Section, Submission, SubmissionType
from uprkb.present.wordcount import WORD_LIMITS, word_counts

PLACEHOLDER_PARAGRAPH = "The first paragraph of this section."
"""The paragraph ``new submission`` and ``new section`` write for a person to replace."""
PLACEHOLDER_PARTNER = "Partner organisation (replace with its full name)"
"""The co-submitter ``new submission --joint`` writes for a person to replace."""
PLACEHOLDERS = (PLACEHOLDER_PARAGRAPH, PLACEHOLDER_PARTNER)


def placeholder_problems(meta: Submission, sections: Iterable[Section]) -> list[Problem]:
    """A located ``placeholder-text`` warning for each placeholder of :data:`PLACEHOLDERS` still in a submission."""
    found: list[tuple[Model, str, str]] = []
    organisations = [getattr(meta, "organisation", None), *(getattr(meta, "co_submitters", None) or [])]
    for org in organisations:
        if org is not None:
            found += [(org, "name", org.name), (org, "description", org.description or "")]
    found += [(meta, name, getattr(meta, name, None) or "") for name in ("title", "summary")]
    for section in sections:
        found.append((section, "title", section.title))
        for block in section.body:
            found += list(texts_of(block))
    out = []
    for record, fieldname, text in found:
        for placeholder in PLACEHOLDERS:
            if placeholder in text:
                out.append(
                    Problem(
                        record.field_where(fieldname),
                        "placeholder-text",
                        f"'{placeholder}' is the text the 'new' command wrote for you to replace",
                        f"write the {fieldname.replace('_', ' ')} in its place",
                        Severity.WARNING,
                    )
                )
    return out


_LEAD = re.compile(r"^(?:(?:to|must|should|the state should|further)\s+|[a-z]+ly\s+)+")


def leading_verb(text: str) -> str:
    """The words a recommendation starts with, lowercased, without a leading 'to', 'should' or adverb."""
    return _LEAD.sub("", " ".join(text.lower().split()))


def suggested_category(vocab: ActionCategoryVocabulary, verb: str) -> tuple[int, str, str] | None:
    """(category, label, verb) for the longest listed verb that ``verb`` starts with.

    ``None`` when the verb is not listed, or when it is listed as ambiguous.
    """
    words = leading_verb(verb)
    best: tuple[int, str, str] | None = None
    matched = ""
    # Only the phrases that start with the same word can match (an index made once per vocabulary).
    for phrase, found in _phrases(vocab).get(words.split(" ", 1)[0].rstrip(","), ()):
        if _starts(words, phrase) and len(phrase) > len(matched):
            matched, best = phrase, found
    return best


_PHRASES: list[Any] = [None, {}]


def _phrases(vocab: ActionCategoryVocabulary) -> dict[str, list[tuple[str, tuple[int, str, str] | None]]]:
    """The vocabulary's phrases by their first word: ambiguous ones first (they win a tie), then by category."""
    if _PHRASES[0] is not vocab:
        index: dict[str, list[tuple[str, tuple[int, str, str] | None]]] = {}
        for phrase in vocab.ambiguous:
            index.setdefault(phrase.lower().split()[0], []).append((phrase, None))
        for category in vocab.categories:
            for phrase in category.verbs:
                entry = (category.number.value, category.label, phrase)
                index.setdefault(phrase.lower().split()[0], []).append((phrase, entry))
        _PHRASES[:] = [vocab, index]
    return _PHRASES[1]  # type: ignore[no-any-return]


def _starts(words: str, phrase: str) -> bool:
    phrase = phrase.lower()
    return words == phrase or words.startswith(phrase + " ") or words.startswith(phrase + ",")


def action_problem(vocab: ActionCategoryVocabulary | None, r: Recommendation, problems: Problems) -> None:
    """Warn when a recommendation's declared action category differs from the one its verb suggests."""
    if vocab is None:
        return
    found = suggested_category(vocab, r.action_verb) or suggested_category(vocab, r.text)
    if found is None:
        return
    number, label, verb = found
    declared = r.action_category.value
    if declared == number:
        return
    declared_label = next((c.label for c in vocab.categories if c.number.value == declared), str(declared))
    problems.warn(
        r.field_where("action_category"),
        "action-category",
        f"recommendation '{r.id}' starts with '{verb}', which UPR Info files under category {number} "
        f"({label}), but its action_category is {declared} ({declared_label})",
        f"if the verb decides, write 'action_category: {number}'; if the category is right as it stands, "
        "leave it (the check only warns)",
    )


@dataclass(frozen=True)
class WordCount:
    """One submission's OHCHR word count, as ``validate`` prints it."""

    submission: str
    where: Location
    body: int
    with_notes: int
    limit: int
    counts: str
    """Which count is held against the limit: ``body`` or ``body-and-notes``."""

    @property
    def counted(self) -> int:
        return self.with_notes if self.counts == "body-and-notes" else self.body

    @property
    def over(self) -> bool:
        return self.counted > self.limit

    def line(self) -> str:
        return (
            f"{self.submission}: {self.body:,} words in the body, {self.with_notes:,} with the footnotes "
            f"(OHCHR limit {self.limit:,})"
        )


def limits(ds: Dataset) -> tuple[dict[SubmissionType, int], str]:
    """OHCHR's word limits by submission type and which count they apply to, from the data (or built in)."""
    vocab = ds.ohchr_limits
    if vocab is None:
        return dict(WORD_LIMITS), "body"
    table = dict(WORD_LIMITS)
    table.update({entry.submission_type: entry.words for entry in vocab.limits})
    return table, vocab.counts


def word_count_check(ds: Dataset, kb: KnowledgeBase, problems: Problems) -> list[WordCount]:
    """Count each submission's words (public records only) and warn when it is over OHCHR's limit.

    ``kb`` is the index validation built; it is indexed again only when some record is confidential.
    """
    table, counts = limits(ds)
    kb = public_index(kb, ds)
    out: list[WordCount] = []
    for sub in kb.submissions:
        body, with_notes = word_counts(sub, kb.followup)
        meta = sub.submission
        wc = WordCount(meta.id, meta.field_where("id"), body, with_notes, table[meta.submission_type], counts)
        out.append(wc)
        if wc.over:
            what = "body" if counts == "body" else "body with footnotes"
            problems.warn(
                meta.where,
                "word-limit",
                f"the submission has {wc.counted:,} words ({what}); OHCHR's limit for "
                f"{'a joint' if meta.submission_type is SubmissionType.joint else 'an individual'} "
                f"submission is {wc.limit:,}",
                f"shorten it by {wc.counted - wc.limit:,} words; the count is {wc.body:,} for the body and "
                f"{wc.with_notes:,} with the footnotes",
            )
    return out
