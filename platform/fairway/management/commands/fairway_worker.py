"""`fairway worker`: django-tasks' database worker, after recovering tasks a stopped worker left.

The same options as `db_worker`; the worker id defaults to "host:pid:random" so a later worker
can tell whether the one that claimed a task is still alive (fairway/worker.py)."""

from argparse import ArgumentParser
from typing import Any

from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from fairway.worker import stuck_tasks_recover, worker_id_make


class Command(DbWorkerCommand):
    help = "Run queued background tasks, after queueing again those a stopped worker left."

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.set_defaults(worker_id=worker_id_make())

    def handle(self, *args: Any, **options: Any) -> None:
        requeued, failed = stuck_tasks_recover()
        if requeued or failed:
            self.stdout.write(
                f"Queued again {requeued} task(s) a stopped worker left running; "
                f"{failed} stopped a worker twice and are marked failed."
            )
        super().handle(*args, **options)
