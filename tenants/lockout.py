"""The username django-axes counts failures against.

Axes looks for AXES_USERNAME_FORM_FIELD ("auth-username", two_factor's field) in the credentials
passed to `authenticate()`, but those say "username": without this, failures and lockouts would
be counted against no username at all. Lower-cased, so "Head@..." cannot dodge a lockout.

Also: which people are locked out now, for the council people page and `person_unlock`; and the
progressive delay between failed sign-ins (`AxesDelayBackend`), counted from axes' own records.
"""

import math
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off, get_credentials, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Max, Sum
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import ngettext

from .models import User


def axes_username(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str | None:
    value = None
    if credentials:
        value = credentials.get("username") or credentials.get(settings.AXES_USERNAME_FORM_FIELD)
    if value is None and request is not None:
        data = getattr(request, "data", None) or request.POST
        value = data.get(settings.AXES_USERNAME_FORM_FIELD)
    return str(value).strip().lower() if value else None


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, or X-Forwarded-For when that came from a trusted proxy.

    Only FAIRWAY_TRUSTED_PROXIES may speak for the client, so anyone else sending the header is
    counted by their own address. The right-most untrusted entry is the one our proxies saw;
    entries to its left are whatever the client chose to send.
    """
    remote: str | None = request.META.get("REMOTE_ADDR") or None
    trusted = set(getattr(settings, "FAIRWAY_TRUSTED_PROXIES", []))
    if remote is None or remote not in trusted:
        return remote
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for address in reversed([a for a in forwarded if a]):
        if address not in trusted:
            return str(address)
    return remote


def username_of(person: User) -> str | None:
    """The username axes records for this person's sign-ins (the same lower-cased email)."""
    return axes_username(None, {"username": person.email})


def locked_out_usernames(*, usernames: Iterable[str]) -> frozenset[str]:
    """Which of these usernames axes refuses to sign in now, from any address.

    Axes counts failures per group of AXES_LOCKOUT_PARAMETERS ([username, ip_address] here) and
    ignores attempts older than the cool-off, as its own `get_failures` does. A group without the
    username locks out an address, not a person, so it is not counted here.
    """
    wanted = {u for u in usernames if u}
    if not wanted:
        return frozenset()
    limit = get_failure_limit(None, None)
    attempts = AccessAttempt.objects.filter(username__in=wanted)
    cool_off = get_cool_off()
    if cool_off is not None:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
    locked: set[str] = set()
    for group in settings.AXES_LOCKOUT_PARAMETERS:
        fields = [group] if isinstance(group, str) else list(group)
        if "username" not in fields:
            continue
        locked.update(
            attempts.values(*fields)
            .annotate(failures=Sum("failures_since_start"))
            .filter(failures__gte=limit)
            .values_list("username", flat=True)
        )
    return frozenset(locked)


def delay_after(failures: int) -> timedelta:
    """How long an (email, address) pair waits after its `failures`-th failed sign-in.

    Nothing for the first FAIRWAY_SIGN_IN_DELAY_AFTER - 1 failures, then 2, 4, 8... seconds,
    never more than FAIRWAY_SIGN_IN_DELAY_MAX seconds.
    """
    start = int(getattr(settings, "FAIRWAY_SIGN_IN_DELAY_AFTER", 3))
    ceiling = int(getattr(settings, "FAIRWAY_SIGN_IN_DELAY_MAX", 60))
    if failures < start:
        return timedelta(0)
    # Capped before the power, so a huge count cannot make a huge number.
    return timedelta(seconds=min(2 ** min(failures - start + 1, 30), ceiling))


def seconds_to_wait(request: HttpRequest, credentials: dict[str, Any] | None) -> int:
    """Whole seconds before this email may try a password again from this address (0: now).

    Reads the same AccessAttempt rows axes sums for its lockout (each AXES_LOCKOUT_PARAMETERS
    group, within the cool-off): the failures so far and the time of the latest one.
    """
    AxesProxyHandler.update_request(request)
    handler: Any = AxesProxyHandler.get_implementation()
    if handler.is_whitelisted(request, credentials):
        return 0
    now = timezone.now()
    wait = 0
    for attempts in handler.get_user_attempts(request, credentials):
        seen = attempts.aggregate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        if not seen["failures"] or seen["last"] is None:
            continue
        until = seen["last"] + delay_after(seen["failures"])
        wait = max(wait, math.ceil((until - now).total_seconds()))
    return wait


class AxesDelayBackend(AxesStandaloneBackend):  # type: ignore[misc]
    """Axes' backend (refuses a locked-out pair), and a wait between failed sign-ins.

    A sign-in inside the wait is not tried: the password is not checked, so it counts as no
    failure, and the sign-in form shows "Wait N seconds before trying again." (the ValidationError
    goes up through `authenticate()` into the form's `clean()`, which shows it like a wrong
    password, on the same page).
    """

    def authenticate(
        self,
        request: HttpRequest,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if not getattr(settings, "AXES_ENABLED", True):
            return
        super().authenticate(request, username, password, **kwargs)  # raises when locked out
        wait = seconds_to_wait(request, get_credentials(username=username, **kwargs))
        if wait > 0:
            raise ValidationError(
                ngettext(
                    "Wait %(seconds)d second before trying again.",
                    "Wait %(seconds)d seconds before trying again.",
                    wait,
                )
                % {"seconds": wait},
                code="sign_in_delayed",
            )
