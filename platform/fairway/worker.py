"""Tasks a stopped worker left RUNNING: run them again once (django-tasks does not).

django-tasks' database worker (django_tasks_db 0.12) marks a task RUNNING when it claims it and
SUCCESSFUL or FAILED when it ends. A worker killed in between (SIGKILL, out of memory, the machine
lost) leaves the row RUNNING for ever: no worker takes it again. `fairway worker` calls
`stuck_tasks_recover()` as it starts, and the daily run calls it too, so such a task runs again.

Whether a task's worker is gone: `fairway worker` names each worker "host:pid:random". On the same
host the process is looked up (precise, so a systemd restart recovers at once); a worker on
another host is taken as gone when the task has been running longer than
FAIRWAY_TASK_STUCK_AFTER seconds (default 2 hours, longer than any of Fairway's tasks takes).
A task is run at most twice (`MAX_RUNS`): a task that stopped its worker twice is marked FAILED
with the reason, rather than crash every new worker in turn. Fairway's tasks are safe to run
again: reminders are written down before they are sent (casework.models.ReminderSent).
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)

MAX_RUNS = 2
STOPPED = (
    "fairway.worker.WorkerStopped",
    "The worker running this task stopped in the middle of it twice (killed, or out of memory); "
    "it is not run a third time. Look at the worker's log for why, then queue it again.",
)


def worker_id_make() -> str:
    """'host:pid:random' (at most 64 characters, django-tasks' limit)."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{secrets.token_hex(4)}"


def stuck_after() -> timedelta:
    return timedelta(seconds=int(getattr(settings, "FAIRWAY_TASK_STUCK_AFTER", 2 * 60 * 60)))


def _process_gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # alive, another user's
    return False


def worker_gone(*, worker_id: str, started_at: datetime | None, now: datetime) -> bool:
    """Whether the worker that claimed a task can no longer finish it."""
    host, _, rest = worker_id.partition(":")
    pid_text, _, _random = rest.partition(":")
    if host == socket.gethostname()[:40] and pid_text.isdigit():
        # Our own pid under another worker id: a restarted container reusing the number.
        return int(pid_text) == os.getpid() or _process_gone(int(pid_text))
    return started_at is None or now - started_at > stuck_after()


def stuck_tasks_recover(*, now: datetime | None = None) -> tuple[int, int]:
    """Queue again each task whose worker is gone (once); fail those already run twice.

    Returns (queued again, failed)."""
    now = now or timezone.now()
    requeued = failed = 0
    for candidate in DBTaskResult.objects.running().only("pk", "worker_ids", "started_at"):
        last = candidate.worker_ids[-1] if candidate.worker_ids else ""
        if not worker_gone(worker_id=last, started_at=candidate.started_at, now=now):
            continue
        with transaction.atomic():
            # Locked and checked again: two workers starting at once recover a task once.
            task = DBTaskResult.objects.select_for_update().filter(pk=candidate.pk).first()
            if task is None or task.status != TaskResultStatus.RUNNING:
                continue
            if task.worker_ids != candidate.worker_ids:
                continue
            if len(task.worker_ids) < MAX_RUNS:
                task.status = TaskResultStatus.READY
                task.started_at = None
                task.save(update_fields=["status", "started_at"])
                requeued += 1
                logger.warning(
                    "task_requeued",
                    extra={"task_id": str(task.pk), "task": task.task_path, "worker": last},
                )
            else:
                task.status = TaskResultStatus.FAILED
                task.finished_at = now
                task.exception_class_path, task.traceback = STOPPED
                task.return_value = None
                task.save(
                    update_fields=[
                        "status",
                        "finished_at",
                        "exception_class_path",
                        "traceback",
                        "return_value",
                    ]
                )
                failed += 1
                logger.error(
                    "task_failed_worker_stopped",
                    extra={"task_id": str(task.pk), "task": task.task_path, "worker": last},
                )
    return requeued, failed
