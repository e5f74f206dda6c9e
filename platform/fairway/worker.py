"""Tasks a stopped worker left RUNNING: run them again once (django-tasks does not).

django-tasks' database worker (django_tasks_db 0.12) marks a task RUNNING when it claims it and
SUCCESSFUL or FAILED when it ends. A worker killed in between (SIGKILL, out of memory, the machine
lost) leaves the row RUNNING for ever: no worker takes it again. `stuck_tasks_recover()` queues
such a task again: `fairway worker` calls it as it starts and then every FAIRWAY_WORKER_GONE_AFTER
seconds while it runs, and the daily run calls it too.

Whether a task's worker is gone (`worker_gone`): `fairway worker` names each worker
"host:pid:random" and writes a heartbeat (`WorkerHeartbeat`) as it starts and every
FAIRWAY_WORKER_HEARTBEAT seconds (default 30), from a thread of its own so a long task does not
silence it. On the same host the process is looked up (precise, so a systemd restart recovers at
once). On another host a worker whose heartbeat is fresher than FAIRWAY_WORKER_GONE_AFTER seconds
(default 120, at least three heartbeats) is alive, however long its task runs; one whose heartbeat
is older, or missing though its task started longer ago than that, is gone. A task claimed by a
worker that never writes heartbeats (plain `manage.py db_worker`, whose ids are not
"host:pid:random") falls back to FAIRWAY_TASK_STUCK_AFTER seconds (default 2 hours, longer than
any of Fairway's tasks takes).

A task is run at most twice (`MAX_RUNS`): a task that stopped its worker twice is marked FAILED
with the reason, rather than crash every new worker in turn. Fairway's tasks are safe to run
again: reminders are written down before they are sent (casework.models.ReminderSent).
"""

from __future__ import annotations

import logging
import os
import re
import secrets
import socket
import threading
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connections, transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from fairway.models import WorkerHeartbeat

logger = logging.getLogger(__name__)

MAX_RUNS = 2
STOPPED = (
    "fairway.worker.WorkerStopped",
    "The worker running this task stopped in the middle of it twice (killed, or out of memory); "
    "it is not run a third time. Look at the worker's log for why, then queue it again.",
)
# The shape of `worker_id_make`'s ids: a worker that writes heartbeats. db_worker's own default
# ids (32 letters and digits) have no colon.
FAIRWAY_WORKER_ID = re.compile(r"[^:]+:\d+:[0-9a-f]+")


def _host() -> str:
    return socket.gethostname()[:40]


def worker_id_make() -> str:
    """'host:pid:random' (at most 64 characters, django-tasks' limit)."""
    return f"{_host()}:{os.getpid()}:{secrets.token_hex(4)}"


def stuck_after() -> timedelta:
    return timedelta(seconds=int(getattr(settings, "FAIRWAY_TASK_STUCK_AFTER", 2 * 60 * 60)))


def heartbeat_every() -> timedelta:
    return timedelta(seconds=int(getattr(settings, "FAIRWAY_WORKER_HEARTBEAT", 30)))


def gone_after() -> timedelta:
    # Never under three heartbeats: one late or failed heartbeat is not a dead worker.
    setting = timedelta(seconds=int(getattr(settings, "FAIRWAY_WORKER_GONE_AFTER", 120)))
    return max(setting, 3 * heartbeat_every())


def _process_gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # alive, another user's
    return False


def worker_gone(
    *,
    worker_id: str,
    started_at: datetime | None,
    now: datetime,
    last_seen: datetime | None = None,
    own_worker_id: str = "",
    heartbeats_trusted: bool = True,
) -> bool:
    """Whether the worker that claimed a task can no longer finish it.

    `last_seen` is the worker's heartbeat (None: no row). `own_worker_id` is the caller's own, when
    it is a worker. Without `heartbeats_trusted` a silent worker is judged as one that writes no
    heartbeats (FAIRWAY_TASK_STUCK_AFTER): the caller has not seen the database answer long
    enough to tell a dead worker from one that could not reach it either."""
    host, _, rest = worker_id.partition(":")
    pid_text, _, _random = rest.partition(":")
    if host == _host() and pid_text.isdigit():
        if int(pid_text) == os.getpid():
            # Our own pid under another worker id: a restarted container reusing the number.
            return worker_id != own_worker_id
        return _process_gone(int(pid_text))
    if last_seen is not None and now - last_seen <= gone_after():
        return False  # alive, however long its task runs
    if heartbeats_trusted and (last_seen is not None or FAIRWAY_WORKER_ID.fullmatch(worker_id)):
        # A worker that writes heartbeats wrote one as it started and refreshes it while it
        # runs: silent this long, or its row deleted as gone, it is gone.
        silent_since = last_seen or started_at
        return silent_since is None or now - silent_since > gone_after()
    return started_at is None or now - started_at > stuck_after()


