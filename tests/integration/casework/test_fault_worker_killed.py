"""A worker killed in the middle of a task: the task runs again once, no reminder goes twice.

django-tasks' database worker leaves a task RUNNING for ever when its process dies; `fairway
worker` queues such a task again as it starts and on its heartbeat while it runs
(fairway/worker.py). Reminders are written down
before they are sent (an outbox, casework.models.ReminderSent), so the second run skips the one
the killed worker was sending.

The first test runs real `fairway worker` processes against the test run's PostgreSQL database
(they are separate processes, so an in-memory SQLite database cannot be shared with them) and
kills one with SIGKILL right after the email server took a reminder and before the worker wrote
down that it was sent: the worst moment for a duplicate.
"""

import email
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.test import override_settings
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks.utils import get_random_id
from django_tasks_db.models import DBTaskResult

from fairway import worker
from fairway.casework import tasks
from fairway.casework.models import ReminderSent
from tenants.models import Role
from tests.factories import person_with_role

from .conftest import DATABASE_TASKS, Place, agree, open_case

pytestmark = pytest.mark.django_db(transaction=True)

REPO = Path(__file__).resolve().parents[3]
# Three school days before the first day (Monday 30 November 2026): reminders are due.
TODAY = date(2026, 11, 25)


@pytest.fixture
def database_queue() -> Iterator[None]:
    with override_settings(TASKS=DATABASE_TASKS):
        yield


def _database_url() -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s["PASSWORD"] else ""
    return f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _worker(mail_dir: Path, *, hold_after: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "PYTHONPATH": f"{REPO / 'platform'}{os.pathsep}{REPO}",
        "DJANGO_SETTINGS_MODULE": "tests.integration.casework.worker_settings",
        "DATABASE_URL": _database_url(),
        "FAIRWAY_TEST_TODAY": TODAY.isoformat(),
        "FAIRWAY_TEST_MAIL_DIR": str(mail_dir),
        "FAIRWAY_TEST_MAIL_HOLD_AFTER": str(hold_after),
    }
    argv = [sys.executable, "-m", "fairway.cli", "worker", "--batch", "--no-startup-delay"]
    return subprocess.Popen(
        [*argv, "--no-reload", "--interval", "0"],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def _sent(mail_dir: Path) -> Counter[tuple[str, str]]:
    """(subject, recipient) of every email the "server" took."""
    messages = [email.message_from_bytes(p.read_bytes()) for p in mail_dir.glob("*.eml")]
    return Counter((str(m["Subject"]), str(m["To"])) for m in messages)


@pytest.mark.skipif(
    "postgres" not in os.environ.get("DATABASE_URL", ""),
    reason="worker processes need a database they can share: the PostgreSQL run",
)
def test_a_worker_killed_mid_task_its_task_runs_again_once_and_no_reminder_goes_twice(
    norfolk: Place, database_queue: None, tmp_path: Path
) -> None:
    # Two cases, and two people at the home school: four reminders, one email each.
    person_with_role(role=Role.SCHOOL_STAFF, council=norfolk.council, school=norfolk.home)
    for _ in range(2):
        agree(open_case(norfolk), norfolk, first_day=date(2026, 11, 30))
    queued = tasks.reminders_send.enqueue()

    # The first worker: killed right after the first reminder reached the email server.
    first = _worker(tmp_path, hold_after=1)
    deadline = time.monotonic() + 120
    while not (tmp_path / "holding").exists():
        assert first.poll() is None, first.communicate()[0].decode()
        assert time.monotonic() < deadline, "the worker never reached the first reminder"
        time.sleep(0.05)
    first.send_signal(signal.SIGKILL)
    first.wait()

    task = DBTaskResult.objects.get(pk=queued.id)
    assert task.status == TaskResultStatus.RUNNING  # django-tasks alone would leave it so
    [in_flight] = ReminderSent.objects.filter(state=ReminderSent.State.SENDING)
    assert sum(_sent(tmp_path).values()) == 1

    # A new worker (systemd restarts it): the task is queued again and finishes.
    second = _worker(tmp_path, hold_after=0)
    output = second.communicate(timeout=180)[0].decode()
    assert second.returncode == 0, output
    assert "Queued again 1 task(s) a stopped worker left running" in output

    task.refresh_from_db()
    assert task.status == TaskResultStatus.SUCCESSFUL, task.traceback
    assert len(task.worker_ids) == 2  # run twice: once killed, once to the end
    assert DBTaskResult.objects.count() == 1

    sent = _sent(tmp_path)
    rows = ReminderSent.objects.all()
    assert len(rows) >= 4, "each case should have a reminder for each person"
    # Each reminder reached the server exactly once, the killed worker's included.
    assert all(count == 1 for count in sent.values()), sent
    assert sum(sent.values()) == len(rows)
    assert Counter((r.case.reference, r.recipient) for r in rows) == Counter(
        (subject.rsplit("(", 1)[1].split(",")[0], to) for subject, to in sent
    )
    in_flight.refresh_from_db()
    assert in_flight.state == ReminderSent.State.IN_DOUBT
    assert task.return_value == len(rows) - 1  # the second run sent the others
    assert {r.state for r in rows if r.pk != in_flight.pk} == {ReminderSent.State.SENT}


def _running(*worker_ids: str, started: timedelta = timedelta(minutes=1)) -> DBTaskResult:
    result = tasks.reminders_send.enqueue()
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.RUNNING,
        worker_ids=list(worker_ids),
        started_at=timezone.now() - started,
    )
    return DBTaskResult.objects.get(pk=result.id)


