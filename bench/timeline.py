"""School-day arithmetic and timelines: QUALITY.md's workloads, as ratios measured in one run.

    .venv/bin/python bench/timeline.py [--quick]

1. 50,000 "Nth school day after D" queries on a 6-year calendar: Fairway's index against a naive
   day-by-day loop and against numpy.busday_offset (one call per query, and one vectorised call).
2. 10,000 cases, the full timeline of every bundled protocol in turn: against the same timeline
   computed with a day-by-day calendar (term weeks counted a week at a time, each day tested); and the cost at 3-year vs 6-year calendars, 5,000 vs 10,000
   cases (it should grow with cases, not with calendar length).

The naive runs are slow, so they are timed on a sample of the queries or cases and scaled per item
(the sample size is printed); like every run here they are the best of a few, so a busy moment on
a shared machine does not slow the baseline down. Answers are compared for equality before
anything is timed. Nothing here asserts a timing: it prints ratios.

The 10,000-case run keeps all 10,000 timelines alive (they are its result), so Python's
garbage collector walks them several times during the run; the 200-case naive sample keeps few
alive and pays little of that. The line "Fairway on the same 200 cases" compares like with like.
"""

from __future__ import annotations

import argparse
import gc
import random
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import numpy as np

sys.path[:0] = [str(Path(__file__).resolve().parent.parent)]

from protocols.bundled import bundled_protocols  # noqa: E402
from protocols.core.calendar import Closure, SchoolCalendar, Term, bank_holidays  # noqa: E402
from protocols.core.model import Protocol  # noqa: E402
from protocols.core.timeline import DatedMilestone, compute_timeline  # noqa: E402

FIRST_YEAR = 2024


def _monday_on_or_after(day: date) -> date:
    return day + timedelta(days=(7 - day.weekday()) % 7)


def english_calendar(years: int) -> SchoolCalendar:
    """A calendar shaped like an English council's: three terms a year, each with a half-term."""
    terms: list[Term] = []
    closures: list[Closure] = []
    for year in range(FIRST_YEAR, FIRST_YEAR + years):
        autumn = _monday_on_or_after(date(year, 9, 2))
        spring = _monday_on_or_after(date(year + 1, 1, 5))
        summer = _monday_on_or_after(date(year + 1, 4, 14))
        terms += [
            Term(f"Autumn {year}", autumn, autumn + timedelta(weeks=16, days=-3)),
            Term(f"Spring {year + 1}", spring, spring + timedelta(weeks=12, days=-3)),
            Term(f"Summer {year + 1}", summer, summer + timedelta(weeks=14, days=-3)),
        ]
        for name, term_start, week in (
            ("Autumn", autumn, 8),
            ("Spring", spring, 6),
            ("Summer", summer, 6),
        ):
            half = term_start + timedelta(weeks=week)
            closures.append(Closure(f"{name} half-term {year}", half, half + timedelta(days=4)))
    return SchoolCalendar(
        slug=f"bench-{years}y",
        title=f"{years}-year benchmark calendar",
        region="england-and-wales",
        terms=tuple(terms),
        closures=tuple(closures),
    )


class DayByDayCalendar(SchoolCalendar):
    """The same calendar answered the naive way: walk one date at a time and test each one."""

    def _naive_is_school_day(self, day: date) -> bool:
        return (
            day.weekday() < 5
            and any(t.start <= day <= t.end for t in self.terms)
            and not any(c.start <= day <= c.end for c in self.closures)
            and day not in bank_holidays(self.region, day.year, day.year)
        )

    def is_school_day(self, day: date) -> bool:
        return self._naive_is_school_day(day)

    def add_school_days(self, day: date, n: int) -> date:
        step = timedelta(days=1 if n > 0 else -1)
        remaining = abs(n)
        while remaining:
            day += step
            if self._naive_is_school_day(day):
                remaining -= 1
        return day

    def next_school_day_on_or_after(self, day: date) -> date:
        while not self._naive_is_school_day(day):
            day += timedelta(days=1)
        return day

    def end_of_school_week(self, start: date, week: int) -> date:
        return self.add_school_days(self.next_school_day_on_or_after(start), 5 * week - 1)

    def _is_term_week(self, monday: date) -> bool:
        return any(self._naive_is_school_day(monday + timedelta(days=i)) for i in range(5))

    def end_of_term_week(self, start: date, week: int) -> date:
        s0 = self.next_school_day_on_or_after(start)
        monday = s0 - timedelta(days=s0.weekday())
        counted = 0
        while counted < week:
            monday += timedelta(weeks=1)
            if self._is_term_week(monday):
                counted += 1
        day = monday + timedelta(days=s0.weekday() - 1)
        while not self._naive_is_school_day(day):
            day -= timedelta(days=1)
        return day

    def ends_of_term_weeks_until(self, start: date, every: int, until: date) -> list[date]:
        found: list[date] = []
        week = every
        while (day := self.end_of_term_week(start, week)) <= until:
            found.append(day)
            week += every
        return found

    def term_weeks_before(self, day: date, weeks: int) -> date:
        monday = day - timedelta(days=day.weekday())
        counted = 0
        while counted < weeks:
            monday -= timedelta(weeks=1)
            if monday < self.first_day - timedelta(days=6):
                return date.min
            if self._is_term_week(monday):
                counted += 1
        return monday + timedelta(days=day.weekday())


