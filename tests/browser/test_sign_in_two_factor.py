"""Sign-in in a real browser: password then a TOTP code; lockout after 5 wrong passwords."""

import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tenants.models import AuditEvent, Council, Role
from tests.factories import TEST_PASSWORD, person_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_in_with_two_factor(live_server, page, screenshot) -> None:  # type: ignore[no-untyped-def]
    council = Council.objects.create(name="Norfolk County Council", slug="norfolk")
    admin = person_with_role(
        role=Role.COUNCIL_ADMIN, council=council, email="admin@norfolk.example"
    )
    device = TOTPDevice.objects.create(user=admin, name="default", confirmed=True)

    page.goto(f"{live_server.url}/account/login/?next=/council/")
    screenshot("sign-in-1-password")
    page.get_by_label("Email address").fill("admin@norfolk.example")
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.get_by_role("heading", name="Enter your security code").wait_for()
    token = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    page.get_by_label("Security code").fill(f"{token:06d}")
    screenshot("sign-in-2-code")
    page.get_by_role("button", name="Continue").click()

    page.wait_for_url(re.compile(r"/council/norfolk/$"))
    assert page.get_by_role("heading", name="Norfolk County Council").is_visible()
    screenshot("sign-in-3-council-home")
    assert AuditEvent.objects.filter(action=AuditEvent.Action.SIGN_IN, actor=admin).exists()


def test_lockout_after_five_wrong_passwords(live_server, page, screenshot) -> None:  # type: ignore[no-untyped-def]
    council = Council.objects.create(name="Southwark Council", slug="southwark")
    person_with_role(
        role=Role.HEAD_TEACHER, council=council, email="head-teacher@southwark.example"
    )

    page.goto(f"{live_server.url}/account/login/")
    for attempt in range(1, 6):
        page.get_by_label("Email address").fill("head-teacher@southwark.example")
        page.get_by_label("Password").fill(f"not-the-password-{attempt}")
        page.get_by_role("button", name="Sign in").click()
        if attempt < 5:
            page.locator(".govuk-error-summary").wait_for()
    page.get_by_role("heading", name="Your account is locked").wait_for()
    screenshot("lockout")

    # The right password is refused too while the lock lasts.
    page.goto(f"{live_server.url}/account/login/")
    page.get_by_label("Email address").fill("head-teacher@southwark.example")
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Your account is locked").wait_for()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.LOCKED_OUT).exists()
