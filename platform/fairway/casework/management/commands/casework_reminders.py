"""Enqueue today's deadline reminders for the background worker (`manage.py db_worker`)."""

from typing import Any

from django.core.management.base import BaseCommand

from fairway.casework.tasks import reminders_send
from fairway.worker import stuck_tasks_recover


class Command(BaseCommand):
    help = "Queue today's case-deadline reminder emails; run once a school day (cron or a timer)."

    def handle(self, *args: Any, **options: Any) -> None:
        # A worker on another machine that died mid-task is only noticed after a while: the
        # daily run looks too, besides each `fairway worker` as it starts.
        requeued, failed = stuck_tasks_recover()
        if requeued or failed:
            self.stdout.write(
                f"Queued again {requeued} task(s) a stopped worker left running; "
                f"{failed} stopped a worker twice and are marked failed."
            )
        result = reminders_send.enqueue()
        self.stdout.write(f"Queued the reminders (task {result.id}).")
