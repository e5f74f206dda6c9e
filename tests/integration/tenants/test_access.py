"""Access functions: another council's objects are 404, like missing ones; roles decide changes."""

import pytest
from django.http import Http404

from tenants import access
from tenants.models import Council, Role
from tests.factories import (
    MembershipFactory,
    PartnershipFactory,
    SchoolFactory,
    UserFactory,
    person_with_role,
)

pytestmark = pytest.mark.django_db


def test_council_by_slug_other_council_is_404(council_a: Council, council_b: Council) -> None:
    officer_b = person_with_role(role=Role.COUNCIL_OFFICER, council=council_b)
    with pytest.raises(Http404):
        access.access_council_by_slug(user=officer_b, slug=council_a.slug, for_admin=False)
    with pytest.raises(Http404):
        access.access_council_by_slug(user=officer_b, slug="no-such-council", for_admin=False)
    assert (
        access.access_council_by_slug(user=officer_b, slug="southwark", for_admin=False)
        == council_b
    )


def test_council_by_slug_for_admin_needs_admin_role(council_a: Council) -> None:
    officer = person_with_role(role=Role.COUNCIL_OFFICER, council=council_a)
    admin = person_with_role(role=Role.COUNCIL_ADMIN, council=council_a)
    with pytest.raises(Http404):
        access.access_council_by_slug(user=officer, slug=council_a.slug, for_admin=True)
    assert (
        access.access_council_by_slug(user=admin, slug=council_a.slug, for_admin=True) == council_a
    )


def test_school_other_council_is_404(council_a: Council, council_b: Council) -> None:
    school_a = SchoolFactory(council=council_a)
    for role in Role:
        person_b = person_with_role(role=role, council=council_b)
        with pytest.raises(Http404):
            access.access_school_by_id(user=person_b, school_id=school_a.pk, for_change=False)


def test_school_change_needs_council_admin(council_a: Council) -> None:
    school = SchoolFactory(council=council_a)
    head = person_with_role(role=Role.HEAD_TEACHER, council=council_a, school=school)
    admin = person_with_role(role=Role.COUNCIL_ADMIN, council=council_a)
    assert access.access_school_by_id(user=head, school_id=school.pk, for_change=False) == school
    with pytest.raises(Http404):
        access.access_school_by_id(user=head, school_id=school.pk, for_change=True)
    assert access.access_school_by_id(user=admin, school_id=school.pk, for_change=True) == school


def test_partnership_other_council_is_404_and_change_needs_admin(
    council_a: Council, council_b: Council
) -> None:
    partnership = PartnershipFactory(council=council_a)
    officer_a = person_with_role(
        role=Role.PARTNERSHIP_OFFICER, council=council_a, partnership=partnership
    )
    admin_b = person_with_role(role=Role.COUNCIL_ADMIN, council=council_b)
    with pytest.raises(Http404):
        access.access_partnership_by_id(
            user=admin_b, partnership_id=partnership.pk, for_change=False
        )
    assert (
        access.access_partnership_by_id(
            user=officer_a, partnership_id=partnership.pk, for_change=False
        )
        == partnership
    )
    with pytest.raises(Http404):
        access.access_partnership_by_id(
            user=officer_a, partnership_id=partnership.pk, for_change=True
        )


def test_person_other_council_is_404(council_a: Council, council_b: Council) -> None:
    person_a = person_with_role(role=Role.SCHOOL_STAFF, council=council_a)
    admin_b = person_with_role(role=Role.COUNCIL_ADMIN, council=council_b)
    admin_a = person_with_role(role=Role.COUNCIL_ADMIN, council=council_a)
    officer_a = person_with_role(role=Role.COUNCIL_OFFICER, council=council_a)
    with pytest.raises(Http404):
        access.access_person_by_id(user=admin_b, person_id=person_a.pk, for_admin=True)
    with pytest.raises(Http404):
        access.access_person_by_id(user=admin_b, person_id=person_a.pk, for_admin=False)
    assert (
        access.access_person_by_id(user=admin_a, person_id=person_a.pk, for_admin=True) == person_a
    )
    assert (
        access.access_person_by_id(user=officer_a, person_id=person_a.pk, for_admin=False)
        == person_a
    )
    with pytest.raises(Http404):
        access.access_person_by_id(user=officer_a, person_id=person_a.pk, for_admin=True)
    # Everyone may read their own account, nobody administers it without the admin role.
    assert (
        access.access_person_by_id(user=person_a, person_id=person_a.pk, for_admin=False)
        == person_a
    )


def test_person_with_roles_in_two_councils(council_a: Council, council_b: Council) -> None:
    trust_officer = person_with_role(role=Role.SCHOOL_STAFF, council=council_a)
    school_b = SchoolFactory(council=council_b)
    MembershipFactory(
        user=trust_officer, role=Role.SCHOOL_STAFF, council=council_b, school=school_b
    )
    access.forget_memberships(trust_officer)
    assert access.council_ids_for(trust_officer) == {council_a.pk, council_b.pk}
    assert access.access_school_by_id(user=trust_officer, school_id=school_b.pk, for_change=False)
    admin_b = person_with_role(role=Role.COUNCIL_ADMIN, council=council_b)
    # Council B's admin administers the person, but only sees B's memberships (see selectors).
    assert access.access_person_by_id(user=admin_b, person_id=trust_officer.pk, for_admin=True)


def test_memberships_cached_on_the_user(council_a: Council, django_assert_num_queries) -> None:
    officer = person_with_role(role=Role.COUNCIL_OFFICER, council=council_a)
    with django_assert_num_queries(1):
        access.council_ids_for(officer)
        access.admin_council_ids_for(officer)
        access.roles_at(officer, council_id=council_a.pk)
    assert access.needs_two_factor(officer)


def test_school_roles_do_not_need_two_factor(council_a: Council) -> None:
    head = person_with_role(role=Role.HEAD_TEACHER, council=council_a)
    assert not access.needs_two_factor(head)


def test_superuser_gets_no_bypass(council_a: Council) -> None:
    superuser = UserFactory(is_superuser=True, is_staff=True)
    school = SchoolFactory(council=council_a)
    with pytest.raises(Http404):
        access.access_school_by_id(user=superuser, school_id=school.pk, for_change=False)
