"""Enqueue the nightly refresh of the published Fair Access figures (`manage.py db_worker` runs it)."""

from typing import Any

from django.core.management.base import BaseCommand

from fairway.casework.tasks import fair_access_refresh


class Command(BaseCommand):
    help = (
        "Queue the re-count of every council's published Fair Access figures from the cases; "
        "run nightly (cron or a systemd timer). --now counts them here instead of queueing."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--now", action="store_true", help="count now, without the worker")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["now"]:
            from fairway.casework.services import fair_access_refresh_all

            self.stdout.write(f"Refreshed the figures of {fair_access_refresh_all()} councils.")
            return
        result = fair_access_refresh.enqueue()
        self.stdout.write(f"Queued the Fair Access figures refresh (task {result.id}).")
