"""A Content-Security-Policy header (Django 5.2 has no CSP middleware of its own), and no-store
for pages with pupil data."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

DEFAULT_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)
# Wagtail's admin relies on inline scripts and styles; it is staff-only and behind sign-in.
ADMIN_POLICY = (
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self' 'unsafe-inline'; font-src 'self' data:; object-src 'none'; "
    "base-uri 'self'; frame-ancestors 'self'"
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.admin_prefixes = tuple(
            getattr(settings, "FAIRWAY_CSP_RELAXED_PREFIXES", ("/admin/", "/django-admin/"))
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            relaxed = request.path.startswith(self.admin_prefixes)
            response["Content-Security-Policy"] = ADMIN_POLICY if relaxed else DEFAULT_POLICY
        return response


class NoStoreMiddleware:
    """Pages with pupil data are never kept by the browser or a proxy: a shared council PC's back
    button or disk cache must not show the last person's cases. Every case page (and the calendar
    feed under /cases/) and every page served to a signed-in person is sent `no-store`."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.prefixes = tuple(
            getattr(settings, "FAIRWAY_NO_STORE_PREFIXES", ("/cases/", "/django-admin/", "/admin/"))
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if request.path.startswith(self.prefixes) or (user is not None and user.is_authenticated):
            patch_cache_control(response, no_store=True)
        return response
