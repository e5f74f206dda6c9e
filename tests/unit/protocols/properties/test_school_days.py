"""Properties of school-day arithmetic on random calendars (hypothesis; no database).

Each property is checked against a naive day-by-day reading of the definition, so the precomputed
index in protocols/core/calendar.py is compared with the plain meaning of "school day".
"""

from datetime import date, timedelta

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from protocols.core.calendar import Closure, SchoolCalendar, Term, bank_holidays

# -- strategies ----------------------------------------------------------------------------------

FIRST_YEARS = st.integers(min_value=2019, max_value=2030)
TERM_LENGTHS = st.integers(min_value=1, max_value=90)
GAP_LENGTHS = st.integers(min_value=1, max_value=30)
CLOSURE_LENGTHS = st.integers(min_value=1, max_value=10)
QUERY_COUNTS = st.integers(min_value=0, max_value=400)
WEEKS = st.integers(min_value=1, max_value=40)


@st.composite
def terms(draw: st.DrawFn) -> tuple[Term, ...]:
    """1 to 9 terms in order, never overlapping, over up to about 3 years."""
    start = date(draw(FIRST_YEARS), draw(st.integers(1, 12)), draw(st.integers(1, 28)))
    out: list[Term] = []
    for index in range(draw(st.integers(min_value=1, max_value=9))):
        end = start + timedelta(days=draw(TERM_LENGTHS) - 1)
        out.append(Term(f"Term {index + 1}", start, end))
        start = end + timedelta(days=draw(GAP_LENGTHS) + 1)
    return tuple(out)


@st.composite
def closures_within(draw: st.DrawFn, within: tuple[Term, ...]) -> tuple[Closure, ...]:
    """Up to 6 closures (half-terms, INSET days), each inside one of the terms."""
    out: list[Closure] = []
    for index in range(draw(st.integers(min_value=0, max_value=6))):
        term = draw(st.sampled_from(within))
        length = (term.end - term.start).days + 1
        offset = draw(st.integers(0, length - 1))
        days = draw(st.integers(1, min(10, length - offset)))
        start = term.start + timedelta(days=offset)
        out.append(Closure(f"Closure {index + 1}", start, start + timedelta(days=days - 1)))
    return tuple(out)


@st.composite
def calendars(draw: st.DrawFn) -> SchoolCalendar:
    """A calendar of random terms and closures in England and Wales with at least one school day."""
    chosen = draw(terms())
    closed = draw(closures_within(chosen))
    weekdays = [
        day
        for term in chosen
        for day in every_day(term.start, term.end)
        if day.weekday() < 5 and not any(c.start <= day <= c.end for c in closed)
    ]
    holidays = bank_holidays("england-and-wales", chosen[0].start.year, chosen[-1].end.year)
    assume(any(day not in holidays for day in weekdays))
    return SchoolCalendar(
        slug="random",
        title="Random calendar",
        region="england-and-wales",
        terms=chosen,
        closures=closed,
    )


@st.composite
def calendar_and_day(draw: st.DrawFn) -> tuple[SchoolCalendar, date]:
    """A calendar and a date it covers."""
    cal = draw(calendars())
    span = (cal.last_day - cal.first_day).days
    return cal, cal.first_day + timedelta(days=draw(st.integers(0, span)))


@st.composite
def calendar_day_and_n(draw: st.DrawFn) -> tuple[SchoolCalendar, date, int]:
    """A calendar, a date it covers, and an n >= 1 whose answer the calendar still covers."""
    cal, day = draw(calendar_and_day())
    later = sum(1 for d in cal.school_days() if d > day)
    assume(later >= 1)
    return cal, day, draw(st.integers(1, later))


@st.composite
def extra_closures(draw: st.DrawFn, cal: SchoolCalendar) -> tuple[Closure, ...]:
    """One or two more closures anywhere in the calendar's span (a school's INSET days)."""
    out: list[Closure] = []
    span = (cal.last_day - cal.first_day).days
    for index in range(draw(st.integers(1, 2))):
        start = cal.first_day + timedelta(days=draw(st.integers(0, span)))
        length = draw(CLOSURE_LENGTHS)
        out.append(Closure(f"INSET {index + 1}", start, start + timedelta(days=length - 1)))
    return tuple(out)


# -- the definition, read naively ----------------------------------------------------------------


