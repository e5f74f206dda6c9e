"""Posting the sign-in form, and locking an (email, address) pair out through it."""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.test import Client
from django.utils import timezone

from tests.clock import frozen_clock
from tests.factories import TEST_PASSWORD

LOGIN = "/account/login/"


def post_password(client: Client, email: str, password: str, **extra: Any):  # type: ignore[no-untyped-def]
    return client.post(
        LOGIN,
        {"login_view-current_step": "auth", "auth-username": email, "auth-password": password},
        **extra,
    )


def lock_out(email: str, **extra: Any) -> None:
    """AXES_FAILURE_LIMIT wrong passwords from one address, each after the wait has passed.

    Done on a clock set 10 minutes back, so when it returns the waits are long over but the
    15-minute lockout is not.
    """
    client = Client()
    with frozen_clock(timezone.now() - timedelta(minutes=10)) as clock:
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            response = post_password(client, email, "wrong-password-here", **extra)
            assert response.status_code == 200 and b"Wait " not in response.content
            clock.advance(seconds=61)
        assert post_password(client, email, "wrong-password-here", **extra).status_code == 429
    assert post_password(client, email, TEST_PASSWORD, **extra).status_code == 429
