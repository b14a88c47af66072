"""OHCHR's rules for stakeholder submissions and the UPR calendar, kept as data an organisation can update.

Two files of ``data/vocabularies/``, each optional:

* ``ohchr-rules.yaml`` (:class:`OhchrRules`): each rule of OHCHR's guidelines the ``check submission``
  command applies, in plain words, with its threshold, the words it looks for, its source and the
  date it applies from. No number of a rule is written in code.
* ``upr-calendar.yaml`` (:class:`UprCalendar`): the Working Group's sessions with their dates, the States
  reviewed at each where known, the stakeholder deadline and the portal window where OHCHR announced
  them, each with its source; and the rule by which a deadline that is not announced is estimated.
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated

from pydantic import Field, StringConstraints, model_validator

from uprkb.model.records import Date, Model, PartialDate, Text, Url

Iso3 = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
"""An ISO 3166-1 alpha-3 code, e.g. ``KAZ``."""


class RuleSource(Model):
    """Where a rule or a date is published."""

    name: Text
    """The document or page, as its publisher titles it."""
    url: Url | None = None
    """Where to read it."""
    published: PartialDate | None = None
    """The date of the version read (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``), when it states one."""
    checked: Date | None = None
    """When a person last compared this entry with the source; empty when nobody has yet."""
    note: Text | None = None
    """What the source says, or what it leaves open, in a sentence."""


# ---------------------------------------------------------------------------
# ohchr-rules.yaml
# ---------------------------------------------------------------------------


class RuleId(str, Enum):
    """The rules the check knows how to apply; each is applied only when the file lists it."""

    word_limit = "word-limit"
    paragraphs_numbered = "paragraphs-numbered"
    one_state = "one-state"
    joint_submitters = "joint-submitters"
    endnotes = "endnotes"
    no_annex = "no-annex"
    period_covered = "period-covered"
    recommendation_references = "recommendation-references"
    language = "language"


class OhchrRule(Model):
    """One rule of OHCHR's guidelines for stakeholder submissions, as the check applies it."""

    id: RuleId
    """Which rule: word-limit, paragraphs-numbered, one-state, joint-submitters, endnotes, no-annex,
    period-covered, recommendation-references or language."""
    rule: Text
    """The rule in plain words, as a finding quotes it."""
    fix: Text
    """What to do when the data breaks it, in plain words."""
    how_checked: Text | None = None
    """For a rule the check can only approximate: the heuristic it uses, stated."""
    threshold: Annotated[int, Field(ge=1)] | None = None
    """The number the data is held against (its unit is ``unit``); the word limits themselves are in
    ``ohchr-limits.yaml``."""
    unit: Text | None = None
    """What ``threshold`` counts, e.g. ``words`` or ``months``."""
    terms: list[Text] = []
    """Words a heading starts with that mark what the rule looks for, in lowercase (e.g. ``annex``)."""
    phrases: list[Text] = []
    """Phrases that, found in the text, mark what the rule looks for, in lowercase (e.g. ``see annex``)."""
    accepted: list[Text] = []
    """For ``language``: the ISO 639-1 codes OHCHR accepts."""
    preferred: list[Text] = []
    """For ``language``: the codes OHCHR prefers."""
    since: Date | None = None
    """The date the rule applies from, ``YYYY-MM-DD``."""
    source: RuleSource
    """Where OHCHR states the rule."""


class OhchrRules(Model):
    """The file ``ohchr-rules.yaml``: the OHCHR rules ``check submission`` applies (and ``validate`` warns about)."""

    source: RuleSource
    """The guidelines the rules are read from, as a whole."""
    rules: list[OhchrRule]
    """One entry per rule; a rule left out of the file is not applied."""

    @model_validator(mode="after")
    def _unique(self) -> OhchrRules:
        seen = [r.id for r in self.rules]
        doubled = sorted({r.value for r in seen if seen.count(r) > 1})
        if doubled:
            raise ValueError(f"the rule(s) {', '.join(doubled)} are listed twice; keep one entry each")
        return self

    def get(self, rule: RuleId) -> OhchrRule | None:
        """The entry of one rule, or ``None`` when the file leaves it out."""
        return next((r for r in self.rules if r.id is rule), None)


