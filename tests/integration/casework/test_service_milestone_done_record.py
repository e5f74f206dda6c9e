"""services.milestone_done_record: a milestone without a form of its own is marked as done."""

from datetime import date

import pytest

from fairway.casework import services
from fairway.casework.models import Case, MilestoneDone
from tenants.models import AuditEvent

from .conftest import Place, open_case
from .service_helpers import (
    audit_mark,
    audit_since,
    changed_by_someone_else,
    leicester_city_school,
    row_counts,
    started,
)

DUAL_REGISTRATION = "Pupil dual registered at the receiving school (home school records code D)"


def test_dual_registration_done_moves_the_next_deadline_on(norfolk: Place) -> None:
    case = started(norfolk, first_day=date(2026, 11, 30))
    assert case.next_due == date(2026, 11, 30)  # dual registration is due on the first day
    mark = audit_mark()
    returned = services.milestone_done_record(
        case=case,
        milestone_key="dual_registration",
        done_on=date(2026, 11, 30),
        recorded_by=norfolk.home_staff,
        expected_version=case.version,
    )
    done = MilestoneDone.objects.get(case=case)
    assert (done.milestone_key, done.done_on, done.recorded_by) == (
        "dual_registration",
        date(2026, 11, 30),
        norfolk.home_staff,
    )
    after = Case.objects.get(pk=case.pk)
    assert returned.version == after.version == case.version + 1
    assert after.next_due == date(2026, 12, 4)  # the first weekly attendance note
    assert after.last_change == f"{DUAL_REGISTRATION}: done"
    assert audit_since(mark, case) == [
        (
            "norfolk",
            AuditEvent.Action.RECORD_CHANGED,
            f"{case.reference}: {DUAL_REGISTRATION}: done",
        )
    ]


def test_marking_it_again_keeps_one_record_with_the_latest_date(norfolk: Place) -> None:
    case = started(norfolk)
    for day in (date(2026, 11, 30), date(2026, 12, 1)):
        case = services.milestone_done_record(
            case=case,
            milestone_key="dual_registration",
            done_on=day,
            recorded_by=norfolk.home_staff,
            expected_version=case.version,
        )
    assert MilestoneDone.objects.get(case=case).done_on == date(2026, 12, 1)


def test_a_cross_authority_case_is_logged_by_both_councils(leicestershire: Place) -> None:
    # Leicestershire: the SEIP records the move in the Partnership Register on the first day.
    case = started(leicestershire, receiving=leicester_city_school())
    mark = audit_mark()
    services.milestone_done_record(
        case=case,
        milestone_key="partnership_register_entry",
        done_on=date(2026, 11, 30),
        recorded_by=leicestershire.officer,
        expected_version=case.version,
    )
    line = f"{case.reference}: Move recorded in the Partnership Register: done"
    assert audit_since(mark, case) == [
        ("leicestershire", AuditEvent.Action.RECORD_CHANGED, line),
        ("leicester-city", AuditEvent.Action.RECORD_CHANGED, line),
    ]


@pytest.mark.parametrize("milestone_key", ["no_such_milestone", "dual_registration"])
def test_a_milestone_not_on_the_cases_timeline_is_refused(
    norfolk: Place, milestone_key: str
) -> None:
    # Before the agreement there is no first day, so dual registration is not dated yet.
    case = open_case(norfolk)
    before = row_counts()
    with pytest.raises(services.CaseworkError) as raised:
        services.milestone_done_record(
            case=case,
            milestone_key=milestone_key,
            done_on=date(2026, 11, 30),
            recorded_by=norfolk.home_staff,
            expected_version=case.version,
        )
    assert raised.value.message == "This case has no such milestone."
    assert raised.value.field is None
    assert row_counts() == before


def test_a_stale_version_is_refused_with_what_changed(norfolk: Place) -> None:
    case = started(norfolk)
    seen = case.version
    changed_by_someone_else(case, by=norfolk.officer)
    before = row_counts()
    with pytest.raises(services.ConcurrentEditError) as raised:
        services.milestone_done_record(
            case=case,
            milestone_key="dual_registration",
            done_on=date(2026, 11, 30),
            recorded_by=norfolk.home_staff,
            expected_version=seen,
        )
    assert [(c.who, c.what) for c in raised.value.changes] == [
        (str(norfolk.officer), "Parent's written request for a review: Tue 1 Dec 2026")
    ]
    assert row_counts() == before
    assert not MilestoneDone.objects.filter(case=case).exists()
