"""Failed sign-ins slow the (email, address) pair down, then lock out that pair only.

From the 3rd failure each try waits 2, 4, 8... seconds (at most 60) after the last failure; a try
inside the wait is answered on the sign-in page and its password is not checked. The 10th failure
locks the pair out for 15 minutes. Time is moved by hand (tests/clock.py), never slept.
"""

from collections.abc import Iterator

import pytest
from axes.models import AccessAttempt
from django.db.models import Sum
from django.test import Client

from tenants.lockout import delay_after, locked_out_usernames
from tenants.models import AuditEvent, Council, Role, User
from tests.clock import Clock, frozen_clock
from tests.factories import TEST_PASSWORD, person_with_role
from tests.sign_in_helpers import post_password

pytestmark = pytest.mark.django_db

EMAIL = "head@a.example"
WRONG = "wrong-password-here"


@pytest.fixture
def head(council_a: Council) -> User:
    return person_with_role(role=Role.HEAD_TEACHER, council=council_a, email=EMAIL)


@pytest.fixture
def clock() -> Iterator[Clock]:
    with frozen_clock() as frozen:
        yield frozen


def failures() -> int:
    return AccessAttempt.objects.filter(username=EMAIL).aggregate(n=Sum("failures_since_start"))[
        "n"
    ]


def assert_wait(response, seconds: int) -> None:  # type: ignore[no-untyped-def]
    page = response.content.decode()
    assert response.status_code == 200
    assert "Sign in to Fairway" in page and "govuk-error-summary" in page
    unit = "second" if seconds == 1 else "seconds"
    assert f"Wait {seconds} {unit} before trying again." in page


def test_the_waits_double_up_to_a_minute() -> None:
    assert [delay_after(n).total_seconds() for n in range(1, 11)] == [
        0,
        0,
        2,
        4,
        8,
        16,
        32,
        60,
        60,
        60,
    ]
    assert delay_after(10_000).total_seconds() == 60


def test_failures_are_slowed_down_then_the_pair_is_locked_out(head: User, clock: Clock) -> None:
    client = Client()
    for _ in range(3):
        wrong = post_password(client, EMAIL, WRONG)
        assert wrong.status_code == 200 and b"Wait " not in wrong.content
    # The 3rd failure: 2 seconds before the next try. Even the right password is not checked.
    assert_wait(post_password(client, EMAIL, TEST_PASSWORD), 2)
    clock.advance(seconds=1)
    assert_wait(post_password(client, EMAIL, WRONG), 1)
    # Tries inside the wait count as no failure and are not audited as failed sign-ins.
    assert failures() == 3
    assert AuditEvent.objects.filter(action=AuditEvent.Action.SIGN_IN_FAILED).count() == 3
    clock.advance(seconds=1)
    for seconds in [4, 8, 16, 32, 60, 60]:
        wrong = post_password(client, EMAIL, WRONG)
        assert wrong.status_code == 200 and b"Wait " not in wrong.content
        assert_wait(post_password(client, EMAIL, WRONG), seconds)
        clock.advance(seconds=seconds - 1)
        assert_wait(post_password(client, EMAIL, WRONG), 1)
        clock.advance(seconds=1)
    assert failures() == 9 and not locked_out_usernames(usernames=[EMAIL])
    # The 10th failure locks this pair out for 15 minutes.
    locked = post_password(client, EMAIL, WRONG)
    assert locked.status_code == 429 and b"Your account is locked" in locked.content
    assert locked_out_usernames(usernames=[EMAIL]) == {EMAIL}
    clock.advance(minutes=14)
    assert post_password(client, EMAIL, TEST_PASSWORD).status_code == 429
    clock.advance(minutes=16)  # 15 minutes after the last try (the one refused above)
    assert post_password(client, EMAIL, TEST_PASSWORD).status_code == 302


def test_signing_in_after_the_wait_clears_the_failures(head: User, clock: Clock) -> None:
    client = Client()
    for _ in range(4):
        post_password(client, EMAIL, WRONG)
        clock.advance(seconds=5)
    assert post_password(client, EMAIL, TEST_PASSWORD).status_code == 302
    assert not AccessAttempt.objects.filter(username=EMAIL).exists()


def test_another_address_is_neither_slowed_down_nor_locked_out(head: User, clock: Clock) -> None:
    attacker = Client()
    for _ in range(3):
        post_password(attacker, EMAIL, WRONG, REMOTE_ADDR="203.0.113.9")
    assert_wait(post_password(attacker, EMAIL, WRONG, REMOTE_ADDR="203.0.113.9"), 2)
    # The person, from their own address, gets the ordinary answer to a wrong password...
    mistyped = post_password(Client(), EMAIL, WRONG, REMOTE_ADDR="198.51.100.7")
    assert mistyped.status_code == 200 and b"Wait " not in mistyped.content
    # ...and signs in with the right one at once.
    signed_in = post_password(Client(), EMAIL, TEST_PASSWORD, REMOTE_ADDR="198.51.100.7")
    assert signed_in.status_code == 302
