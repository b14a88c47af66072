"""The UPR calendar, looked up: a session's dates and stakeholder deadline, a State's previous and next review.

The data is ``data/vocabularies/upr-calendar.yaml`` (:class:`uprkb.model.ohchr.UprCalendar`). A date OHCHR
announced is given with its source; any other is *estimated* and says so, with the rule:

* a **deadline** not announced: the session's first day less ``estimate.deadline_days_before`` days (the
  longest lead seen, so an estimate errs early); the latest it has fallen is given too (the shortest lead);
* a **session** not in the calendar: the calendar's latest session ``k × sessions_per_year`` sessions
  before it, plus ``k`` years of 52 weeks (so it starts on the same weekday); the Working Group has held
  three sessions a year (late January, late April, early November) through the 4th cycle;
* a State's **next review** after its last one in the calendar (or in a submission): the same place in the
  next cycle, as many sessions later as a cycle holds (:data:`uprkb.model.refs.CYCLE_SESSIONS`, 14).

Nothing here reads the clock: ``today`` is always passed in, so tests and builds can fix it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from uprkb.model.ohchr import RuleSource, Session, UprCalendar
from uprkb.model.refs import CYCLE_SESSIONS, cycle_of_session

WEEKS_A_YEAR = dt.timedelta(weeks=52)
"""A year, as the estimate steps it: 52 weeks, so an estimated session starts on the same weekday."""


def cycle_length(session: int) -> int:
    """How many Working Group sessions the cycle of ``session`` holds (14 from the 2nd cycle on)."""
    first, last = CYCLE_SESSIONS.get(cycle_of_session(session), CYCLE_SESSIONS[max(CYCLE_SESSIONS)])
    return last - first + 1


@dataclass(frozen=True)
class SessionDates:
    """A Working Group session's dates, listed in the calendar or estimated."""

    number: int
    start: dt.date
    end: dt.date
    listed: Session | None
    """The calendar's entry, or ``None`` when the dates are estimated."""
    estimated_from: int | None = None
    """For an estimate: the listed session the dates were stepped from."""

    @property
    def estimated(self) -> bool:
        return self.listed is None

    @property
    def cycle(self) -> int:
        return cycle_of_session(self.number)


@dataclass(frozen=True)
class DueDate:
    """A session's stakeholder deadline: announced (with its source) or estimated (with its rule)."""

    date: dt.date
    announced: bool
    source: RuleSource | None
    """Where OHCHR announced it (``None`` for an estimate)."""
    latest: dt.date | None = None
    """For an estimate: the latest the deadline has fallen, by the shortest lead seen."""
    rule: str = ""
    """For an estimate: how it was estimated, in plain words."""


@dataclass(frozen=True)
class Review:
    """One review of a State at a session, with the session's dates and the stakeholder deadline."""

    iso3: str
    session: SessionDates
    deadline: DueDate
    from_calendar: bool
    """True when the calendar lists the State at this session; false when the session is estimated as its
    next review from an earlier one."""
    cycle_published: bool
    """Whether OHCHR has published the calendar of the session's cycle."""
    cycle_note: str = ""


class Calendar:
    """Look-ups over the calendar's data (one per run; the data is not changed)."""

    def __init__(self, data: UprCalendar) -> None:
        self.data = data
        self.sessions: dict[int, Session] = {s.number: s for s in data.sessions}

    # -- sessions and deadlines --------------------------------------------------------------------

    def session(self, number: int) -> SessionDates | None:
        """The session's dates: listed, or estimated from a listed one (``None`` before the calendar's first)."""
        listed = self.sessions.get(number)
        if listed is not None:
            return SessionDates(number, listed.start, listed.end, listed)
        per_year = self.data.estimate.sessions_per_year
        earlier = sorted((n for n in self.sessions if n < number and (number - n) % per_year == 0), reverse=True)
        if not earlier:
            return None
        base = self.sessions[earlier[0]]
        step = WEEKS_A_YEAR * ((number - base.number) // per_year)
        return SessionDates(number, base.start + step, base.end + step, None, base.number)

    def deadline(self, session: SessionDates) -> DueDate:
        """The stakeholder deadline of a session: OHCHR's when announced, else the estimate."""
        listed = session.listed
        if listed is not None and listed.deadline is not None:
            return DueDate(listed.deadline.date, True, listed.deadline.source)
        est = self.data.estimate
        rule = (
            f"estimated: {est.deadline_days_before} days before the session's first day (OHCHR's deadlines have "
            f"fallen {est.deadline_days_before_shortest} to {est.deadline_days_before} days before); {est.rule}"
        )
        if session.estimated:
            rule += f" The session's dates are estimated too, from session {session.estimated_from}."
        return DueDate(
            session.start - dt.timedelta(days=est.deadline_days_before),
            False,
            None,
            session.start - dt.timedelta(days=est.deadline_days_before_shortest),
            rule,
        )

    def cycle_note(self, cycle: int) -> tuple[bool, str]:
        """Whether the cycle's calendar is published, and what the calendar says of it."""
        note = next((c for c in self.data.cycles if c.number == cycle), None)
        if note is None:
            return False, f"the calendar says nothing of cycle {cycle}"
        return note.published, note.note or ""

    # -- a State's reviews ---------------------------------------------------------------------------

    def listed_reviews(self, iso3: str) -> list[int]:
        """The sessions at which the calendar lists the State, in order."""
        return sorted(n for n, s in self.sessions.items() if iso3 in s.states)

    def review(self, iso3: str, number: int, from_calendar: bool) -> Review | None:
        """The State's review at one session, with its deadline (``None`` when the session cannot be dated)."""
        dates = self.session(number)
        if dates is None:
            return None
        published, note = self.cycle_note(dates.cycle)
        return Review(iso3, dates, self.deadline(dates), from_calendar, published, note)

    def previous_review(self, iso3: str, before: int) -> SessionDates | None:
        """The State's last review before session ``before`` that the calendar lists (else ``None``)."""
        earlier = [n for n in self.listed_reviews(iso3) if n < before]
        return self.session(earlier[-1]) if earlier else None

    def next_review(self, iso3: str, today: dt.date, known: tuple[int, ...] = ()) -> Review | None:
        """The State's next review that starts on or after ``today``.

        ``known``: sessions at which the knowledge base's own records place the State (a submission's
        ``session``), added to the calendar's. A listed future session wins; else the review is stepped on
        from the last one known by a cycle's length at a time, and is estimated.
        """
        listed = set(self.listed_reviews(iso3))
        sessions = sorted(listed | set(known))
        if not sessions:
            return None
        for number in sessions:
            dates = self.session(number)
            if dates is not None and dates.start >= today:
                return self.review(iso3, number, number in listed)
        number = sessions[-1]
        for _ in range(20):  # a bound, never reached with a calendar of real dates
            number += cycle_length(number)
            dates = self.session(number)
            if dates is None:
                return None
            if dates.start >= today:
                return self.review(iso3, number, False)
        return None
