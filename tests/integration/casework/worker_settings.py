"""Settings for a real `fairway worker` process started by a test (test_fault_worker_killed.py).

The test settings, with the production queue (tasks stored in the database), the database the
test run made (DATABASE_URL, given by the test), an email "server" that is a folder and can hold
the worker in the middle of sending (mail_hold.py), and the reminders' day fixed by the test.
"""

import os
from datetime import date

import dj_database_url
from django.utils import timezone

from fairway.settings.test import *  # noqa: F403

DATABASES = {"default": dj_database_url.config()}
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
EMAIL_BACKEND = "tests.integration.casework.mail_hold.EmailBackend"

# The worker runs the reminders of the test's day, not the machine's (the parent test process
# patches the same function; a separate process needs it patched here).
_TODAY = date.fromisoformat(os.environ["FAIRWAY_TEST_TODAY"])
_localdate = timezone.localdate
timezone.localdate = lambda value=None, timezone=None: (  # type: ignore[assignment]
    _TODAY if value is None else _localdate(value, timezone)
)
