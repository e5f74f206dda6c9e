"""membership_grant / membership_revoke: places must match roles and councils; both are audited."""

import pytest

from tenants import access
from tenants.models import AuditEvent, Council, Membership, Role
from tenants.services import TenantsError, membership_grant, membership_revoke
from tests.factories import PartnershipFactory, SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_grant_then_revoke(admin_a, council_a: Council) -> None:  # type: ignore[no-untyped-def]
    person = UserFactory()
    school = SchoolFactory(council=council_a)
    assert access.council_ids_for(person) == frozenset()
    membership = membership_grant(
        granted_by=admin_a, user=person, role=Role.HEAD_TEACHER, council=council_a, school=school
    )
    assert access.council_ids_for(person) == {council_a.pk}  # the cache was refreshed
    assert membership.history.count() == 1
    membership_revoke(revoked_by=admin_a, membership=membership)
    assert not Membership.objects.filter(user=person).exists()
    actions = list(AuditEvent.objects.filter(council=council_a).values_list("action", flat=True))
    assert sorted(actions) == ["role_granted", "role_revoked"]


def test_school_role_needs_a_school_of_the_same_council(
    admin_a, council_a: Council, council_b: Council
) -> None:  # type: ignore[no-untyped-def]
    person = UserFactory()
    with pytest.raises(TenantsError, match="Choose the school"):
        membership_grant(granted_by=admin_a, user=person, role=Role.SCHOOL_STAFF, council=council_a)
    with pytest.raises(TenantsError, match="same council"):
        membership_grant(
            granted_by=admin_a,
            user=person,
            role=Role.SCHOOL_STAFF,
            council=council_a,
            school=SchoolFactory(council=council_b),
        )
    with pytest.raises(TenantsError, match="same council"):
        membership_grant(
            granted_by=admin_a,
            user=person,
            role=Role.PARTNERSHIP_OFFICER,
            council=council_a,
            partnership=PartnershipFactory(council=council_b),
        )


def test_same_role_twice_is_refused(admin_a, council_a: Council) -> None:  # type: ignore[no-untyped-def]
    person = UserFactory()
    membership_grant(granted_by=admin_a, user=person, role=Role.COUNCIL_OFFICER, council=council_a)
    with pytest.raises(TenantsError, match="already holds that role"):
        membership_grant(
            granted_by=admin_a, user=person, role=Role.COUNCIL_OFFICER, council=council_a
        )


def test_last_council_admin_cannot_be_revoked(admin_a, council_a: Council) -> None:  # type: ignore[no-untyped-def]
    only = Membership.objects.get(user=admin_a)
    with pytest.raises(TenantsError, match="at least one council admin"):
        membership_revoke(revoked_by=admin_a, membership=only)
