"""Production: PostgreSQL from DATABASE_URL, secrets from the environment, two-factor on."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = os.environ.get("FAIRWAY_SECRET_KEY", "")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "Set FAIRWAY_SECRET_KEY to a random string of 50 or more characters."
    )
ALLOWED_HOSTS = [h for h in os.environ.get("FAIRWAY_ALLOWED_HOSTS", "").split(",") if h]
CSRF_TRUSTED_ORIGINS = [f"https://{h.lstrip('.')}" for h in ALLOWED_HOSTS]

# Emails link to case pages: without this they would point at http://127.0.0.1:8000.
WAGTAILADMIN_BASE_URL = os.environ.get("FAIRWAY_BASE_URL", "").rstrip("/")
if not WAGTAILADMIN_BASE_URL.startswith("https://"):
    raise ImproperlyConfigured(
        "Set FAIRWAY_BASE_URL to the https:// address staff use to reach Fairway, "
        "for example https://fairway.example.gov.uk; emails link to it."
    )

# Children's data: two-factor sign-in cannot be switched off in production.
if os.environ.get("FAIRWAY_REQUIRE_TWO_FACTOR", "1") != "1":
    raise ImproperlyConfigured("Two-factor sign-in cannot be switched off in production.")
FAIRWAY_REQUIRE_TWO_FACTOR = True

SECURE_SSL_REDIRECT = True
# A load balancer probes liveness over plain HTTP inside the network: no redirect for it.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
EMAIL_HOST = os.environ.get("FAIRWAY_EMAIL_HOST", "localhost")

# Database connections: each gunicorn worker keeps its connection for a minute (no new PostgreSQL
# backend per request), and checks it before the first query of each request, so after PostgreSQL
# restarts a worker reconnects instead of failing the request on a dead connection
# (bench/faults.py measures it). While PostgreSQL is down requests get the 503 page
# (fairway.views.server_error), and the first request after it is back succeeds.
DATABASES = {
    "default": {
        **DATABASES["default"],  # noqa: F405
        "CONN_MAX_AGE": int(os.environ.get("FAIRWAY_CONN_MAX_AGE", "60")),
        "CONN_HEALTH_CHECKS": True,
    }
}

# Prepared statements (psycopg's server-side binding) come from base.prepared_statements.
