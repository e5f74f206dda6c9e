"""compute_timeline against a straightforward reference implementation (hypothesis; no database).

protocols/core/timeline.py works out a plan per protocol and fills in its records without their
constructors, for speed (bench/timeline.py). `reference_timeline` below is the plain version it
replaced, rule by rule and milestone by milestone; every result, pending record, waiver, problem
and error must be the same.
"""

from collections.abc import Mapping
from dataclasses import replace
from datetime import date, timedelta
from graphlib import TopologicalSorter

from hypothesis import given, settings
from hypothesis import strategies as st

from protocols.bundled import bundled_calendars, bundled_protocols
from protocols.core.calendar import SchoolCalendar
from protocols.core.model import (
    EndRule,
    Event,
    Extension,
    Milestone,
    Outcome,
    Protocol,
    Requirement,
    Stage,
)
from protocols.core.problems import CalendarError
from protocols.core.rules import (
    CalendarDays,
    EndOfSchoolWeek,
    EndOfSchoolWeeks,
    EverySchoolWeeks,
    Lookback,
    SameDay,
    SchoolDays,
    TimingRule,
    parse_lookback,
    parse_requirement,
    parse_timing_rule,
    rule_refs,
)
from protocols.core.timeline import (
    DatedMilestone,
    PendingMilestone,
    Timeline,
    TimelineError,
    WaivedMilestone,
    compute_timeline,
)

# -- the reference: one milestone at a time, nothing precomputed ----------------------------------

# The reference's own idea of the trial (the core works it out from each protocol's milestones).
TRIAL_STAGES = frozenset({"off_site_direction", "review"})


def _dates_for(
    rule: TimingRule,
    *,
    calendar: SchoolCalendar,
    known: Mapping[str, date],
    extra_weeks: int,
    term_weeks: bool,
) -> list[date]:
    # A school week: a term week, or (week_counting: five_school_days) any 5 school days.
    week_end = calendar.end_of_term_week if term_weeks else calendar.end_of_school_week
    if isinstance(rule, SameDay):
        return [known[rule.ref]]
    if isinstance(rule, SchoolDays):
        if term_weeks and extra_weeks and rule.direction == "after":
            deadline = calendar.add_school_days(known[rule.ref], rule.n)
            return [week_end(deadline + timedelta(days=1), extra_weeks)]
        n = rule.n + 5 * extra_weeks
        return [calendar.add_school_days(known[rule.ref], n if rule.direction == "after" else -n)]
    if isinstance(rule, CalendarDays):
        delta = timedelta(days=rule.days)
        return [known[rule.ref] + delta if rule.direction == "after" else known[rule.ref] - delta]
    if isinstance(rule, EndOfSchoolWeek):
        return [week_end(known[rule.ref], rule.week + extra_weeks)]
    if isinstance(rule, EndOfSchoolWeeks):
        return [week_end(known[rule.ref], week) for week in rule.weeks]
    assert isinstance(rule, EverySchoolWeeks)
    until = known[rule.until]
    dates: list[date] = []
    week = rule.every
    while True:
        day = week_end(known[rule.ref], week)
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
    term_weeks: bool,
) -> date | None:
    reference = known[lookback.ref]
    if lookback.unit == "school days":
        window_start = calendar.add_school_days(reference, -lookback.amount)
    elif lookback.unit == "weeks" and term_weeks:
        window_start = calendar.term_weeks_before(reference, lookback.amount)
    else:
        window_start = reference - timedelta(
            days=lookback.amount * (7 if lookback.unit == "weeks" else 1)
        )
    # The latest occurrence in the window: the waiver names the most recent review.
    inside = [d for d in occurrences.get(lookback.milestone, []) if window_start <= d < reference]
    return max(inside) if inside else None


def _occurrence_label(milestone: Milestone, rule: TimingRule, index: int) -> str:
    if isinstance(rule, EndOfSchoolWeeks):
        return f"{milestone.label} (week {rule.weeks[index]})"
    if isinstance(rule, EverySchoolWeeks):
        return f"{milestone.label} {index + 1} (week {rule.every * (index + 1)})"
    return milestone.label


