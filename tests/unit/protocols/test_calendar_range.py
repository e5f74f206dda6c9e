"""Calendar term dates have a sane range: a term ending 9999-12-31 was accepted (and built an
index of school days for eight thousand years)."""

from datetime import date

import pytest

from protocols.core.calendar import SchoolCalendar, Term
from protocols.core.loader import load_calendar_text
from protocols.core.problems import CalendarError, DefinitionError

TINY = """calendar: tiny
title: Tiny test calendar
region: england-and-wales
sources:
  - title: Test fixture
terms:
  - {name: Autumn 2024, start: 2024-09-02, end: 2024-12-20}
  - {name: Spring 2025, start: 2025-01-06, end: END}
"""


def test_a_term_ending_9999_is_reported_at_its_line_and_column() -> None:
    with pytest.raises(DefinitionError) as refused:
        load_calendar_text(TINY.replace("END", "9999-12-31"), path="tiny.yaml")
    assert [str(p) for p in refused.value.problems] == [
        "tiny.yaml:8:49: terms: 'Spring 2025' end: 9999-12-31 is outside the years a calendar "
        "may cover (2000 to 2100)"
    ]


def test_a_term_in_the_year_1000_is_reported() -> None:
    text = TINY.replace("start: 2024-09-02", "start: 1000-09-02").replace("END", "2025-04-04")
    with pytest.raises(DefinitionError) as refused:
        load_calendar_text(text, path="tiny.yaml")
    assert "tiny.yaml:7:32: terms: 'Autumn 2024' start: 1000-09-02 is outside" in str(
        refused.value.problems[0]
    )


def test_a_calendar_in_range_still_loads() -> None:
    calendar = load_calendar_text(TINY.replace("END", "2025-04-04"), path="tiny.yaml")
    assert calendar.last_day == date(2025, 4, 4)


def test_the_core_refuses_an_out_of_range_term_too() -> None:
    with pytest.raises(CalendarError, match="outside the years a calendar may cover"):
        SchoolCalendar(
            slug="tiny",
            title="Tiny",
            region="england-and-wales",
            terms=(Term("Forever", date(2025, 1, 6), date(9999, 12, 31)),),
        )
