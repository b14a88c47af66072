"""OHCHR's summary of stakeholders' submissions on a State, kept as data.

One file per review: ``data/reviews/<iso3>-upr<cycle>/stakeholder-summary.yaml``
(:class:`StakeholderSummary`), written by ``import stakeholder-summary`` from the
document ``A/HRC/WG.6/<session>/<ISO3>/3``. It holds the summary's numbered paragraphs
(verbatim, with the numbers of the endnotes they carry), its endnotes with every citation
read (``JS2, para. 43``: the stakeholder's acronym and the paragraphs or pages cited) and
the list of stakeholders the summary closes with. A citation of a submission the
knowledge base holds names it (``submission``) and the records its paragraph numbers are
(``records``), so a page can say where a submission's words went: "cited in the summary
(A/HRC/WG.6/48/SVN/3, para. 12)".
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from uprkb.model.records import Date, Id, Model, Text
from uprkb.model.reviews import Iso3, Session, Symbol

Number = Annotated[int, Field(ge=1)]


class Citation(Model):
    """One citation of an endnote: a stakeholder and where in its submission."""

    acronym: Text
    """The stakeholder's acronym as the list of submissions gives it (``JS2``, ``CoE-GREVIO``, ``Ombudsman/HRORS``);
    the acronym as cited when the list does not name it."""
    text: Text
    """The citation as printed, e.g. ``CoE-ACFC, p. 4, para, 7``."""
    label: Text
    """The citation as read, in one spelling: ``JS2, para. 43``, ``AI, p. 2``, ``CoE-ECRI, pp. 4-5``."""
    document: Text | None = None
    """The attachment or document cited by name, e.g. ``Memorandum`` (``CoE-Commissioner, Memorandum, para. 11``)."""
    paragraphs: list[Text] = []
    """The paragraph numbers cited, each as printed: ``43``, ``3.2``, a range ``8-17``."""
    pages: list[Text] = []
    """The pages cited, each as printed: ``2``, a range ``4-5``."""
    see_also: bool = False
    """True when the endnote cites it after "See also"."""
    submission: Id | None = None
    """The knowledge base's submission with this acronym, when it holds one."""
    records: list[Id] = []
    """The IDs of the submission's records that the cited paragraph numbers are (the Word document's numbers)."""


class Endnote(Model):
    """One endnote of the summary."""

    number: Number
    """The endnote's number."""
    text: Text
    """The endnote as printed, its lines joined."""
    citations: list[Citation] = []
    """The stakeholders' submissions it cites, in its order."""


class SummaryParagraph(Model):
    """One numbered paragraph of the summary."""

    number: Number
    """The paragraph number, e.g. ``12`` (cited as ``A/HRC/WG.6/48/SVN/3, para. 12``)."""
    heading: Text | None = None
    """The heading it stands under, e.g. ``Right to health``."""
    text: Text
    """The paragraph verbatim, its endnote marks removed."""
    notes: list[Number] = []
    """The numbers of the endnotes it carries, in its order."""


class Attachment(Model):
    """A document a stakeholder attached, cited by its own acronym (``CoE-GREVIO``)."""

    acronym: Text
    """The acronym the summary cites it by."""
    title: Text
    """Its title as the list gives it."""


class Stakeholder(Model):
    """One entry of the list of submissions at the summary's end."""

    acronym: Text
    """The acronym, e.g. ``AI``, ``JS1``, ``PTPR/JS3``."""
    name: Text
    """The name and place as listed; for a joint submission the whole entry."""
    category: Text | None = None
    """The list's heading it stands under, e.g. ``Joint submissions``, ``National human rights institution``."""
    members: list[Text] = []
    """A joint submission's members, as listed."""
    attachments: list[Attachment] = []
    """The documents it attached, each with the acronym it is cited by."""
    submission: Id | None = None
    """The knowledge base's submission with this acronym, when it holds one."""


class SummarySource(Model):
    """The file the summary was imported from."""

    file: Text
    """The file's name (without its folder)."""
    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
    """The SHA-256 of the file's bytes."""
    imported: Date
    """When it was imported."""


class StakeholderSummary(Model):
    """OHCHR's summary of stakeholders' submissions: the file ``stakeholder-summary.yaml``."""

    review: Id
    """The review it was written for (its folder name), e.g. ``svn-upr4``."""
    symbol: Symbol
    """The summary's symbol, e.g. ``A/HRC/WG.6/48/SVN/3``."""
    state: Iso3
    """The State under review."""
    session: Session
    """The Working Group session."""
    source: SummarySource
    """The file it was imported from."""
    paragraphs: list[SummaryParagraph]
    """The numbered paragraphs, in order."""
    endnotes: list[Endnote]
    """The endnotes, in order."""
    stakeholders: list[Stakeholder] = []
    """The list of submissions the summary was made from."""


#: The file of a review folder this module describes (its JSON Schema is exported).
SUMMARY_FILE_MODELS: dict[str, type[Model]] = {"stakeholder-summary": StakeholderSummary}