# ---------------------------------------------------------------------------
# upr-calendar.yaml
# ---------------------------------------------------------------------------


class Deadline(Model):
    """The stakeholder deadline of a session, as OHCHR announced it."""

    date: Date
    """The last day for stakeholders' submissions, ``YYYY-MM-DD``."""
    source: RuleSource
    """Where OHCHR announced it."""


class PortalWindow(Model):
    """When OHCHR's submission portal is open for a session, as announced."""

    opens: Date
    """The first day submissions are accepted."""
    closes: Date
    """The last day."""
    source: RuleSource
    """Where OHCHR announced it."""


class Session(Model):
    """One session of the UPR Working Group."""

    number: Annotated[int, Field(ge=1, le=200)]
    """The session's number, e.g. ``48``."""
    start: Date
    """Its first day."""
    end: Date
    """Its last day."""
    states: list[Iso3] = []
    """The States reviewed at it, by ISO3 code, as far as known (the list may be partial)."""
    states_complete: bool = False
    """True when ``states`` lists every State reviewed at the session."""
    deadline: Deadline | None = None
    """The stakeholder deadline, only when OHCHR announced it; otherwise it is estimated (``estimate``)."""
    portal: PortalWindow | None = None
    """The portal window, only when OHCHR announced it."""
    source: RuleSource
    """Where the dates (and the States) are published."""

    @model_validator(mode="after")
    def _ordered(self) -> Session:
        if self.end < self.start:
            raise ValueError("the session ends before it starts")
        if self.deadline is not None and self.deadline.date >= self.start:
            raise ValueError("the stakeholder deadline falls on or after the session's first day")
        return self


class Estimate(Model):
    """How a date OHCHR has not announced is estimated; every estimate is printed as one, with this rule."""

    deadline_days_before: Annotated[int, Field(ge=1)]
    """Days between the stakeholder deadline and the session's first day, taken long (the earliest
    deadline seen), so an estimate errs early."""
    deadline_days_before_shortest: Annotated[int, Field(ge=1)]
    """The shortest lead seen: the latest the deadline has fallen."""
    sessions_per_year: Annotated[int, Field(ge=1, le=12)]
    """How many sessions the Working Group holds a year; a session not in the calendar is dated as the
    calendar's latest session that many sessions (whole years) before it, plus those years."""
    rule: Text
    """The estimate's rule in plain words, printed with every estimated date."""
    source: RuleSource
    """Where the figures behind the rule come from."""

    @model_validator(mode="after")
    def _range(self) -> Estimate:
        if self.deadline_days_before_shortest > self.deadline_days_before:
            raise ValueError("deadline_days_before_shortest is longer than deadline_days_before")
        return self


class CycleNote(Model):
    """What is known of one UPR cycle's calendar."""

    number: Annotated[int, Field(ge=1, le=9)]
    """The cycle."""
    last_session: Annotated[int, Field(ge=1, le=200)] | None = None
    """Its last Working Group session, when announced."""
    published: bool
    """Whether OHCHR has published the cycle's calendar."""
    note: Text | None = None
    """What is known, in a sentence."""


class UprCalendar(Model):
    """The file ``upr-calendar.yaml``: the UPR Working Group's sessions and deadlines."""

    source: RuleSource
    """OHCHR's page of sessions and deadlines."""
    estimate: Estimate
    """The rule for dates not announced."""
    cycles: list[CycleNote] = []
    """What is known of each cycle's calendar."""
    sessions: list[Session]
    """The sessions, each once."""

    @model_validator(mode="after")
    def _unique(self) -> UprCalendar:
        numbers = [s.number for s in self.sessions]
        doubled = sorted({n for n in numbers if numbers.count(n) > 1})
        if doubled:
            raise ValueError(f"session(s) {', '.join(map(str, doubled))} are listed twice; keep one entry each")
        return self


#: The file kinds this module adds to the data folder, for the JSON Schemas.
OHCHR_FILE_MODELS: dict[str, type[Model]] = {"ohchr-rules": OhchrRules, "upr-calendar": UprCalendar}
