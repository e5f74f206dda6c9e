"""School calendars and school-day arithmetic.

A **school day** is a Monday to Friday date inside one of the calendar's terms, outside every
closure (half-term, holiday, INSET day) and not a bank holiday of the calendar's region.

A **term week** is a Monday-to-Friday week with at least one school day: a short week (a bank
holiday, an INSET day, the first days of a term) counts whole, a week of holiday not at all.

The calendar is an immutable index built once: the ordered school days, and for every date the
calendar covers, how many school days fall on or before it. Every question below is then a lookup,
so its cost does not grow with the length of the calendar.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache

import holidays

from .problems import CalendarError

# Term dates Fairway accepts: a typo such as 9999-12-31 would otherwise build an index (and bank
# holidays) for eight thousand years.
EARLIEST_TERM_DAY = date(2000, 1, 1)
LATEST_TERM_DAY = date(2100, 12, 31)


def term_day_problem(day: date) -> str | None:
    """Why `day` cannot be in a calendar's terms or closures, or None."""
    if EARLIEST_TERM_DAY <= day <= LATEST_TERM_DAY:
        return None
    return (
        f"{day.isoformat()} is outside the years a calendar may cover "
        f"({EARLIEST_TERM_DAY.year} to {LATEST_TERM_DAY.year})"
    )


# Regions name the bank-holiday list; the `holidays` package keeps the lists offline.
REGIONS: dict[str, str] = {
    "england-and-wales": "ENG",
    "scotland": "SCT",
    "northern-ireland": "NIR",
}


@dataclass(frozen=True)
class Term:
    name: str
    start: date
    end: date
    # The title of the calendar source these dates come from, if named.
    source: str | None = None
    # True when no public source gave these dates: a best guess, shown as "estimated" wherever
    # the calendar is shown, with `note` saying how it was made.
    estimate: bool = False
    note: str | None = None


@dataclass(frozen=True)
class Closure:
    name: str
    start: date
    end: date
    source: str | None = None
    estimate: bool = False
    note: str | None = None


@dataclass(frozen=True)
class CalendarSource:
    title: str
    url: str | None = None
    note: str | None = None
    publisher: str | None = None
    # When the source was published or read, as the source gives it (free text).
    date: str | None = None


@cache
def bank_holidays(region: str, first_year: int, last_year: int) -> frozenset[date]:
    subdivision = REGIONS[region]
    found = holidays.country_holidays(
        "GB", subdiv=subdivision, years=range(first_year, last_year + 1)
    )
    return frozenset(found.keys())


