"""Settings for the test suite: SQLite in memory unless DATABASE_URL names PostgreSQL."""

import os

import dj_database_url

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-not-secret-" + "x" * 40
ALLOWED_HOSTS = ["*"]
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": prepared_statements(dj_database_url.config())}  # noqa: F405
else:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
FAIRWAY_REQUIRE_TWO_FACTOR = True
AXES_ENABLED = True

# Serve static files from the apps' folders without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
