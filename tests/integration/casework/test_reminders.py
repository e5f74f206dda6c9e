from datetime import date

from django.core import mail
from django.core.management import call_command

from fairway.casework.models import Case, ReminderSent
from fairway.casework.tasks import reminders_due

from .conftest import Place, agree, open_case


def test_reminders_go_to_the_people_responsible_once(norfolk: Place) -> None:
    case = agree(open_case(norfolk), norfolk, first_day=date(2026, 11, 30))
    mail.outbox.clear()
    # Dual registration (the home school's) is due on the first day: 3 school days ahead.
    assert reminders_due(today=date(2026, 11, 25)) >= 1
    subjects = [m.subject for m in mail.outbox]
    assert any("Coming up" in s and case.reference in s for s in subjects)
    home = [m for m in mail.outbox if norfolk.home_staff.email in m.to]
    assert home, "the home school's staff get the home school's reminders"
    assert all("Jayden" not in m.subject + m.body for m in mail.outbox)
    count = len(mail.outbox)
    reminders_due(today=date(2026, 11, 25))
    assert len(mail.outbox) == count  # not twice
    reminders_due(today=date(2026, 12, 2))
    assert any("Overdue" in m.subject for m in mail.outbox[count:])
    assert ReminderSent.objects.filter(case=case, kind="overdue").exists()


def test_the_command_queues_the_task_and_the_immediate_backend_runs_it(norfolk: Place) -> None:
    open_case(norfolk)
    call_command("casework_reminders")
    assert Case.objects.count() == 1
