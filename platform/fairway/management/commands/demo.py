"""`fairway demo`: set up the demo database (SQLite by default) and serve it on 127.0.0.1."""

from __future__ import annotations

import importlib
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

# Each app's demo loader, in the order they build on each other; an app that has none is skipped.
DEMO_LOADERS = ("tenants.demo", "fairway.casework.demo", "cms.demo")


def email_destination() -> str:
    """Where the demo's emails (invitations, password resets, reminders) can be read."""
    backend = settings.EMAIL_BACKEND
    if backend == "django.core.mail.backends.filebased.EmailBackend":
        return f"Emails are not sent: each is written as a file in {getattr(settings, 'EMAIL_FILE_PATH', '')}"
    if backend == "django.core.mail.backends.console.EmailBackend":
        return "Emails are not sent: each is printed here."
    return f"Emails are sent with {backend}."


class Command(BaseCommand):
    help = "Set up the demo: migrate, load the bundled councils, protocols, calendars, cases and guidance; then serve."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-serve", action="store_true", help="set up only, do not serve")

    def handle(self, *args: Any, **options: Any) -> None:
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Database ready.")
        self._load("tenants.demo")
        from protocols.services import bundled_load

        for line in bundled_load():
            self.stdout.write(f"  published {line}")
        for module in DEMO_LOADERS[1:]:
            self._load(module)
        # Wagtail queues its search-index updates as background tasks, which the demo does not
        # run: build the index now, so /<council>/search/ finds the guidance.
        call_command("update_index", verbosity=0)
        self.stdout.write("  built the guidance search index")
        self.stdout.write(email_destination())
        if options["no_serve"]:
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"\nFairway demo on http://127.0.0.1:{options['port']}/ (staff: /cases/, sign in at "
                "/account/login/; demo logins are listed in the README)\n"
            )
        )
        call_command("runserver", f"127.0.0.1:{options['port']}", use_reloader=False)

    def _load(self, module_name: str) -> None:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            return
        module.load_demo()
        self.stdout.write(f"  loaded {module_name}")
