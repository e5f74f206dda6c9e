"""A case's timeline: every milestone of a protocol dated on a school calendar.

Timelines are computed for every case on every case list and deadline refresh, so what depends
only on the protocol (evaluation order, what each rule counts from, labels, keys, pending
records) is worked out once per Protocol object into a plan and reused; a call then only asks the
calendar for dates. bench/timeline.py measures it.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from operator import itemgetter
from typing import Any

from .calendar import SchoolCalendar
from .model import Extension, Milestone, Protocol
from .rules import (
    AtLeast,
    CalendarDays,
    EndOfSchoolWeek,
    EndOfSchoolWeeks,
    Lookback,
    SameDay,
    SchoolDays,
    rule_refs,
)


class TimelineError(ValueError):
    """The question cannot be answered (unknown event, too long an extension, date not covered)."""


@dataclass(frozen=True)
class DatedMilestone:
    key: str  # the milestone's key, with ".N" for the Nth occurrence of a repeating one
    milestone: str
    label: str
    due: date
    rule: str
    stage: str
    owner: str | None = None
    occurrence: int | None = None
    statutory: bool = False
    # The slug of the calendar the date was counted on (the receiving school's for a milestone
    # that happens there, when the case gives a second calendar).
    calendar: str = ""

    def as_json(self) -> dict[str, str]:
        return {
            "key": self.key,
            "label": self.label,
            "due": self.due.isoformat(),
            "rule": self.rule,
        }


@dataclass(frozen=True)
class PendingMilestone:
    """A milestone that cannot be dated yet: it counts from an event that has not happened."""

    key: str
    label: str
    rule: str
    waiting_for: str


@dataclass(frozen=True)
class WaivedMilestone:
    key: str
    label: str
    reason: str
    # The same reason as data, for a reader's own words (protocols/core/words.py): what waived it
    # ("ended_early", or the milestone a look-back found) and on which day; then the milestone
    # and the date it would have been due (None when a whole repeating milestone is waived).
    # (Not compared: two waivers are equal when they say the same.)
    because: str = field(default="", compare=False, repr=False)
    on: date | None = field(default=None, compare=False, repr=False)
    milestone: str = field(default="", compare=False, repr=False)
    due: date | None = field(default=None, compare=False, repr=False)
    occurrence: int | None = field(default=None, compare=False, repr=False)

    @property
    def by_early_end(self) -> bool:
        """Waived because the trial ended early (not by a look-back)."""
        return waived_by_early_end(self.because)


def waived_by_early_end(because: str) -> bool:
    """Whether a waiver's `because` is an early end of the trial rather than a look-back."""
    return because in ("", "ended_early")


@dataclass(frozen=True)
class Timeline:
    protocol: str
    version: int
    calendar: str
    start: date
    milestones: tuple[DatedMilestone, ...]
    pending: tuple[PendingMilestone, ...] = ()
    waived: tuple[WaivedMilestone, ...] = ()
    problems: tuple[str, ...] = ()

    def as_json(self) -> dict[str, object]:
        return {
            "protocol": self.protocol,
            "version": self.version,
            "milestones": [m.as_json() for m in self.milestones],
        }

    def due(self, key: str) -> date:
        return next(m.due for m in self.milestones if m.key == key)


# How a step finds its dates. The first four give one date; the last two repeat.
_SAME, _SCHOOL, _CALENDAR, _END, _ENDS, _EVERY = range(6)


