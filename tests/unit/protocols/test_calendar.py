"""School-day arithmetic checked by hand against the bundled calendars (no database).

Every expected date below was counted on a printed calendar; the comment beside it says which days
were skipped and why, so a reader can check it without running anything.
"""

from datetime import date

import pytest

from protocols.bundled import bundled_calendars
from protocols.core.calendar import Closure, SchoolCalendar, Term, pupil_days_by_year
from protocols.core.problems import CalendarError


def calendar(slug: str) -> SchoolCalendar:
    return next(c for c in bundled_calendars() if c.slug == slug)


@pytest.fixture(scope="module")
def norfolk() -> SchoolCalendar:
    return calendar("norfolk")


@pytest.fixture(scope="module")
def leicestershire() -> SchoolCalendar:
    return calendar("leicestershire")


@pytest.mark.parametrize(
    ("start", "n", "expected", "why"),
    [
        # Autumn half-term 2024 is Mon 28 Oct to Fri 1 Nov: the next school day after Fri 25 Oct
        # is Mon 4 Nov.
        (date(2024, 10, 25), 1, date(2024, 11, 4), "half-term 28 Oct - 1 Nov"),
        # Thu 24 Oct -> Fri 25 Oct (1), half-term, Mon 4 (2), Tue 5 (3).
        (date(2024, 10, 24), 3, date(2024, 11, 5), "half-term 28 Oct - 1 Nov"),
        # Christmas: autumn ends Fri 20 Dec 2024, spring starts Tue 7 Jan 2025.
        # Wed 18 Dec -> Thu 19 (1), Fri 20 (2), Tue 7 Jan (3), Wed 8 (4), Thu 9 (5).
        (date(2024, 12, 18), 5, date(2025, 1, 9), "Christmas holiday 23 Dec - 6 Jan"),
        # Counting from inside the holiday: Christmas Day itself -> first day of spring term.
        (date(2024, 12, 25), 1, date(2025, 1, 7), "from a bank holiday in the holiday"),
        # Easter: spring ends Fri 4 Apr 2025; Good Friday 18 Apr and Easter Monday 21 Apr fall in
        # the holiday; summer starts Wed 23 Apr. Thu 3 Apr -> Fri 4 (1), Wed 23 Apr (2).
        (date(2025, 4, 3), 2, date(2025, 4, 23), "Easter holiday 7 - 22 Apr"),
        # Early May bank holiday Mon 5 May 2025 falls in term: Fri 2 May -> Tue 6 May.
        (date(2025, 5, 2), 1, date(2025, 5, 6), "bank holiday 5 May"),
        # Summer half-term 2025 (26-30 May, with the spring bank holiday on the Monday):
        # Thu 22 May -> Fri 23 (1), Mon 2 Jun (2).
        (date(2025, 5, 22), 2, date(2025, 6, 2), "half-term 26 - 30 May"),
        # A weekend start: Sat 9 Nov 2024 -> Mon 11 (1), ..., Fri 15 (5).
        (date(2024, 11, 9), 5, date(2024, 11, 15), "weekend"),
        # Backwards across half-term: 1 school day before Mon 4 Nov is Fri 25 Oct.
        (date(2024, 11, 4), -1, date(2024, 10, 25), "half-term, backwards"),
        # Backwards across Christmas: 2 school days before Tue 7 Jan 2025 -> Fri 20 (1), Thu 19 (2).
        (date(2025, 1, 7), -2, date(2024, 12, 19), "Christmas, backwards"),
        # Zero is the day itself, school day or not.
        (date(2024, 10, 26), 0, date(2024, 10, 26), "zero"),
    ],
)
def test_add_school_days_norfolk(
    norfolk: SchoolCalendar, start: date, n: int, expected: date, why: str
) -> None:
    assert norfolk.add_school_days(start, n) == expected, why


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        # 25 Aug 2025 (late summer bank holiday) is before the autumn term, which starts Tue 26 Aug.
        (date(2025, 8, 22), 1, date(2025, 8, 26)),
        (date(2025, 8, 25), 1, date(2025, 8, 26)),
        # In 2026 the autumn term starts Mon 24 Aug, so the bank holiday Mon 31 Aug falls in term:
        # Fri 28 Aug -> Tue 1 Sep.
        (date(2026, 8, 28), 1, date(2026, 9, 1)),
        # Mon 24 Aug (day 1 is the next school day after Fri 21 Aug, a holiday).
        (date(2026, 8, 21), 1, date(2026, 8, 24)),
    ],
)
def test_add_school_days_august_terms(
    leicestershire: SchoolCalendar, start: date, n: int, expected: date
) -> None:
    assert leicestershire.add_school_days(start, n) == expected


