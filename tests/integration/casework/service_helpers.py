"""Helpers for the tests of one case-work service each (tests/integration/casework/test_service_*).

Cases at the stage a service needs, the row counts that show a refused write left nothing behind,
and the audit lines a write added.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Model

from fairway.casework import selectors, services
from fairway.casework.models import (
    AttendanceWeek,
    Case,
    CaseEvent,
    Commitment,
    EarlyEnd,
    Extension,
    FormSubmission,
    MilestoneDone,
    Outcome,
    SignOff,
)
from tenants.models import AuditEvent, School, User
from tests.factories import CouncilFactory, SchoolFactory

from .conftest import Place, agree, open_case

# Every table a case-work service writes to, with the history tables of the versioned models.
WRITTEN: tuple[type[Model], ...] = (
    Case,
    Case.history.model,
    FormSubmission,
    FormSubmission.history.model,
    CaseEvent,
    MilestoneDone,
    SignOff,
    SignOff.history.model,
    AttendanceWeek,
    AttendanceWeek.history.model,
    Extension,
    EarlyEnd,
    Outcome,
    AuditEvent,
)


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in WRITTEN}


def started(
    place: Place,
    *,
    first_day: date = date(2026, 11, 30),
    referred_on: date = date(2026, 11, 2),
    receiving: School | None = None,
) -> Case:
    """A case agreed, signed and started: the off-site direction is in progress."""
    case = agree(
        open_case(place, referred_on=referred_on), place, first_day=first_day, receiving=receiving
    )
    services.case_event_record(
        case=case,
        event_key="start",
        day=first_day,
        recorded_by=place.officer,
        expected_version=case.version,
    )
    return Case.objects.get(pk=case.pk)


def school_of_another_council(*, slug: str, name: str, school: str) -> School:
    """A school over the border: a move there makes the case a cross-authority one."""
    return SchoolFactory(council=CouncilFactory(slug=slug, name=name), name=school)


def leicester_city_school() -> School:
    return school_of_another_council(
        slug="leicester-city",
        name="Leicester City Council",
        school="Braunstone Frith Community College",
    )


def changed_by_someone_else(case: Case, *, by: User, day: date = date(2026, 12, 1)) -> Case:
    """Another person's write to the case (a parent's review request), so a held version is stale."""
    services.case_event_record(
        case=case,
        event_key="parent_review_request",
        day=day,
        recorded_by=by,
        expected_version=case.version,
    )
    return Case.objects.get(pk=case.pk)


def audit_mark() -> int:
    """The newest audit line now; `audit_since` returns the lines written after it."""
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def audit_since(mark: int, case: Case) -> list[tuple[str, str, str]]:
    """(council whose log it is, action, summary) of the lines about `case` written after `mark`."""
    return list(
        AuditEvent.objects.filter(pk__gt=mark, object_type="case", object_id=str(case.pk))
        .order_by("pk")
        .values_list("council__slug", "action", "summary")
    )


def home_calendar_timeline(case: Case, *, today: date) -> selectors.CaseTimeline:
    """The case's timeline counted on the home school's calendar alone (what it would be with no
    calendar of the receiving school's), to compare with the case's own."""
    protocol = case.protocol_version.load()
    return selectors.timeline_compute(
        protocol=protocol,
        calendar=selectors.case_calendar(case=case),
        start=case.start_date,
        facts=selectors.case_facts(case=case, protocol=protocol),
        today=today,
    )


def add_weeks_of_records(case: Case, place: Place, *, weeks: list[date]) -> None:
    """An attendance week and a target for each Monday: a record that grows."""
    for monday in weeks:
        fresh = Case.objects.get(pk=case.pk)
        services.attendance_record(
            case=fresh,
            week_beginning=monday,
            sessions_possible=10,
            sessions_attended=9,
            recorded_by=place.receiving_staff,
            expected_version=fresh.version,
        )
        fresh = Case.objects.get(pk=case.pk)
        services.commitment_add(
            case=fresh,
            kind=Commitment.Kind.TARGET,
            role_key="pupil",
            text=f"Attend every lesson in the week of {monday:%d %B}",
            agreed_on=monday,
            added_by=place.officer,
            expected_version=fresh.version,
        )
