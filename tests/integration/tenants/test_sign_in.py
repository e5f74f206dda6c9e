"""Sign-in: audit of sign-ins and failures, lockout after 10 failures, two-factor for council roles.

The waits between failures are in test_sign_in_delay.py.
"""

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tenants.models import AuditEvent, Council, Role
from tests.clock import frozen_clock
from tests.factories import (
    TEST_PASSWORD,
    MembershipFactory,
    SchoolFactory,
    person_with_role,
    sign_in,
)

pytestmark = pytest.mark.django_db

LOGIN = "/account/login/"


def post_password(client: Client, email: str, password: str):  # type: ignore[no-untyped-def]
    return client.post(
        LOGIN,
        {"login_view-current_step": "auth", "auth-username": email, "auth-password": password},
    )


def test_login_url_is_account_login() -> None:
    assert reverse("two_factor:login") == LOGIN


def test_sign_in_page_is_govuk_styled(db: None) -> None:
    response = Client().get(LOGIN)
    assert b"govuk-template" in response.content
    assert b"Sign in to Fairway" in response.content
    assert b"cdnjs" not in response.content  # two_factor's own bootstrap base is replaced


def test_sign_in_and_out_are_audited_in_each_council(
    council_a: Council, council_b: Council
) -> None:
    head = person_with_role(role=Role.HEAD_TEACHER, council=council_a, email="head@a.example")
    MembershipFactory(
        user=head,
        role=Role.SCHOOL_STAFF,
        council=council_b,
        school=SchoolFactory(council=council_b),
    )
    client = Client()
    assert post_password(client, "head@a.example", TEST_PASSWORD).status_code == 302
    events = AuditEvent.objects.filter(action=AuditEvent.Action.SIGN_IN)
    assert {e.council for e in events} == {council_a, council_b}
    assert all(e.actor == head and e.ip_address == "127.0.0.1" for e in events)
    client.post(reverse("tenants:logout"))
    assert AuditEvent.objects.filter(action=AuditEvent.Action.SIGN_OUT, actor=head).count() == 2


def test_failed_sign_in_is_audited(council_a: Council) -> None:
    person_with_role(role=Role.HEAD_TEACHER, council=council_a, email="head@a.example")
    response = post_password(Client(), "head@a.example", "wrong-password-here")
    assert response.status_code == 200
    assert b"govuk-error-summary" in response.content
    event = AuditEvent.objects.get(action=AuditEvent.Action.SIGN_IN_FAILED)
    assert (event.actor_email, event.council) == ("head@a.example", council_a)
    post_password(Client(), "nobody@example.org", "wrong-password-here")
    unknown = AuditEvent.objects.get(actor_email="nobody@example.org")
    assert unknown.council is None and unknown.actor is None


def test_lockout_after_ten_failures(council_a: Council) -> None:
    person_with_role(role=Role.HEAD_TEACHER, council=council_a, email="head@a.example")
    client = Client()
    with frozen_clock() as clock:
        for _ in range(9):
            wrong = post_password(client, "head@a.example", "wrong-password-here")
            assert wrong.status_code == 200
            clock.advance(seconds=60)  # the longest wait between failures
        locked = post_password(client, "head@a.example", "wrong-password-here")
        assert locked.status_code == 429
        assert b"Your account is locked" in locked.content
        # Even the right password is refused while locked.
        again = post_password(client, "head@a.example", TEST_PASSWORD)
        assert again.status_code == 429
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.LOCKED_OUT, council=council_a
    ).exists()


def test_council_role_without_device_is_sent_to_set_up(council_a: Council) -> None:
    officer = person_with_role(role=Role.COUNCIL_OFFICER, council=council_a)
    client = Client()
    post_password(client, officer.email, TEST_PASSWORD)
    response = client.get(reverse("tenants:council_index"))
    assert response.status_code == 302 and response["Location"] == reverse("two_factor:setup")


def test_partnership_officer_signs_in_with_a_code(council_a: Council) -> None:
    officer = person_with_role(role=Role.PARTNERSHIP_OFFICER, council=council_a)
    device = TOTPDevice.objects.create(user=officer, name="default", confirmed=True)
    client = Client()
    step = post_password(client, officer.email, TEST_PASSWORD)
    assert step.status_code == 200 and b"Enter your security code" in step.content
    token = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    done = client.post(
        LOGIN, {"login_view-current_step": "token", "token-otp_token": f"{token:06d}"}
    )
    assert done.status_code == 302
    assert client.get(reverse("tenants:signed_out")).status_code == 200


def test_unverified_session_with_device_must_sign_in_again(council_a: Council) -> None:
    admin = person_with_role(role=Role.COUNCIL_ADMIN, council=council_a)
    TOTPDevice.objects.create(user=admin, name="default", confirmed=True)
    client = Client()
    sign_in(client, admin, verified=False)
    response = client.get(reverse("tenants:people", kwargs={"council_slug": council_a.slug}))
    assert response.status_code == 302 and response["Location"].startswith(LOGIN + "?next=")


def test_school_roles_need_no_second_factor(council_a: Council) -> None:
    staff = person_with_role(role=Role.SCHOOL_STAFF, council=council_a)
    client = Client()
    sign_in(client, staff, verified=False)
    # No redirect to set-up: the page answers for itself (404, not an admin).
    assert client.get(reverse("tenants:council_index")).status_code == 404


@override_settings(FAIRWAY_REQUIRE_TWO_FACTOR=False)
def test_demo_may_switch_two_factor_off(council_a: Council) -> None:
    admin = person_with_role(role=Role.COUNCIL_ADMIN, council=council_a)
    client = Client()
    sign_in(client, admin, verified=False)
    assert (
        client.get(reverse("tenants:people", kwargs={"council_slug": council_a.slug})).status_code
        == 200
    )
