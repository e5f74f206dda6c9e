"""Enqueue today's deadline reminders for the background worker (`manage.py db_worker`)."""

from typing import Any

from django.core.management.base import BaseCommand

from fairway.casework.tasks import reminders_send


class Command(BaseCommand):
    help = "Queue today's case-deadline reminder emails; run once a school day (cron or a timer)."

    def handle(self, *args: Any, **options: Any) -> None:
        result = reminders_send.enqueue()
        self.stdout.write(f"Queued the reminders (task {result.id}).")
