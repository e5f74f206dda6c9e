"""Term weeks (hypothesis; no database): SchoolCalendar.end_of_term_week and term_weeks_before
against a day-by-day oracle written from the definition.

A **term week** is a Monday-to-Friday week in which the school is open on at least one day.
**End of school week N** from a start S: S0 is the first school day on or after S; the answer is
the last school day before S0's weekday in the Nth term week after S0's week.
"""

import re
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from protocols.core.calendar import Closure, SchoolCalendar, Term, bank_holidays
from protocols.core.problems import CalendarError

ONE_DAY = timedelta(days=1)
# Some properties need a period with a day or week inside it and filter the rest out; on a busy
# machine (the whole suite with -n 6) hypothesis would call that slow or too much filtering.
SETTINGS = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow],
)
ALL_OPEN = 0b11111

# -- calendars from weeks ------------------------------------------------------------------------

# A week: 0 is a week of holiday; otherwise a bit mask of the days open (bit 0 Monday).
WEEK_MASKS = st.one_of(
    st.just(ALL_OPEN), st.just(ALL_OPEN), st.just(0), st.integers(min_value=1, max_value=ALL_OPEN)
)


def calendar_of(first_monday: date, masks: list[int]) -> SchoolCalendar:
    """One term from `first_monday` to the Friday of the last week, every closed weekday a
    one-day closure; the region's bank holidays close their days too."""
    closures = [
        Closure(f"closed {day.isoformat()}", day, day)
        for index, mask in enumerate(masks)
        for weekday in range(5)
        if not mask >> weekday & 1
        for day in [first_monday + timedelta(weeks=index, days=weekday)]
    ]
    return SchoolCalendar(
        slug="weeks",
        title="Calendar by weeks",
        region="england-and-wales",
        terms=(Term("Term", first_monday, first_monday + timedelta(weeks=len(masks) - 1, days=4)),),
        closures=tuple(closures),
    )


@st.composite
def week_calendars(draw: st.DrawFn) -> SchoolCalendar:
    """Up to 60 weeks from a Monday between 2019 and 2030, bank holidays and all."""
    first = date(draw(st.integers(2019, 2030)), draw(st.integers(1, 12)), draw(st.integers(1, 28)))
    first -= timedelta(days=first.weekday())
    masks = draw(st.lists(WEEK_MASKS, min_size=1, max_size=60))
    assume(any(masks))
    try:
        return calendar_of(first, masks)
    except CalendarError:  # every open day a bank holiday
        assume(False)
        raise


# -- the oracle: one day at a time --------------------------------------------------------------


def is_school_day(cal: SchoolCalendar, day: date) -> bool:
    return (
        day.weekday() < 5
        and any(t.start <= day <= t.end for t in cal.terms)
        and not any(c.start <= day <= c.end for c in cal.closures)
        and day not in bank_holidays(cal.region, day.year, day.year)
    )


def is_term_week(cal: SchoolCalendar, monday: date) -> bool:
    return any(is_school_day(cal, monday + timedelta(days=i)) for i in range(5))


def oracle_end(cal: SchoolCalendar, start: date, weeks: int) -> date | None:
    """The definition, walked day by day; None when the calendar cannot say."""
    s0 = start
    while not is_school_day(cal, s0):
        s0 += ONE_DAY
        if s0 > cal.last_day:
            return None
    monday = s0 - timedelta(days=s0.weekday())
    counted = 0
    while counted < weeks:
        monday += timedelta(weeks=1)
        if monday > cal.last_day:
            # No Nth term week in the calendar. From a Monday, every school day the calendar has
            # comes before it, so the answer is still known when term week N was the last.
            if s0.weekday() == 0 and counted == weeks - 1:
                return max(cal.school_days())
            return None
        if is_term_week(cal, monday):
            counted += 1
    day = monday + timedelta(days=s0.weekday()) - ONE_DAY
    while not is_school_day(cal, day):
        day -= ONE_DAY
    return day


def oracle_window_start(cal: SchoolCalendar, reference: date, weeks: int) -> date:
    monday = reference - timedelta(days=reference.weekday())
    counted = 0
    while counted < weeks:
        monday -= timedelta(weeks=1)
        if monday + timedelta(days=6) < cal.first_day:
            return date.min
        if is_term_week(cal, monday):
            counted += 1
    return monday + timedelta(days=reference.weekday())


@st.composite
def questions(draw: st.DrawFn) -> tuple[SchoolCalendar, date, int]:
    cal = draw(week_calendars())
    span = (cal.last_day - cal.first_day).days
    start = cal.first_day + timedelta(days=draw(st.integers(0, span)))
    return cal, start, draw(st.integers(1, 20))


# -- properties ----------------------------------------------------------------------------------


