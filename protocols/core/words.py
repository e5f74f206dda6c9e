"""Timing rules in plain words, for the public guidance and the staff timeline alike.

"every 1 school weeks from start until trial_end" reads "every week until the end of the
trial"; "5 school days after outcome_decided" reads "5 school days after the decision on the
outcome". Keys become words: the shared events (legal floor) have set phrases, the milestone the
trial ends at is "the end of the trial", and anything else is named by its label in quotes.
"""

from __future__ import annotations

from datetime import date

from .model import Protocol
from .rules import (
    CalendarDays,
    EndOfSchoolWeek,
    EndOfSchoolWeeks,
    EverySchoolWeeks,
    Lookback,
    SameDay,
    SchoolDays,
    TimingRule,
    parse_lookback,
    parse_timing_rule,
)
from .timeline import waived_by_early_end

# The legal floor's shared events: every protocol has them, so they can read naturally.
_EVENT_PHRASES = {
    "start": "the first day at the receiving school",
    "referral": "the referral",
    "outcome_decided": "the decision on the outcome",
    "parent_review_request": "the parent's written request for a review",
    "trial_ended_early": "the early end",
}


def day_in_words(day: date) -> str:
    """A date as staff and the public read it: "Fri 22 May 2026"."""
    return f"{day.strftime('%a')} {day.day} {day.strftime('%b %Y')}"


def ref_in_words(protocol: Protocol, key: str) -> str:
    """What a rule counts from, as a noun phrase."""
    if key in _EVENT_PHRASES:
        return _EVENT_PHRASES[key]
    if key == protocol.trial_end or key == "trial_end":
        return "the end of the trial"
    for event in protocol.events:
        if event.key == key:
            return f"\u201c{event.label}\u201d"
    for milestone in protocol.milestones:
        if milestone.key == key:
            return f"\u201c{milestone.label}\u201d"
    return key.replace("_", " ")


def role_in_sentence(protocol: Protocol, key: str) -> str:
    """A role as it reads inside a sentence: "the receiving school"; an acronym ("SEIP") keeps
    its case."""
    label = next((r.label for r in protocol.roles if r.key == key), key.replace("_", " "))
    if len(label) > 1 and label[1].islower():
        label = label[0].lower() + label[1:]
    return f"the {label}"


def who_in_words(protocol: Protocol, key: str) -> str:
    """Whose step a milestone is: the owner's role, and where it is held when that differs
    ("Home school (held at the receiving school)": reg 4 makes a review the home school board's
    duty wherever the meeting is)."""
    milestone = next((m for m in protocol.milestones if m.key == key), None)
    if milestone is None or not milestone.owner:
        return ""
    who = next(
        (r.label for r in protocol.roles if r.key == milestone.owner),
        milestone.owner.replace("_", " "),
    )
    if milestone.held_at and milestone.held_at != milestone.owner:
        who += f" (held at {role_in_sentence(protocol, milestone.held_at)})"
    return who


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def rule_in_words(protocol: Protocol, due: str) -> str:
    """A milestone's timing rule (its `due` text) in plain words; unreadable text is returned as it
    is (the loader has already refused it for a stored protocol)."""
    try:
        rule: TimingRule = parse_timing_rule(due)
    except ValueError:
        return due
    ref = ref_in_words(protocol, rule.ref)
    from_start = rule.ref == "start"
    if isinstance(rule, SameDay):
        return f"on {ref}" if from_start else f"on the day of {ref}"
    if isinstance(rule, SchoolDays):
        days = _plural(rule.n, "school day", "school days")
        if " ".join(due.split()).startswith("within"):
            return f"within {days} of {ref}"
        return f"{days} {rule.direction} {ref}"
    if isinstance(rule, CalendarDays):
        if rule.days % 7 == 0 and "week" in due:
            return f"{_plural(rule.days // 7, 'week', 'weeks')} {rule.direction} {ref}"
        return f"{_plural(rule.days, 'day', 'days')} {rule.direction} {ref}"
    if isinstance(rule, EndOfSchoolWeek):
        if from_start:
            return f"at the end of school week {rule.week}"
        return f"at the end of school week {rule.week} from {ref}"
    if isinstance(rule, EndOfSchoolWeeks):
        weeks = _join([str(w) for w in rule.weeks])
        if from_start:
            return f"at the end of school weeks {weeks}"
        return f"at the end of school weeks {weeks} from {ref}"
    assert isinstance(rule, EverySchoolWeeks)
    every = "every week" if rule.every == 1 else f"every {rule.every} school weeks"
    until = ref_in_words(protocol, rule.until)
    if from_start:
        return f"{every} until {until}"
    return f"{every} from {ref} until {until}"


def lookback_in_words(protocol: Protocol, unless: str) -> str:
    """An `unless:` look-back in plain words: "not needed if a review meeting was held in the 10
    weeks before the parent's written request for a review"."""
    try:
        lookback: Lookback = parse_lookback(unless)
    except ValueError:
        return unless
    label = ref_in_words(protocol, lookback.milestone).strip("\u201c\u201d")
    span = _plural(lookback.amount, lookback.unit.rstrip("s"), lookback.unit)
    if lookback.unit == "weeks":
        span = _plural(lookback.amount, "week", "weeks")
    return (
        f"not needed if a {label[:1].lower() + label[1:]} was held in the {span} before "
        f"{ref_in_words(protocol, lookback.ref)}"
    )


def waived_in_words(protocol: Protocol, *, because: str, on: date) -> str:
    """Why a milestone no longer falls due: the trial ended early on a day, or the milestone a
    look-back names took place on a day."""
    if waived_by_early_end(because):
        return f"the trial ended early on {day_in_words(on)}"
    label = ref_in_words(protocol, because).strip("\u201c\u201d")
    # An event may say it already ("Review meeting held"); a milestone does not ("Review meeting").
    held = "on" if label.lower().endswith(" held") else "held on"
    return f"{label[:1].upper() + label[1:]} {held} {day_in_words(on)}"