def test_is_school_day_and_why_not(norfolk: SchoolCalendar, leicestershire: SchoolCalendar) -> None:
    assert norfolk.is_school_day(date(2024, 11, 4))
    assert not norfolk.is_school_day(date(2024, 10, 30))
    assert norfolk.closure_on(date(2024, 10, 30)) == "Autumn half-term 2024"
    assert norfolk.closure_on(date(2025, 5, 5)) == "bank holiday"
    # The spring bank holiday falls inside half-term: the closure is the reason given.
    assert norfolk.closure_on(date(2025, 5, 26)) == "Summer half-term 2025"
    assert norfolk.closure_on(date(2024, 11, 9)) == "weekend"
    assert norfolk.closure_on(date(2024, 12, 23)) == "school holiday"
    assert norfolk.closure_on(date(2024, 11, 4)) is None
    assert not leicestershire.is_school_day(date(2026, 8, 31))
    assert leicestershire.closure_on(date(2026, 8, 31)) == "bank holiday"
    assert leicestershire.is_school_day(date(2026, 8, 24))


def test_school_days_between(norfolk: SchoolCalendar) -> None:
    # After Fri 25 Oct up to and including Mon 4 Nov: just Mon 4 Nov.
    assert norfolk.school_days_between(date(2024, 10, 25), date(2024, 11, 4)) == 1
    assert norfolk.school_days_between(date(2024, 11, 4), date(2024, 10, 25)) == -1
    assert norfolk.school_days_between(date(2024, 10, 28), date(2024, 11, 1)) == 0
    # Autumn 2024: Thu 5 - Fri 6 Sep (2) and 15 full weeks 9 Sep - 20 Dec (75), less half-term (5):
    # 72 school days, of which 71 fall after Thu 5 Sep.
    assert norfolk.school_days_between(date(2024, 9, 5), date(2024, 12, 20)) == 71


@pytest.mark.parametrize(
    ("start", "week", "expected"),
    [
        # Mon 21 Oct counts as day 1: 21-25 Oct is week 1.
        (date(2024, 10, 21), 1, date(2024, 10, 25)),
        # Week 2 is 4-8 Nov (half-term skipped).
        (date(2024, 10, 21), 2, date(2024, 11, 8)),
        # A Wednesday start: Wed 23, Thu 24, Fri 25 Oct, Mon 4, Tue 5 Nov.
        (date(2024, 10, 23), 1, date(2024, 11, 5)),
        # Starting in half-term: day 1 is Mon 4 Nov, so week 1 ends Fri 8 Nov.
        (date(2024, 10, 30), 1, date(2024, 11, 8)),
        # An 8-week trial from Mon 21 Oct: 21-25 Oct, then 7 weeks 4 Nov - 20 Dec.
        (date(2024, 10, 21), 8, date(2024, 12, 20)),
        # 8 weeks from Mon 2 Dec 2024: 2-20 Dec are days 1-15; Tue 7 - Fri 10 Jan 16-19; the weeks
        # of 13, 20, 27 Jan and 3 Feb 20-39; Mon 10 Feb is day 40.
        (date(2024, 12, 2), 8, date(2025, 2, 10)),
    ],
)
def test_end_of_school_week(
    norfolk: SchoolCalendar, start: date, week: int, expected: date
) -> None:
    assert norfolk.end_of_school_week(start, week) == expected


def test_next_school_day_on_or_after(norfolk: SchoolCalendar) -> None:
    assert norfolk.next_school_day_on_or_after(date(2024, 11, 4)) == date(2024, 11, 4)
    assert norfolk.next_school_day_on_or_after(date(2024, 10, 26)) == date(2024, 11, 4)