def _dead_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def test_a_task_whose_worker_died_on_this_machine_is_queued_again(database_queue: None) -> None:
    here = worker.worker_id_make().split(":")[0]
    dead = _running(f"{here}:{_dead_pid()}:aa")
    with subprocess.Popen(["sleep", "30"]) as alive_process:
        alive = _running(f"{here}:{alive_process.pid}:bb")
        assert worker.stuck_tasks_recover() == (1, 0)
        alive_process.kill()
    dead.refresh_from_db()
    alive.refresh_from_db()
    assert dead.status == TaskResultStatus.READY and dead.started_at is None
    assert alive.status == TaskResultStatus.RUNNING


def test_a_task_that_stopped_its_worker_twice_is_not_run_a_third_time(
    database_queue: None,
) -> None:
    here = worker.worker_id_make().split(":")[0]
    twice = _running(f"{here}:{_dead_pid()}:aa", f"{here}:{_dead_pid()}:bb")
    assert worker.stuck_tasks_recover() == (0, 1)
    twice.refresh_from_db()
    assert twice.status == TaskResultStatus.FAILED
    assert twice.exception_class_path == "fairway.worker.WorkerStopped"
    assert "stopped in the middle of it twice" in twice.traceback


def test_a_worker_that_writes_no_heartbeats_is_given_up_on_after_the_long_timeout(
    database_queue: None,
) -> None:
    # Plain `db_worker` (django-tasks' own random ids): no heartbeat, so FAIRWAY_TASK_STUCK_AFTER.
    # A `fairway worker` on another machine is found gone sooner: test_worker_heartbeat.py.
    recent = _running(get_random_id(), started=timedelta(minutes=30))
    old = _running(get_random_id(), started=timedelta(hours=3))
    assert worker.stuck_tasks_recover() == (1, 0)
    recent.refresh_from_db()
    old.refresh_from_db()
    assert recent.status == TaskResultStatus.RUNNING
    assert old.status == TaskResultStatus.READY


def test_a_reminder_left_in_doubt_is_not_sent_again(norfolk: Place) -> None:
    from django.core import mail

    case = agree(open_case(norfolk), norfolk, first_day=date(2026, 11, 30))
    mail.outbox.clear()
    first = tasks.reminders_due(today=TODAY)
    assert first == len(mail.outbox) >= 1
    # As a killed worker leaves one: written down, not known to be sent.
    one = ReminderSent.objects.filter(case=case).first()
    assert one is not None
    ReminderSent.objects.filter(pk=one.pk).update(state=ReminderSent.State.SENDING)
    mail.outbox.clear()
    assert tasks.reminders_due(today=TODAY) == 0
    assert mail.outbox == []
    one.refresh_from_db()
    assert one.state == ReminderSent.State.IN_DOUBT
