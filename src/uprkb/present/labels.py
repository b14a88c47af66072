"""Display strings: how records, dates, kinds and categories read on pages and in downloads.

One place for every label, so a template never reformats a value and the site,
the downloads and the exports name things the same way.
"""

from __future__ import annotations

from typing import Any

from uprkb.index.submission import SubmissionIndex
from uprkb.model.records import Finding, QuoteBlock, Recommendation, Source
from uprkb.present.numbering import letters, record_number

__all__ = ["letters", "record_number"]  # re-exported: the numbers are computed in numbering.py

ACTION_LABELS = {
    1: "minimal action",
    2: "continuing action",
    3: "considering action",
    4: "general action",
    5: "specific action",
}
TAKE_UP_LABELS = {
    "supported": "supported",
    "supported-in-part": "supported in part",
    "noted": "noted",
    "unknown": "taken up, position not known",
    "mixed": "taken up, mixed positions",
    "external": "taken up (review not in this knowledge base)",
    "not-taken-up": "not taken up (yet)",
    "review-not-in-kb": "review not in this knowledge base",
}
"""What became of an organisation's recommendation in the review, by ``uprkb.index.followup.TakeUp.status``."""
_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_QUALIFIERS = {
    "exact": "",
    "more-than": "more than ",
    "about": "about ",
    "at-least": "at least ",
    "fewer-than": "fewer than ",
}


def human_date(value: str) -> str:
    """``2022-01-05`` → ``5 January 2022``; ``2022-01`` → ``January 2022``."""
    parts = value.split("-")
    if len(parts) == 1:
        return parts[0]
    month = _MONTHS[int(parts[1]) - 1]
    if len(parts) == 2:
        return f"{month} {parts[0]}"
    return f"{int(parts[2])} {month} {parts[0]}"


def optional_date(value: Any) -> str | None:
    """A ``date`` or partial-date string as words, or None."""
    if value is None:
        return None
    return human_date(value if isinstance(value, str) else value.isoformat())


def kind_label(value: str) -> str:
    """An enum value as words: ``legal-analysis`` → ``legal analysis``."""
    return value.replace("-", " ")


SYSTEM_LABELS = {"upr-info": "UPR Info", "uhri": "UHRI"}


def equivalent_label(e: Any) -> str:
    """``UHRI: Right to life``: another database's label and whose it is."""
    return f"{SYSTEM_LABELS.get(e.system, e.system)}: {e.label}"


def event_text(e: Any) -> str:
    when = human_date(e.date) + (f" – {human_date(e.end)}" if e.end else "")
    return f"{when}: {e.description}"


def figure_text(f: Any) -> str:
    return f"{_QUALIFIERS[f.qualifier]}{f.value} {f.unit}"


def section_label(number: int, title: str) -> str:
    return f"§{number}. {title}"


def source_label(source: Source) -> str:
    """A short human citation: title, else the document's wording, else the URL."""
    if source.title:
        return f"{source.author}, “{source.title}”" if source.author else source.title
    if source.citation:
        return source.citation
    return source.url or source.id


def record_label(sub: SubmissionIndex, record: Any) -> str:
    """``Recommendation 2.3``, ``Preliminary conclusion 1.2``, ``Finding 1.A``, a source's citation, …"""
    if isinstance(record, Source):
        return source_label(record)
    section = sub.section_of[record.id]
    if isinstance(record, Recommendation):
        return f"Recommendation {record_number(sub, record)}"
    if isinstance(record, Finding):
        if record.number is not None:
            return f"{kind_label(record.kind.value).capitalize()} {record_number(sub, record)}"
        return f"Finding {record_number(sub, record)}"
    if isinstance(record, QuoteBlock):
        return f"Quotation in §{section.number}"
    return f"Paragraph in §{section.number}"


def action_text(category: int) -> str:
    """``4 · general action``: UPR Info's action category, named."""
    return f"{category} · {ACTION_LABELS[category]}"


DOCUMENT_KIND_LABELS = {
    "national-report": "National report",
    "un-compilation": "UN compilation",
    "stakeholder-summary": "Summary of stakeholders' submissions",
    "working-group-report": "Working Group report",
    "addendum": "Addendum (the State's views on the recommendations)",
    "treaty-body": "Treaty-body document",
    "other": "Other document",
}
SUBMISSION_TYPE_LABELS = {"individual": "individual submission", "joint": "joint submission"}

SUMMARY_LABEL = "Summary:"
"""The words that open the summary in the document OHCHR receives (counted with it; the Word import reads it)."""
KEYWORDS_LABEL = "Key words:"
"""The words that open the key words in the document OHCHR receives (counted with them; the Word import reads it)."""


def document_kind(value: str) -> str:
    return DOCUMENT_KIND_LABELS.get(value, kind_label(value).capitalize())


def language_name(code: str) -> str:
    """``en`` → ``English`` (Unicode CLDR names through babel); the code itself when unknown."""
    from babel import Locale, UnknownLocaleError

    try:
        return str(Locale.parse(code.replace("-", "_")).get_display_name("en"))
    except (ValueError, UnknownLocaleError):
        return code


def ordinal(n: int) -> str:
    """1 → 1st, 2 → 2nd, 4 → 4th, 11 → 11th."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def un_document_url(symbol: str) -> str:
    """The official address of a UN document by its symbol (the UN's document resolver)."""
    return f"https://undocs.org/{symbol}"


def origin_label(sub: SubmissionIndex) -> str:
    """Who and which cycle, beside a record's number: ``ILI, 4th cycle``."""
    org = sub.submission.organisation
    return f"{org.abbreviation or org.name}, {ordinal(sub.submission.cycle)} cycle"


def submission_year(sub: SubmissionIndex) -> str:
    meta = sub.submission
    when = meta.submitted or meta.review_date
    return str(when.year) if when else ""


def citation(sub: SubmissionIndex, label: str, paragraph: int | None, permalink: str) -> str:
    """How to cite a record: organisation, title, year, number, paragraph and permanent address."""
    meta = sub.submission
    org = meta.organisation
    who = org.name + (f" ({org.abbreviation})" if org.abbreviation else "")
    year = submission_year(sub)
    parts = [
        who,
        f"“{meta.title}”",
        f"submission to the {ordinal(meta.cycle)} UPR cycle, {meta.state.name}" + (f", {year}" if year else ""),
        label + (f" (para. {paragraph})" if paragraph else ""),
    ]
    return ", ".join(parts) + f". {permalink}"


POSITION_LABELS = {
    "supported": "supported",
    "noted": "noted",
    "supported-in-part": "supported in part",
    "unknown": "position not known",
}
CLAIM_LABELS = {
    "implemented-or-in-progress": "the State considers it already implemented or in the process of implementation",
    "implemented": "the State considers it already implemented",
    "in-progress": "the State considers it in the process of implementation",
}


def review_title(review: Any) -> str:
    """``Slovenia, 4th UPR cycle``."""
    return f"{review.state.name}, {ordinal(review.cycle)} UPR cycle"


def states_text(states: list[Any], limit: int = 0) -> str:
    """The recommending States, ``Maldives; Portugal`` (``limit`` > 0 shortens a long list)."""
    names = [s.name for s in states]
    if limit and len(names) > limit:
        return "; ".join(names[:limit]) + f" and {len(names) - limit} more"
    return "; ".join(names)


def received_origin(review: Any, rec: Any) -> str:
    """Beside a received recommendation: ``received by Slovenia, 4th cycle, from Maldives; Portugal``."""
    by = states_text(rec.recommending_states, 3)
    return f"received by {review.state.name}, {ordinal(review.cycle)} cycle, from {by}"