def test_dates_outside_the_calendar_say_what_it_covers(norfolk: SchoolCalendar) -> None:
    # The Norfolk file covers the school years 2023/24 to 2026/27 (`covers`), wider than its
    # terms (Wed 6 Sep 2023 to Wed 21 Jul 2027): days in the summer holidays are holidays.
    covers = "calendar 'norfolk', which covers 2023-09-01 to 2027-08-31"
    with pytest.raises(CalendarError) as error:
        norfolk.add_school_days(date(2023, 8, 31), 1)
    assert str(error.value) == f"2023-08-31 is outside the {covers}"
    with pytest.raises(CalendarError) as error:
        norfolk.add_school_days(date(2027, 7, 19), 5)
    assert str(error.value) == f"5 school days after 2027-07-19 falls outside the {covers}"
    with pytest.raises(CalendarError) as error:
        norfolk.add_school_days(date(2023, 9, 7), -5)
    assert str(error.value) == f"5 school days before 2023-09-07 falls outside the {covers}"
    with pytest.raises(CalendarError) as error:
        norfolk.end_of_school_week(date(2027, 7, 1), 8)
    assert (
        str(error.value) == f"the end of school week 8 from 2027-07-01 falls outside the {covers}"
    )
    with pytest.raises(CalendarError) as error:
        norfolk.school_days_between(date(2024, 10, 1), date(2030, 1, 1))
    assert str(error.value) == f"2030-01-01 is outside the {covers}"
    with pytest.raises(CalendarError):
        norfolk.is_school_day(date(2020, 1, 1))
    # Inside the school years but outside every term: a holiday, not an error.
    assert norfolk.covers(date(2023, 9, 1)) and not norfolk.is_school_day(date(2023, 9, 1))
    assert norfolk.closure_on(date(2027, 8, 2)) == "school holiday"
    assert norfolk.covers(date(2027, 8, 31))
    assert not norfolk.covers(date(2027, 9, 1))


def test_bundled_calendars_load_with_plausible_pupil_days() -> None:
    calendars = {c.slug: c for c in bundled_calendars()}
    assert set(calendars) >= {"norfolk", "leicestershire", "leicester-city", "southwark"}
    for slug, cal in calendars.items():
        counts = pupil_days_by_year(cal)
        assert counts, slug
        for year, days in counts.items():
            # 190 pupil days, plus up to 5 INSET days each school places itself.
            assert 185 <= days <= 195, (slug, year, days)
    # The Norfolk model calendar has 190 pupil days (its training days outside the terms); the
    # Eastern Region Model for 2026/27 has 195, from which each school takes its 5 training days.
    assert pupil_days_by_year(calendars["norfolk"]) == {
        "2023/24": 190,
        "2024/25": 190,
        "2025/26": 190,
        "2026/27": 195,
    }


def test_pupil_days_split_school_years_on_1_august(leicestershire: SchoolCalendar) -> None:
    # Leicestershire's autumn terms start in late August (29 Aug 2023, 27 Aug 2024, 26 Aug 2025,
    # 24 Aug 2026); those days belong to the school year that starts then, not to the one before.
    counts = pupil_days_by_year(leicestershire)
    assert "2022/23" not in counts
    assert counts == {"2023/24": 193, "2024/25": 193, "2025/26": 193, "2026/27": 193}
    small = SchoolCalendar(
        slug="small",
        title="Small",
        region="england-and-wales",
        terms=(
            Term("Summer", date(2025, 7, 14), date(2025, 7, 18)),
            Term("Autumn", date(2025, 8, 26), date(2025, 9, 5)),
        ),
    )
    # 14-18 Jul: 5 days of 2024/25; 26 Aug - 5 Sep: 9 days of 2025/26 (no bank holiday in it).
    assert pupil_days_by_year(small) == {"2024/25": 5, "2025/26": 9}


def test_with_closures_adds_a_schools_inset_day(norfolk: SchoolCalendar) -> None:
    school = norfolk.with_closures(
        [Closure("INSET day", date(2024, 11, 4), date(2024, 11, 4))], slug="norfolk-school"
    )
    assert school.slug == "norfolk-school"
    assert not school.is_school_day(date(2024, 11, 4))
    assert school.closure_on(date(2024, 11, 4)) == "INSET day"
    assert school.add_school_days(date(2024, 10, 25), 1) == date(2024, 11, 5)
    # The council calendar itself is unchanged (calendars are immutable).
    assert norfolk.add_school_days(date(2024, 10, 25), 1) == date(2024, 11, 4)
    assert len(school.school_days()) == len(norfolk.school_days()) - 1


def test_calendar_construction_errors() -> None:
    term = Term("Autumn", date(2025, 9, 1), date(2025, 9, 5))
    with pytest.raises(CalendarError, match="calendar empty has no terms"):
        SchoolCalendar(slug="empty", title="Empty", region="england-and-wales", terms=())
    with pytest.raises(CalendarError, match="unknown region 'wales'"):
        SchoolCalendar(slug="w", title="W", region="wales", terms=(term,))
    with pytest.raises(CalendarError, match="calendar shut has no school days"):
        SchoolCalendar(
            slug="shut",
            title="Shut",
            region="england-and-wales",
            terms=(term,),
            closures=(Closure("Closed", date(2025, 9, 1), date(2025, 9, 5)),),
        )
