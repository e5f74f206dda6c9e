"""A case's timeline: every milestone of a protocol dated on a school calendar."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from .calendar import SchoolCalendar
from .model import Milestone, Protocol
from .rules import (
    CalendarDays,
    EndOfSchoolWeek,
    EndOfSchoolWeeks,
    EverySchoolWeeks,
    Lookback,
    SameDay,
    SchoolDays,
    TimingRule,
    rule_refs,
)

# Stages whose milestones belong to the running trial (dropped once it ends early).
TRIAL_STAGES = frozenset({"off_site_direction", "review"})


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


def _dates_for(
    rule: TimingRule,
    *,
    calendar: SchoolCalendar,
    known: Mapping[str, date],
    extra_weeks: int,
) -> list[date]:
    if isinstance(rule, SameDay):
        return [known[rule.ref]]
    if isinstance(rule, SchoolDays):
        n = rule.n + 5 * extra_weeks
        return [calendar.add_school_days(known[rule.ref], n if rule.direction == "after" else -n)]
    if isinstance(rule, CalendarDays):
        delta = timedelta(days=rule.days)
        return [known[rule.ref] + delta if rule.direction == "after" else known[rule.ref] - delta]
    if isinstance(rule, EndOfSchoolWeek):
        return [calendar.end_of_school_week(known[rule.ref], rule.week + extra_weeks)]
    if isinstance(rule, EndOfSchoolWeeks):
        return [calendar.end_of_school_week(known[rule.ref], week) for week in rule.weeks]
    # Every N school weeks up to and including `until`: the count is bounded by the until date.
    until = known[rule.until]
    dates: list[date] = []
    week = rule.every
    while True:
        day = calendar.end_of_school_week(known[rule.ref], week)
        if day > until:
            return dates
        dates.append(day)
        week += rule.every


def _waived(
    lookback: Lookback,
    *,
    calendar: SchoolCalendar,
    known: Mapping[str, date],
    occurrences: Mapping[str, list[date]],
) -> date | None:
    """The date of a `lookback.milestone` occurrence inside the look-back window, if any."""
    reference = known[lookback.ref]
    if lookback.unit == "school days":
        window_start = calendar.add_school_days(reference, -lookback.amount)
    else:
        window_start = reference - timedelta(
            days=lookback.amount * (7 if lookback.unit == "weeks" else 1)
        )
    for day in occurrences.get(lookback.milestone, []):
        if window_start <= day < reference:
            return day
    return None


def _occurrence_label(milestone: Milestone, rule: TimingRule, index: int) -> str:
    if isinstance(rule, EndOfSchoolWeeks):
        return f"{milestone.label} (week {rule.weeks[index]})"
    if isinstance(rule, EverySchoolWeeks):
        return f"{milestone.label} {index + 1} (week {rule.every * (index + 1)})"
    return milestone.label


def compute_timeline(
    *,
    protocol: Protocol,
    calendar: SchoolCalendar,
    start: date,
    events: Mapping[str, date] | None = None,
    extensions: Mapping[str, int] | None = None,
    held: Mapping[str, list[date]] | None = None,
) -> Timeline:
    """Date every milestone of `protocol` for a case whose off-site direction starts on `start`.

    `events` gives the dates of other recorded events; `extensions` the school weeks granted per
    extension key; `held` the dates on which repeating milestones (reviews) actually took place,
    used by look-back rules in place of the scheduled dates. CalendarError propagates when a date
    falls outside the calendar.
    """
    known: dict[str, date] = {"start": start}
    event_keys = {e.key for e in protocol.events}
    for key, day in (events or {}).items():
        if key not in event_keys:
            raise TimelineError(
                f"unknown event {key!r}; the events of {protocol.reference} are: {', '.join(sorted(event_keys))}"
            )
        known[key] = day
    extra_weeks: dict[str, int] = {}
    for key, weeks in (extensions or {}).items():
        extension = next((e for e in protocol.extensions if e.key == key), None)
        if extension is None:
            names = ", ".join(e.key for e in protocol.extensions) or "none"
            raise TimelineError(f"unknown extension {key!r}; {protocol.reference} allows: {names}")
        if not 0 <= weeks <= extension.up_to_school_weeks:
            raise TimelineError(
                f"{extension.label}: {weeks} school weeks is more than the {extension.up_to_school_weeks} allowed"
            )
        extra_weeks[extension.extends] = extra_weeks.get(extension.extends, 0) + weeks

    dated: list[tuple[date, int, DatedMilestone]] = []
    pending: list[PendingMilestone] = []
    waived: list[WaivedMilestone] = []
    occurrences: dict[str, list[date]] = {k: list(v) for k, v in (held or {}).items()}
    position = {m.key: i for i, m in enumerate(protocol.milestones)}
    by_key = {m.key: m for m in protocol.milestones}
    for key in protocol.evaluation_order:
        milestone = by_key[key]
        rule = milestone.rule
        refs = rule_refs(rule)
        missing = [r for r in refs if r not in known]
        if milestone.lookback and milestone.lookback.ref not in known:
            missing.append(milestone.lookback.ref)
        if missing:
            pending.append(
                PendingMilestone(key, milestone.label, milestone.due, waiting_for=missing[0])
            )
            continue
        days = _dates_for(rule, calendar=calendar, known=known, extra_weeks=extra_weeks.get(key, 0))
        if milestone.lookback:
            recent = _waived(
                milestone.lookback, calendar=calendar, known=known, occurrences=occurrences
            )
            if recent is not None:
                waived.append(
                    WaivedMilestone(
                        key,
                        milestone.label,
                        f"{milestone.lookback.milestone} on {recent.isoformat()}",
                    )
                )
                continue
        repeating = isinstance(rule, EndOfSchoolWeeks | EverySchoolWeeks)
        if not repeating:
            known[key] = days[0]
        if key not in (held or {}):
            occurrences[key] = days
        for index, day in enumerate(days):
            dated.append(
                (
                    day,
                    position[key],
                    DatedMilestone(
                        key=f"{key}.{index + 1}" if repeating else key,
                        milestone=key,
                        label=_occurrence_label(milestone, rule, index),
                        due=day,
                        rule=milestone.due,
                        stage=milestone.stage,
                        owner=milestone.owner,
                        occurrence=index + 1 if repeating else None,
                        statutory=milestone.statutory,
                    ),
                )
            )
    # Once the trial has ended early, the trial's own steps after that day no longer fall due.
    end_events = {r.event for r in protocol.end_rules if r.effect == "ends_trial" and r.event}
    ended = [known[e] for e in end_events if e in known]
    if ended:
        ended_on = min(ended)
        follow_ups = {key for r in protocol.end_rules for key in r.follow_ups}
        kept = []
        for item in dated:
            step = item[2]
            if (
                item[0] > ended_on
                and step.stage in TRIAL_STAGES
                and step.milestone not in follow_ups
            ):
                waived.append(
                    WaivedMilestone(
                        step.key, step.label, f"the trial ended early on {ended_on.isoformat()}"
                    )
                )
            else:
                kept.append(item)
        dated = kept
    problems: list[str] = []
    for requirement in protocol.requirements:
        if ended:
            break  # a trial that ended early is not held to the count of reviews
        rule_ = requirement.at_least
        if rule_.ref not in known:
            continue
        count = sum(1 for day in occurrences.get(rule_.milestone, []) if day <= known[rule_.ref])
        if count < rule_.count:
            problems.append(
                f"{requirement.label}: only {count} {rule_.milestone} fall on or before {rule_.ref} "
                f"({known[rule_.ref].isoformat()}); the protocol requires at least {rule_.count}"
            )
    dated.sort(key=lambda item: (item[0], item[1], item[2].occurrence or 0))
    return Timeline(
        protocol=protocol.slug,
        version=protocol.version,
        calendar=calendar.slug,
        start=start,
        milestones=tuple(item[2] for item in dated),
        pending=tuple(pending),
        waived=tuple(waived),
        problems=tuple(problems),
    )
