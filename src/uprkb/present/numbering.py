"""Every number a submission prints, in one place: section numbers (``§2.`` on the site and in the text
export, ``II.`` in the document OHCHR receives), the site's numbers of findings and recommendations (``2.3``,
or ``2.A`` for an unnumbered finding: the site's "Recommendation 2.3"), the continuous paragraph numbers,
and the marks of a plain list's items inside its paragraph (``(a)``).

The document OHCHR receives (Word and PDF) prints one number per paragraph, as OHCHR's technical guidelines
for stakeholders ask (numbered paragraphs, numbered continuously): a finding or a recommendation is a
numbered paragraph like any other and carries its paragraph number only, never its section's ``2.3`` as
well; its section heading carries a Roman numeral (``II. Right to life``), as OHCHR's own reports number
their chapters, so that no heading number reads as a paragraph number; the items of a plain list stand
inside their one numbered paragraph, lettered ``(a)``, ``(b)`` when the list is ordered.

Continuous paragraph numbers of a submission, in document order:

OHCHR's summary of stakeholders' submissions cites a submission by paragraph
("ILI, para. 12"), so the Word export prints a number before each paragraph and
the site's full-text page prints the same number with the anchor ``#para-12``.
Both read it from here, over the same indexed submission, so they cannot differ.

What gets a number, counting from 1 across all sections in document order:

* a body paragraph (``type: paragraph``), keyed by its ID;
* a finding shown as a paragraph (``type: finding``), keyed by the finding's ID;
* each item of a findings list and of a recommendations list, keyed by the item's ID
  (the item keeps its own number from the document as well, e.g. recommendation 3);
* a plain list (``type: list``) as a whole, keyed by the list's ID.

What does not: section headings, block quotations (they belong to the paragraph
before them) and the lead-in label of a list. Confidential records are not in
a public index, so the numbers are those of the public document.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from uprkb.index.submission import SubmissionIndex
from uprkb.model.records import (
    Finding,
    Paragraph,
    QuoteBlock,
    Recommendation,
    Section,
    TextList,
)

Numbered = Paragraph | Finding | Recommendation | TextList
"""The records that carry a paragraph number."""


@dataclass(frozen=True)
class NumberedParagraph:
    """One numbered paragraph of the document."""

    number: int
    """The paragraph number, 1-based and continuous over the whole submission."""
    section: Section
    """The section it stands in."""
    record: Numbered
    """The paragraph, finding, recommendation or plain list that the number belongs to."""
    block: Any
    """The body block holding the record (the list, for an item of a findings or recommendations list)."""

    @property
    def id(self) -> str:
        """The record's ID: the key of :func:`paragraph_numbers`."""
        return self.record.id

    @property
    def anchor(self) -> str:
        """The anchor the site gives the paragraph, e.g. ``para-12``."""
        return f"para-{self.number}"


def numbered_paragraphs(sub: SubmissionIndex) -> list[NumberedParagraph]:
    """Every numbered paragraph of the submission, in document order."""
    out: list[NumberedParagraph] = []
    for section in sub.sections:
        for block, record in section.records():
            if not isinstance(record, QuoteBlock):  # a quotation is not a numbered paragraph of its own
                out.append(NumberedParagraph(len(out) + 1, section, record, block))
    return out


def paragraph_numbers(sub: SubmissionIndex) -> dict[str, int]:
    """The paragraph number of every numbered record, by record ID (see the module's docstring)."""
    return {p.id: p.number for p in numbered_paragraphs(sub)}


def section_number(section: Section) -> str:
    """A section's number as printed before its title: ``§2.``."""
    return f"§{section.number}."


def heading_number(section: Section) -> str:
    """A section's number as the document OHCHR receives prints it before the title: ``II.``."""
    return f"{roman(section.number)}."


_ROMAN = tuple(
    zip((1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1), "M CM D CD C XC L XL X IX V IV I".split(), strict=True)
)


def roman(n: int) -> str:
    """1 → I, 4 → IV, 49 → XLIX (for n ≥ 1)."""
    out = ""
    for value, digits in _ROMAN:
        count, n = divmod(n, value)
        out += digits * count
    return out


def item_mark(i: int) -> str:
    """The mark of the ``i``-th item (0-based) of an ordered plain list inside its paragraph: ``(a)``."""
    return f"({letters(i).lower()})"


def letters(i: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def record_number(sub: SubmissionIndex, record: Finding | Recommendation) -> str:
    """The document's number of a finding or recommendation: ``2.3``, or ``2.A`` for unnumbered findings."""
    section = sub.section_of[record.id]
    if record.number is not None:
        return f"{section.number}.{record.number}"
    unnumbered = [f for f in section.findings() if f.number is None]
    letter = letters(unnumbered.index(record)) if record in unnumbered else "?"
    return f"{section.number}.{letter}"
