"""Where a protocol's milestones fall, in school weeks from the first day, without a calendar.

Public guidance describes the shape of an off-site direction ("a review every 2 school weeks, the
end of week 8"), not one pupil's dates, so positions are counted in school days from the first
day (day 1) and shown as school weeks. Rules that count from an event other than the start, or in
calendar days (which depend on holidays), cannot be placed and are listed with their wording.

Without a calendar every week is a whole week from a Monday start, where the two ways of counting
a school week (`week_counting`: term weeks, or five school days) agree: week N is days 5N-4 to 5N.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Milestone, Protocol
from .rules import (
    CalendarDays,
    EndOfSchoolWeek,
    EndOfSchoolWeeks,
    EverySchoolWeeks,
    SameDay,
    SchoolDays,
    TimingRule,
)

START = "start"
DAYS_PER_WEEK = 5


def week_of(day: int) -> int:
    """The school week of a school-day position: days 1-5 are week 1; the start's eve is week 0."""
    return (day - 1) // DAYS_PER_WEEK + 1 if day >= 1 else 0


@dataclass(frozen=True)
class PlacedMilestone:
    key: str
    label: str
    stage: str
    due: str
    owner: str | None
    statutory: bool
    # School-day positions, the first day being day 1; 0 or less falls before the first day.
    days: tuple[int, ...]
    extendable_by_weeks: int = 0

    @property
    def weeks(self) -> tuple[int, ...]:
        return tuple(week_of(day) for day in self.days)

    @property
    def before_start(self) -> bool:
        return all(day <= 0 for day in self.days)


@dataclass(frozen=True)
class UnplacedMilestone:
    key: str
    label: str
    stage: str
    due: str
    owner: str | None
    statutory: bool


@dataclass(frozen=True)
class WeekPlan:
    placed: tuple[PlacedMilestone, ...]
    unplaced: tuple[UnplacedMilestone, ...]

    @property
    def last_week(self) -> int:
        return max((w for m in self.placed for w in m.weeks), default=0)

    @property
    def last_week_with_extensions(self) -> int:
        return max(
            (max(m.weeks) + m.extendable_by_weeks for m in self.placed if m.days),
            default=0,
        )


def _positions(rule: TimingRule, known: dict[str, tuple[int, ...]]) -> tuple[int, ...] | None:
    def single(ref: str) -> int | None:
        found = known.get(ref)
        return found[0] if found is not None and len(found) == 1 else None

    if isinstance(rule, CalendarDays):
        return None
    if isinstance(rule, EverySchoolWeeks):
        origin, until = single(rule.ref), single(rule.until)
        if origin is None or until is None:
            return None
        step = rule.every * DAYS_PER_WEEK
        return tuple(range(origin + step - 1, until + 1, step))
    origin = single(rule.ref)
    if origin is None:
        return None
    if isinstance(rule, SameDay):
        return (origin,)
    if isinstance(rule, SchoolDays):
        return (origin + rule.n if rule.direction == "after" else origin - rule.n,)
    if isinstance(rule, EndOfSchoolWeek):
        return (origin + rule.week * DAYS_PER_WEEK - 1,)
    if isinstance(rule, EndOfSchoolWeeks):
        return tuple(origin + w * DAYS_PER_WEEK - 1 for w in rule.weeks)
    return None


def week_plan(protocol: Protocol) -> WeekPlan:
    """Place every milestone that counts (directly or through others) from the first day."""
    known: dict[str, tuple[int, ...]] = {START: (1,)}
    by_key = {m.key: m for m in protocol.milestones}
    order = [by_key[k] for k in protocol.evaluation_order if k in by_key] or list(
        protocol.milestones
    )
    for milestone in order:
        positions = _positions(milestone.rule, known)
        if positions:
            known[milestone.key] = positions
    extension_weeks: dict[str, int] = {}
    for extension in protocol.extensions:
        extension_weeks[extension.extends] = max(
            extension_weeks.get(extension.extends, 0), extension.up_to_school_weeks or 0
        )
    placed: list[PlacedMilestone] = []
    unplaced: list[UnplacedMilestone] = []
    for milestone in protocol.milestones:
        if milestone.key in known:
            placed.append(
                _placed(milestone, known[milestone.key], extension_weeks.get(milestone.key, 0))
            )
        else:
            unplaced.append(
                UnplacedMilestone(
                    key=milestone.key,
                    label=milestone.label,
                    stage=milestone.stage,
                    due=milestone.due,
                    owner=milestone.owner,
                    statutory=milestone.statutory,
                )
            )
    placed.sort(key=lambda m: (min(m.days), m.key))
    return WeekPlan(placed=tuple(placed), unplaced=tuple(unplaced))


def _placed(milestone: Milestone, days: tuple[int, ...], extension: int) -> PlacedMilestone:
    return PlacedMilestone(
        key=milestone.key,
        label=milestone.label,
        stage=milestone.stage,
        due=milestone.due,
        owner=milestone.owner,
        statutory=milestone.statutory,
        days=days,
        extendable_by_weeks=extension,
    )


def trial_length(protocol: Protocol) -> tuple[int, int | None] | None:
    """(school weeks, most extra school weeks) of the off-site direction, if the protocol says;
    the extra weeks are None where an extension sets no maximum (a usual length).

    The trial ends at `protocol.trial_end`, worked out once with the trial's milestones.
    """
    if protocol.trial_end is None:
        return None
    plan = week_plan(protocol)
    candidates = [m for m in plan.placed if m.key == protocol.trial_end and len(m.days) == 1]
    if not candidates:
        return None
    end = candidates[0]
    if any(e.extends == end.key and e.up_to_school_weeks is None for e in protocol.extensions):
        return end.weeks[0], None
    return end.weeks[0], end.extendable_by_weeks