def best_of(repeats: int, run: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(repeats):
        gc.collect()  # start each run from a clean heap, so one run's garbage is not billed to the next
        began = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - began)
    return best


def school_day_queries(
    cal: SchoolCalendar, count: int, rng: random.Random
) -> list[tuple[date, int]]:
    """Dates from the first school day to about a year before the end, n from 1 to 60."""
    first = cal.school_days()[0]
    span = (cal.last_day - first).days - 400
    return [(first + timedelta(days=rng.randrange(span)), rng.randint(1, 60)) for _ in range(count)]


def bench_school_days(queries: int, naive_sample: int, repeats: int) -> None:
    rng = random.Random(20261123)
    cal = english_calendar(6)
    naive = DayByDayCalendar(
        slug=cal.slug, title=cal.title, region=cal.region, terms=cal.terms, closures=cal.closures
    )
    asked = school_day_queries(cal, queries, rng)
    # numpy's business days: Monday to Friday, with every weekday that is not a school day
    # (out of term, closures, bank holidays) given as a holiday.
    school = set(cal.school_days())
    not_school = [
        cal.first_day + timedelta(days=i)
        for i in range((cal.last_day - cal.first_day).days + 1)
        if (cal.first_day + timedelta(days=i)).weekday() < 5
        and cal.first_day + timedelta(days=i) not in school
    ]
    busdays = np.busdaycalendar(
        weekmask="1111100", holidays=np.array(not_school, dtype="datetime64[D]")
    )
    starts = np.array([d for d, _ in asked], dtype="datetime64[D]")
    offsets = np.array([n for _, n in asked])

    def fairway() -> list[date]:
        add = cal.add_school_days
        return [add(d, n) for d, n in asked]

    def numpy_each() -> list[np.datetime64]:
        offset = np.busday_offset
        return [
            offset(s, n, roll="backward", busdaycal=busdays)
            for s, n in zip(starts, offsets.tolist(), strict=True)
        ]

    def numpy_vector() -> np.ndarray:
        return np.busday_offset(starts, offsets, roll="backward", busdaycal=busdays)

    sample = asked[:naive_sample]

    def day_by_day() -> list[date]:
        return [naive.add_school_days(d, n) for d, n in sample]

    # Same answers first: a fast wrong answer is no answer.
    ours = fairway()
    assert ours == [d.astype(date) for d in numpy_vector()], "numpy disagrees"
    assert ours[:naive_sample] == day_by_day(), "the day-by-day loop disagrees"
    assert [d.astype(date) for d in numpy_each()[:1000]] == ours[:1000]

    t_ours = best_of(repeats, fairway)
    t_each = best_of(repeats, numpy_each)
    t_vector = best_of(repeats, numpy_vector)
    t_naive = best_of(3, day_by_day) * queries / len(sample)
    print(f"School-day arithmetic: {queries:,} 'Nth school day after D' queries, 6-year calendar")
    print(f"  Fairway index, one query at a time   {t_ours * 1e3:9.1f} ms")
    print(
        f"  numpy.busday_offset, one at a time    {t_each * 1e3:9.1f} ms   Fairway is {t_each / t_ours:6.1f}x faster"
    )
    print(
        f"  numpy.busday_offset, vectorised       {t_vector * 1e3:9.1f} ms   Fairway is {t_vector / t_ours:6.2f}x its speed"
    )
    print(
        f"  naive day-by-day loop (scaled from {len(sample):,}) {t_naive * 1e3:9.1f} ms   Fairway is {t_naive / t_ours:6.0f}x faster"
    )
    print(
        f"  targets: >= 1x numpy one at a time ({'met' if t_each >= t_ours else 'NOT met'}), "
        f">= 100x naive ({'met' if t_naive >= 100 * t_ours else 'NOT met'})"
    )


