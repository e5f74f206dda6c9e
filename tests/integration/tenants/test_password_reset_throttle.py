"""Password resets: at most 3 emails an hour per email address and 10 per client address.

A held-back request gets exactly the answer a normal one gets, so the page cannot be used to
find out which addresses have accounts; it is counted in the audit log without the email in it.
"""

from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tenants.models import AuditEvent, Council, Role, User
from tenants.services import password_reset_key
from tests.factories import person_with_role

pytestmark = pytest.mark.django_db

EMAIL = "head@a.example"


@pytest.fixture
def head(council_a: Council) -> User:
    return person_with_role(role=Role.HEAD_TEACHER, council=council_a, email=EMAIL)


def ask(email: str, *, ip: str = "198.51.100.7"):  # type: ignore[no-untyped-def]
    """Ask for a reset link and follow to the page shown; returns (redirect, page)."""
    client = Client(REMOTE_ADDR=ip)
    response = client.post(reverse("tenants:password_reset"), {"email": email})
    return response, client.get(response["Location"])


def answer(response, page) -> tuple[int, str, int, bytes]:  # type: ignore[no-untyped-def]
    return response.status_code, response["Location"], page.status_code, page.content


def test_three_emails_an_hour_per_email_address(council_a: Council, head: User) -> None:
    normal = [answer(*ask(EMAIL, ip=f"198.51.100.{n}")) for n in range(1, 4)]
    assert len(mail.outbox) == 3 and all(m.to == [EMAIL] for m in mail.outbox)
    # The 4th, even from a new address: the same answer, and no email.
    held = answer(*ask("Head@A.example ", ip="203.0.113.9"))
    assert held == normal[0] == normal[2]
    assert b"If the address has a Fairway account, we have sent it a link" in held[3]
    assert len(mail.outbox) == 3
    # Another person's email is not held back.
    other = person_with_role(role=Role.SCHOOL_STAFF, council=council_a, email="staff@a.example")
    assert answer(*ask(other.email)) == normal[0]
    assert len(mail.outbox) == 4 and mail.outbox[-1].to == [other.email]


def test_ten_requests_an_hour_per_client_address(head: User) -> None:
    for n in range(10):
        ask(f"nobody-{n}@example.org", ip="203.0.113.9")  # no account: no email, but counted
    assert mail.outbox == []
    normal = answer(*ask(EMAIL, ip="198.51.100.7"))
    assert len(mail.outbox) == 1
    # The 11th from the same address is held back, for an email that does have an account.
    held = answer(*ask(EMAIL, ip="203.0.113.9"))
    assert held == normal
    assert len(mail.outbox) == 1


def test_the_hold_ends_after_an_hour(head: User) -> None:
    for _ in range(4):
        ask(EMAIL)
    assert len(mail.outbox) == 3
    later = timezone.now() + timedelta(hours=1, minutes=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        ask(EMAIL)
    assert len(mail.outbox) == 4


def test_the_audit_log_counts_requests_without_the_email_in_it(head: User) -> None:
    for _ in range(4):
        ask(EMAIL, ip="203.0.113.9")
    events = list(AuditEvent.objects.order_by("id"))
    assert [e.action for e in events] == [AuditEvent.Action.PASSWORD_RESET] * 3 + [
        AuditEvent.Action.PASSWORD_RESET_THROTTLED
    ]
    key = password_reset_key(EMAIL)
    assert key != EMAIL and len(key) == 40
    for event in events:
        assert (event.object_type, event.object_id, event.ip_address) == (
            "password_reset",
            key,
            "203.0.113.9",
        )
        assert event.actor is None and event.actor_email == "" and event.council is None
        assert "head" not in event.summary.lower()
