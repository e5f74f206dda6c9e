"""`fairway worker`: django-tasks' database worker, after recovering tasks a stopped worker left.

The same options as `db_worker`; the worker id defaults to "host:pid:random" so a later worker
can tell whether the one that claimed a task is still alive, and the worker writes a heartbeat
and looks for other workers' stopped tasks while it runs (fairway/worker.py)."""

import os
from argparse import ArgumentParser
from typing import Any

from django.utils import timezone
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand
from django_tasks_db.management.commands.db_worker import logger as db_worker_logger

from fairway.worker import HeartbeatWorker, stuck_tasks_recover, worker_id_make


class Command(DbWorkerCommand):
    help = "Run queued background tasks, after queueing again those a stopped worker left."

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.set_defaults(worker_id=worker_id_make())

    def handle(
        self,
        *,
        verbosity: int,
        queue_name: str,
        interval: float,
        batch: bool,
        backend_name: str,
        startup_delay: bool,
        reload: bool,
        max_tasks: int | None,
        worker_id: str,
        **options: Any,
    ) -> None:
        # Heartbeats are not judged yet (watching from now): only dead processes on this machine
        # and tasks past FAIRWAY_TASK_STUCK_AFTER. The worker's own heartbeat looks again later.
        requeued, failed = stuck_tasks_recover(
            own_worker_id=worker_id, watching_since=timezone.now()
        )
        if requeued or failed:
            self.stdout.write(
                f"Queued again {requeued} task(s) a stopped worker left running; "
                f"{failed} stopped a worker twice and are marked failed."
            )
        # db_worker's handle (django_tasks_db 0.12), with Fairway's worker: it builds its own
        # Worker with no way to pass another class.
        self.configure_logging(verbosity)
        if reload and batch:
            db_worker_logger.warning(
                "Warning: --reload and --batch cannot be specified together. Disabling autoreload."
            )
            reload = False
        worker = HeartbeatWorker(
            queue_names=queue_name.split(","),
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
        )
        if reload:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()  # only the child process runs the worker
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
