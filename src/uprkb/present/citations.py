"""One citation formatter: how a source reads in a footnote, on the site, in the Word/PDF document and in
the text export alike.

A footnote is built from the source's structured fields, in this order::

    Author, “Title”, Publisher, 26 January 2022 https://… (accessed 1 May 2024)

``author`` (a person or the organisation), ``title``, ``publisher`` and ``published`` make the first part;
``citation``, when given, replaces that part word for word (the document's own wording). Then the link
(``link_text`` when the document shows text for it, else the URL) and the date a person last checked it.
The word count of footnotes (:mod:`uprkb.present.wordcount`) counts the same parts.
"""

from __future__ import annotations

from uprkb.model.records import Source
from uprkb.present.labels import human_date, optional_date


def citation_text(source: Source) -> str:
    """The citation without its link: ``citation`` if given, else author, “title”, publisher, date."""
    if source.citation:
        return source.citation
    parts = [source.author, f"“{source.title}”" if source.title else None, source.publisher]
    if source.published:
        parts.append(human_date(source.published))
    return ", ".join(p for p in parts if p)


def accessed_text(source: Source) -> str | None:
    """``(accessed 1 May 2024)`` when a person recorded the date, else ``None``."""
    when = optional_date(source.accessed)
    return f"(accessed {when})" if when and source.url else None


def note_parts(source: Source) -> list[str]:
    """The pieces of a footnote as printed: the citation, the link text, the URL, the access date."""
    parts = [citation_text(source), source.link_text, source.url, accessed_text(source)]
    out = [p for p in parts if p]
    return out or [source.id]


def footnote_text(source: Source) -> str:
    """The footnote as one line of plain text."""
    return " ".join(note_parts(source))
