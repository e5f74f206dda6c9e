"""The timing-rule language: readable sentences a council officer can check against a protocol.

Every rule names what it counts from (a milestone or an event, by key) and how:

    on <ref>                                    the same date as <ref>
    same day as <ref>                           likewise
    <N> school days after <ref>                 the Nth school day strictly after <ref>
    <N> school days before <ref>                the Nth school day strictly before <ref>
    within <N> school days of <ref>             a deadline: the Nth school day after <ref>
    <N> calendar days after|before <ref>        plain days, holidays included
    <N> weeks after|before <ref>                calendar weeks (7 days each)
    end of school week <N> from <ref>           the end of term week N counting <ref>'s week as 1
    end of school weeks <N>, <N> and <N> from <ref>   one occurrence at each listed week
    every <N> school weeks from <ref> until <ref>     at weeks N, 2N, 3N... up to and including <ref>

A school week is a term week (calendar.py: a Monday-to-Friday week with at least one school day;
"end of school week N" from a Monday is the last school day of term week N), unless the protocol
says `week_counting: five_school_days`: then it is any 5 school days, and the end of school week N
is the (5N)th school day counting <ref> as day 1. Extensions by N school weeks and look-backs in
weeks count the same way (with five_school_days a look-back week is 7 calendar days).

A milestone may be waived by a look-back rule, and a protocol may require a count:

    <milestone> within <N> weeks|calendar days|school days before <ref>   (an `unless:`)
    at least <K> <milestone> before <ref>                                  (a `requirements:` entry)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Direction = Literal["after", "before"]
LookbackUnit = Literal["weeks", "calendar days", "school days"]

_KEY = r"[a-z][a-z0-9_]*"


@dataclass(frozen=True)
class SameDay:
    ref: str


@dataclass(frozen=True)
class SchoolDays:
    n: int
    direction: Direction
    ref: str


@dataclass(frozen=True)
class CalendarDays:
    days: int
    direction: Direction
    ref: str


@dataclass(frozen=True)
class EndOfSchoolWeek:
    week: int
    ref: str


@dataclass(frozen=True)
class EndOfSchoolWeeks:
    """A repeating milestone at listed school weeks (Southwark: reviews at weeks 4, 8 and 12)."""

    weeks: tuple[int, ...]
    ref: str


@dataclass(frozen=True)
class EverySchoolWeeks:
    """A repeating milestone every N school weeks from `ref` up to and including `until`."""

    every: int
    ref: str
    until: str


TimingRule = (
    SameDay | SchoolDays | CalendarDays | EndOfSchoolWeek | EndOfSchoolWeeks | EverySchoolWeeks
)


@dataclass(frozen=True)
class Lookback:
    """`<milestone> within <N> <unit> before <ref>`: true when an occurrence falls in that window."""

    milestone: str
    amount: int
    unit: LookbackUnit
    ref: str


@dataclass(frozen=True)
class AtLeast:
    """`at least <K> <milestone> before <ref>`."""

    count: int
    milestone: str
    ref: str


class RuleSyntaxError(ValueError):
    pass


def _n(text: str) -> int:
    return int(text)


_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"^(?:on|same day as) ({_KEY})$"), "same"),
    (re.compile(rf"^(\d+) school days? (after|before) ({_KEY})$"), "school"),
    (re.compile(rf"^within (\d+) school days? of ({_KEY})$"), "within"),
    (re.compile(rf"^(\d+) calendar days? (after|before) ({_KEY})$"), "calendar"),
    (re.compile(rf"^(\d+) weeks? (after|before) ({_KEY})$"), "weeks"),
    (re.compile(rf"^end of school week (\d+) from ({_KEY})$"), "end"),
    (re.compile(rf"^end of school weeks ((?:\d+, )*\d+ and \d+) from ({_KEY})$"), "ends"),
    (re.compile(rf"^every (\d+) school weeks? from ({_KEY}) until ({_KEY})$"), "every"),
]

TIMING_RULE_FORMS = (
    "on <ref>",
    "same day as <ref>",
    "<N> school days after <ref>",
    "<N> school days before <ref>",
    "within <N> school days of <ref>",
    "<N> calendar days after <ref>",
    "<N> weeks after <ref>",
    "end of school week <N> from <ref>",
    "end of school weeks <N>, <N> and <N> from <ref>",
    "every <N> school weeks from <ref> until <ref>",
)


def parse_timing_rule(text: str) -> TimingRule:
    """Parse a rule; RuleSyntaxError says which forms are understood."""
    sentence = " ".join(text.split())
    for pattern, kind in _PATTERNS:
        match = pattern.match(sentence)
        if not match:
            continue
        groups = match.groups()
        if kind == "same":
            return SameDay(groups[0])
        if kind == "school":
            return SchoolDays(_positive(groups[0]), _direction(groups[1]), groups[2])
        if kind == "within":
            return SchoolDays(_positive(groups[0]), "after", groups[1])
        if kind == "calendar":
            return CalendarDays(_positive(groups[0]), _direction(groups[1]), groups[2])
        if kind == "weeks":
            return CalendarDays(7 * _positive(groups[0]), _direction(groups[1]), groups[2])
        if kind == "end":
            return EndOfSchoolWeek(_positive(groups[0]), groups[1])
        if kind == "ends":
            weeks = tuple(_positive(w) for w in re.split(r", | and ", groups[0]))
            if list(weeks) != sorted(set(weeks)):
                raise RuleSyntaxError(f"the weeks in {text!r} must be different and in order")
            return EndOfSchoolWeeks(weeks, groups[1])
        return EverySchoolWeeks(_positive(groups[0]), groups[1], groups[2])
    raise RuleSyntaxError(
        f"cannot read the timing rule {text!r}; write one of: " + "; ".join(TIMING_RULE_FORMS)
    )


_LOOKBACK = re.compile(
    rf"^({_KEY}) within (\d+) (weeks?|calendar days?|school days?) before ({_KEY})$"
)
_AT_LEAST = re.compile(rf"^at least (\d+) ({_KEY}) before ({_KEY})$")


def parse_lookback(text: str) -> Lookback:
    match = _LOOKBACK.match(" ".join(text.split()))
    if not match:
        raise RuleSyntaxError(
            f"cannot read {text!r}; write '<milestone> within <N> weeks before <ref>' "
            "(or calendar days, or school days)"
        )
    milestone, amount, unit, ref = match.groups()
    unit_name: LookbackUnit
    if unit.startswith("week"):
        unit_name = "weeks"
    elif unit.startswith("calendar"):
        unit_name = "calendar days"
    else:
        unit_name = "school days"
    return Lookback(milestone, _positive(amount), unit_name, ref)


def parse_requirement(text: str) -> AtLeast:
    match = _AT_LEAST.match(" ".join(text.split()))
    if not match:
        raise RuleSyntaxError(
            f"cannot read {text!r}; write 'at least <K> <milestone> before <ref>'"
        )
    count, milestone, ref = match.groups()
    return AtLeast(_positive(count), milestone, ref)


def rule_refs(rule: TimingRule) -> tuple[str, ...]:
    """The milestones or events a rule counts from."""
    if isinstance(rule, EverySchoolWeeks):
        return (rule.ref, rule.until)
    return (rule.ref,)


def is_repeating(rule: TimingRule) -> bool:
    return isinstance(rule, EndOfSchoolWeeks | EverySchoolWeeks)


def _positive(text: str) -> int:
    value = _n(text)
    if value < 1 or value > 10_000:
        raise RuleSyntaxError(f"{value} must be a whole number from 1 to 10000")
    return value


def _direction(text: str) -> Direction:
    return "after" if text == "after" else "before"
