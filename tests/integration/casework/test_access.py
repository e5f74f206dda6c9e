"""access_case_by_id: scoped by council, partnership and school; 404 for everyone else."""

from datetime import date

import pytest
from django.http import Http404
from guardian.shortcuts import assign_perm

from fairway.casework.access import access_case_by_id, can_change
from fairway.casework.models import Case
from tenants.models import Role
from tests.factories import CouncilFactory, PartnershipFactory, SchoolFactory, person_with_role

from .conftest import Place, agree, open_case


def test_other_council_gets_404_like_a_missing_case(norfolk: Place, southwark: Place) -> None:
    case = open_case(norfolk)
    with pytest.raises(Http404) as missing:
        access_case_by_id(user=southwark.officer, case_id=case.pk + 1000, for_change=False)
    with pytest.raises(Http404) as other:
        access_case_by_id(user=southwark.officer, case_id=case.pk, for_change=False)
    assert str(missing.value) == str(other.value)
    assert access_case_by_id(user=norfolk.officer, case_id=case.pk, for_change=True) == case


def test_school_staff_see_only_their_schools_cases(norfolk: Place) -> None:
    case = open_case(norfolk)
    other_school = person_with_role(
        role=Role.SCHOOL_STAFF,
        council=norfolk.council,
        school=SchoolFactory(council=norfolk.council),
    )
    assert access_case_by_id(user=norfolk.home_staff, case_id=case.pk, for_change=True)
    with pytest.raises(Http404):
        access_case_by_id(user=other_school, case_id=case.pk, for_change=False)
    # The receiving school sees the case once it is agreed.
    with pytest.raises(Http404):
        access_case_by_id(user=norfolk.receiving_staff, case_id=case.pk, for_change=False)
    agree(case, norfolk, first_day=date(2026, 11, 30))
    assert access_case_by_id(user=norfolk.receiving_staff, case_id=case.pk, for_change=False)


def test_partnership_officers_see_their_partnerships_cases(norfolk: Place) -> None:
    case = open_case(norfolk)
    theirs = person_with_role(
        role=Role.PARTNERSHIP_OFFICER, council=norfolk.council, partnership=norfolk.partnership
    )
    # Another partnership with schools of its own (one without schools brokers the whole
    # council's moves: test_nothing_out_of_sight.py).
    other = PartnershipFactory(council=norfolk.council)
    SchoolFactory(council=norfolk.council, partnership=other)
    elsewhere = person_with_role(
        role=Role.PARTNERSHIP_OFFICER, council=norfolk.council, partnership=other
    )
    assert access_case_by_id(user=theirs, case_id=case.pk, for_change=True)
    with pytest.raises(Http404):
        access_case_by_id(user=elsewhere, case_id=case.pk, for_change=False)


def test_inclusion_advisers_read_but_change_only_when_added(norfolk: Place) -> None:
    case = open_case(norfolk)
    adviser = person_with_role(role=Role.INCLUSION_ADVISER, council=norfolk.council)
    assert access_case_by_id(user=adviser, case_id=case.pk, for_change=False)
    assert not can_change(user=adviser, case=case)
    assign_perm("casework.change_case", adviser, case)
    assert can_change(user=adviser, case=case)


def test_named_person_from_another_council_via_guardian(norfolk: Place) -> None:
    case = open_case(norfolk)
    outsider = person_with_role(role=Role.COUNCIL_OFFICER, council=CouncilFactory())
    with pytest.raises(Http404):
        access_case_by_id(user=outsider, case_id=case.pk, for_change=False)
    assign_perm("casework.view_case", outsider, case)
    assert access_case_by_id(user=outsider, case_id=case.pk, for_change=False)


def test_cross_authority_case_is_seen_by_the_receiving_council(
    leicestershire: Place, db: None
) -> None:
    city = CouncilFactory(slug="leicester-city", name="Leicester City Council")
    city_school = SchoolFactory(council=city, name="Braunstone City Academy")
    city_officer = person_with_role(role=Role.COUNCIL_OFFICER, council=city)
    case = open_case(leicestershire)
    with pytest.raises(Http404):
        access_case_by_id(user=city_officer, case_id=case.pk, for_change=False)
    case = agree(case, leicestershire, first_day=date(2026, 11, 30), receiving=city_school)
    case = Case.objects.get(pk=case.pk)
    assert case.receiving_council == city and case.is_cross_authority
    assert access_case_by_id(user=city_officer, case_id=case.pk, for_change=True)
