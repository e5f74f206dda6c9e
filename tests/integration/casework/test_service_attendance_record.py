"""services.attendance_record: a week's attendance at the receiving school, once the direction started."""

from datetime import date

import pytest

from fairway.casework import services
from fairway.casework.models import AttendanceWeek, Case, Stage
from tenants.models import AuditEvent

from .conftest import Place, agree, open_case
from .service_helpers import audit_mark, audit_since, leicester_city_school, row_counts, started


def test_a_week_is_stored_for_its_monday(norfolk: Place) -> None:
    case = started(norfolk, first_day=date(2026, 11, 30))
    mark = audit_mark()
    week = services.attendance_record(
        case=case,
        week_beginning=date(2026, 12, 2),  # a Wednesday
        sessions_possible=10,
        sessions_attended=8,
        recorded_by=norfolk.receiving_staff,
        expected_version=case.version,
        note="Two sessions missed: a medical appointment",
    )
    stored = AttendanceWeek.objects.get(pk=week.pk)
    assert stored.week_beginning == date(2026, 11, 30)
    assert (stored.sessions_possible, stored.sessions_attended, stored.rate) == (10, 8, 80)
    assert stored.note == "Two sessions missed: a medical appointment"
    assert stored.recorded_by == norfolk.receiving_staff
    summary = "Attendance for the week beginning Mon 30 Nov 2026: 8 of 10 sessions"
    after = Case.objects.get(pk=case.pk)
    assert (after.version, after.last_change) == (case.version + 1, summary)
    assert audit_since(mark, case) == [
        ("norfolk", AuditEvent.Action.RECORD_CHANGED, f"{case.reference}: {summary}")
    ]


def test_the_same_week_again_is_corrected_not_added(norfolk: Place) -> None:
    case = started(norfolk)
    for attended in (6, 9):
        services.attendance_record(
            case=case,
            week_beginning=date(2026, 11, 30),
            sessions_possible=10,
            sessions_attended=attended,
            recorded_by=norfolk.receiving_staff,
            expected_version=Case.objects.get(pk=case.pk).version,
        )
    assert AttendanceWeek.objects.get(case=case).sessions_attended == 9


def test_attendance_can_still_be_recorded_after_an_early_end(southwark: Place) -> None:
    case = started(southwark)
    services.case_end_early(
        case=case,
        end_rule_key="breakdown",
        decided_on=date(2026, 12, 9),
        reasons="Repeated serious incidents",
        answers={},
        ended_by=southwark.officer,
        expected_version=case.version,
    )
    case = Case.objects.get(pk=case.pk)
    assert case.stage == Stage.ENDED_EARLY
    services.attendance_record(
        case=case,
        week_beginning=date(2026, 12, 7),
        sessions_possible=6,
        sessions_attended=6,
        recorded_by=southwark.receiving_staff,
        expected_version=case.version,
    )
    assert AttendanceWeek.objects.filter(case=case, week_beginning=date(2026, 12, 7)).exists()


def test_a_cross_authority_week_is_logged_by_both_councils(leicestershire: Place) -> None:
    case = started(leicestershire, receiving=leicester_city_school())
    mark = audit_mark()
    services.attendance_record(
        case=case,
        week_beginning=date(2026, 11, 30),
        sessions_possible=10,
        sessions_attended=10,
        recorded_by=leicestershire.officer,
        expected_version=case.version,
    )
    line = f"{case.reference}: Attendance for the week beginning Mon 30 Nov 2026: 10 of 10 sessions"
    assert audit_since(mark, case) == [
        ("leicestershire", AuditEvent.Action.RECORD_CHANGED, line),
        ("leicester-city", AuditEvent.Action.RECORD_CHANGED, line),
    ]


def test_attendance_before_the_first_day_is_refused(norfolk: Place) -> None:
    # Agreed with a planned first day, but the direction has not started.
    case = agree(open_case(norfolk), norfolk, first_day=date(2026, 11, 30))
    assert case.start_date is not None and case.stage == Stage.AGREEMENT
    before = row_counts()
    with pytest.raises(services.CaseworkError) as raised:
        services.attendance_record(
            case=case,
            week_beginning=date(2026, 11, 30),
            sessions_possible=10,
            sessions_attended=10,
            recorded_by=norfolk.receiving_staff,
            expected_version=case.version,
        )
    assert raised.value.message == (
        "Attendance is recorded once the off-site direction has started."
    )
    assert raised.value.field is None
    assert row_counts() == before


def test_more_sessions_attended_than_possible_is_refused(norfolk: Place) -> None:
    case = started(norfolk)
    before = row_counts()
    with pytest.raises(services.CaseworkError) as raised:
        services.attendance_record(
            case=case,
            week_beginning=date(2026, 11, 30),
            sessions_possible=6,
            sessions_attended=8,
            recorded_by=norfolk.receiving_staff,
            expected_version=case.version,
        )
    assert raised.value.message == "Sessions attended cannot be more than the sessions possible."
    assert raised.value.field == "sessions_attended"
    assert row_counts() == before


def test_a_stale_version_is_refused_with_what_changed(norfolk: Place) -> None:
    case = started(norfolk, first_day=date(2026, 11, 30))
    stale = case.version
    services.attendance_record(
        case=case,
        week_beginning=date(2026, 11, 30),
        sessions_possible=10,
        sessions_attended=10,
        recorded_by=norfolk.receiving_staff,
        expected_version=stale,
    )
    before = row_counts()
    with pytest.raises(services.ConcurrentEditError) as raised:
        services.attendance_record(
            case=case,
            week_beginning=date(2026, 11, 30),
            sessions_possible=10,
            sessions_attended=2,
            recorded_by=norfolk.home_staff,
            expected_version=stale,
        )
    assert [(c.who, c.what) for c in raised.value.changes] == [
        (
            str(norfolk.receiving_staff),
            "Attendance for the week beginning Mon 30 Nov 2026: 10 of 10 sessions",
        )
    ]
    assert row_counts() == before
    assert case.attendance_weeks.get().sessions_attended == 10  # not overwritten
