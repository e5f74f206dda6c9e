"""Reminders through the real queue: `casework_reminders` enqueues, `db_worker` sends.

Production stores tasks in the database (django_tasks_db's DatabaseBackend, settings/base.py); the
rest of the suite runs tasks at once with the immediate backend. Here the queue is the database
one and the worker is the real management command, as the README tells a council to run them.

The worker commits its own transactions and closes connections between tasks, so these tests
use a transactional database rather than the usual per-test transaction.
"""

from collections.abc import Iterator
from datetime import date
from io import StringIO
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from fairway.casework import tasks
from fairway.casework.models import Case, ReminderSent

from .conftest import Place, agree, open_case
from .conftest import database_queue as queue_in_database

pytestmark = pytest.mark.django_db(transaction=True)

# Three school days before the first day (Monday 30 November 2026).
TODAY = date(2026, 11, 25)


@pytest.fixture
def database_queue(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The production queue, on the day the worker runs; the test run's signal handlers kept."""
    assert apps.is_installed("django_tasks_db")
    # The task asks for today's date when the worker runs it.
    monkeypatch.setattr(tasks, "timezone", SimpleNamespace(localdate=lambda: TODAY))
    with queue_in_database():
        yield


def _enqueue() -> DBTaskResult:
    out = StringIO()
    call_command("casework_reminders", stdout=out)
    queued = DBTaskResult.objects.latest("enqueued_at")
    assert out.getvalue().strip() == f"Queued the reminders (task {queued.id})."
    return queued


def _work() -> None:
    call_command(
        "db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0", verbosity=0
    )


def test_the_worker_sends_the_queued_reminders_once(norfolk: Place, database_queue: None) -> None:
    case = agree(open_case(norfolk), norfolk, first_day=date(2026, 11, 30))
    mail.outbox.clear()

    queued = _enqueue()
    assert queued.status == TaskResultStatus.READY
    assert queued.task_path == "fairway.casework.tasks.reminders_send"
    assert queued.backend_name == "default"
    # Queued, not run: nothing is sent until the worker takes it.
    assert mail.outbox == [] and not ReminderSent.objects.exists()

    _work()

    queued.refresh_from_db()
    assert queued.status == TaskResultStatus.SUCCESSFUL, queued.traceback
    assert queued.finished_at is not None
    assert queued.return_value == len(mail.outbox) >= 1
    # Dual registration (the home school's) is due on the first day, 3 school days ahead.
    subject = (
        f"Coming up: {_label(case, 'dual_registration')} ({case.reference}, due Mon 30 Nov 2026)"
    )
    [email] = [m for m in mail.outbox if m.subject == subject]
    assert norfolk.home_staff.email in email.to
    assert reverse("casework:case_detail", kwargs={"case_id": case.pk}) in email.body
    assert all("Jayden" not in m.subject + m.body for m in mail.outbox)
    sent = set(ReminderSent.objects.filter(case=case).values_list("milestone_key", "due", "kind"))
    assert ("dual_registration", date(2026, 11, 30), "upcoming") in sent
    assert len(sent) == len(mail.outbox)

    # The next run of the same day finds every reminder already sent.
    again = _enqueue()
    _work()
    again.refresh_from_db()
    assert again.status == TaskResultStatus.SUCCESSFUL, again.traceback
    assert again.return_value == 0
    assert len(mail.outbox) == len(sent)
    assert ReminderSent.objects.count() == len(sent)
    assert DBTaskResult.objects.filter(status=TaskResultStatus.SUCCESSFUL).count() == 2


def test_a_worker_with_an_empty_queue_sends_nothing(norfolk: Place, database_queue: None) -> None:
    agree(open_case(norfolk), norfolk, first_day=date(2026, 11, 30))
    mail.outbox.clear()
    _work()  # cron has not queued today's run
    assert mail.outbox == [] and not ReminderSent.objects.exists()
    assert not DBTaskResult.objects.exists()


def _label(case: Case, milestone_key: str) -> str:
    protocol = case.protocol_version.load()
    return next(m.label for m in protocol.milestones if m.key == milestone_key)