def stuck_tasks_recover(
    *, now: datetime | None = None, own_worker_id: str = "", watching_since: datetime | None = None
) -> tuple[int, int]:
    """Queue again each task whose worker is gone (once); fail those already run twice; delete
    the heartbeats of gone workers.

    A worker passes its own id, and `watching_since`: since when its own heartbeats have gone
    through without a break. Other workers' heartbeats are only judged over a window it saw the
    database answer throughout; after an outage every heartbeat is old, the living workers' too.
    Returns (queued again, failed)."""
    now = now or timezone.now()
    trusted = watching_since is None or now - watching_since >= gone_after()
    seen = dict(WorkerHeartbeat.objects.values_list("worker_id", "last_seen"))
    requeued = failed = 0
    for candidate in DBTaskResult.objects.running().only("pk", "worker_ids", "started_at"):
        last = candidate.worker_ids[-1] if candidate.worker_ids else ""
        if not worker_gone(
            worker_id=last,
            started_at=candidate.started_at,
            now=now,
            last_seen=seen.get(last),
            own_worker_id=own_worker_id,
            heartbeats_trusted=trusted,
        ):
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
    if trusted:
        # A gone worker's row (killed, so it never deleted it): its task was just dealt with.
        WorkerHeartbeat.objects.filter(last_seen__lt=now - gone_after()).exclude(
            worker_id=own_worker_id
        ).delete()
    return requeued, failed


def heartbeat_write(*, worker_id: str, started_at: datetime, now: datetime) -> None:
    """The worker is alive at `now` (its row made if missing: deleted as gone, or never written
    because the database was down as it started)."""
    if not WorkerHeartbeat.objects.filter(worker_id=worker_id).update(last_seen=now):
        WorkerHeartbeat.objects.create(
            worker_id=worker_id, host=_host(), started_at=started_at, last_seen=now
        )


def heartbeat_delete(*, worker_id: str) -> None:
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


class HeartbeatWorker(Worker):
    """django-tasks' database worker that says it is alive and looks after other workers' tasks.

    django_tasks_db's loop has no periodic hook, and it is busy for the whole of a task: the
    heartbeat (`step`) runs on a thread of its own, with its own database connection, so a task
    longer than FAIRWAY_WORKER_GONE_AFTER does not make its worker look gone and run twice.
    The thread dies with the process, so a killed worker falls silent."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.started_at = timezone.now()
        self.watching_since: datetime | None = None  # heartbeats going through since
        # `fairway worker` recovers as it starts (before this worker is made).
        self.recovered_at = self.started_at
        self._stopping = threading.Event()

    def step(self, *, now: datetime | None = None) -> None:
        """One heartbeat and, every FAIRWAY_WORKER_GONE_AFTER seconds, `stuck_tasks_recover()`.

        A database error is logged, never raised: the worker goes on (a PostgreSQL restart must
        not stop it) and tries again at the next heartbeat."""
        now = now or timezone.now()
        try:
            heartbeat_write(worker_id=self.worker_id, started_at=self.started_at, now=now)
        except DatabaseError:
            self.watching_since = None
            logger.warning(
                "worker_heartbeat_failed", exc_info=True, extra={"worker": self.worker_id}
            )
            return
        if self.watching_since is None:
            self.watching_since = now
        if now - self.recovered_at < gone_after():
            return
        try:
            # Each task queued again or failed is logged there.
            stuck_tasks_recover(
                now=now, own_worker_id=self.worker_id, watching_since=self.watching_since
            )
        except DatabaseError:
            logger.warning(
                "worker_recovery_failed", exc_info=True, extra={"worker": self.worker_id}
            )
            return
        self.recovered_at = now

    def _beat(self) -> None:
        try:
            while not self._stopping.wait(heartbeat_every().total_seconds()):
                try:
                    close_old_connections()  # reconnect after a restart, as db_worker's loop does
                    self.step()
                except Exception:
                    # A bug must not silence the heartbeat for good: the worker's task would
                    # run again elsewhere while it is still running here.
                    logger.exception("worker_heartbeat_failed", extra={"worker": self.worker_id})
        finally:
            connections.close_all()  # this thread's own connection

    def run(self) -> None:
        self.step()  # before the first task is claimed
        beat = threading.Thread(target=self._beat, name="fairway-heartbeat", daemon=True)
        beat.start()
        try:
            super().run()
        finally:
            # A clean stop (SIGTERM after the task in hand, --batch, --max-tasks): gone at once
            # from the table. A heartbeat stuck on an unreachable database is not waited for.
            self._stopping.set()
            beat.join(timeout=heartbeat_every().total_seconds())
            try:
                heartbeat_delete(worker_id=self.worker_id)
            except DatabaseError:
                logger.warning(
                    "worker_heartbeat_failed", exc_info=True, extra={"worker": self.worker_id}
                )
