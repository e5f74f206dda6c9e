"""Reminder emails, run by the background task runner (django-tasks, queue stored in the database).

`fairway casework_reminders` (a management command, run once a school day from cron or a systemd
timer) enqueues `reminders_send`; `manage.py db_worker` runs it. Each reminder goes to the people
responsible for the milestone (its owner in the protocol) some school days before the deadline,
and again once when it is overdue. A reminder is sent once: `ReminderSent` remembers it.
Emails carry the case reference and the milestone, never the pupil's name.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from protocols.core.problems import CalendarError
from tenants.models import COUNCIL_ROLES, Membership, Role

from . import selectors
from .models import OPEN_STAGES, Case, ReminderSent

# How many school days ahead the "coming up" reminder goes out.
REMINDER_SCHOOL_DAYS = 3


def recipients_for(*, case: Case, owner: str | None, kind: str | None) -> list[str]:
    """Email addresses of the people responsible for a milestone owned by `owner` (a role kind)."""
    memberships = Membership.objects.filter(user__is_active=True)
    if kind == "home_school":
        memberships = memberships.filter(school_id=case.home_school_id)
    elif kind == "receiving_school" and case.receiving_school_id:
        memberships = memberships.filter(school_id=case.receiving_school_id)
    else:
        # The council's own teams, and anything the protocol gives to a family or agency.
        memberships = memberships.filter(
            council_id=case.home_council_id, role__in=[Role.COUNCIL_OFFICER]
        )
    addresses = sorted(set(memberships.values_list("user__email", flat=True)))
    if not addresses:
        addresses = sorted(
            set(
                Membership.objects.filter(
                    council_id=case.home_council_id, role__in=sorted(COUNCIL_ROLES)
                ).values_list("user__email", flat=True)
            )
        )
    return addresses


def _role_kind(case: Case, owner: str | None) -> str | None:
    if owner is None:
        return None
    protocol = case.protocol_version.load()
    role = next((r for r in protocol.roles if r.key == owner), None)
    return role.kind if role else owner


def reminders_due(*, today: date) -> int:
    """Send every reminder due today; returns how many emails went out."""
    horizon = today + timedelta(days=14)
    cases = (
        Case.objects.filter(stage__in=OPEN_STAGES, next_due__isnull=False)
        .filter(Q(next_due__lte=horizon))
        .select_related("home_council", "home_school", "receiving_school", "protocol_version")
        .prefetch_related(
            "events", "extensions", "milestones_done", "submissions", "attendance_weeks"
        )
    )
    base_url = getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")
    sent = 0
    for case in cases:
        timeline = selectors.case_timeline(case=case, today=today)
        try:
            calendar = selectors.case_calendar(case=case)
        except Exception:  # no calendar: nothing can be dated, so nothing is due
            continue
        for milestone in timeline.milestones:
            if not milestone.is_open:
                continue
            if milestone.due < today:
                reminder = "overdue"
            else:
                try:
                    ahead = calendar.school_days_between(today, milestone.due)
                except CalendarError:
                    continue
                if ahead > REMINDER_SCHOOL_DAYS:
                    continue
                reminder = "upcoming"
            try:
                with transaction.atomic():
                    ReminderSent.objects.create(
                        case=case, milestone_key=milestone.key, due=milestone.due, kind=reminder
                    )
            except IntegrityError:
                continue  # already sent
            to = recipients_for(
                case=case, owner=milestone.owner, kind=_role_kind(case, milestone.owner)
            )
            if not to:
                continue
            link = base_url + reverse("casework:case_detail", kwargs={"case_id": case.pk})
            due = milestone.due.strftime("%-d %B %Y")
            if reminder == "overdue":
                subject = _("Overdue: %(label)s (%(ref)s, due %(due)s)")
            else:
                subject = _("Coming up: %(label)s (%(ref)s, due %(due)s)")
            subject = subject % {"label": milestone.label, "ref": case.reference, "due": due}
            body = _(
                "%(label)s for case %(ref)s is due on %(due)s.\n\nThe rule: %(rule)s.\n\n"
                "Open the case to see what to do: %(link)s\n\n"
                "You get this email because you work on this case in Fairway."
            ) % {
                "label": milestone.label,
                "ref": case.reference,
                "due": due,
                "rule": milestone.rule,
                "link": link,
            }
            send_mail(subject, body, None, to)
            sent += 1
    return sent


@task()
def reminders_send() -> int:
    """The background task: today's reminders (the worker runs it; cron enqueues it)."""
    return reminders_due(today=timezone.localdate())
