"""Behind the TLS proxy, failures are counted against the real client address, not the proxy's."""

import pytest
from django.test import Client, RequestFactory, override_settings

from tenants.lockout import client_ip
from tenants.models import AuditEvent, Council, Role
from tests.factories import TEST_PASSWORD, person_with_role
from tests.sign_in_helpers import lock_out

pytestmark = pytest.mark.django_db

LOGIN = "/account/login/"
PROXY = "10.0.0.2"


def post_password(client: Client, email: str, password: str, *, ip: str):  # type: ignore[no-untyped-def]
    return client.post(
        LOGIN,
        {"login_view-current_step": "auth", "auth-username": email, "auth-password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=ip,
    )


@override_settings(FAIRWAY_TRUSTED_PROXIES=[PROXY])
def test_attacker_behind_the_proxy_does_not_lock_out_the_person(council_a: Council) -> None:
    person_with_role(role=Role.SCHOOL_STAFF, council=council_a, email="staff@a.example")
    lock_out("staff@a.example", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.9")
    # The person, through the same proxy but from their own address, still signs in.
    response = post_password(Client(), "staff@a.example", TEST_PASSWORD, ip="198.51.100.7")
    assert response.status_code != 429
    failed = AuditEvent.objects.filter(action=AuditEvent.Action.SIGN_IN_FAILED).first()
    assert failed is not None and failed.ip_address == "203.0.113.9"


@override_settings(FAIRWAY_TRUSTED_PROXIES=[PROXY])
def test_client_ip_trusts_the_header_only_from_a_trusted_proxy() -> None:
    rf = RequestFactory()
    forged = rf.get("/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert client_ip(forged) == "192.0.2.1"
    # The right-most address our proxy saw, not what the client wrote before it.
    chained = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9")
    assert client_ip(chained) == "203.0.113.9"
    assert client_ip(rf.get("/", REMOTE_ADDR=PROXY)) == PROXY