def timeline_cases(
    protocols: tuple[Protocol, ...], count: int, rng: random.Random
) -> list[tuple[Protocol, date, dict[str, date]]]:
    """Cases starting in the first two school years, each with an outcome decided later."""
    cases = []
    for index in range(count):
        protocol = protocols[index % len(protocols)]
        start = date(FIRST_YEAR, 9, 9) + timedelta(days=rng.randrange(600))
        events = {"outcome_decided": start + timedelta(days=rng.randrange(60, 120))}
        cases.append((protocol, start, events))
    return cases


def run_timelines(
    cal: SchoolCalendar, cases: list[tuple[Protocol, date, dict[str, date]]]
) -> list[tuple[DatedMilestone, ...]]:
    return [
        compute_timeline(protocol=p, calendar=cal, start=start, events=events).milestones
        for p, start, events in cases
    ]


def bench_timelines(count: int, naive_sample: int, repeats: int) -> None:
    rng = random.Random(31)
    protocols = bundled_protocols()
    six = english_calendar(6)
    three = english_calendar(3)
    naive = DayByDayCalendar(
        slug=six.slug, title=six.title, region=six.region, terms=six.terms, closures=six.closures
    )
    cases = timeline_cases(protocols, count, rng)
    sample = cases[:naive_sample]
    assert run_timelines(six, sample) == run_timelines(naive, sample), "naive timelines disagree"
    assert run_timelines(six, cases) == run_timelines(three, cases), (
        "3- and 6-year calendars disagree"
    )
    milestones = sum(len(m) for m in run_timelines(six, cases))

    t_six = best_of(repeats, lambda: run_timelines(six, cases))
    t_three = best_of(repeats, lambda: run_timelines(three, cases))
    t_half = best_of(repeats, lambda: run_timelines(six, cases[: count // 2]))
    t_naive = best_of(3, lambda: run_timelines(naive, sample)) * count / len(sample)
    t_sample = best_of(10 * repeats, lambda: run_timelines(six, sample)) * count / len(sample)
    names = ", ".join(p.reference for p in protocols)
    print(
        f"\nTimelines: {count:,} cases over {len(protocols)} bundled protocols ({names}); {milestones:,} dated milestones"
    )
    print(f"  Fairway, 6-year calendar              {t_six * 1e3:9.1f} ms")
    print(
        f"  naive day-by-day calendar (scaled from {len(sample):,}) {t_naive * 1e3:9.1f} ms   Fairway is {t_naive / t_six:6.0f}x faster"
    )
    print(
        f"  Fairway on the same {len(sample):,} cases (scaled)    {t_sample * 1e3:9.1f} ms   Fairway is {t_naive / t_sample:6.0f}x faster (like for like)"
    )
    print(
        f"  Fairway, 3-year calendar              {t_three * 1e3:9.1f} ms   6-year / 3-year = {t_six / t_three:4.2f} (1.00 = independent of length)"
    )
    print(
        f"  Fairway, {count // 2:,} cases (6-year)          {t_half * 1e3:9.1f} ms   {count:,} / {count // 2:,} cases = {t_six / t_half:4.2f} (2.00 = linear)"
    )
    print(f"  target: >= 50x naive ({'met' if t_naive >= 50 * t_six else 'NOT met'})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="smaller samples, for a smoke run")
    args = parser.parse_args()
    if args.quick:
        bench_school_days(queries=5_000, naive_sample=200, repeats=1)
        bench_timelines(count=400, naive_sample=20, repeats=1)
    else:
        bench_school_days(queries=50_000, naive_sample=2_000, repeats=5)
        bench_timelines(count=10_000, naive_sample=200, repeats=3)


if __name__ == "__main__":
    main()