class _Step:
    """One milestone of a plan: everything about it that does not depend on the case."""

    __slots__ = (
        "key",
        "label",
        "position",
        "needs",
        "pending",
        "kind",
        "ref",
        "until",
        "amount",
        "after",
        "delta",
        "weeks",
        "lookback",
        "lookback_in_school_days",
        "lookback_in_term_weeks",
        "lookback_span",
        "fields",
        "occurrence_fields",
    )

    def __init__(self, milestone: Milestone, position: int, *, term_weeks: bool) -> None:
        rule = milestone.rule
        lookback = milestone.lookback
        self.key = milestone.key
        self.label = milestone.label
        self.position = position
        # What must be known before the milestone can be dated, in the order the first missing
        # one is reported.
        self.needs: tuple[str, ...] = rule_refs(rule) + ((lookback.ref,) if lookback else ())
        self.pending = {
            need: PendingMilestone(milestone.key, milestone.label, milestone.due, waiting_for=need)
            for need in self.needs
        }
        self.ref = rule.ref
        self.until = ""
        self.amount = 0
        self.after = True
        self.delta = timedelta(0)
        self.weeks: tuple[int, ...] = ()
        if isinstance(rule, SameDay):
            self.kind = _SAME
        elif isinstance(rule, SchoolDays):
            self.kind = _SCHOOL
            self.amount = rule.n
            self.after = rule.direction == "after"
        elif isinstance(rule, CalendarDays):
            self.kind = _CALENDAR
            self.delta = timedelta(days=rule.days)
            self.after = rule.direction == "after"
        elif isinstance(rule, EndOfSchoolWeek):
            self.kind = _END
            self.amount = rule.week
        elif isinstance(rule, EndOfSchoolWeeks):
            self.kind = _ENDS
            self.weeks = rule.weeks
        else:
            self.kind = _EVERY
            self.amount = rule.every
            self.until = rule.until
        self.lookback = lookback
        self.lookback_in_school_days = lookback is not None and lookback.unit == "school days"
        # A look-back in weeks counts term weeks, unless the protocol counts five school days
        # (then, as before, 7 calendar days a week).
        self.lookback_in_term_weeks = (
            term_weeks and lookback is not None and lookback.unit == "weeks"
        )
        self.lookback_span = timedelta(
            days=lookback.amount * (7 if lookback.unit == "weeks" else 1) if lookback else 0
        )
        # A DatedMilestone's fields in declaration order, `due` filled in per case.
        self.fields: dict[str, Any] = {
            "key": milestone.key,
            "milestone": milestone.key,
            "label": milestone.label,
            "due": None,
            "rule": milestone.due,
            "stage": milestone.stage,
            "owner": milestone.owner,
            "occurrence": None,
            "statutory": milestone.statutory,
        }
        # The same for each occurrence of a repeating milestone. An every-N-weeks milestone has as
        # many as its `until` allows, so the tuple grows when a case needs more; it is replaced,
        # never changed in place, so a thread reading it meanwhile still sees a whole tuple.
        self.occurrence_fields: tuple[dict[str, Any], ...] = tuple(
            self._occurrence(index) for index in range(len(self.weeks))
        )

    def _occurrence(self, index: int) -> dict[str, Any]:
        if self.kind == _ENDS:
            label = f"{self.label} (week {self.weeks[index]})"
        else:
            label = f"{self.label} {index + 1} (week {self.amount * (index + 1)})"
        return {
            **self.fields,
            "key": f"{self.key}.{index + 1}",
            "label": label,
            "occurrence": index + 1,
        }

    def occurrences(self, count: int) -> tuple[dict[str, Any], ...]:
        known = self.occurrence_fields
        if len(known) < count:
            known = known + tuple(self._occurrence(i) for i in range(len(known), count))
            self.occurrence_fields = known
        return known


