"""Local development and the demo: SQLite unless DATABASE_URL says otherwise."""

import os

from .base import *  # noqa: F403
from .base import VAR_DIR

# Off unless asked for: the demo shows Fairway's own 404 and 500 pages, never Django's debug pages
# (which list every URL pattern). Static files are served by WhiteNoise either way.
DEBUG = os.environ.get("FAIRWAY_DEBUG", "0") == "1"
SECRET_KEY = os.environ.get("FAIRWAY_SECRET_KEY", "dev-only-not-secret-" + "x" * 40)
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", ".localhost", "testserver"]
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = VAR_DIR / "sent-emails"
# The demo may switch two-factor off so that demo logins work without an authenticator app.
FAIRWAY_REQUIRE_TWO_FACTOR = os.environ.get("FAIRWAY_REQUIRE_TWO_FACTOR", "0") == "1"

# Serve static files from the apps' folders without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
