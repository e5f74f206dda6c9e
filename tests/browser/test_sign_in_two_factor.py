"""Sign-in in a real browser: password then a TOTP code; waits, then lockout after 10 wrong passwords."""

import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tenants.models import AuditEvent, Council, Role
from tests.clock import frozen_clock
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


def test_waits_then_lockout_after_ten_wrong_passwords(live_server, page, screenshot) -> None:  # type: ignore[no-untyped-def]
    council = Council.objects.create(name="Southwark Council", slug="southwark")
    person_with_role(
        role=Role.HEAD_TEACHER, council=council, email="head-teacher@southwark.example"
    )

    def sign_in_with(password: str) -> None:
        page.get_by_label("Email address").fill("head-teacher@southwark.example")
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()

    # The live server's thread reads the same hand-moved clock (tests/clock.py).
    with frozen_clock() as clock:
        page.goto(f"{live_server.url}/account/login/")
        for attempt in range(1, 4):
            sign_in_with(f"not-the-password-{attempt}")
            page.locator(".govuk-error-summary").wait_for()
        # After the 3rd failure the next try waits, on the same page.
        sign_in_with(TEST_PASSWORD)
        page.get_by_text("Wait 2 seconds before trying again.").first.wait_for()
        screenshot("sign-in-wait")
        for attempt in range(4, 11):
            clock.advance(seconds=60)
            sign_in_with(f"not-the-password-{attempt}")
            if attempt < 10:
                page.locator(".govuk-error-summary").wait_for()
        page.get_by_role("heading", name="Your account is locked").wait_for()
        screenshot("lockout")

        # The right password is refused too while the lock lasts.
        page.goto(f"{live_server.url}/account/login/")
        sign_in_with(TEST_PASSWORD)
        page.get_by_role("heading", name="Your account is locked").wait_for()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.LOCKED_OUT).exists()