class _Plan:
    """What compute_timeline needs from a protocol, worked out once."""

    __slots__ = (
        "event_keys",
        "event_list",
        "extensions",
        "extension_list",
        "steps",
        "unknown_step",
        "size",
        "recorded",
        "end_events",
        "follow_ups",
        "waivable",
        "requirements",
        "term_weeks",
    )

    def __init__(self, protocol: Protocol) -> None:
        self.term_weeks = protocol.week_counting == "term_weeks"
        self.event_keys = frozenset(e.key for e in protocol.events)
        self.event_list = ", ".join(sorted(self.event_keys))
        self.extensions: dict[str, Extension] = {}
        for extension in protocol.extensions:
            self.extensions.setdefault(extension.key, extension)
        self.extension_list = ", ".join(e.key for e in protocol.extensions) or "none"
        position = {m.key: i for i, m in enumerate(protocol.milestones)}
        by_key = {m.key: m for m in protocol.milestones}
        steps: list[_Step] = []
        # A key in the order but not among the milestones fails when the evaluation reaches it,
        # as a dict lookup would (the loader never builds such a protocol).
        self.unknown_step: str | None = None
        for key in protocol.evaluation_order:
            if key not in by_key:
                self.unknown_step = key
                break
            steps.append(_Step(by_key[key], position[key], term_weeks=self.term_weeks))
        self.steps = tuple(steps)
        # Sort keys are due ordinal * size + position, so they order as (due, position) do.
        self.size = max(len(protocol.milestones), 1)
        # Only these milestones' dates are read back (by look-back rules and requirements).
        self.recorded = frozenset(
            [m.lookback.milestone for m in protocol.milestones if m.lookback]
            + [r.at_least.milestone for r in protocol.requirements]
        )
        self.end_events = tuple(
            {r.event for r in protocol.end_rules if r.effect == "ends_trial" and r.event}
        )
        self.follow_ups = frozenset(key for r in protocol.end_rules for key in r.follow_ups)
        # What an early end waives: the trial's milestones, except the end rules' follow-ups.
        self.waivable = protocol.trial_milestones - self.follow_ups
        self.requirements: tuple[tuple[str, AtLeast], ...] = tuple(
            (r.label, r.at_least) for r in protocol.requirements
        )


# Plans by id(protocol); the weak reference drops the plan with its protocol and tells a
# reused id from the protocol it was made for.
_PLANS: dict[int, tuple[weakref.ref[Protocol], _Plan]] = {}


def _plan_for(protocol: Protocol) -> _Plan:
    entry = _PLANS.get(id(protocol))
    if entry is not None and entry[0]() is protocol:
        return entry[1]
    plan = _Plan(protocol)
    key = id(protocol)

    def forget(ref: weakref.ref[Protocol]) -> None:
        current = _PLANS.get(key)
        if current is not None and current[0] is ref:
            _PLANS.pop(key, None)

    _PLANS[key] = (weakref.ref(protocol, forget), plan)
    return plan


def _waived_by(
    step: _Step,
    lookback: Lookback,
    *,
    calendar: SchoolCalendar,
    known: Mapping[str, date],
    occurrences: Mapping[str, list[date]],
) -> date | None:
    """The date of a `lookback.milestone` occurrence inside the look-back window, if any."""
    reference = known[lookback.ref]
    if step.lookback_in_school_days:
        window_start = calendar.add_school_days(reference, -lookback.amount)
    elif step.lookback_in_term_weeks:
        window_start = calendar.term_weeks_before(reference, lookback.amount)
    else:
        window_start = reference - step.lookback_span
    # The latest occurrence inside the window, so the reason names the review that waives it.
    found = None
    for day in occurrences.get(lookback.milestone, ()):
        if window_start <= day < reference and (found is None or day > found):
            found = day
    return found


_new = object.__new__
_ONE_DAY = timedelta(days=1)
_sort_key = itemgetter(0)
_second = itemgetter(1)


def _with_held(held: list[date] | None, scheduled: list[date]) -> list[date]:
    """The dates a recorded milestone took place, then its scheduled dates still to come.

    Three reviews planned and the first held: the count of reviews is the one held plus the two
    still planned, not just the one held.
    """
    if not held:
        return scheduled
    last = max(held)
    return sorted(held) + [day for day in scheduled if day > last]


