"""The stakeholder deadlines of the States the knowledge base follows, as an iCalendar file (RFC 5545).

One all-day event per State: the deadline for stakeholders' submissions to its next review
(:meth:`uprkb.index.calendar.Calendar.next_review`), marked *estimated* in its title and description when
OHCHR has not announced it, with the rule of the estimate; an announced deadline names its source. The
States followed are those of the knowledge base's submissions and reviews (:func:`followed_states`).

Written by hand, not by a library, to keep the package's dependencies as they are: lines end in CRLF, are
folded at 75 octets, and text is escaped as RFC 5545 § 3.3.11 says; every event has a stable ``UID``. The
test parses the file with the ``icalendar`` library.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from uprkb.index.calendar import Calendar, Review
from uprkb.index.kb import KnowledgeBase
from uprkb.present.labels import human_date

PRODID = "-//uprkb//UPR stakeholder deadlines//EN"


@dataclass(frozen=True)
class FollowedState:
    """A State the knowledge base follows, with the sessions its own records place it at."""

    iso3: str
    name: str
    sessions: tuple[int, ...]


def followed_states(kb: KnowledgeBase) -> list[FollowedState]:
    """The States of the knowledge base's submissions and reviews, by ISO3, with their known sessions."""
    names: dict[str, str] = {}
    sessions: dict[str, set[int]] = {}
    for sub in kb.submissions:
        state = sub.submission.state
        names.setdefault(state.iso3, state.name)
        sessions.setdefault(state.iso3, set()).add(sub.submission.session)
    for review in kb.reviews.values():
        r = review.review
        names.setdefault(r.state.iso3, r.state.name)
        known = sessions.setdefault(r.state.iso3, set())
        if r.session is not None:
            known.add(r.session)
    return [FollowedState(iso3, names[iso3], tuple(sorted(sessions[iso3]))) for iso3 in sorted(names)]


def next_reviews(calendar: Calendar, kb: KnowledgeBase, today: dt.date) -> list[tuple[FollowedState, Review | None]]:
    """Each followed State with its next review on or after ``today`` (``None`` when none can be dated)."""
    return [(s, calendar.next_review(s.iso3, today, s.sessions)) for s in followed_states(kb)]


def status_line(state: FollowedState, review: Review | None, today: dt.date) -> str:
    """``The next review of Kazakhstan: session 62, submissions due 22 March 2029 (estimated), in 835 days``."""
    if review is None:
        return f"The next review of {state.name}: not known (the calendar lists no session for {state.iso3})"
    due = review.deadline
    days = (due.date - today).days
    when = f"in {days} days" if days >= 0 else f"{-days} days ago"
    session = f"session {review.session.number} ({human_date(review.session.start.isoformat())}"
    session += ", estimated)" if review.session.estimated else ")"
    mark = "" if due.announced else " (estimated)"
    due_on = human_date(due.date.isoformat())
    return f"The next review of {state.name}: {session}, submissions due {due_on}{mark}, {when}"


def explanation(review: Review) -> str:
    """Where the deadline comes from, in a sentence or two."""
    due = review.deadline
    if due.announced and due.source is not None:
        return f"Deadline announced by OHCHR: {due.source.name}" + (f" ({due.source.url})" if due.source.url else "")
    text = due.rule
    if due.latest is not None:
        text += f" By the shortest lead seen it would fall on {human_date(due.latest.isoformat())}."
    if not review.cycle_published:
        text += f" Cycle {review.session.cycle}: {review.cycle_note or 'its calendar is not published'}"
    return text


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Fold a content line at 75 octets, never inside a UTF-8 character (RFC 5545 § 3.1)."""
    out: list[str] = []
    current = ""
    limit = 75
    for ch in line:
        if len((current + ch).encode("utf-8")) > limit:
            out.append(current)
            current = " " + ch
            limit = 75
        else:
            current += ch
    out.append(current)
    return "\r\n".join(out)


def calendar_ics(calendar: Calendar, kb: KnowledgeBase, today: dt.date) -> str:
    """The iCalendar text of the followed States' next stakeholder deadlines (``today`` is the DTSTAMP)."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN"]
    lines.append("X-WR-CALNAME:UPR stakeholder deadlines")
    for state, review in next_reviews(calendar, kb, today):
        if review is None:
            continue
        due = review.deadline
        mark = "" if due.announced else " (estimated)"
        summary = f"UPR submissions due{mark}: {state.name}, session {review.session.number}"
        lines += [
            "BEGIN:VEVENT",
            f"UID:upr-deadline-{state.iso3.lower()}-s{review.session.number}@uprkb",
            f"DTSTAMP:{today:%Y%m%d}T000000Z",
            f"DTSTART;VALUE=DATE:{due.date:%Y%m%d}",
            f"DTEND;VALUE=DATE:{due.date + dt.timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{_escape(summary)}",
            f"DESCRIPTION:{_escape(status_line(state, review, today) + '. ' + explanation(review))}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)
