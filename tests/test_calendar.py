"""The UPR calendar (data/vocabularies/upr-calendar.yaml): sessions, announced and estimated deadlines, a
State's next review, the status command, and the .ics file, parsed back with the icalendar library."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import icalendar
import pytest
from click.testing import CliRunner

from uprkb.cli import main
from uprkb.core.errors import Problems
from uprkb.index.calendar import Calendar
from uprkb.load.dataset import read_dataset

TODAY = dt.date(2026, 12, 8)


@pytest.fixture
def calendar(data: Path) -> Calendar:
    problems = Problems()
    ds = read_dataset(data, problems)
    assert not problems.errors and ds.upr_calendar is not None
    return Calendar(ds.upr_calendar)


def test_the_sessions_the_issue_states(calendar: Calendar) -> None:
    expected = {
        48: ("2025-01-20", "2025-01-31"),
        49: ("2025-04-28", "2025-05-09"),
        50: ("2025-11-03", "2025-11-14"),
        51: ("2026-01-19", "2026-01-30"),
    }
    for number, (start, end) in expected.items():
        s = calendar.session(number)
        assert s is not None and not s.estimated
        assert (s.start.isoformat(), s.end.isoformat()) == (start, end)
    assert calendar.cycle_note(4) == (True, "The 4th cycle ends with session 54, early in 2027.")
    published, note = calendar.cycle_note(5)
    assert not published and "not yet published" in note


def test_an_announced_deadline_is_given_with_its_source(calendar: Calendar) -> None:
    s47 = calendar.session(47)
    assert s47 is not None
    due = calendar.deadline(s47)
    assert due.announced and due.date == dt.date(2024, 4, 8) and due.source is not None and not due.rule
    assert (s47.start - due.date).days == 210  # within the 193-221 days seen for sessions 41-44


def test_a_deadline_not_announced_is_estimated_and_says_how(calendar: Calendar) -> None:
    s48 = calendar.session(48)
    assert s48 is not None
    due = calendar.deadline(s48)
    assert not due.announced and due.source is None
    assert due.date == dt.date(2024, 6, 13)  # 221 days before 20 January 2025
    assert due.latest == dt.date(2024, 7, 11)  # 193 days before
    assert due.rule.startswith("estimated: 221 days before the session's first day")


def test_a_session_not_in_the_calendar_is_estimated_by_the_yearly_rhythm(calendar: Calendar) -> None:
    s62 = calendar.session(62)
    assert s62 is not None and s62.estimated and s62.estimated_from == 50
    assert s62.start == dt.date(2029, 10, 29) and s62.start.weekday() == 0  # a Monday, as session 50's
    assert s62.cycle == 5
    assert calendar.session(30) is None  # before the calendar's sessions of that rhythm: not guessed


def test_the_next_review_of_kazakhstan(calendar: Calendar) -> None:
    # Before its 4th-cycle review: session 48, from the calendar, deadline estimated.
    early = calendar.next_review("KAZ", dt.date(2024, 1, 1))
    assert early is not None and early.session.number == 48 and early.from_calendar
    assert not early.deadline.announced
    # After it: the same place in the 5th cycle, 14 sessions on, every date estimated.
    later = calendar.next_review("KAZ", TODAY)
    assert later is not None and later.session.number == 62 and not later.from_calendar
    assert later.session.estimated and not later.deadline.announced and not later.cycle_published
    assert later.deadline.date == dt.date(2029, 3, 22)
    # A State the calendar lists at session 47 only through the knowledge base: its deadline is announced.
    other = calendar.next_review("XYZ", dt.date(2024, 1, 1), known=(47,))
    assert other is not None and other.deadline.announced and other.deadline.date == dt.date(2024, 4, 8)
    assert calendar.next_review("XYZ", TODAY) is None


def test_status_says_the_next_review_with_today_injected(data: Path) -> None:
    result = CliRunner().invoke(main, ["status", "--data", str(data), "--today", "2026-12-08"])
    assert result.exit_code == 0, result.output
    first = result.output.splitlines()[0]
    assert first == (
        "The next review of Kazakhstan: session 62 (29 October 2029, estimated), "
        "submissions due 22 March 2029 (estimated), in 835 days"
    )
    assert "Cycle 5: OHCHR has not yet published the 5th cycle's calendar" in result.output
    early = CliRunner().invoke(main, ["status", "--data", str(data), "--today", "2024-06-01"])
    assert "session 48 (20 January 2025), submissions due 13 June 2024 (estimated), in 12 days" in early.output
    bad = CliRunner().invoke(main, ["status", "--data", str(data), "--today", "soon"])
    assert bad.exit_code == 2 and "write YYYY-MM-DD" in bad.output


def test_an_announced_deadline_is_never_marked_estimated(data: Path) -> None:
    cal = data / "vocabularies" / "upr-calendar.yaml"
    text = cal.read_text(encoding="utf-8")
    old = '- number: 51\n  start: "2026-01-19"\n  end: "2026-01-30"\n'
    assert old in text
    cal.write_text(
        text.replace(
            old,
            old + '  states: [KAZ]\n  deadline:\n    date: "2025-07-01"\n    source:\n      name: OHCHR, test\n',
        ),
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["status", "--data", str(data), "--today", "2025-06-01"])
    line = result.output.splitlines()[0]
    assert "session 51 (19 January 2026), submissions due 1 July 2025, in 30 days" in line
    assert "estimated" not in line
    assert "Deadline announced by OHCHR: OHCHR, test" in result.output


def test_a_deadline_after_its_session_is_a_located_error(data: Path) -> None:
    cal = data / "vocabularies" / "upr-calendar.yaml"
    text = cal.read_text(encoding="utf-8")
    cal.write_text(text.replace('date: "2024-04-08"', 'date: "2024-12-08"'), encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", "--data", str(data)])
    assert result.exit_code == 1
    assert "upr-calendar.yaml:" in result.output and "on or after the session's first day" in result.output


def test_the_ics_file_parses_and_marks_estimates(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "deadlines.ics"
    result = CliRunner().invoke(
        main, ["export", "calendar", "--data", str(data), "--today", "2026-12-08", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    raw = out.read_bytes()
    assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    cal = icalendar.Calendar.from_ical(raw)
    assert cal["PRODID"] and str(cal["VERSION"]) == "2.0"
    events = list(cal.walk("VEVENT"))
    assert len(events) == 1
    event = events[0]
    assert event.decoded("DTSTART") == dt.date(2029, 3, 22)
    assert event.decoded("DTEND") == dt.date(2029, 3, 23)
    assert str(event["SUMMARY"]) == "UPR submissions due (estimated): Kazakhstan, session 62"
    assert "221 days before the session's first day" in str(event["DESCRIPTION"])
    assert str(event["UID"]) == "upr-deadline-kaz-s62@uprkb"
    # The same day gives the same bytes.
    again = tmp_path / "again.ics"
    CliRunner().invoke(main, ["export", "calendar", "--data", str(data), "--today", "2026-12-08", "-o", str(again)])
    assert again.read_bytes() == raw
