"""services.case_person_remove: a person added to a case by name loses both permissions on it."""

import pytest

from fairway.casework import access, services
from fairway.casework.models import Case, CaseUserObjectPermission, Stage
from tenants.models import AuditEvent, Role, User
from tests.factories import person_with_role

from .conftest import Place, accept_request, fill, open_case, submit_form
from .service_helpers import audit_mark, audit_since, leicester_city_school


def _permissions(person: User, case: Case) -> set[str]:
    return set(
        CaseUserObjectPermission.objects.filter(user=person, content_object=case).values_list(
            "permission__codename", flat=True
        )
    )


def _added(case: Case, place: Place, level: str, *, role: Role = Role.INCLUSION_ADVISER) -> User:
    adviser = person_with_role(role=role, council=place.council)
    services.case_person_add(case=case, person=adviser, access_level=level, added_by=place.officer)
    return adviser


@pytest.mark.parametrize("level", ["view", "change"])
def test_both_permissions_go(norfolk: Place, level: str) -> None:
    case = open_case(norfolk)
    # Staff of another school reach none of the case through their role, only by name.
    adviser = _added(case, norfolk, level, role=Role.SCHOOL_STAFF)
    assert access.cases_for(user=adviser, for_change=False).filter(pk=case.pk).exists()
    seen = Case.objects.get(pk=case.pk).version
    mark = audit_mark()
    services.case_person_remove(case=case, person=adviser, removed_by=norfolk.officer)
    assert _permissions(adviser, case) == set()
    for for_change in (False, True):
        assert not access.cases_for(user=adviser, for_change=for_change).filter(pk=case.pk).exists()
    summary = f"{adviser.get_full_name()} removed from the case"
    after = Case.objects.get(pk=case.pk)
    assert (after.version, after.last_change) == (seen + 1, summary)
    assert after.history.latest().history_user == norfolk.officer
    assert audit_since(mark, case) == [
        ("norfolk", AuditEvent.Action.PERMISSION_REVOKED, f"{case.reference}: {summary}")
    ]


def test_other_people_and_other_cases_keep_theirs(norfolk: Place) -> None:
    case, other = open_case(norfolk), open_case(norfolk)
    adviser = _added(case, norfolk, "change")
    colleague = _added(case, norfolk, "view")
    services.case_person_add(
        case=other, person=adviser, access_level="change", added_by=norfolk.officer
    )
    services.case_person_remove(case=case, person=adviser, removed_by=norfolk.officer)
    assert _permissions(adviser, case) == set()
    assert _permissions(adviser, other) == {"view_case", "change_case"}
    assert _permissions(colleague, case) == {"view_case"}


def test_the_case_as_it_is_now_is_kept(norfolk: Place) -> None:
    opened = open_case(norfolk)
    adviser = _added(opened, norfolk, "view")
    loaded = Case.objects.get(pk=opened.pk)  # the case as the council officer's page loaded it
    # Meanwhile the home school submits the agreement.
    submit_form(loaded, "agreement", fill(loaded, "agreement", norfolk), norfolk.home_staff)
    agreed = Case.objects.get(pk=opened.pk)
    services.case_person_remove(case=loaded, person=adviser, removed_by=norfolk.officer)
    after = Case.objects.get(pk=opened.pk)
    assert (after.stage, after.receiving_school) == (Stage.AGREEMENT, norfolk.receiving)
    assert after.version == agreed.version + 1


def test_a_cross_authority_case_is_logged_by_both_councils(leicestershire: Place) -> None:
    city_school = leicester_city_school()
    case = open_case(leicestershire)
    accept_request(case, leicestershire, school=city_school)
    case = submit_form(
        case,
        "agreement",
        fill(case, "agreement", leicestershire, receiving_school=city_school.pk),
        leicestershire.home_staff,
    )
    assert case.is_cross_authority
    adviser = _added(case, leicestershire, "change")
    mark = audit_mark()
    services.case_person_remove(case=case, person=adviser, removed_by=leicestershire.officer)
    line = f"{case.reference}: {adviser.get_full_name()} removed from the case"
    assert audit_since(mark, case) == [
        ("leicestershire", AuditEvent.Action.PERMISSION_REVOKED, line),
        ("leicester-city", AuditEvent.Action.PERMISSION_REVOKED, line),
    ]
