"""A worker on another machine that died: found gone by its heartbeat within minutes, not hours.

Each `fairway worker` writes a heartbeat row as it starts, refreshes it while it runs and deletes
it when it stops cleanly; every running worker looks for tasks of gone workers on its heartbeat
(fairway/worker.py). Times are set by passing `now=` or by writing the rows, never by waiting.

The worker commits its own transactions and closes connections between tasks, so these tests use
a transactional database, as test_reminders_db_worker.py does.
"""

import logging
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks.signals import task_started
from django_tasks_db.models import DBTaskResult

from fairway import worker
from fairway.casework import tasks
from fairway.models import WorkerHeartbeat

from .conftest import database_queue as queue_in_database

pytestmark = pytest.mark.django_db(transaction=True)

# A worker of `fairway worker` on another machine ("host:pid:random").
OTHER = "otherhost:123:abcd"


@pytest.fixture
def database_queue() -> Iterator[None]:
    """The production queue; the test run's signal handlers kept (the worker sets its own)."""
    with queue_in_database():
        yield


def _running(worker_ids: list[str], *, started: timedelta) -> DBTaskResult:
    result = tasks.reminders_send.enqueue()
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.RUNNING,
        worker_ids=worker_ids,
        started_at=timezone.now() - started,
    )
    return DBTaskResult.objects.get(pk=result.id)


def _beat(worker_id: str, *, ago: timedelta) -> WorkerHeartbeat:
    now = timezone.now()
    return WorkerHeartbeat.objects.create(
        worker_id=worker_id,
        host=worker_id.partition(":")[0],
        started_at=now - timedelta(hours=1),
        last_seen=now - ago,
    )


def _status(task: DBTaskResult) -> str:
    task.refresh_from_db()
    return task.status


def _fairway_worker() -> worker.HeartbeatWorker:
    return worker.HeartbeatWorker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker.worker_id_make(),
    )


def _work(*args: str) -> None:
    call_command(
        "fairway_worker",
        "--batch",
        "--no-startup-delay",
        "--no-reload",
        "--interval",
        "0",
        *args,
        verbosity=0,
    )


def test_a_worker_on_another_machine_that_still_beats_keeps_its_task(
    database_queue: None,
) -> None:
    # Longer than FAIRWAY_TASK_STUCK_AFTER: a fresh heartbeat says the worker is still at it.
    task = _running([OTHER], started=timedelta(hours=3))
    _beat(OTHER, ago=timedelta(seconds=20))
    assert worker.stuck_tasks_recover() == (0, 0)
    assert _status(task) == TaskResultStatus.RUNNING
    assert WorkerHeartbeat.objects.filter(worker_id=OTHER).exists()


def test_a_silent_worker_on_another_machine_is_gone_in_minutes_once_then_its_task_fails(
    database_queue: None,
) -> None:
    task = _running([OTHER], started=timedelta(minutes=10))
    _beat(OTHER, ago=timedelta(minutes=5))
    assert worker.stuck_tasks_recover() == (1, 0)
    task.refresh_from_db()
    assert task.status == TaskResultStatus.READY and task.started_at is None
    assert not WorkerHeartbeat.objects.filter(worker_id=OTHER).exists()  # the gone worker's row

    # Claimed again by a worker on a third machine, which dies too: not run a third time.
    third = "thirdhost:456:ef01"
    DBTaskResult.objects.filter(pk=task.pk).update(
        status=TaskResultStatus.RUNNING,
        worker_ids=[OTHER, third],
        started_at=timezone.now() - timedelta(minutes=4),
    )
    _beat(third, ago=timedelta(minutes=3))
    assert worker.stuck_tasks_recover() == (0, 1)
    task.refresh_from_db()
    assert task.status == TaskResultStatus.FAILED
    assert task.exception_class_path == "fairway.worker.WorkerStopped"


def test_a_fairway_worker_with_no_heartbeat_row_is_gone_once_its_task_is_minutes_old(
    database_queue: None,
) -> None:
    # Its row was deleted as gone (or the machine died before anyone saw it beat).
    old = _running([OTHER], started=timedelta(minutes=10))
    new = _running(["otherhost:789:abcd"], started=timedelta(seconds=30))
    assert worker.stuck_tasks_recover() == (1, 0)
    assert _status(old) == TaskResultStatus.READY
    assert _status(new) == TaskResultStatus.RUNNING


