"""Two-factor sign-in for council and partnership roles (when FAIRWAY_REQUIRE_TWO_FACTOR is on)."""

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from .access import needs_two_factor


class RequireTwoFactorMiddleware:
    """Send a signed-in council or partnership person without a verified device to set one up.

    Must come after django_otp's OTPMiddleware, which sets `request.user.is_verified()`.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.exempt_prefixes = (
            "/account/",  # sign-in, two-factor set-up and sign-out themselves
            settings.STATIC_URL or "/static/",
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if getattr(settings, "FAIRWAY_REQUIRE_TWO_FACTOR", True):
            response = self._check(request)
            if response is not None:
                return response
        return self.get_response(request)

    def _check(self, request: HttpRequest) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated or request.path.startswith(self.exempt_prefixes):
            return None
        # OTPMiddleware gives every request.user an is_verified() method.
        # Superusers and staff reach Django and Wagtail admin, so they need it too.
        privileged = user.is_superuser or user.is_staff
        if user.is_verified() or not (privileged or needs_two_factor(user)):  # type: ignore[attr-defined]
            return None
        has_device = (
            TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).exists()
            or StaticDevice.objects.filter(user_id=user.pk, confirmed=True).exists()
        )
        if has_device:
            # Signed in without the second step (an old session): sign in again with a code.
            logout(request)
            return redirect(
                f"{reverse('two_factor:login')}?{urlencode({'next': request.get_full_path()})}"
            )
        return redirect("two_factor:setup")
