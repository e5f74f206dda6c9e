"""services.case_event_record: a protocol event on a date; "start" is the first day of the direction."""

from datetime import date

import pytest

from fairway.casework import services
from fairway.casework.models import Case, CaseEvent, Stage
from tenants.models import AuditEvent

from .conftest import Place, agree, fill, open_case, submit_form
from .service_helpers import (
    audit_mark,
    audit_since,
    changed_by_someone_else,
    leicester_city_school,
    row_counts,
    started,
)


def test_the_first_day_starts_the_off_site_direction(norfolk: Place) -> None:
    case = agree(open_case(norfolk), norfolk, first_day=date(2026, 11, 30))
    mark = audit_mark()
    returned = services.case_event_record(
        case=case,
        event_key="start",
        day=date(2026, 12, 1),  # a day later than the notice planned
        recorded_by=norfolk.officer,
        expected_version=case.version,
        note="Arrived with a parent",
    )
    after = Case.objects.get(pk=case.pk)
    assert returned.version == after.version == case.version + 1
    assert after.stage == Stage.OFF_SITE_DIRECTION
    assert after.start_date == date(2026, 12, 1)
    event = CaseEvent.objects.get(case=case, event_key="start")
    assert (event.date, event.note, event.recorded_by) == (
        date(2026, 12, 1),
        "Arrived with a parent",
        norfolk.officer,
    )
    # Dual registration is due on the first day: the next deadline on the case.
    assert after.next_due == date(2026, 12, 1)
    assert after.next_due_label.startswith("Pupil dual registered at the receiving school")
    assert after.last_change == "First day at the receiving school: Tue 1 Dec 2026"
    assert after.history.latest().history_user == norfolk.officer
    assert audit_since(mark, case) == [
        (
            "norfolk",
            AuditEvent.Action.RECORD_CHANGED,
            f"{case.reference}: First day at the receiving school: Tue 1 Dec 2026",
        )
    ]


def test_an_event_recorded_again_keeps_the_latest_date(norfolk: Place) -> None:
    case = open_case(norfolk)
    for day in (date(2026, 11, 9), date(2026, 11, 10)):
        case = services.case_event_record(
            case=case,
            event_key="parent_review_request",
            day=day,
            recorded_by=norfolk.home_staff,
            expected_version=case.version,
        )
    event = CaseEvent.objects.get(case=case, event_key="parent_review_request")
    assert event.date == date(2026, 11, 10)
    assert case.last_change == "Parent's written request for a review: Tue 10 Nov 2026"
    assert case.stage == Stage.REFERRAL  # only "start" moves the stage


def test_southwark_records_its_own_breakdown_event(southwark: Place) -> None:
    case = started(southwark)
    case = services.case_event_record(
        case=case,
        event_key="breakdown_decided",
        day=date(2026, 11, 20),
        recorded_by=southwark.receiving_staff,
        expected_version=case.version,
    )
    assert case.events.filter(event_key="breakdown_decided", date=date(2026, 11, 20)).exists()
    assert case.last_change == (
        "Proposed school's head decides the move is not working: Fri 20 Nov 2026"
    )


def test_the_first_day_of_a_cross_authority_move_is_logged_by_both_councils(
    leicestershire: Place,
) -> None:
    city_school = leicester_city_school()
    case = agree(
        open_case(leicestershire),
        leicestershire,
        first_day=date(2026, 11, 30),
        receiving=city_school,
    )
    mark = audit_mark()
    services.case_event_record(
        case=case,
        event_key="start",
        day=date(2026, 11, 30),
        recorded_by=leicestershire.officer,
        expected_version=case.version,
    )
    line = f"{case.reference}: First day at the receiving school: Mon 30 Nov 2026"
    assert audit_since(mark, case) == [
        ("leicestershire", AuditEvent.Action.RECORD_CHANGED, line),
        ("leicester-city", AuditEvent.Action.RECORD_CHANGED, line),
    ]