def reference_timeline(
    *,
    protocol: Protocol,
    calendar: SchoolCalendar,
    start: date,
    events: Mapping[str, date] | None = None,
    extensions: Mapping[str, int] | None = None,
    held: Mapping[str, list[date]] | None = None,
) -> Timeline:
    known: dict[str, date] = {"start": start}
    term_weeks = protocol.week_counting == "term_weeks"
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
        # No maximum (a usual length, e.g. "usually up to eight weeks"): any whole number of weeks.
        most = extension.up_to_school_weeks
        if weeks < 0 or (most is not None and weeks > most):
            raise TimelineError(
                f"{extension.label}: {weeks} school weeks is more than the {extension.up_to_school_weeks} allowed"
            )
        extra_weeks[extension.extends] = extra_weeks.get(extension.extends, 0) + weeks

    dated: list[tuple[date, int, DatedMilestone]] = []
    pending: list[PendingMilestone] = []
    waived: list[WaivedMilestone] = []
    occurrences: dict[str, list[date]] = {k: list(v) for k, v in (held or {}).items()}
    # An event counts on the dates it was recorded (its `held` dates and its date in `events`).
    for key in event_keys & set(known):
        occurrences.setdefault(key, []).append(known[key])
    position = {m.key: i for i, m in enumerate(protocol.milestones)}
    by_key = {m.key: m for m in protocol.milestones}
    for key in protocol.evaluation_order:
        milestone = by_key[key]
        rule = milestone.rule
        missing = [r for r in rule_refs(rule) if r not in known]
        if milestone.lookback and milestone.lookback.ref not in known:
            missing.append(milestone.lookback.ref)
        if missing:
            pending.append(
                PendingMilestone(key, milestone.label, milestone.due, waiting_for=missing[0])
            )
            continue
        days = _dates_for(
            rule,
            calendar=calendar,
            known=known,
            extra_weeks=extra_weeks.get(key, 0),
            term_weeks=term_weeks,
        )
        if milestone.lookback:
            recent = _waived(
                milestone.lookback,
                calendar=calendar,
                known=known,
                occurrences=occurrences,
                term_weeks=term_weeks,
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
        took_place = sorted((held or {}).get(key, []))
        occurrences[key] = took_place + [d for d in days if not took_place or d > took_place[-1]]
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
            break
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


# -- a protocol using every kind of rule, look-back and extension -----------------------------------

_MILESTONES = [
    # key, stage, due, unless
    ("notice", "agreement", "3 school days before start", None),
    ("letter", "off_site_direction", "10 calendar days after start", None),
    ("visit", "off_site_direction", "2 weeks before trial_end", None),
    ("trial_end", "off_site_direction", "end of school week 6 from start", None),
    ("review", "review", "end of school weeks 2, 4 and 6 from start", None),
    ("check_in", "review", "every 2 school weeks from start until trial_end", None),
    (
        "extra_review",
        "review",
        "on parent_review_request",
        "review within 15 school days before parent_review_request",
    ),
    (
        "catch_up",
        "off_site_direction",
        "on parent_review_request",
        "check_in within 20 calendar days before parent_review_request",
    ),
    (
        "follow_up",
        "off_site_direction",
        "on parent_review_request",
        "check_in within 3 weeks before parent_review_request",
    ),
    ("report", "outcome", "within 5 school days of outcome_decided", None),
    ("breakdown_letter", "off_site_direction", "same day as breakdown_decided", None),
    ("plan_meeting", "off_site_direction", "2 school days after breakdown_letter", None),
]


def _every_rule_protocol() -> Protocol:
    milestones = tuple(
        Milestone(
            key=key,
            label=key.replace("_", " ").capitalize(),
            stage=stage,
            due=due,
            rule=parse_timing_rule(due),
            unless=unless,
            lookback=parse_lookback(unless) if unless else None,
            owner="home_school" if index % 2 else None,
            statutory=index % 3 == 0,
        )
        for index, (key, stage, due, unless) in enumerate(_MILESTONES)
    )
    keys = {m.key for m in milestones}
    graph = {m.key: {r for r in rule_refs(m.rule) if r in keys and r != m.key} for m in milestones}
    return Protocol(
        council="test",
        slug="every-rule",
        version=1,
        title="Every rule",
        effective_from=date(2024, 1, 1),
        sources=(),
        stages=tuple(
            Stage(key, key)
            for key in ("agreement", "off_site_direction", "review", "outcome", "breakdown")
        ),
        milestones=milestones,
        outcomes=(Outcome("back", "Back to the home school"),),
        events=tuple(
            Event(key, key)
            for key in (
                "start",
                "parent_review_request",
                "outcome_decided",
                "breakdown_decided",
                "trial_ended_early",
            )
        ),
        extensions=(
            Extension("trial_extension", "Extension", "trial_end", 4, ("parent",)),
            Extension("second_extension", "Second extension", "trial_end", 2, ("parent",)),
            Extension("report_extension", "Late report", "report", 3, ("parent",)),
        ),
        end_rules=(
            EndRule(
                "breakdown",
                "Breakdown",
                "ends_trial",
                event="breakdown_decided",
                follow_ups=("breakdown_letter", "plan_meeting"),
            ),
            EndRule("early", "Ended early", "ends_trial", event="trial_ended_early"),
            EndRule("extended", "Extended", "extends_trial", extension="trial_extension"),
        ),
        requirements=tuple(
            Requirement(text, text, parse_requirement(text))
            for text in ("at least 3 review before trial_end", "at least 2 check_in before report")
        ),
        evaluation_order=tuple(TopologicalSorter(graph).static_order()),
    )


PROTOCOLS = (
    *bundled_protocols(),
    _every_rule_protocol(),
    # The same rules with today's five-school-day weeks.
    replace(_every_rule_protocol(), slug="every-rule-five-days", week_counting="five_school_days"),
)


# -- strategies -------------------------------------------------------------------------------------


@st.composite
def questions(draw: st.DrawFn) -> dict[str, object]:
    """A protocol, a calendar, a start (sometimes outside the calendar), events, extensions, held."""
    protocol = draw(st.sampled_from(PROTOCOLS))
    calendar = draw(st.sampled_from(bundled_calendars()))
    span = (calendar.last_day - calendar.first_day).days
    start = calendar.first_day + timedelta(days=draw(st.integers(-15, span + 15)))
    events: dict[str, date] = {}
    for event in protocol.events:
        if event.key != "start" and draw(st.booleans()):
            events[event.key] = start + timedelta(days=draw(st.integers(-20, 200)))
    if draw(st.integers(0, 30)) == 0:
        events["no_such_event"] = start
    extensions: dict[str, int] = {}
    for extension in protocol.extensions:
        if draw(st.booleans()):
            most = extension.up_to_school_weeks if extension.up_to_school_weeks is not None else 10
            extensions[extension.key] = draw(st.integers(-1, most + 1))
    if draw(st.integers(0, 30)) == 0:
        extensions["no_such_extension"] = 1
    held: dict[str, list[date]] | None = None
    if draw(st.booleans()):
        held = {}
        for milestone in protocol.milestones:
            if draw(st.integers(0, 3)) == 0:
                offsets = draw(st.lists(st.integers(-10, 150), max_size=4))
                held[milestone.key] = sorted(start + timedelta(days=o) for o in offsets)
    return {
        "protocol": protocol,
        "calendar": calendar,
        "start": start,
        "events": events,
        "extensions": extensions,
        "held": held,
    }


def answer(compute: object, question: dict[str, object]) -> tuple[object, ...]:
    """The timeline, or the error's type and message (a wrong message is a different answer)."""
    assert callable(compute)
    try:
        timeline = compute(**question)
    except (TimelineError, CalendarError, KeyError) as error:
        return ("error", type(error), str(error))
    assert isinstance(timeline, Timeline)
    return ("timeline", timeline, repr(timeline))


# -- properties -------------------------------------------------------------------------------------


@settings(max_examples=400)
@given(questions())
def test_compute_timeline_gives_the_reference_answer(question: dict[str, object]) -> None:
    assert answer(compute_timeline, question) == answer(reference_timeline, question)


def test_every_start_day_of_every_bundled_protocol_and_calendar() -> None:
    for protocol in PROTOCOLS:
        for calendar in bundled_calendars():
            day = calendar.first_day
            while day <= calendar.last_day:
                question: dict[str, object] = {
                    "protocol": protocol,
                    "calendar": calendar,
                    "start": day,
                    "events": {"outcome_decided": day + timedelta(days=75)},
                }
                assert answer(compute_timeline, question) == answer(reference_timeline, question)
                day += timedelta(days=3)


def test_a_changed_copy_of_a_protocol_gets_its_own_plan() -> None:
    protocol = _every_rule_protocol()
    calendar = next(c for c in bundled_calendars() if c.slug == "norfolk")
    first = compute_timeline(protocol=protocol, calendar=calendar, start=date(2024, 10, 7))
    longer = replace(
        protocol,
        milestones=tuple(
            replace(m, due="end of school week 8 from start", rule=EndOfSchoolWeek(8, "start"))
            if m.key == "trial_end"
            else m
            for m in protocol.milestones
        ),
    )
    second = compute_timeline(protocol=longer, calendar=calendar, start=date(2024, 10, 7))
    assert second == reference_timeline(protocol=longer, calendar=calendar, start=date(2024, 10, 7))
    assert second.due("trial_end") > first.due("trial_end")
    assert compute_timeline(protocol=protocol, calendar=calendar, start=date(2024, 10, 7)) == first


def test_the_earlier_of_two_ending_events_ends_the_trial() -> None:
    protocol = _every_rule_protocol()
    calendar = next(c for c in bundled_calendars() if c.slug == "norfolk")
    for breakdown, early in ((20, 30), (30, 20), (25, 25)):
        question: dict[str, object] = {
            "protocol": protocol,
            "calendar": calendar,
            "start": date(2024, 10, 7),
            "events": {
                "breakdown_decided": date(2024, 10, 7) + timedelta(days=breakdown),
                "trial_ended_early": date(2024, 10, 7) + timedelta(days=early),
            },
        }
        got = answer(compute_timeline, question)
        assert got == answer(reference_timeline, question)
        assert got[0] == "timeline"
        timeline = got[1]
        assert isinstance(timeline, Timeline)
        ended = date(2024, 10, 7) + timedelta(days=min(breakdown, early))
        assert f"the trial ended early on {ended.isoformat()}" in {
            w.reason for w in timeline.waived
        }
