"""A Content-Security-Policy header (Django 5.2 has no CSP middleware of its own)."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

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
