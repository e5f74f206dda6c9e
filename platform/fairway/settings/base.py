"""Settings shared by every environment; dev, test and production adjust them."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from fairway.logs import logging_config

FAIRWAY_DIR = Path(__file__).resolve().parent.parent
REPO_DIR = FAIRWAY_DIR.parent.parent
VAR_DIR = Path(os.environ.get("FAIRWAY_VAR_DIR", REPO_DIR / "var"))

SECRET_KEY = os.environ.get("FAIRWAY_SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS: list[str] = []

INSTALLED_APPS = [
    # Fairway
    "fairway",
    "fairway.casework",
    "protocols",
    "tenants",
    "cms",
    # GOV.UK Frontend
    "govuk_frontend_django",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.search_promotions",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # Accounts, permissions, history
    "guardian",
    "simple_history",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "two_factor",
    "axes",
    # Background tasks stored in the database
    "django_tasks",
    "django_tasks_db",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    # First, so a request's line gives its whole time and the status the person got.
    "fairway.logs.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "tenants.middleware.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "fairway.middleware.ContentSecurityPolicyMiddleware",
    "fairway.middleware.NoStoreMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # AxesMiddleware must be last: it turns lockouts into responses.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "fairway.urls"
WSGI_APPLICATION = "fairway.wsgi.application"
ASGI_APPLICATION = "fairway.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [FAIRWAY_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "fairway.context_processors.fairway",
            ],
        },
    },
]


def prepared_statements(database: dj_database_url.DBConfig) -> dj_database_url.DBConfig:
    """PostgreSQL plans every query afresh unless the driver prepares it: psycopg 3's
    server-side parameter binding, with a query prepared from its 5th use on a connection (the
    case page's access check joins nine tables and took 2.5 ms to plan each time).
    FAIRWAY_DB_PREPARED=0 turns it off, for a transaction-mode PgBouncer, which cannot keep
    prepared statements. The test suite runs on PostgreSQL with it on."""
    if database.get("ENGINE", "").endswith("postgresql") and (
        os.environ.get("FAIRWAY_DB_PREPARED", "1") == "1"
    ):
        database.setdefault("OPTIONS", {}).update(
            {"server_side_binding": True, "prepare_threshold": 5}
        )
    return database


DATABASES = {
    "default": prepared_statements(
        dj_database_url.config(
            default=f"sqlite:///{VAR_DIR / 'fairway.sqlite3'}",
            conn_max_age=int(os.environ.get("FAIRWAY_CONN_MAX_AGE", "0")),
        )
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "tenants.User"
AUTHENTICATION_BACKENDS = [
    # Axes first (with Fairway's wait between failures), so a locked-out or waiting email and
    # address pair never reaches the password check.
    "tenants.lockout.AxesDelayBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "two_factor:login"
LOGIN_REDIRECT_URL = "/cases/"
LOGOUT_REDIRECT_URL = "/"

# django-axes: failures are counted per email and client address pair, never per email alone, so
# nobody can lock a person out from their own address. From the 3rd failure the pair waits 2, 4,
# 8... seconds (at most 60) before its next try (tenants.lockout.AxesDelayBackend); the 10th
# locks the pair out for 15 minutes, or until a council admin unlocks the person.
AXES_FAILURE_LIMIT = 10
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
FAIRWAY_SIGN_IN_DELAY_AFTER = 3
FAIRWAY_SIGN_IN_DELAY_MAX = 60  # seconds
AXES_USERNAME_FORM_FIELD = "auth-username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "tenants/lockout.html"
AXES_USERNAME_CALLABLE = "tenants.lockout.axes_username"
# Behind the TLS proxy REMOTE_ADDR is the proxy for everyone: the real client address comes from
# X-Forwarded-For, trusted only when the request came from one of these addresses.
FAIRWAY_TRUSTED_PROXIES = [
    a.strip() for a in os.environ.get("FAIRWAY_TRUSTED_PROXIES", "").split(",") if a.strip()
]
AXES_CLIENT_IP_CALLABLE = "tenants.lockout.client_ip"

# Two-factor sign-in is required for council and partnership roles (tenants decides who).
FAIRWAY_REQUIRE_TWO_FACTOR = True

LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", _("English"))]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "j F Y"

STATIC_URL = "/static/"
STATIC_ROOT = REPO_DIR / "staticfiles"
STATICFILES_DIRS = [FAIRWAY_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

WAGTAIL_SITE_NAME = "Fairway"
WAGTAILADMIN_BASE_URL = os.environ.get("FAIRWAY_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "odt", "csv", "txt"]
WAGTAIL_ENABLE_UPDATE_CHECK = False

GUARDIAN_RAISE_403 = False
ANONYMOUS_USER_NAME = None

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# When a task's worker is gone, so the task runs again (fairway/worker.py). Each `fairway worker`
# writes a heartbeat every FAIRWAY_WORKER_HEARTBEAT seconds; one silent for
# FAIRWAY_WORKER_GONE_AFTER seconds (at least three heartbeats) is gone, whatever its machine. A
# task claimed by a worker that writes none (plain `db_worker`) waits FAIRWAY_TASK_STUCK_AFTER.
FAIRWAY_WORKER_HEARTBEAT = int(os.environ.get("FAIRWAY_WORKER_HEARTBEAT", "30"))
FAIRWAY_WORKER_GONE_AFTER = int(os.environ.get("FAIRWAY_WORKER_GONE_AFTER", "120"))
FAIRWAY_TASK_STUCK_AFTER = int(os.environ.get("FAIRWAY_TASK_STUCK_AFTER", str(2 * 60 * 60)))

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("FAIRWAY_FROM_EMAIL", "fairway@localhost")

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 60 * 60
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Where the bundled council data lives (protocols and calendars).
FAIRWAY_BUNDLED_DIR = REPO_DIR / "protocols" / "bundled"

# One JSON object a line on stderr (fairway/logs.py), request lines included; never a pupil's data.
LOGGING = logging_config(level=os.environ.get("FAIRWAY_LOG_LEVEL", "INFO"))
