"""The audit log is append-only: rows cannot be changed or deleted, one by one or in bulk."""

import pytest
from django.db import DatabaseError, connection, transaction

from tenants.models import AuditEvent, AuditLogIsAppendOnly, Council, Role
from tenants.services import audit_record
from tests.factories import MembershipFactory, SchoolFactory, person_with_role

pytestmark = pytest.mark.django_db


def test_an_event_cannot_be_changed_or_deleted(council_a: Council) -> None:
    event = audit_record(actor=None, council=council_a, action=AuditEvent.Action.RECORD_VIEWED)
    event.summary = "tampered"
    with pytest.raises(AuditLogIsAppendOnly):
        event.save()
    with pytest.raises(AuditLogIsAppendOnly):
        event.delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.filter(pk=event.pk).update(summary="tampered")
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).summary == ""


def test_audit_record_fills_who_and_from_which_council(
    council_a: Council, council_b: Council
) -> None:
    officer_b = person_with_role(
        role=Role.COUNCIL_OFFICER, council=council_b, email="officer@b.example"
    )
    # A council B officer views a record of council A (a cross-border case): A's log, from B.
    event = audit_record(
        actor=officer_b,
        council=council_a,
        action=AuditEvent.Action.RECORD_VIEWED,
        object_type="case",
        object_id=42,
        summary="Viewed the case record",
    )
    assert (event.actor_email, event.council, event.actor_council) == (
        "officer@b.example",
        council_a,
        council_b,
    )
    assert event.object_id == "42"


def test_actor_council_is_left_blank_when_ambiguous(council_a: Council, council_b: Council) -> None:
    person = person_with_role(role=Role.SCHOOL_STAFF, council=council_a)
    MembershipFactory(
        user=person,
        role=Role.SCHOOL_STAFF,
        council=council_b,
        school=SchoolFactory(council=council_b),
    )
    third = Council.objects.create(name="Third Council", slug="third")
    event = audit_record(actor=person, council=third, action=AuditEvent.Action.RECORD_VIEWED)
    assert event.actor_council is None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_postgresql_refuses_raw_sql_changes(council_a: Council) -> None:
    event = audit_record(actor=None, council=council_a, action=AuditEvent.Action.RECORD_VIEWED)
    for sql in (
        "UPDATE tenants_auditevent SET summary = 'tampered' WHERE id = %s",
        "DELETE FROM tenants_auditevent WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [event.pk])


def test_removing_an_account_keeps_its_events(council_a: Council) -> None:
    person = person_with_role(role=Role.SCHOOL_STAFF, council=council_a, email="leaver@a.example")
    audit_record(actor=person, council=council_a, action=AuditEvent.Action.RECORD_VIEWED)
    person.memberships.all().delete()
    person.delete()
    event = AuditEvent.objects.get(actor_email="leaver@a.example")
    assert event.actor is None
