"""A case's timeline: its facts, each milestone's date and status on the school calendar, and where
the two schools' calendars differ."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from protocols.core.calendar import SchoolCalendar
from protocols.core.model import Protocol
from protocols.core.problems import CalendarError
from protocols.core.timeline import (
    PendingMilestone,
    TimelineError,
    WaivedMilestone,
    compute_timeline,
)
from protocols.core.words import rule_in_words, waived_in_words
from protocols.models import SchoolClosure
from protocols.selectors import calendar_for_school, council_calendar_of, with_school_closures
from tenants.models import School

from .. import contract
from ..models import (
    Case,
)

ATTENDANCE_FORM = contract.WEEKLY_ATTENDANCE.key


class Status:
    DONE = "done"
    DUE = "due"
    OVERDUE = "overdue"
    NOT_NEEDED = "not_needed"


@dataclass(frozen=True)
class MilestoneStatus:
    key: str
    milestone: str
    label: str
    due: date
    status: str
    rule: str
    stage: str
    owner: str | None
    form: str | None
    occurrence: int | None
    statutory: bool
    done_on: date | None = None
    # Which calendar the date was counted on (a move between two calendars: the receiving
    # school's for what happens there).
    calendar_title: str = ""
    at_receiving: bool = False

    @property
    def is_open(self) -> bool:
        return self.status in (Status.DUE, Status.OVERDUE)


@dataclass(frozen=True)
class CaseTimeline:
    milestones: tuple[MilestoneStatus, ...] = ()
    pending: tuple[PendingMilestone, ...] = ()
    waived: tuple[WaivedMilestone, ...] = ()
    problems: tuple[str, ...] = ()
    calendar_title: str = ""
    provisional: bool = False
    provisional_reason: str = ""
    dated: bool = False
    # Set when the receiving school keeps another council's calendar: its milestones count on it.
    receiving_calendar_title: str = ""
    # That calendar is a stand-in (the home school's, marked provisional) or itself provisional.
    receiving_provisional: bool = False
    receiving_provisional_reason: str = ""

    @property
    def next(self) -> MilestoneStatus | None:
        return next((m for m in self.milestones if m.is_open), None)

    @property
    def overdue(self) -> tuple[MilestoneStatus, ...]:
        return tuple(m for m in self.milestones if m.status == Status.OVERDUE)


@dataclass
class CaseFacts:
    """What has happened on a case, as the timeline needs it (loaded in a handful of queries)."""

    events: dict[str, date] = field(default_factory=dict)
    extensions: dict[str, int] = field(default_factory=dict)
    held: dict[str, list[date]] = field(default_factory=dict)
    # form key -> {occurrence: submitted date}
    submitted: dict[str, dict[int, date]] = field(default_factory=dict)
    done: dict[str, date] = field(default_factory=dict)
    ended_on: date | None = None
    # Mondays of the weeks whose attendance the receiving school has recorded.
    attendance_weeks: dict[date, date] = field(default_factory=dict)


def case_facts(*, case: Case, protocol: Protocol) -> CaseFacts:
    facts = CaseFacts()
    for event in case.events.all():
        if event.event_key != contract.START.key:
            facts.events[event.event_key] = event.date
    for extension in case.extensions.all():
        facts.extensions[extension.extension_key] = (
            facts.extensions.get(extension.extension_key, 0) + extension.school_weeks
        )
    repeating_forms = {
        m.form: m.key for m in protocol.milestones if m.form and _is_repeating(protocol, m.key)
    }
    for submission in case.submissions.all():
        if submission.submitted_at is None:
            continue
        answered = _answer_date(submission.answers) or timezone.localdate(submission.submitted_at)
        facts.submitted.setdefault(submission.form_key, {})[submission.occurrence] = answered
        milestone_key = repeating_forms.get(submission.form_key)
        if milestone_key:
            facts.held.setdefault(milestone_key, []).append(answered)
    for week in case.attendance_weeks.all():
        facts.attendance_weeks[week.week_beginning] = timezone.localdate(week.recorded_at)
    for done in case.milestones_done.all():
        facts.done[done.milestone_key] = done.done_on
    held_reviews = _reviews_held(case=case, protocol=protocol, facts=facts)
    if held_reviews:
        facts.held[contract.REVIEW_HELD.key] = held_reviews
    early = getattr(case, "early_end", None) if _has_related(case, "early_end") else None
    outcome = getattr(case, "outcome", None) if _has_related(case, "outcome") else None
    ends = [d for d in (early and early.decided_on, outcome and outcome.decided_on) if d]
    facts.ended_on = min(ends) if ends else None
    for dates in facts.held.values():
        dates.sort()
    return facts


def _reviews_held(*, case: Case, protocol: Protocol, facts: CaseFacts) -> list[date]:
    """The days review meetings took place, which alone waive a requested review (SI 2010/1156
    reg 4A(4): a review only scheduled does not count): the review form's "date of the review",
    a review milestone marked done (a scheduled review, or a requested one, such as a parent's),
    and the event `review_held` recorded on its own. Empty when the protocol has no such event."""
    if not any(e.key == contract.REVIEW_HELD.key for e in protocol.events):
        return []
    review_milestones = {
        m.key
        for m in protocol.milestones
        if m.form == contract.REVIEW.key
        or (m.lookback is not None and m.lookback.milestone == contract.REVIEW_HELD.key)
    }
    days = set(facts.submitted.get(contract.REVIEW.key, {}).values())
    for key, day in facts.done.items():
        if key.split(".", 1)[0] in review_milestones:
            days.add(day)
    if contract.REVIEW_HELD.key in facts.events:
        days.add(facts.events[contract.REVIEW_HELD.key])
    return sorted(days)


def _has_related(case: Case, name: str) -> bool:
    try:
        getattr(case, name)
    except Exception:  # RelatedObjectDoesNotExist subclasses ObjectDoesNotExist
        return False
    return True


def _answer_date(answers: dict[str, object]) -> date | None:
    # The date the thing happened, where the form asks for it (review held on, week beginning).
    for need in contract.ANSWER_DATES:
        value = answers.get(need.key)
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                return None
    return None


def _is_repeating(protocol: Protocol, milestone_key: str) -> bool:
    from protocols.core.rules import is_repeating

    return is_repeating(protocol.milestone(milestone_key).rule)


def timeline_compute(
    *,
    protocol: Protocol,
    calendar: SchoolCalendar,
    start: date | None,
    facts: CaseFacts,
    today: date,
    receiving_calendar: SchoolCalendar | None = None,
) -> CaseTimeline:
    """Pure: the protocol's milestones dated on the calendar, each done, due, overdue or not needed.
    With `receiving_calendar`, what happens at the receiving school counts on its calendar."""
    base = {
        "calendar_title": calendar.title,
        # The home calendar's; the receiving school's is said apart (receiving_provisional).
        "provisional": calendar.provisional,
        "provisional_reason": calendar.provisional_reason or "",
        "receiving_calendar_title": receiving_calendar.title if receiving_calendar else "",
        "receiving_provisional": bool(receiving_calendar and receiving_calendar.provisional),
        "receiving_provisional_reason": (
            (receiving_calendar.provisional_reason or "") if receiving_calendar else ""
        ),
    }
    if start is None:
        return CaseTimeline(**base)  # type: ignore[arg-type]
    try:
        timeline = compute_timeline(
            protocol=protocol,
            calendar=calendar,
            start=start,
            events=facts.events,
            extensions=facts.extensions,
            held=facts.held,
            receiving_calendar=receiving_calendar,
        )
    except (CalendarError, TimelineError) as error:
        return CaseTimeline(problems=(str(error),), **base)  # type: ignore[arg-type]
    schedule = protocol.trial_milestones  # worked out once, as the timeline waives them
    forms = {m.key: m.form for m in protocol.milestones}

    def done_on_for(milestone: str, key: str, due: date, occurrence: int | None) -> date | None:
        form = forms.get(milestone)
        done_on = facts.done.get(key)
        if done_on is None and form == ATTENDANCE_FORM:
            monday = due - timedelta(days=due.weekday())
            done_on = facts.attendance_weeks.get(monday)
        if done_on is None and form:
            by_occurrence = facts.submitted.get(form, {})
            if occurrence is None:
                done_on = min(by_occurrence.values()) if by_occurrence else None
            else:
                done_on = by_occurrence.get(occurrence)
        return done_on

    words: dict[str, str] = {}

    def rule_words(milestone: str, rule: str) -> str:
        if milestone not in words:
            words[milestone] = rule_in_words(protocol, rule)
        return words[milestone]

    statuses: list[MilestoneStatus] = []
    for dated in timeline.milestones:
        form = forms.get(dated.milestone)
        at_receiving = receiving_calendar is not None and dated.calendar == receiving_calendar.slug
        done_on = done_on_for(dated.milestone, dated.key, dated.due, dated.occurrence)
        if done_on is not None:
            status = Status.DONE
        elif facts.ended_on is not None and dated.milestone in schedule:
            # The trial is over: what it left undone with a form stays overdue; the rest is moot.
            if dated.due > facts.ended_on:
                status = Status.NOT_NEEDED
            elif form:
                status = Status.OVERDUE if dated.due < today else Status.DUE
            else:
                status, done_on = Status.DONE, dated.due
        else:
            status = Status.OVERDUE if dated.due < today else Status.DUE
        statuses.append(
            MilestoneStatus(
                key=dated.key,
                milestone=dated.milestone,
                label=dated.label,
                due=dated.due,
                status=status,
                rule=rule_words(dated.milestone, dated.rule),
                stage=dated.stage,
                owner=dated.owner,
                form=form,
                occurrence=dated.occurrence,
                statutory=dated.statutory,
                done_on=done_on,
                at_receiving=at_receiving,
                calendar_title=receiving_calendar.title  # type: ignore[union-attr]
                if at_receiving
                else calendar.title,
            )
        )
    # What an early end took off the timeline but was done anyway (a review held, a week's
    # attendance recorded before the end was decided) stays on it as done: only what was never
    # due is "not needed".
    waived: list[WaivedMilestone] = []
    for item in timeline.waived:
        # Only an early end keeps what was done as done; a look-back (a review held in the 10
        # weeks before a request) says why the step is not due.
        done_on = (
            done_on_for(item.milestone, item.key, item.due, item.occurrence)
            if item.by_early_end and item.due is not None and item.milestone
            else None
        )
        if done_on is not None and item.due is not None:
            milestone = protocol.milestone(item.milestone)
            statuses.append(
                MilestoneStatus(
                    key=item.key,
                    milestone=item.milestone,
                    label=item.label,
                    due=item.due,
                    status=Status.DONE,
                    rule=rule_words(item.milestone, milestone.due),
                    stage=milestone.stage,
                    owner=milestone.owner,
                    form=milestone.form,
                    occurrence=item.occurrence,
                    statutory=milestone.statutory,
                    done_on=done_on,
                )
            )
            continue
        reason = (
            waived_in_words(protocol, because=item.because, on=item.on)
            if item.on is not None
            else item.reason
        )
        waived.append(replace(item, reason=reason))
    statuses.sort(key=lambda m: m.due)  # stable: the protocol's order within a day
    pending = tuple(
        replace(p, rule=rule_words(p.key, protocol.milestone(p.key).due)) for p in timeline.pending
    )
    return CaseTimeline(
        milestones=tuple(statuses),
        pending=pending,
        waived=tuple(waived),
        problems=timeline.problems,
        dated=True,
        **base,  # type: ignore[arg-type]
    )


def case_calendar(*, case: Case) -> SchoolCalendar:
    """The home school's calendar (with its INSET days): the pupil stays on its roll."""
    return school_calendar(case=case, school=case.home_school)


# Set on a case by a page that reads its calendars several times (the case page: timeline,
# attendance weeks, calendar differences), so each school's is looked up once per request, with
# what they are read from (both schools' closures; a council not on Fairway's record).
CALENDAR_MEMO = "_fairway_calendars"
_CLOSURES = "closures"  # in the memo: both schools' closures, read together the first time


def school_calendar(*, case: Case, school: School) -> SchoolCalendar:
    """`calendar_for_school`, remembered on `case` when the page asked for it (CALENDAR_MEMO);
    a school with no calendar raises the same error each time."""
    memo: dict[str, Any] | None = getattr(case, CALENDAR_MEMO, None)
    if memo is None:
        return calendar_for_school(school=school)
    key = f"school:{school.pk}"
    if key not in memo:
        # Both schools of a move inside one council share its calendar: it is read once.
        council_key = f"council:{school.council_id}"
        try:
            council = memo.get(council_key)
            if not isinstance(council, SchoolCalendar):
                council = memo[council_key] = council_calendar_of(school=school)
            memo[key] = with_school_closures(
                calendar=council, school=school, rows=_case_closures(case, memo).get(school.pk)
            )
        except Exception as error:  # no calendar for the council: raised again to each caller
            memo[key] = error
    found: SchoolCalendar | Exception = memo[key]
    if isinstance(found, Exception):
        raise found
    return found


def _case_closures(case: Case, memo: dict[str, Any]) -> dict[int, list[SchoolClosure]]:
    """The home and receiving schools' own closures, in one query; a school of neither is not in
    it (its caller reads its own)."""
    if _CLOSURES not in memo:
        schools = {case.home_school_id, case.receiving_school_id} - {None}
        found: dict[int, list[SchoolClosure]] = {pk: [] for pk in schools if pk is not None}
        for closure in SchoolClosure.objects.filter(school_id__in=found):
            found[closure.school_id].append(closure)
        memo[_CLOSURES] = found
    closures: dict[int, list[SchoolClosure]] = memo[_CLOSURES]
    return closures


def case_timeline(*, case: Case, today: date | None = None) -> CaseTimeline:
    protocol = case.protocol_version.load()
    try:
        calendar = case_calendar(case=case)
    except Exception as error:  # no calendar published for the council yet
        return CaseTimeline(problems=(str(error),))
    return timeline_compute(
        protocol=protocol,
        calendar=calendar,
        start=case.start_date,
        facts=case_facts(case=case, protocol=protocol),
        today=today or timezone.localdate(),
        receiving_calendar=receiving_calendar(case=case, home=calendar),
    )


def receiving_calendar(*, case: Case, home: SchoolCalendar) -> SchoolCalendar | None:
    """The receiving school's calendar when it is another council's (a cross-authority move, or
    a school of a council not on Fairway): what happens at the receiving school counts on it.
    None for a move inside one council. For a council not on Fairway it is the calendar the home
    council's officer chose (`other_council.receiving_school_calendar`); without one, and without
    that council's calendar in Fairway, the home school's marked provisional."""
    from .other_council import receiving_school_calendar

    theirs, _source = receiving_school_calendar(case=case, home=home)
    return None if theirs is None or theirs.slug == home.slug else theirs


@dataclass(frozen=True)
class CalendarDifference:
    day: date
    open_at: School
    closed_at: School
    why: str  # why the closed school is closed: a closure's name, "bank holiday", "school holiday"


@dataclass(frozen=True)
class CalendarDifferences:
    days: tuple[CalendarDifference, ...]  # the first few
    count: int  # all of them in the period
    receiving_unknown: bool = False  # the receiving school's council has no calendar in Fairway


def calendar_differences(
    *, case: Case, timeline: CaseTimeline, shown: int = 10
) -> CalendarDifferences:
    """Weekdays, between the timeline's first and last dates, when one of the two schools is open
    and the other is not. Deadlines count the home school's days (the pupil stays on its roll),
    but the pupil attends the receiving school, whose council's term dates and own INSET days
    may differ: staff need to see where."""
    none = CalendarDifferences(days=(), count=0)
    if case.receiving_school is None or not timeline.milestones:
        return none
    try:
        home = case_calendar(case=case)
    except Exception:  # no calendar for the home council: the timeline says so already
        return none
    from .other_council import receiving_school_calendar

    receiving, source = receiving_school_calendar(case=case, home=home)
    if receiving is None:  # a school of the home council, with its own INSET days
        receiving = school_calendar(case=case, school=case.receiving_school)
    elif source == "stand_in":
        # No calendar for its council and none chosen: the page says to check its own.
        return CalendarDifferences(days=(), count=0, receiving_unknown=True)
    first = max(min(m.due for m in timeline.milestones), home.first_day, receiving.first_day)
    last = min(max(m.due for m in timeline.milestones), home.last_day, receiving.last_day)
    days: list[CalendarDifference] = []
    count = 0
    day = first
    while day <= last:
        if day.weekday() < 5 and home.is_school_day(day) != receiving.is_school_day(day):
            count += 1
            if len(days) < shown:
                open_at, closed_at, calendar = (
                    (case.home_school, case.receiving_school, receiving)
                    if home.is_school_day(day)
                    else (case.receiving_school, case.home_school, home)
                )
                days.append(
                    CalendarDifference(
                        day=day,
                        open_at=open_at,
                        closed_at=closed_at,
                        why=calendar.closure_on(day) or "",
                    )
                )
        day += timedelta(days=1)
    return CalendarDifferences(days=tuple(days), count=count)


def cases_with_deadlines(*, cases: Iterable[Case]) -> list[tuple[Case, CaseTimeline]]:
    return [(case, case_timeline(case=case)) for case in cases]
