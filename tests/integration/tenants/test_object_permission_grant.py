"""Guardian object permissions for the people on a record, with the grant and revoke audited."""

import pytest

from tenants.models import AuditEvent, Council, Role, School
from tenants.services import object_permission_grant, object_permission_revoke
from tests.factories import SchoolFactory, person_with_role

pytestmark = pytest.mark.django_db


def test_grant_and_revoke_are_audited(admin_a, council_a: Council) -> None:  # type: ignore[no-untyped-def]
    staff = person_with_role(role=Role.SCHOOL_STAFF, council=council_a)
    school: School = SchoolFactory(council=council_a)
    object_permission_grant(
        granted_by=admin_a,
        user=staff,
        permission="tenants.change_school",
        obj=school,
        council=council_a,
    )
    assert staff.has_perm("tenants.change_school", school)
    object_permission_revoke(
        revoked_by=admin_a,
        user=staff,
        permission="tenants.change_school",
        obj=school,
        council=council_a,
    )
    staff = type(staff).objects.get(pk=staff.pk)  # drop guardian's per-object cache
    assert not staff.has_perm("tenants.change_school", school)
    actions = AuditEvent.objects.filter(object_type="school").values_list("action", flat=True)
    assert sorted(actions) == ["permission_granted", "permission_revoked"]