@dataclass(frozen=True)
class SchoolCalendar:
    slug: str
    title: str
    region: str
    terms: tuple[Term, ...]
    closures: tuple[Closure, ...] = ()
    council: str | None = None
    provisional: bool = False
    provisional_reason: str | None = None
    sources: tuple[CalendarSource, ...] = ()
    # The whole school years the calendar answers for (e.g. 1 Sep 2023 to 31 Aug 2027), when
    # wider than its terms: a day inside them and outside every term is a holiday, not an error.
    covers_from: date | None = None
    covers_until: date | None = None
    # The index: school days as ordinals, and for each covered date the count of school days on
    # or before it (offset by the first covered ordinal).
    _days: array[int] = field(init=False, repr=False, compare=False)
    # The same school days as dates, so an answer is an index, not a date built per question.
    _dates: tuple[date, ...] = field(init=False, repr=False, compare=False)
    _on_or_before: array[int] = field(init=False, repr=False, compare=False)
    _first: int = field(init=False, repr=False, compare=False)
    _last: int = field(init=False, repr=False, compare=False)
    # Term weeks: the Monday (as an ordinal) of each, in order; for each school day the index of
    # its term week; and for each week the calendar covers (by its Monday's week number), how many
    # term weeks come strictly before it.
    _week_mondays: array[int] = field(init=False, repr=False, compare=False)
    _day_week: array[int] = field(init=False, repr=False, compare=False)
    _weeks_before: array[int] = field(init=False, repr=False, compare=False)
    _first_week: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.terms:
            raise CalendarError(f"calendar {self.slug} has no terms")
        if self.region not in REGIONS:
            raise CalendarError(f"unknown region {self.region!r}; use one of {', '.join(REGIONS)}")
        spans: list[Term | Closure] = [*self.terms, *self.closures]
        for span in spans:
            for day in (span.start, span.end):
                problem = term_day_problem(day)
                if problem:
                    raise CalendarError(f"{span.name}: {problem}")
        first = min(t.start for t in self.terms).toordinal()
        last = max(t.end for t in self.terms).toordinal()
        for bound in (self.covers_from, self.covers_until):
            if bound is not None and term_day_problem(bound):
                raise CalendarError(f"covers: {term_day_problem(bound)}")
        if self.covers_from is not None:
            first = min(first, self.covers_from.toordinal())
        if self.covers_until is not None:
            last = max(last, self.covers_until.toordinal())
        closed: set[int] = set()
        for closure in self.closures:
            closed.update(range(closure.start.toordinal(), closure.end.toordinal() + 1))
        for holiday in bank_holidays(
            self.region, date.fromordinal(first).year, date.fromordinal(last).year
        ):
            closed.add(holiday.toordinal())
        in_term = bytearray(last - first + 1)
        for term in self.terms:
            for ordinal in range(term.start.toordinal(), term.end.toordinal() + 1):
                in_term[ordinal - first] = 1
        days = array("i")
        on_or_before = array("i", bytes(4 * (last - first + 1)))
        count = 0
        for ordinal in range(first, last + 1):
            # date.weekday() is (ordinal - 1) % 7 with Monday as 0.
            if in_term[ordinal - first] and (ordinal - 1) % 7 < 5 and ordinal not in closed:
                days.append(ordinal)
                count += 1
            on_or_before[ordinal - first] = count
        if not days:
            raise CalendarError(f"calendar {self.slug} has no school days")
        object.__setattr__(self, "_days", days)
        object.__setattr__(self, "_dates", tuple(map(date.fromordinal, days)))
        object.__setattr__(self, "_on_or_before", on_or_before)
        object.__setattr__(self, "_first", first)
        object.__setattr__(self, "_last", last)
        # Week numbers: (ordinal - 1) // 7, as ordinal 1 (1 Jan of year 1) is a Monday.
        first_week = (first - 1) // 7
        week_mondays = array("i")
        day_week = array("i")
        for ordinal in days:
            monday = ordinal - (ordinal - 1) % 7
            if not week_mondays or week_mondays[-1] != monday:
                week_mondays.append(monday)
            day_week.append(len(week_mondays) - 1)
        weeks_before = array("i")
        count = 0
        for week in range(first_week, (last - 1) // 7 + 1):
            weeks_before.append(count)
            if count < len(week_mondays) and (week_mondays[count] - 1) // 7 == week:
                count += 1
        object.__setattr__(self, "_week_mondays", week_mondays)
        object.__setattr__(self, "_day_week", day_week)
        object.__setattr__(self, "_weeks_before", weeks_before)
        object.__setattr__(self, "_first_week", first_week)

    # -- coverage -------------------------------------------------------------------------
    @property
    def first_day(self) -> date:
        return date.fromordinal(self._first)

    @property
    def last_day(self) -> date:
        return date.fromordinal(self._last)

    def covers(self, day: date) -> bool:
        return self._first <= day.toordinal() <= self._last

    def coverage_text(self) -> str:
        return f"calendar {self.slug!r}, which covers {self.first_day.isoformat()} to {self.last_day.isoformat()}"

    def _check(self, day: date) -> int:
        ordinal = day.toordinal()
        if not self._first <= ordinal <= self._last:
            raise CalendarError(f"{day.isoformat()} is outside the {self.coverage_text()}")
        return ordinal

    def _day_at(self, index: int, asked: str, *details: object) -> date:
        # The question is formatted only when it fails: building the message on every call
        # cost more than the lookup itself (bench/timeline.py).
        if not 0 <= index < len(self._days):
            raise CalendarError(
                f"{asked.format(*details)} falls outside the {self.coverage_text()}"
            )
        return self._dates[index]

    def _count_on_or_before(self, ordinal: int) -> int:
        return self._on_or_before[ordinal - self._first]

    # -- questions --------------------------------------------------------------------------
    def is_school_day(self, day: date) -> bool:
        ordinal = self._check(day)
        before = self._on_or_before[ordinal - self._first - 1] if ordinal > self._first else 0
        return self._count_on_or_before(ordinal) != before

    # add_school_days and end_of_school_week are a timeline's inner loop (bench/timeline.py):
    # they index the arrays directly and leave _check and _day_at to raise the errors.
    def add_school_days(self, day: date, n: int) -> date:
        """The Nth school day strictly after `day` (n > 0) or strictly before it (n < 0)."""
        offset = day.toordinal() - self._first
        if offset < 0 or offset > self._last - self._first:
            self._check(day)
        if n == 0:
            return day
        if n > 0:
            index = self._on_or_before[offset] + n - 1
        else:
            # The count of school days strictly before `day`.
            index = (self._on_or_before[offset - 1] if offset else 0) + n
        if 0 <= index < len(self._dates):
            return self._dates[index]
        if n > 0:
            return self._day_at(index, "{} school days after {}", n, day)
        return self._day_at(index, "{} school days before {}", -n, day)

    def school_days_between(self, start: date, end: date) -> int:
        """How many school days fall after `start`, up to and including `end` (negative if end < start)."""
        return self._count_on_or_before(self._check(end)) - self._count_on_or_before(
            self._check(start)
        )

    def end_of_school_week(self, start: date, week: int) -> date:
        """The (5 x week)th school day, counting `start` as day 1 (or the next school day if it is not one)."""
        offset = start.toordinal() - self._first
        if offset < 0 or offset > self._last - self._first:
            self._check(start)
        # School days strictly before `start`, so `start` itself counts as day 1 if it is one.
        index = (self._on_or_before[offset - 1] if offset else 0) + 5 * week - 1
        if 0 <= index < len(self._dates):
            return self._dates[index]
        return self._day_at(index, "the end of school week {} from {}", week, start)

    def end_of_term_week(self, start: date, week: int) -> date:
        """The end of term week `week` counting from `start` (week >= 1).

        S0 is the first school day on or after `start`; the answer is the last school day before
        S0's weekday in the `week`th term week after S0's week. A Monday start ends on the last
        school day of term week `week` (S0's week being term week 1); a Wednesday start on the
        Tuesday `week` term weeks later. Bank holidays and INSET days inside the period do not
        move it; a week of holiday moves it a week.
        """
        offset = start.toordinal() - self._first
        if offset < 0 or offset > self._last - self._first:
            self._check(start)
        # S0's index: the count of school days strictly before `start`.
        index = self._on_or_before[offset - 1] if offset else 0
        if index >= len(self._days):
            return self._day_at(index, "the end of school week {} from {}", week, start)
        weekday = (self._days[index] - 1) % 7
        target_week = self._day_week[index] + week
        mondays = self._week_mondays
        if target_week < len(mondays):
            # The last school day strictly before S0's weekday in the target week.
            before = mondays[target_week] + weekday - 1 - self._first
            count = (
                self._on_or_before[before]
                if before <= self._last - self._first
                else len(self._days)
            )
            return self._dates[count - 1]
        if target_week == len(mondays) and weekday == 0:
            # A Monday start ending in the calendar's last term week: every school day the
            # calendar has comes before the next term week's Monday.
            return self._dates[-1]
        return self._day_at(len(self._days), "the end of school week {} from {}", week, start)

    def ends_of_term_weeks_until(self, start: date, every: int, until: date) -> list[date]:
        """end_of_term_week(start, w) for w = every, 2 x every, ... while it is on or before
        `until`: a repeating milestone's dates, S0 found once (bench/timeline.py)."""
        offset = start.toordinal() - self._first
        if offset < 0 or offset > self._last - self._first:
            self._check(start)
        index = self._on_or_before[offset - 1] if offset else 0
        if index >= len(self._days):
            return [self.end_of_term_week(start, every)]  # raises: no school day from `start`
        weekday_less_one = (self._days[index] - 1) % 7 - 1 - self._first
        mondays = self._week_mondays
        on_or_before = self._on_or_before
        dates = self._dates
        span = self._last - self._first
        found: list[date] = []
        week = self._day_week[index] + every
        while week < len(mondays):
            before = mondays[week] + weekday_less_one
            day = dates[on_or_before[before] - 1] if before <= span else dates[-1]
            if day > until:
                return found
            found.append(day)
            week += every
        # Past the calendar's last term week: as end_of_term_week (a date, or the error).
        while True:
            day = self.end_of_term_week(start, week - self._day_week[index])
            if day > until:
                return found
            found.append(day)
            week += every

    def term_weeks_before(self, day: date, weeks: int) -> date:
        """Where a look-back of `weeks` term weeks before `day` starts: `day`'s weekday (and time
        of week) in the `weeks`th term week before `day`'s week. Holiday weeks between are inside
        the window and do not count. When the window reaches back past the calendar, date.min
        (every earlier date is inside it)."""
        ordinal = day.toordinal()
        week = (ordinal - 1) // 7
        position = week - self._first_week
        if position < 0:
            return date.min
        if position < len(self._weeks_before):
            before = self._weeks_before[position]
        else:
            before = len(self._week_mondays)
        if before < weeks:
            return date.min
        return date.fromordinal(self._week_mondays[before - weeks] + (ordinal - 1) % 7)

    def next_school_day_on_or_after(self, day: date) -> date:
        ordinal = self._check(day)
        before = self._count_on_or_before(ordinal) - (1 if self.is_school_day(day) else 0)
        return self._day_at(before, "the first school day from {}", day)

    def school_days(self) -> tuple[date, ...]:
        return self._dates

    def closure_on(self, day: date) -> str | None:
        """Why `day` is not a school day (closure, bank holiday, weekend, out of term), or None."""
        self._check(day)
        if self.is_school_day(day):
            return None
        for closure in self.closures:
            if closure.start <= day <= closure.end:
                return closure.name
        if day in bank_holidays(self.region, day.year, day.year):
            return "bank holiday"
        if day.weekday() >= 5:
            return "weekend"
        return "school holiday"

    def estimates(self) -> tuple[Term | Closure, ...]:
        """The terms and closures whose dates are estimated, in date order."""
        every: tuple[Term | Closure, ...] = (*self.terms, *self.closures)
        spans = [span for span in every if span.estimate]
        return tuple(sorted(spans, key=lambda s: (s.start, s.end)))

    def estimates_between(self, first: date, last: date) -> tuple[Term | Closure, ...]:
        """The estimated terms and closures that overlap `first` to `last`: the dates of a
        timeline over that period that may move when the council's own dates are read."""
        return tuple(s for s in self.estimates() if s.start <= last and first <= s.end)

    def with_closures(
        self, closures: Iterable[Closure], *, slug: str | None = None
    ) -> SchoolCalendar:
        """This calendar with a school's own closures (its INSET days) added on top."""
        return replace(
            self,
            slug=slug or self.slug,
            closures=self.closures + tuple(closures),
        )


def pupil_days_by_year(calendar: SchoolCalendar) -> dict[str, int]:
    """School days per school year, for checking a calendar is plausible.

    The legal school year runs from 1 August to 31 July (Education Act 1996 s579), and some councils
    (Leicester, Leicestershire) start the autumn term in late August, so the split is 1 August.
    """
    counts: dict[str, int] = {}
    for day in calendar.school_days():
        start_year = day.year if day.month >= 8 else day.year - 1
        key = f"{start_year}/{(start_year + 1) % 100:02d}"
        counts[key] = counts.get(key, 0) + 1
    return counts