def test_an_event_the_protocol_does_not_have_is_refused(norfolk: Place) -> None:
    # Southwark's breakdown event is not one of Norfolk's.
    case = open_case(norfolk)
    before = row_counts()
    with pytest.raises(services.CaseworkError) as raised:
        services.case_event_record(
            case=case,
            event_key="breakdown_decided",
            day=date(2026, 11, 20),
            recorded_by=norfolk.officer,
            expected_version=case.version,
        )
    assert raised.value.message == "This protocol has no such event."
    assert raised.value.field == "event_key"
    assert row_counts() == before


def test_the_first_day_needs_a_receiving_school(norfolk: Place) -> None:
    case = open_case(norfolk)
    before = row_counts()
    with pytest.raises(services.CaseworkError) as raised:
        services.case_event_record(
            case=case,
            event_key="start",
            day=date(2026, 11, 30),
            recorded_by=norfolk.officer,
            expected_version=case.version,
        )
    assert raised.value.message == "Record the agreement with the receiving school first."
    assert raised.value.field is None
    assert row_counts() == before


def test_the_first_day_needs_every_sign_off(norfolk: Place) -> None:
    case = open_case(norfolk)
    case = submit_form(case, "agreement", fill(case, "agreement", norfolk), norfolk.home_staff)
    for role in ("parent", "home_school"):
        services.sign_off_record(
            case=case,
            sign_off_key="trial_agreement",
            role_key=role,
            signed_by_name="A signer",
            signed_on=date(2026, 11, 20),
            recorded_by=norfolk.officer,
            expected_version=case.version,
        )
        case.refresh_from_db()
    before = row_counts()
    with pytest.raises(services.CaseworkError) as raised:
        services.case_event_record(
            case=case,
            event_key="start",
            day=date(2026, 11, 30),
            recorded_by=norfolk.officer,
            expected_version=case.version,
        )
    assert raised.value.message == (
        "The off-site direction cannot start until these have signed: "
        "Receiving school, Fair Access team (Norfolk County Council)."
    )
    assert raised.value.field is None
    assert row_counts() == before
    assert Case.objects.get(pk=case.pk).stage == Stage.AGREEMENT


def test_a_stale_version_is_refused_with_what_changed(norfolk: Place) -> None:
    case = agree(open_case(norfolk), norfolk, first_day=date(2026, 11, 30))
    seen = case.version
    changed_by_someone_else(case, by=norfolk.home_staff)
    before = row_counts()
    with pytest.raises(services.ConcurrentEditError) as raised:
        services.case_event_record(
            case=case,
            event_key="start",
            day=date(2026, 11, 30),
            recorded_by=norfolk.officer,
            expected_version=seen,
        )
    assert [(c.who, c.what) for c in raised.value.changes] == [
        (str(norfolk.home_staff), "Parent's written request for a review: Tue 1 Dec 2026")
    ]
    assert row_counts() == before
    assert Case.objects.get(pk=case.pk).stage == Stage.AGREEMENT


def test_the_first_day_cannot_restart_an_ended_direction(norfolk: Place) -> None:
    case = started(norfolk)
    services.case_end_early(
        case=case,
        end_rule_key=next(
            r.key for r in case.protocol_version.load().end_rules if r.effect == "ends_trial"
        ),
        decided_on=date(2026, 12, 9),
        reasons="Serious breach",
        answers={},
        ended_by=norfolk.officer,
        expected_version=case.version,
    )
    case = Case.objects.get(pk=case.pk)
    before = row_counts()
    with pytest.raises(services.CaseworkError) as raised:
        services.case_event_record(
            case=case,
            event_key="start",
            day=date(2026, 12, 14),
            recorded_by=norfolk.officer,
            expected_version=case.version,
        )
    assert "while the move is agreed or under way" in raised.value.message
    assert row_counts() == before
    assert Case.objects.get(pk=case.pk).stage == Stage.ENDED_EARLY
