"""Enqueue today's deadline reminders for the background worker (`manage.py db_worker`)."""

from typing import Any

from django.core.management.base import BaseCommand

from fairway.casework.tasks import reminders_send
from fairway.worker import stuck_tasks_recover


class Command(BaseCommand):
    help = "Queue today's case-deadline reminder emails; run once a school day (cron or a timer)."

    def handle(self, *args: Any, **options: Any) -> None:
        # The running `fairway worker`s look every few minutes; the daily run looks too, for a
        # deployment whose only worker died, or whose workers are plain `db_worker`s.
        requeued, failed = stuck_tasks_recover()
        if requeued or failed:
            self.stdout.write(
                f"Queued again {requeued} task(s) a stopped worker left running; "
                f"{failed} stopped a worker twice and are marked failed."
            )
        result = reminders_send.enqueue()
        self.stdout.write(f"Queued the reminders (task {result.id}).")
