"""A loaded, validated protocol as plain immutable data."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from .problems import Location
from .rules import (
    AtLeast,
    CalendarDays,
    EverySchoolWeeks,
    Lookback,
    SchoolDays,
    TimingRule,
    rule_refs,
)

WeekCounting = Literal["term_weeks", "five_school_days"]
WEEK_COUNTINGS: tuple[WeekCounting, ...] = ("term_weeks", "five_school_days")

FieldType = Literal[
    "text",
    "textarea",
    "number",
    "percentage",
    "date",
    "yes_no",
    "choice",
    "choices",
    "email",
    "phone",
    "school",
    "upn",
]


@dataclass(frozen=True)
class Source:
    title: str
    key: str | None = None
    publisher: str | None = None
    date: str | None = None
    seed: str | None = None
    url: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Citation:
    """Where a rule comes from: a source by its key, and where in it ("regulation 4A(4)")."""

    ref: str
    at: str | None = None


@dataclass(frozen=True)
class Role:
    key: str
    label: str
    kind: str
    description: str | None = None


@dataclass(frozen=True)
class Event:
    key: str
    label: str
    stage: str | None = None
    recorded_by: str | None = None
    location: Location | None = field(default=None, compare=False, repr=False)
    source: Citation | None = None
    practice: bool = False


@dataclass(frozen=True)
class Stage:
    key: str
    label: str
    guidance: str | None = None


@dataclass(frozen=True)
class Target:
    """A council's own rule for a time limit the law leaves open (its `targets:` entry)."""

    due: str
    origin: str = ""  # file:line:column of the target
    source: Citation | None = None
    practice: bool = False


@dataclass(frozen=True)
class Milestone:
    key: str
    label: str
    stage: str
    due: str
    rule: TimingRule
    unless: str | None = None
    lookback: Lookback | None = None
    owner: str | None = None
    # Where the step happens when that is not the owner's school: a review is the home school
    # board's duty (reg 4) though the meeting is usually at the receiving school.
    held_at: str | None = None
    # A part's time limit the law leaves open ("as soon as reasonably practicable"): a council may
    # set its own (`target`, which then gives `due`); otherwise `due` is Fairway's default.
    council_target: bool = False
    target: Target | None = None
    form: str | None = None
    statutory: bool = False
    guidance: str | None = None
    origin: str = ""  # file:line:column where it is defined
    source: Citation | None = None
    practice: bool = False


@dataclass(frozen=True)
class Requirement:
    rule: str
    label: str
    at_least: AtLeast
    source: Citation | None = None
    practice: bool = False


@dataclass(frozen=True)
class Condition:
    field: str
    equals: str | bool | float | int | None = None
    among: tuple[str | float | int, ...] | None = None

    def holds(self, answers: dict[str, object]) -> bool:
        value = answers.get(self.field)
        if self.among is not None:
            if isinstance(value, list | tuple):
                return any(v in self.among for v in value)
            return value in self.among
        if isinstance(value, list | tuple):
            return self.equals in value
        return value == self.equals


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    hint: str | None = None


@dataclass(frozen=True)
class FormField:
    key: str
    type: FieldType
    label: str
    hint: str | None = None
    required: bool = False
    choices: tuple[Choice, ...] = ()
    show_when: Condition | None = None
    min: float | None = None
    max: float | None = None
    max_length: int | None = None
    location: Location | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class FormPage:
    key: str
    title: str
    fields: tuple[FormField, ...]
    description: str | None = None


@dataclass(frozen=True)
class Form:
    key: str
    title: str
    stage: str
    pages: tuple[FormPage, ...]
    completed_by: str | None = None
    description: str | None = None
    repeats: bool = False
    location: Location | None = field(default=None, compare=False, repr=False)
    source: Citation | None = None
    practice: bool = False

    @property
    def fields(self) -> tuple[FormField, ...]:
        return tuple(f for page in self.pages for f in page.fields)


@dataclass(frozen=True)
class SignOff:
    key: str
    label: str
    stage: str
    roles: tuple[str, ...]
    form: str | None = None
    before: str | None = None
    source: Citation | None = None
    practice: bool = False


@dataclass(frozen=True)
class Extension:
    key: str
    label: str
    extends: str
    # None: the protocol sets no maximum (a usual length that may be exceeded with the approvals
    # and a recorded reason).
    up_to_school_weeks: int | None
    approvals: tuple[str, ...]
    when: str | None = None
    evidence: tuple[str, ...] = ()
    source: Citation | None = None
    practice: bool = False


@dataclass(frozen=True)
class EndRule:
    key: str
    label: str
    effect: Literal["ends_trial", "extends_trial"]
    description: str | None = None
    evidence: tuple[str, ...] = ()
    event: str | None = None
    follow_ups: tuple[str, ...] = ()
    extension: str | None = None
    # Persistent absence: the rule applies once the pupil has missed this percentage of possible
    # sessions or more (DfE: 10), so 90.0% attendance is already caught.
    persistent_absence_at_percent_absent: float | None = None
    source: Citation | None = None
    practice: bool = False


