"""services.deadlines_refresh_for_school: a school's open cases get their stored deadline re-dated.

It runs when the home school's calendar changes (a closure added, the council's calendar
replaced). It is not a person's change: it keeps the case's version, so nobody editing the case is
told someone else changed it, and it writes no audit line. It raises no CaseworkError.
"""

from datetime import date

from fairway.casework import services
from fairway.casework.models import Case
from protocols.models import SchoolClosure
from tenants.models import AuditEvent

from .conftest import Place, open_case
from .service_helpers import started


def _dual_registration_done(case: Case, place: Place) -> Case:
    return services.milestone_done_record(
        case=case,
        milestone_key="dual_registration",
        done_on=date(2026, 11, 30),
        recorded_by=place.home_staff,
        expected_version=case.version,
    )


def test_a_closure_at_the_home_school_moves_the_stored_deadline(norfolk: Place) -> None:
    case = _dual_registration_done(started(norfolk, first_day=date(2026, 11, 30)), norfolk)
    assert Case.objects.get(pk=case.pk).next_due == date(2026, 12, 4)  # end of the first week
    # bulk_create sends no signal: the service alone re-dates the case.
    SchoolClosure.objects.bulk_create(
        [
            SchoolClosure(
                school=norfolk.home,
                name="INSET day",
                start=date(2026, 12, 4),
                end=date(2026, 12, 4),
            )
        ]
    )
    assert Case.objects.get(pk=case.pk).next_due == date(2026, 12, 4)
    audit_lines = AuditEvent.objects.count()
    assert services.deadlines_refresh_for_school(school=norfolk.home) == 1
    after = Case.objects.get(pk=case.pk)
    # The first term week now ends on the Thursday (an INSET day inside the week, not on its
    # last day, would not move it: school weeks are term weeks).
    assert after.next_due == date(2026, 12, 3)
    assert after.next_due_label == "Weekly attendance note to the home school 1 (week 1)"
    assert (after.version, after.last_change) == (case.version, case.last_change)
    assert AuditEvent.objects.count() == audit_lines


def test_only_the_schools_cases_with_a_stored_deadline_are_re_dated(norfolk: Place) -> None:
    running = started(norfolk)
    referral = open_case(norfolk)  # nothing is dated before the first day
    assert referral.next_due is None
    # The case is dated by its home school's calendar, so its receiving school's is not asked.
    Case.objects.filter(pk=running.pk).update(next_due=date(2030, 1, 1), next_due_label="Stale")
    assert services.deadlines_refresh_for_school(school=norfolk.receiving) == 0
    assert Case.objects.get(pk=running.pk).next_due == date(2030, 1, 1)
    assert services.deadlines_refresh_for_school(school=norfolk.home) == 1
    refreshed = Case.objects.get(pk=running.pk)
    assert refreshed.next_due == date(2026, 11, 30)  # dual registration, on the first day
    assert Case.objects.get(pk=referral.pk).next_due is None


def test_someone_editing_the_case_is_not_interrupted(norfolk: Place) -> None:
    case = started(norfolk)
    seen = case.version
    SchoolClosure.objects.create(
        school=norfolk.home, name="INSET day", start=date(2026, 12, 2), end=date(2026, 12, 2)
    )  # re-dates through the signal
    services.deadlines_refresh_for_school(school=norfolk.home)
    _dual_registration_done(case, norfolk)  # the version they saw is still current
    assert Case.objects.get(pk=case.pk).version == seen + 1
