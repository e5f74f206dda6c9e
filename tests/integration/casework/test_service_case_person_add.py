"""services.case_person_add: a named person (an adviser from another team) added to one case.

Only people who work with one of the case's councils in Fairway can be added; the guardian
permissions are per case, so nothing else opens to them.
"""

import pytest

from fairway.casework import access, services
from fairway.casework.models import Case, CaseUserObjectPermission, Stage
from tenants.models import AuditEvent, Role, User
from tests.factories import CouncilFactory, MembershipFactory, UserFactory, person_with_role

from .conftest import Place, accept_request, fill, open_case, submit_form
from .service_helpers import audit_mark, audit_since, leicester_city_school, row_counts


def _counts() -> dict[str, int]:
    return {**row_counts(), "case permissions": CaseUserObjectPermission.objects.count()}


def _permissions(person: User, case: Case) -> set[str]:
    return set(
        CaseUserObjectPermission.objects.filter(user=person, content_object=case).values_list(
            "permission__codename", flat=True
        )
    )


def _adviser(place: Place) -> User:
    return person_with_role(role=Role.INCLUSION_ADVISER, council=place.council)


def _cross_authority(place: Place) -> Case:
    city_school = leicester_city_school()
    case = open_case(place)
    accept_request(case, place, school=city_school)
    case = submit_form(
        case,
        "agreement",
        fill(case, "agreement", place, receiving_school=city_school.pk),
        place.home_staff,
    )
    assert case.is_cross_authority
    return case


def test_view_and_change_on_this_case_only(norfolk: Place) -> None:
    case, other = open_case(norfolk), open_case(norfolk)
    adviser = _adviser(norfolk)
    seen = case.version
    mark = audit_mark()
    services.case_person_add(
        case=case, person=adviser, access_level="change", added_by=norfolk.officer
    )
    assert _permissions(adviser, case) == {"view_case", "change_case"}
    assert _permissions(adviser, other) == set()
    assert access.can_change(user=adviser, case=case)
    assert not access.can_change(user=adviser, case=other)
    summary = f"{adviser.get_full_name()} added to the case (view and change)"
    after = Case.objects.get(pk=case.pk)
    assert (after.version, after.last_change) == (seen + 1, summary)
    assert after.history.latest().history_user == norfolk.officer
    assert audit_since(mark, case) == [
        ("norfolk", AuditEvent.Action.PERMISSION_GRANTED, f"{case.reference}: {summary}")
    ]


def test_view_only(norfolk: Place) -> None:
    case = open_case(norfolk)
    adviser = _adviser(norfolk)
    mark = audit_mark()
    services.case_person_add(
        case=case, person=adviser, access_level="view", added_by=norfolk.officer
    )
    assert _permissions(adviser, case) == {"view_case"}
    assert access.cases_for(user=adviser, for_change=False).filter(pk=case.pk).exists()
    summary = f"{adviser.get_full_name()} added to the case (view only)"
    assert audit_since(mark, case) == [
        ("norfolk", AuditEvent.Action.PERMISSION_GRANTED, f"{case.reference}: {summary}")
    ]


def test_view_only_after_view_and_change_takes_the_change_away(norfolk: Place) -> None:
    case = open_case(norfolk)
    adviser = _adviser(norfolk)
    services.case_person_add(
        case=case, person=adviser, access_level="change", added_by=norfolk.officer
    )
    services.case_person_add(
        case=case, person=adviser, access_level="view", added_by=norfolk.officer
    )
    assert _permissions(adviser, case) == {"view_case"}
    assert not access.can_change(user=adviser, case=case)
    services.case_person_add(
        case=case, person=adviser, access_level="change", added_by=norfolk.officer
    )
    assert _permissions(adviser, case) == {"view_case", "change_case"}


def test_a_person_without_a_name_is_logged_by_email(norfolk: Place) -> None:
    case = open_case(norfolk)
    person = UserFactory(first_name="", last_name="", email="sendco@example.org")
    MembershipFactory(user=person, role=Role.INCLUSION_ADVISER, council=norfolk.council)
    services.case_person_add(
        case=case, person=person, access_level="view", added_by=norfolk.officer
    )
    assert Case.objects.get(pk=case.pk).last_change == (
        "sendco@example.org added to the case (view only)"
    )