@SETTINGS
@given(questions())
def test_end_of_term_week_is_the_definition(question: tuple[SchoolCalendar, date, int]) -> None:
    cal, start, weeks = question
    expected = oracle_end(cal, start, weeks)
    if expected is None:
        with pytest.raises(CalendarError):
            cal.end_of_term_week(start, weeks)
        return
    got = cal.end_of_term_week(start, weeks)
    assert got == expected
    # Always a school day, and never before the first school day counted.
    assert is_school_day(cal, got)
    assert got >= cal.next_school_day_on_or_after(start)


@SETTINGS
@given(questions(), st.data())
def test_a_closed_day_inside_the_period_never_moves_it(
    question: tuple[SchoolCalendar, date, int], data: st.DataObject
) -> None:
    """A bank holiday or INSET day inside the period (its week still open on another day)."""
    cal, start, weeks = question
    end = oracle_end(cal, start, weeks)
    assume(end is not None)
    assert end is not None
    s0 = cal.next_school_day_on_or_after(start)
    inside = [
        day
        for day in cal.school_days()
        if s0 < day < end
        and sum(is_school_day(cal, day - timedelta(days=day.weekday() - i)) for i in range(5)) > 1
    ]
    assume(inside)
    closed = data.draw(st.sampled_from(inside))
    inset = cal.with_closures([Closure("INSET day", closed, closed)])
    assert inset.end_of_term_week(start, weeks) == cal.end_of_term_week(start, weeks) == end


AUTUMNS_WITHOUT_BANK_HOLIDAYS = [
    year
    for year in range(2019, 2031)
    if not any(
        date(year, 9, 1) <= day <= date(year, 12, 20)
        for day in bank_holidays("england-and-wales", year, year)
    )
]


@st.composite
def autumn_questions(draw: st.DrawFn) -> tuple[date, list[int], date, int]:
    """Weeks from the first Monday of September to mid-December: no bank holiday in England and
    Wales falls there (but for the state funeral of 19 Sep 2022, so 2022 is left out), so moving a
    date a week later moves nothing else."""
    year = draw(st.sampled_from(AUTUMNS_WITHOUT_BANK_HOLIDAYS))
    first = date(year, 9, 1)
    first += timedelta(days=(7 - first.weekday()) % 7)
    masks = draw(st.lists(WEEK_MASKS, min_size=4, max_size=14))
    assume(sum(1 for m in masks if m) >= 3)
    start = first + timedelta(days=draw(st.integers(0, 7 * (len(masks) // 2))))
    return first, masks, start, draw(st.integers(1, 4))


@SETTINGS
@given(autumn_questions(), st.data())
def test_a_whole_holiday_week_inside_the_period_moves_it_one_week(
    question: tuple[date, list[int], date, int], data: st.DataObject
) -> None:
    first, masks, start, weeks = question
    cal = calendar_of(first, masks)
    end = oracle_end(cal, start, weeks)
    assume(end is not None)
    assert end is not None
    s0 = cal.next_school_day_on_or_after(start)
    s0_week, end_week = (s0 - first).days // 7, (end - first).days // 7
    # The holiday week goes in after S0's week and no later than the week the period ends in.
    assume(s0_week < end_week)
    insert_at = data.draw(st.integers(s0_week + 1, end_week))
    longer = calendar_of(first, masks[:insert_at] + [0] + masks[insert_at:])
    assert longer.end_of_term_week(start, weeks) == end + timedelta(weeks=1)
    assert oracle_end(longer, start, weeks) == end + timedelta(weeks=1)
    assert cal.end_of_term_week(start, weeks) == end


@SETTINGS
@given(questions())
def test_a_look_back_in_term_weeks_is_the_definition(
    question: tuple[SchoolCalendar, date, int],
) -> None:
    cal, reference, weeks = question
    reference += timedelta(days=3)  # now and then just past the calendar
    assert cal.term_weeks_before(reference, weeks) == oracle_window_start(cal, reference, weeks)


@SETTINGS
@given(questions(), st.integers(1, 4), st.integers(0, 200))
def test_the_ends_of_every_n_term_weeks_are_each_end_of_term_week(
    question: tuple[SchoolCalendar, date, int], every: int, days: int
) -> None:
    """ends_of_term_weeks_until gives what end_of_term_week gives week by week, errors too."""
    cal, start, _ = question
    until = start + timedelta(days=days)
    expected: list[date] = []
    week = every
    try:
        while (day := cal.end_of_term_week(start, week)) <= until:
            expected.append(day)
            week += every
    except CalendarError as error:
        with pytest.raises(CalendarError, match=re.escape(str(error))):
            cal.ends_of_term_weeks_until(start, every, until)
        return
    assert cal.ends_of_term_weeks_until(start, every, until) == expected