def compute_timeline(
    *,
    protocol: Protocol,
    calendar: SchoolCalendar,
    start: date,
    events: Mapping[str, date] | None = None,
    extensions: Mapping[str, int] | None = None,
    held: Mapping[str, list[date]] | None = None,
    receiving_calendar: SchoolCalendar | None = None,
) -> Timeline:
    """Date every milestone of `protocol` for a case whose off-site direction starts on `start`.

    School weeks are term weeks, or 5 school days when the protocol says
    `week_counting: five_school_days` (rules.py). `events` gives the dates of other recorded
    events; `extensions` the school weeks granted per extension key; `held` the dates on which
    repeating milestones (reviews) actually took place, used by look-back rules in place of the
    scheduled dates, and the dates of an event recorded more than once (`review_held`: a
    look-back over an event counts only those dates and `events`' date). CalendarError
    propagates when a date falls outside the calendar.

    `receiving_calendar` (a move between two calendars): the milestones that happen at the
    receiving school (`held_at`, or else the owner, is a role of kind `receiving_school`: its
    attendance returns, the reviews held there, its decision) are counted on it, the rest on
    `calendar`; each dated milestone names the calendar it used.
    """
    plan = _plan_for(protocol)
    at_receiving: frozenset[str] = frozenset()
    if receiving_calendar is not None:
        kinds = {role.key: role.kind for role in protocol.roles}
        at_receiving = frozenset(
            m.key
            for m in protocol.milestones
            if (place := m.held_at or m.owner) and kinds.get(place, place) == "receiving_school"
        )
    home_calendar = calendar
    known: dict[str, date] = {"start": start}
    for key, day in (events or {}).items():
        if key not in plan.event_keys:
            raise TimelineError(
                f"unknown event {key!r}; the events of {protocol.reference} are: {plan.event_list}"
            )
        known[key] = day
    extra_weeks: dict[str, int] = {}
    for key, weeks in (extensions or {}).items():
        extension = plan.extensions.get(key)
        if extension is None:
            raise TimelineError(
                f"unknown extension {key!r}; {protocol.reference} allows: {plan.extension_list}"
            )
        most = extension.up_to_school_weeks
        if weeks < 0 or (most is not None and weeks > most):
            raise TimelineError(
                f"{extension.label}: {weeks} school weeks is more than the {extension.up_to_school_weeks} allowed"
            )
        extra_weeks[extension.extends] = extra_weeks.get(extension.extends, 0) + weeks

    held = held or {}
    # (sort key, milestone): the sort key orders by due date, then the protocol's order. A
    # repeating milestone's occurrences are added in order, and the sort is stable.
    dated: list[tuple[int, DatedMilestone]] = []
    pending: list[PendingMilestone] = []
    waived: list[WaivedMilestone] = []
    occurrences: dict[str, list[date]] = {k: list(v) for k, v in held.items()} if held else {}
    # An event counts only on the dates it was recorded: a look-back over an event (the legal
    # floor's `review_held`, reg 4A(4)) is waived by what happened, never by what is planned.
    for key in plan.event_keys:
        if key in known and key in plan.recorded:
            dates = occurrences.setdefault(key, [])
            if known[key] not in dates:
                dates.append(known[key])
    recorded = plan.recorded
    size = plan.size
    # A school week is a term week unless the protocol counts five school days (calendar.py).
    term_weeks = plan.term_weeks
    end_of_school_week = calendar.end_of_term_week if term_weeks else calendar.end_of_school_week
    for step in plan.steps:
        if at_receiving:
            # Two calendars: each step counts on the calendar of the school where it happens.
            calendar = (
                receiving_calendar
                if receiving_calendar is not None and step.fields["milestone"] in at_receiving
                else home_calendar
            )
            end_of_school_week = (
                calendar.end_of_term_week if term_weeks else calendar.end_of_school_week
            )
        waiting = None
        for need in step.needs:
            if need not in known:
                waiting = need
                break
        if waiting is not None:
            pending.append(step.pending[waiting])
            continue
        key = step.key
        kind = step.kind
        lookback = step.lookback
        if kind <= _END:
            origin = known[step.ref]
            if kind == _SAME:
                day = origin
            elif kind == _END:
                day = end_of_school_week(origin, step.amount + extra_weeks.get(key, 0))
            elif kind == _SCHOOL:
                extra = extra_weeks.get(key, 0)
                if term_weeks and extra and step.after:
                    # Extended by whole term weeks: the day after the deadline starts the count.
                    day = end_of_school_week(
                        calendar.add_school_days(origin, step.amount) + _ONE_DAY, extra
                    )
                else:
                    n = step.amount + 5 * extra
                    day = calendar.add_school_days(origin, n if step.after else -n)
            else:
                day = origin + step.delta if step.after else origin - step.delta
            if lookback is not None:
                recent = _waived_by(
                    step, lookback, calendar=calendar, known=known, occurrences=occurrences
                )
                if recent is not None:
                    waived.append(
                        WaivedMilestone(
                            key,
                            step.label,
                            f"{lookback.milestone} on {recent.isoformat()}",
                            because=lookback.milestone,
                            on=recent,
                            milestone=key,
                            due=day,
                        )
                    )
                    continue
            known[key] = day
            if key in recorded:
                occurrences[key] = _with_held(held.get(key), [day])
            # DatedMilestone's own __init__ sets its nine frozen fields one object.__setattr__ at
            # a time, which cost more than dating the milestone; the fields are filled in at once.
            item: DatedMilestone = _new(DatedMilestone)
            fields = item.__dict__
            fields.update(step.fields)
            fields["due"] = day
            if at_receiving:  # two calendars: say which one counted this date
                fields["calendar"] = calendar.slug
            dated.append((day.toordinal() * size + step.position, item))
            continue
        origin = known[step.ref]
        if kind == _ENDS:
            days = [end_of_school_week(origin, week) for week in step.weeks]
        else:
            # Every N school weeks up to and including `until`: the count is bounded by that date.
            until = known[step.until]
            if term_weeks:
                days = calendar.ends_of_term_weeks_until(origin, step.amount, until)
            else:
                days = []
                every = week = step.amount
                while True:
                    day = end_of_school_week(origin, week)
                    if day > until:
                        break
                    days.append(day)
                    week += every
        if lookback is not None:
            recent = _waived_by(
                step, lookback, calendar=calendar, known=known, occurrences=occurrences
            )
            if recent is not None:
                waived.append(
                    WaivedMilestone(
                        key,
                        step.label,
                        f"{lookback.milestone} on {recent.isoformat()}",
                        because=lookback.milestone,
                        on=recent,
                        milestone=key,
                    )
                )
                continue
        if key in recorded:
            occurrences[key] = _with_held(held.get(key), days)
        position = step.position
        for day, occurrence in zip(days, step.occurrences(len(days)), strict=False):
            item = _new(DatedMilestone)
            fields = item.__dict__
            fields.update(occurrence)
            fields["due"] = day
            if at_receiving:  # two calendars: say which one counted this date
                fields["calendar"] = calendar.slug
            dated.append((day.toordinal() * size + position, item))
    if plan.unknown_step is not None:
        raise KeyError(plan.unknown_step)
    # Once the trial has ended early, the trial's own steps after that day no longer fall due.
    ended_on: date | None = None
    for event in plan.end_events:
        if event in known and (ended_on is None or known[event] < ended_on):
            ended_on = known[event]
    if ended_on is not None:
        waivable = plan.waivable
        kept = []
        for entry in dated:
            milestone = entry[1]
            if milestone.due > ended_on and milestone.milestone in waivable:
                waived.append(
                    WaivedMilestone(
                        milestone.key,
                        milestone.label,
                        f"the trial ended early on {ended_on.isoformat()}",
                        because="ended_early",
                        on=ended_on,
                        milestone=milestone.milestone,
                        due=milestone.due,
                        occurrence=milestone.occurrence,
                    )
                )
            else:
                kept.append(entry)
        dated = kept
    problems: list[str] = []
    if ended_on is None:  # a trial that ended early is not held to the count of reviews
        for label, rule_ in plan.requirements:
            if rule_.ref not in known:
                continue
            limit = known[rule_.ref]
            count = 0
            for day in occurrences.get(rule_.milestone, ()):
                if day <= limit:
                    count += 1
            if count < rule_.count:
                problems.append(
                    f"{label}: only {count} {rule_.milestone} fall on or before {rule_.ref} "
                    f"({known[rule_.ref].isoformat()}); the protocol requires at least {rule_.count}"
                )
    dated.sort(key=_sort_key)
    timeline: Timeline = _new(Timeline)
    timeline.__dict__.update(
        protocol=protocol.slug,
        version=protocol.version,
        calendar=home_calendar.slug,
        start=start,
        milestones=tuple(map(_second, dated)),
        pending=tuple(pending),
        waived=tuple(waived),
        problems=tuple(problems),
    )
    return timeline