def test_the_case_as_it_is_now_is_kept(norfolk: Place) -> None:
    opened = open_case(norfolk)  # the case as the council officer's page loaded it
    # Meanwhile the home school submits the agreement.
    submit_form(opened, "agreement", fill(opened, "agreement", norfolk), norfolk.home_staff)
    agreed = Case.objects.get(pk=opened.pk)
    services.case_person_add(
        case=opened, person=_adviser(norfolk), access_level="view", added_by=norfolk.officer
    )
    after = Case.objects.get(pk=opened.pk)
    assert (after.stage, after.receiving_school) == (Stage.AGREEMENT, norfolk.receiving)
    assert after.version == agreed.version + 1


@pytest.mark.parametrize("level", ["", "edit", "admin"])
def test_an_access_level_that_is_not_offered_is_refused(norfolk: Place, level: str) -> None:
    case = open_case(norfolk)
    adviser = _adviser(norfolk)
    before = _counts()
    with pytest.raises(services.CaseworkError) as raised:
        services.case_person_add(
            case=case, person=adviser, access_level=level, added_by=norfolk.officer
        )
    assert (raised.value.message, raised.value.field) == (
        "Select what they may do.",
        "access_level",
    )
    assert _counts() == before
    assert Case.objects.get(pk=case.pk).version == case.version


def test_a_switched_off_account_is_refused(norfolk: Place) -> None:
    case = open_case(norfolk)
    adviser = _adviser(norfolk)
    adviser.is_active = False
    adviser.save()
    before = _counts()
    with pytest.raises(services.CaseworkError) as raised:
        services.case_person_add(
            case=case, person=adviser, access_level="view", added_by=norfolk.officer
        )
    assert (raised.value.message, raised.value.field) == (
        "That person's account is switched off.",
        "email",
    )
    assert _counts() == before
    assert Case.objects.get(pk=case.pk).version == case.version


def _not_working_with() -> list[User]:
    return [
        person_with_role(role=Role.COUNCIL_OFFICER, council=CouncilFactory()),
        UserFactory(),  # nobody's member at all
    ]


def test_nobody_from_another_council(norfolk: Place) -> None:
    case = open_case(norfolk)
    for person in _not_working_with():
        before = _counts()
        with pytest.raises(services.CaseworkError) as raised:
            services.case_person_add(
                case=case, person=person, access_level="view", added_by=norfolk.officer
            )
        # What the people page says of an unknown email: no hint the account exists elsewhere.
        assert raised.value.message == (
            "No one with that email works with Norfolk County Council in Fairway. Ask a council"
            " admin to invite them first."
        )
        assert raised.value.field == "email"
        assert _counts() == before
        assert not access.cases_for(user=person, for_change=False).exists()
    assert Case.objects.get(pk=case.pk).version == case.version


def test_a_cross_authority_case_takes_people_of_either_council(leicestershire: Place) -> None:
    case = _cross_authority(leicestershire)
    assert case.receiving_council is not None
    city_adviser = person_with_role(role=Role.INCLUSION_ADVISER, council=case.receiving_council)
    mark = audit_mark()
    services.case_person_add(
        case=case, person=city_adviser, access_level="change", added_by=leicestershire.officer
    )
    assert _permissions(city_adviser, case) == {"view_case", "change_case"}
    line = f"{case.reference}: {city_adviser.get_full_name()} added to the case (view and change)"
    assert audit_since(mark, case) == [
        ("leicestershire", AuditEvent.Action.PERMISSION_GRANTED, line),
        ("leicester-city", AuditEvent.Action.PERMISSION_GRANTED, line),
    ]
    # A third council's officer is still nobody on this case.
    stranger = person_with_role(role=Role.COUNCIL_OFFICER, council=CouncilFactory())
    before = _counts()
    with pytest.raises(services.CaseworkError) as raised:
        services.case_person_add(
            case=case, person=stranger, access_level="view", added_by=leicestershire.officer
        )
    assert raised.value.message.startswith(
        "No one with that email works with Leicestershire County Council in Fairway."
    )
    assert _counts() == before