def test_the_recovery_deletes_only_the_rows_of_gone_workers(database_queue: None) -> None:
    _beat("gone:1:aa", ago=timedelta(minutes=10))
    _beat("alive:2:bb", ago=timedelta(seconds=10))
    assert worker.stuck_tasks_recover() == (0, 0)
    assert list(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == ["alive:2:bb"]


def test_after_an_outage_old_heartbeats_are_not_believed_until_the_worker_has_watched_a_while(
    database_queue: None,
) -> None:
    # Every worker's heartbeat is old after PostgreSQL was down a few minutes, living or not.
    task = _running([OTHER], started=timedelta(minutes=10))
    _beat(OTHER, ago=timedelta(minutes=4))
    now = timezone.now()
    back = now - timedelta(seconds=20)  # this worker's heartbeats got through again since then
    assert worker.stuck_tasks_recover(now=now, watching_since=back) == (0, 0)
    assert _status(task) == TaskResultStatus.RUNNING
    assert WorkerHeartbeat.objects.filter(worker_id=OTHER).exists()
    # Still silent once this worker has watched for FAIRWAY_WORKER_GONE_AFTER: gone.
    later = back + worker.gone_after()
    assert worker.stuck_tasks_recover(now=later, watching_since=back) == (1, 0)


def test_a_worker_never_recovers_its_own_task_but_another_with_its_pid_is_gone(
    database_queue: None,
) -> None:
    mine = worker.worker_id_make()
    own = _running([mine], started=timedelta(minutes=10))
    # A worker before a container restart that reused this process's number.
    before = _running([worker.worker_id_make()], started=timedelta(minutes=10))
    assert worker.stuck_tasks_recover(own_worker_id=mine) == (1, 0)
    assert _status(own) == TaskResultStatus.RUNNING
    assert _status(before) == TaskResultStatus.READY


def test_the_step_writes_the_heartbeat_and_refreshes_it(database_queue: None) -> None:
    beating = _fairway_worker()
    first = timezone.now()
    beating.step(now=first)
    row = WorkerHeartbeat.objects.get()
    assert row.worker_id == beating.worker_id
    assert row.host == beating.worker_id.partition(":")[0]
    assert row.started_at == beating.started_at and row.last_seen == first

    beating.step(now=first + timedelta(seconds=30))
    row.refresh_from_db()
    assert row.last_seen == first + timedelta(seconds=30)
    assert WorkerHeartbeat.objects.count() == 1


def test_a_running_worker_recovers_another_machine_s_task_on_its_heartbeat(
    database_queue: None,
) -> None:
    beating = _fairway_worker()
    task = _running([OTHER], started=timedelta(minutes=10))
    _beat(OTHER, ago=timedelta(minutes=5))
    first = beating.started_at + timedelta(seconds=1)
    beating.step(now=first)
    beating.step(now=first + timedelta(seconds=30))
    assert _status(task) == TaskResultStatus.RUNNING  # not looked at yet: once a while
    beating.step(now=first + worker.gone_after())
    assert _status(task) == TaskResultStatus.READY
    assert beating.recovered_at == first + worker.gone_after()


def _database_down(**kwargs: Any) -> None:
    raise OperationalError("server closed the connection unexpectedly")


def test_a_database_error_in_the_heartbeat_is_logged_and_the_worker_goes_on(
    database_queue: None, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    beating = _fairway_worker()
    now = timezone.now()
    monkeypatch.setattr(worker, "heartbeat_write", _database_down)
    with caplog.at_level(logging.WARNING, logger="fairway.worker"):
        beating.step(now=now)
    [record] = [r for r in caplog.records if r.name == "fairway.worker"]
    assert record.getMessage() == "worker_heartbeat_failed" and record.exc_info
    assert beating.watching_since is None  # other workers' silence is not judged for a while

    monkeypatch.undo()
    beating.step(now=now + timedelta(seconds=30))
    assert WorkerHeartbeat.objects.get().last_seen == now + timedelta(seconds=30)
    assert beating.watching_since == now + timedelta(seconds=30)


def test_the_heartbeat_loop_goes_on_after_an_unexpected_error(
    database_queue: None, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    beating = _fairway_worker()
    monkeypatch.setattr(worker, "heartbeat_every", lambda: timedelta(0))
    steps: list[datetime | None] = []

    def step(*, now: datetime | None = None) -> None:
        steps.append(now)
        if len(steps) == 1:
            raise RuntimeError("a bug")
        beating._stopping.set()

    monkeypatch.setattr(beating, "step", step)
    with caplog.at_level(logging.WARNING, logger="fairway.worker"):
        beating._beat()  # on this thread: returns once stopped
    assert len(steps) == 2
    assert [r.getMessage() for r in caplog.records if r.name == "fairway.worker"] == [
        "worker_heartbeat_failed"
    ]


def test_fairway_worker_beats_while_it_runs_and_deletes_its_row_when_it_stops(
    database_queue: None,
) -> None:
    queued = tasks.reminders_send.enqueue()
    seen: list[list[str]] = []

    def record(**kwargs: Any) -> None:
        seen.append(list(WorkerHeartbeat.objects.values_list("worker_id", flat=True)))

    task_started.connect(record)
    try:
        _work("--worker-id", "thishost:1:abcd")
    finally:
        task_started.disconnect(record)
    assert seen == [["thishost:1:abcd"]]  # written before the task was claimed
    assert _status(DBTaskResult.objects.get(pk=queued.id)) == TaskResultStatus.SUCCESSFUL
    assert not WorkerHeartbeat.objects.exists()  # stopped cleanly (--batch): deleted


def test_fairway_worker_runs_its_tasks_while_the_heartbeat_cannot_be_written(
    database_queue: None, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    queued = tasks.reminders_send.enqueue()
    monkeypatch.setattr(worker, "heartbeat_write", _database_down)
    with caplog.at_level(logging.WARNING, logger="fairway.worker"):
        _work()
    assert _status(DBTaskResult.objects.get(pk=queued.id)) == TaskResultStatus.SUCCESSFUL
    assert "worker_heartbeat_failed" in [r.getMessage() for r in caplog.records]
