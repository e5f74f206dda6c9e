"""The |day filter: dates as staff read them, "Fri 22 May 2026", the same as Django's
|date:"D j M Y" gave (which it replaced), a moment in the local time (Europe/London)."""

from datetime import UTC, date, datetime

import pytest
from django.template import Context, Template

from protocols.core.words import day_in_words

SHOWN = Template('{% load fairway_dates %}{{ value|day }}|{{ value|date:"D j M Y" }}')


def _both(value: object) -> tuple[str, str]:
    mine, django = SHOWN.render(Context({"value": value})).split("|")
    return mine, django


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (date(2026, 5, 22), "Fri 22 May 2026"),
        (date(2027, 1, 4), "Mon 4 Jan 2027"),
        # 23:30 UTC on 31 March 2026 is half past midnight on 1 April in London (summer time).
        (datetime(2026, 3, 31, 23, 30, tzinfo=UTC), "Wed 1 Apr 2026"),
        (datetime(2026, 12, 31, 23, 30, tzinfo=UTC), "Thu 31 Dec 2026"),
        (None, ""),
        ("", ""),
    ],
)
def test_a_day_reads_as_django_showed_it(value: object, expected: str) -> None:
    assert _both(value) == (expected, expected)


def test_every_day_of_a_year_reads_the_same_as_before() -> None:
    day = date(2026, 1, 1)
    while day.year == 2026:
        mine, django = _both(day)
        assert mine == django == day_in_words(day)
        day = date.fromordinal(day.toordinal() + 1)
