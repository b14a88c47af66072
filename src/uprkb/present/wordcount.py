"""Word count of a submission against OHCHR's limit for stakeholder submissions.

OHCHR limits a stakeholder submission to 2,815 words (individual) or 5,630 words
(joint). Whether footnotes count is not settled by a source we could read, so two
figures are given: the body, and the body with the notes.

How words are counted: the text is taken as printed (emphasis marks and footnote
markers removed); a word is a run of characters between white space that holds at
least one letter or digit, so a lone dash or bullet is not a word while ``CSTO``,
``2022`` and ``UN-wide`` each count once (as Word counts them, less punctuation).

* **Body**: what the document OHCHR receives prints after its cover facts: the
  organisation's description, the summary and the key words with the words that
  open them ("Summary:", "Key words:"), every section heading (without its number),
  and every paragraph, quotation, finding, recommendation, list lead-in and list
  item, and the follow-up lines printed under a finding or recommendation
  (:mod:`uprkb.present.followup`, given the knowledge base's follow-up index: only
  those that can exist before the review, as the document prints only those). The
  cover facts (title, organisations, contact, State, cycle, session), the paragraph
  numbers and the marks of list items are not counted. ``tests/test_ohchr_document.py``
  counts the Word document itself and finds the same figure.
* **Notes**: the text of each footnote as the Word export prints it (citation,
  link text and URL; a URL is one word), once per marker in the text.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping

from uprkb.core.markup import FOOTNOTE, plain
from uprkb.index.followup import FollowUpIndex
from uprkb.index.submission import SubmissionIndex, texts_of
from uprkb.model.records import FindingList, RecommendationList, SubmissionType
from uprkb.present.citations import note_parts
from uprkb.present.followup import document_lines
from uprkb.present.labels import KEYWORDS_LABEL, SUMMARY_LABEL

WORD_LIMITS: dict[SubmissionType, int] = {SubmissionType.individual: 2815, SubmissionType.joint: 5630}
"""OHCHR's word limits for a stakeholder submission, by submission type.

The same figures as ``data/vocabularies/ohchr-limits.yaml`` (a test keeps them equal); ``validate``
reads the data file (:func:`uprkb.check.editorial.limits`), so an editor can change them there.
"""

_WORD = re.compile(r"\S*[^\W_]\S*")


@functools.lru_cache(maxsize=1 << 16)
def count_words(text: str) -> int:
    """The number of words in data text (see the module's docstring); cached, as validation, the
    submission page and the Word export all count the same texts."""
    return len(_WORD.findall(plain(text)))


def word_counts(sub: SubmissionIndex, followup: FollowUpIndex | None = None) -> tuple[int, int]:
    """The submission's word count: ``(body, body_with_notes)``, counted as the module's docstring says
    (``followup``: the knowledge base's follow-up index, whose lines under the records the documents print)."""
    meta = sub.submission
    body = 0
    notes = 0
    texts: list[str] = [t for t in (meta.organisation.description, meta.summary) if t]
    texts += list(meta.keywords)
    texts += [label for label, given in ((SUMMARY_LABEL, meta.summary), (KEYWORDS_LABEL, meta.keywords)) if given]
    for section in sub.sections:
        texts.append(section.title)
        for block in section.body:
            if isinstance(block, (FindingList, RecommendationList)) and block.label:
                texts.append(block.label)
            texts.extend(text for _record, _name, text in texts_of(block))
    if followup is not None:
        for rid in [*(f.id for f in sub.findings), *(r.id for r in sub.recommendations)]:
            texts += [line.text for line in document_lines(followup.record(sub.id, rid), before_cycle=meta.cycle)]
    for text in texts:
        body += count_words(text)
        for sid in FOOTNOTE.findall(text):
            source = sub.sources.get(sid)
            if source is not None:
                notes += sum(len(_WORD.findall(part)) for part in note_parts(source))
    return body, body + notes


def word_limit(sub: SubmissionIndex, limits: Mapping[SubmissionType, int] | None = None) -> int:
    """OHCHR's word limit for the submission's type (``limits``: those of the data, else the built-in ones)."""
    return (limits or WORD_LIMITS)[sub.submission.submission_type]