@dataclass(frozen=True)
class Attendance:
    recorded: Literal["daily", "weekly"]
    recorded_by: str
    reported_to: tuple[str, ...]
    # Missing this percentage of possible sessions or more is flagged (DfE: 10).
    persistent_absence_at_percent_absent: float | None = None
    register_code: str | None = None
    source: Citation | None = None
    practice: bool = False

    def persistently_absent(self, *, possible: int, attended: int) -> bool:
        """Whether `possible - attended` sessions missed reach the threshold (in whole numbers,
        so 90.0% attendance against a 10% threshold is flagged exactly)."""
        threshold = self.persistent_absence_at_percent_absent
        if threshold is None or possible <= 0:
            return False
        return (possible - attended) * 100 >= threshold * possible


@dataclass(frozen=True)
class Outcome:
    key: str
    label: str
    description: str | None = None
    on_roll_of: str | None = None
    report_to: tuple[str, ...] = ()
    source: Citation | None = None
    practice: bool = False


@dataclass(frozen=True)
class Route:
    key: str
    label: str
    flag: str
    effect: str
    involves: tuple[str, ...] = ()
    guidance: str | None = None
    location: Location | None = field(default=None, compare=False, repr=False)
    source: Citation | None = None
    practice: bool = False


@dataclass(frozen=True)
class Protocol:
    council: str
    slug: str
    version: int
    title: str
    effective_from: date
    sources: tuple[Source, ...]
    stages: tuple[Stage, ...]
    milestones: tuple[Milestone, ...]
    outcomes: tuple[Outcome, ...]
    effective_until: date | None = None
    # True when no source gives the date this version took effect: effective_from is assumed
    # (effective_from_note says why) and the pages show it as assumed.
    effective_from_assumed: bool = False
    effective_from_note: str | None = None
    # The phases the protocol covers by the pupil's year group ("primary", "secondary"); empty
    # means every phase.
    phases: tuple[str, ...] = ()
    short_name: str | None = None
    summary: str | None = None
    changes: tuple[str, ...] = ()
    includes: tuple[str, ...] = ()
    roles: tuple[Role, ...] = ()
    events: tuple[Event, ...] = ()
    requirements: tuple[Requirement, ...] = ()
    forms: tuple[Form, ...] = ()
    sign_offs: tuple[SignOff, ...] = ()
    extensions: tuple[Extension, ...] = ()
    end_rules: tuple[EndRule, ...] = ()
    attendance: Attendance | None = None
    routes: tuple[Route, ...] = ()
    # How school weeks are counted (calendar.py): term weeks unless the protocol says
    # `week_counting: five_school_days`.
    week_counting: WeekCounting = "term_weeks"
    path: str = ""
    # Milestones in an order where each comes after everything its rule counts from.
    evaluation_order: tuple[str, ...] = field(default=(), repr=False)
    # The trial, worked out once from the milestones (see trial_of): the milestone it ends at and
    # every milestone that belongs to it. The timeline waives and case work calls "not needed"
    # exactly these once a trial ends early.
    trial_end: str | None = field(init=False, default=None)
    trial_milestones: frozenset[str] = field(init=False, default=frozenset())
    # Where each list was written ("" for the file itself, "forms", "events", ...): problems
    # about something missing from a list point there.
    locations: dict[str, Location] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        end, members = trial_of(self.milestones, extended=[e.extends for e in self.extensions])
        object.__setattr__(self, "trial_end", end)
        object.__setattr__(self, "trial_milestones", members)

    @property
    def reference(self) -> str:
        return f"{self.slug}@{self.version}"

    def in_force_on(self, day: date) -> bool:
        return self.effective_from <= day and (
            self.effective_until is None or day <= self.effective_until
        )

    def milestone(self, key: str) -> Milestone:
        return next(m for m in self.milestones if m.key == key)

    def form(self, key: str) -> Form:
        return next(f for f in self.forms if f.key == key)

    def role(self, key: str) -> Role:
        return next(r for r in self.roles if r.key == key)

    def stage(self, key: str) -> Stage:
        return next(s for s in self.stages if s.key == key)

    def source_of(self, citation: Citation | None) -> Source | None:
        """The source a rule cites (the loader has checked that it exists)."""
        if citation is None:
            return None
        return next((s for s in self.sources if s.key == citation.ref), None)


def _counts_before(rule: TimingRule) -> bool:
    return isinstance(rule, SchoolDays | CalendarDays) and rule.direction == "before"


def trial_of(
    milestones: tuple[Milestone, ...], *, extended: list[str]
) -> tuple[str | None, frozenset[str]]:
    """The trial's end milestone and every milestone that belongs to the trial.

    The trial's own steps are those counted from `start` (directly or through each other) that
    fall on or after it; the notice given days *before* the start belongs to the agreement. The
    trial runs through the stages those steps are in, so every milestone of those stages belongs
    to it (a review a parent asks for during the trial too). It ends at the milestone an
    extension extends or, without one, the one its repeating steps run until (else `trial_end`).
    """
    counted: set[str] = set()
    changed = True
    while changed:  # a fixpoint, so it needs no evaluation order
        changed = False
        for m in milestones:
            if m.key in counted or _counts_before(m.rule):
                continue
            if any(ref == "start" or ref in counted for ref in rule_refs(m.rule)):
                counted.add(m.key)
                changed = True
    stages = {m.stage for m in milestones if m.key in counted}
    members = frozenset(m.key for m in milestones if m.stage in stages)
    ends = [key for key in extended if key in members]
    ends += [
        m.rule.until
        for m in milestones
        if m.key in counted and isinstance(m.rule, EverySchoolWeeks) and m.rule.until in members
    ]
    ends += [key for key in ("trial_end",) if key in members]
    return (ends[0] if ends else None), members
