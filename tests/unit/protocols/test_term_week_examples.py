"""School weeks are term weeks: issue 12's worked examples on the bundled protocols and calendars,
through compute_timeline and `fairway timeline`, and `week_counting: five_school_days` (no database).
"""

import json
import shutil
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from fairway.cli import main
from protocols.bundled import bundled_calendars, bundled_protocols
from protocols.core.loader import load_protocol, validate_file
from protocols.core.model import Protocol
from protocols.core.timeline import compute_timeline

REPO = Path(__file__).resolve().parents[3]
BUNDLED = REPO / "protocols" / "bundled"


def protocol(reference: str) -> Protocol:
    return next(p for p in bundled_protocols() if p.reference == reference)


def due(reference: str, calendar: str, start: date, **changes: str) -> dict[str, date]:
    timeline = compute_timeline(
        protocol=replace(protocol(reference), **changes) if changes else protocol(reference),
        calendar=next(c for c in bundled_calendars() if c.slug == calendar),
        start=start,
    )
    return {m.key: m.due for m in timeline.milestones}


def test_every_bundled_protocol_counts_term_weeks() -> None:
    assert {p.week_counting for p in bundled_protocols()} == {"term_weeks"}


def test_norfolk_dowimm_from_monday_16_march_2026_ends_friday_22_may() -> None:
    # Term weeks 1-2: 16-27 Mar; the Easter holiday 30 Mar - 10 Apr (and Mon 13 Apr, before the
    # summer term) is two weeks that do not count; week 3 is the short week Tue 14 - Fri 17 Apr;
    # weeks 4-8: 20 Apr - 22 May, Mon 4 May (a bank holiday) in week 6 counting whole. Counted as
    # 40 school days it would run past the May half-term (25-29 May) to Tue 2 Jun.
    dates = due("norfolk-managed-moves@2", "norfolk", date(2026, 3, 16))
    assert dates["trial_end"] == date(2026, 5, 22)
    # Weekly notes every Friday, across the Easter holiday and the bank holiday.
    assert [dates[f"weekly_attendance.{i}"] for i in range(1, 9)] == [
        date(2026, 3, 20),
        date(2026, 3, 27),
        date(2026, 4, 17),
        date(2026, 4, 24),
        date(2026, 5, 1),
        date(2026, 5, 8),
        date(2026, 5, 15),
        date(2026, 5, 22),
    ]
    # Reviews every 2 term weeks.
    assert [dates[f"review.{i}"] for i in range(1, 5)] == [
        date(2026, 3, 27),
        date(2026, 4, 24),
        date(2026, 5, 8),
        date(2026, 5, 22),
    ]


def test_norfolk_dowimm_counted_as_five_school_days_ends_tuesday_2_june() -> None:
    dates = due(
        "norfolk-managed-moves@2", "norfolk", date(2026, 3, 16), week_counting="five_school_days"
    )
    assert dates["trial_end"] == date(2026, 6, 2)


def test_southwark_reviews_from_monday_13_april_2026_fall_on_fridays() -> None:
    # Weeks 1-4: 13 Apr - 8 May (Mon 4 May in week 4); 5-6: 11-22 May; half-term 25-29 May;
    # 7-8: 1-12 Jun; 9-12: 15 Jun - 10 Jul.
    dates = due("southwark-managed-moves@1", "southwark", date(2026, 4, 13))
    assert [dates[f"review.{i}"] for i in (1, 2, 3)] == [
        date(2026, 5, 8),
        date(2026, 6, 12),
        date(2026, 7, 10),
    ]
    assert dates["trial_end"] == date(2026, 7, 10)


def test_southwark_reviews_counted_as_five_school_days_fall_on_mondays() -> None:
    dates = due(
        "southwark-managed-moves@1",
        "southwark",
        date(2026, 4, 13),
        week_counting="five_school_days",
    )
    assert [dates[f"review.{i}"] for i in (1, 2, 3)] == [
        date(2026, 5, 11),
        date(2026, 6, 15),
        date(2026, 7, 13),
    ]


def test_a_wednesday_start_ends_on_a_tuesday() -> None:
    norfolk = next(c for c in bundled_calendars() if c.slug == "norfolk")
    # From Wed 22 Apr 2026: week 1 ends Tue 28 Apr, the day before Wednesday of the next term
    # week. Week 8: the 8th term week after 20-24 Apr is 22-26 Jun (27 Apr, 4 May with its bank
    # holiday, 11, 18 May, half-term 25-29 May skipped, 1, 8, 15, 22 Jun), so Tue 23 Jun.
    assert norfolk.end_of_term_week(date(2026, 4, 22), 1) == date(2026, 4, 28)
    assert norfolk.end_of_term_week(date(2026, 4, 22), 8) == date(2026, 6, 23)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["--protocol", "norfolk-managed-moves@2", "--calendar", "norfolk"],
            {"start": "2026-03-16", "trial_end": "2026-05-22"},
        ),
        (
            ["--protocol", "southwark-managed-moves", "--calendar", "southwark"],
            {
                "start": "2026-04-13",
                "review.1": "2026-05-08",
                "review.2": "2026-06-12",
                "review.3": "2026-07-10",
            },
        ),
    ],
)
def test_the_worked_examples_on_the_command_line(
    args: list[str],
    expected: dict[str, str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(REPO)
    assert main(["timeline", *args, "--start", expected["start"], "--json"]) == 0
    dates = {m["key"]: m["due"] for m in json.loads(capsys.readouterr().out)["milestones"]}
    assert {k: dates[k] for k in expected if k != "start"} == {
        k: v for k, v in expected.items() if k != "start"
    }


def _copy_southwark(tmp_path: Path, line: str) -> Path:
    for folder in ("shared", "southwark"):
        shutil.copytree(BUNDLED / folder, tmp_path / folder)
    path = tmp_path / "southwark" / "managed-moves-v1.yaml"
    text = path.read_text("utf-8")
    path.write_text(text.replace("short_name:", f"{line}\nshort_name:", 1), "utf-8")
    return path


def test_a_protocol_may_keep_five_school_day_weeks(tmp_path: Path) -> None:
    path = _copy_southwark(tmp_path, "week_counting: five_school_days")
    assert validate_file(str(path)) == []
    assert load_protocol(str(path)).week_counting == "five_school_days"


def test_an_unknown_week_counting_is_refused(tmp_path: Path) -> None:
    path = _copy_southwark(tmp_path, "week_counting: fortnights")
    problems = validate_file(str(path))
    assert problems
    assert any("week_counting" in str(p) or "fortnights" in str(p) for p in problems)