def every_day(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def naive_is_school_day(cal: SchoolCalendar, day: date) -> bool:
    """Monday to Friday, in a term, outside every closure, not a bank holiday of the region."""
    return (
        day.weekday() < 5
        and any(t.start <= day <= t.end for t in cal.terms)
        and not any(c.start <= day <= c.end for c in cal.closures)
        and day not in bank_holidays(cal.region, day.year, day.year)
    )


def naive_add(cal: SchoolCalendar, day: date, n: int) -> date:
    """The Nth school day strictly after `day`, one day at a time."""
    while n:
        day += timedelta(days=1)
        if naive_is_school_day(cal, day):
            n -= 1
    return day


# -- properties ------------------------------------------------------------------------------------


@given(calendar_and_day())
def test_is_school_day_matches_the_definition(case: tuple[SchoolCalendar, date]) -> None:
    cal, day = case
    assert cal.is_school_day(day) == naive_is_school_day(cal, day)


@given(calendars())
def test_school_days_are_exactly_the_defined_days(cal: SchoolCalendar) -> None:
    expected = [d for d in every_day(cal.first_day, cal.last_day) if naive_is_school_day(cal, d)]
    assert list(cal.school_days()) == expected


@given(calendar_day_and_n())
def test_add_school_days_matches_a_day_by_day_count(case: tuple[SchoolCalendar, date, int]) -> None:
    cal, day, n = case
    assert cal.add_school_days(day, n) == naive_add(cal, day, n)


@given(calendar_day_and_n())
def test_a_deadline_is_always_a_school_day(case: tuple[SchoolCalendar, date, int]) -> None:
    cal, day, n = case
    result = cal.add_school_days(day, n)
    assert result > day
    assert cal.is_school_day(result)


@given(calendar_day_and_n())
def test_round_trip_school_days_between(case: tuple[SchoolCalendar, date, int]) -> None:
    cal, day, n = case
    assert cal.school_days_between(day, cal.add_school_days(day, n)) == n


@given(calendar_day_and_n())
def test_n_plus_one_is_after_n(case: tuple[SchoolCalendar, date, int]) -> None:
    cal, day, n = case
    assume(n >= 2)
    assert cal.add_school_days(day, n - 1) < cal.add_school_days(day, n)


@given(calendar_day_and_n())
def test_backwards_undoes_forwards(case: tuple[SchoolCalendar, date, int]) -> None:
    cal, day, n = case
    # Going back needs a school day on or before `day` to land on.
    assume(cal.school_days()[0] <= day)
    after = cal.add_school_days(day, n)
    before = cal.add_school_days(after, -n)
    # Back from a school day lands on the last school day on or before `day`.
    assert before <= day
    assert cal.is_school_day(before)
    assert cal.school_days_between(before, day) == 0
    assert cal.add_school_days(before, n) == after


# Short generated calendars often have fewer than 5N school days after the start; the filter is
# the point of the property, not a slow strategy.
@settings(suppress_health_check=[HealthCheck.filter_too_much])
@given(calendar_and_day(), WEEKS)
def test_end_of_school_week_is_the_5nth_day_counting_the_start(
    case: tuple[SchoolCalendar, date], week: int
) -> None:
    cal, start = case
    later = [d for d in cal.school_days() if d >= start]
    assume(len(later) >= 5 * week)
    end = cal.end_of_school_week(start, week)
    assert end == later[5 * week - 1]
    first = cal.next_school_day_on_or_after(start)
    assert first == later[0]
    assert end == cal.add_school_days(first, 5 * week - 1)
    assert cal.is_school_day(end)
    if len(later) >= 5 * (week + 1):
        assert cal.end_of_school_week(start, week + 1) > end


@settings(max_examples=150)
@given(st.data())
def test_a_closure_never_makes_a_deadline_earlier(data: st.DataObject) -> None:
    cal, day, n = data.draw(calendar_day_and_n())
    more = data.draw(extra_closures(cal))
    closed = {d for c in more for d in every_day(c.start, c.end)}
    assume(any(d not in closed for d in cal.school_days()))
    school = cal.with_closures(more, slug="school")
    before = cal.add_school_days(day, n)
    remaining = sum(1 for d in school.school_days() if d > day)
    if remaining >= n:
        after = school.add_school_days(day, n)
        assert after >= before
        assert school.is_school_day(after)
    week = max(1, n // 5)
    if len([d for d in school.school_days() if d >= day]) >= 5 * week:
        assert school.end_of_school_week(day, week) >= cal.end_of_school_week(day, week)


@given(st.data())
def test_with_closures_removes_exactly_the_closed_days(data: st.DataObject) -> None:
    cal = data.draw(calendars())
    more = data.draw(extra_closures(cal))
    closed = {d for c in more for d in every_day(c.start, c.end)}
    assume(any(d not in closed for d in cal.school_days()))
    school = cal.with_closures(more)
    assert school.slug == cal.slug
    assert school.closures == cal.closures + more
    assert set(school.school_days()) == set(cal.school_days()) - closed
    assert (school.first_day, school.last_day) == (cal.first_day, cal.last_day)


@given(calendar_and_day(), QUERY_COUNTS)
def test_school_days_between_counts_the_days_after_start(
    case: tuple[SchoolCalendar, date], offset: int
) -> None:
    cal, start = case
    end = min(cal.last_day, start + timedelta(days=offset))
    expected = sum(
        1 for d in every_day(start + timedelta(days=1), end) if naive_is_school_day(cal, d)
    )
    assert cal.school_days_between(start, end) == expected
    assert cal.school_days_between(end, start) == -expected
