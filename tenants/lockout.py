"""The username django-axes counts failures against.

Axes looks for AXES_USERNAME_FORM_FIELD ("auth-username", two_factor's field) in the credentials
passed to `authenticate()`, but those say "username": without this, failures and lockouts would
be counted against no username at all. Lower-cased, so "Head@..." cannot dodge a lockout.
"""

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def axes_username(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str | None:
    value = None
    if credentials:
        value = credentials.get("username") or credentials.get(settings.AXES_USERNAME_FORM_FIELD)
    if value is None and request is not None:
        data = getattr(request, "data", None) or request.POST
        value = data.get(settings.AXES_USERNAME_FORM_FIELD)
    return str(value).strip().lower() if value else None
