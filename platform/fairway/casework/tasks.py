"""Reminder emails, run by the background task runner (django-tasks, queue stored in the database).

`fairway casework_reminders` (a management command, run once a school day from cron or a systemd
timer) enqueues `reminders_send`; `manage.py db_worker` runs it. Each reminder goes to the people
responsible for the milestone (its owner in the protocol) some school days before the deadline,
and again once when it is overdue. A reminder is sent once: `ReminderSent` remembers it.
Emails carry the case reference and the milestone, never the pupil's name.
"""

from __future__ import annotations

import logging
import re
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Now
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from protocols.core.problems import CalendarError

from . import dates, roles, selectors
from .models import OPEN_STAGES, Case, Outcome, ReminderSent

logger = logging.getLogger(__name__)
DEFAULT_FROM_DOMAIN = re.compile(r"@([A-Za-z0-9.-]+)")

# How many school days ahead the "coming up" reminder goes out.
REMINDER_SCHOOL_DAYS = 3


def reminder_recipients(*, case: Case, owner: str | None, held_at: str | None = None) -> list[str]:
    """Email addresses of the people who hold the milestone's owner role on the case (roles.py),
    and those of the school it is held at (a review the home school's board holds at the receiving
    school); a milestone with no owner, or one owned by a family or an agency (who have no
    accounts), is the council's to chase."""
    protocol = case.protocol_version.load()
    kind = roles.kind_of(protocol, owner) if owner else roles.COUNCIL
    if kind not in roles.IN_FAIRWAY:
        kind = roles.COUNCIL
    # A school with nobody in Fairway yet: the council's staff hear instead, so nothing is missed.
    to = roles.holder_emails(case=case, kind=kind) or roles.holder_emails(
        case=case, kind=roles.COUNCIL
    )
    place = roles.kind_of(protocol, held_at) if held_at and held_at != owner else None
    if place in roles.IN_FAIRWAY and place != kind:
        to += [email for email in roles.holder_emails(case=case, kind=place) if email not in to]
    return to


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
            to = reminder_recipients(
                case=case,
                owner=milestone.owner,
                held_at=case.protocol_version.load().milestone(milestone.milestone).held_at,
            )
            if not to:
                continue
            link = base_url + reverse("casework:case_detail", kwargs={"case_id": case.pk})
            due = dates.day_text(milestone.due)
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
            for address in to:
                sent += _reminder_send_once(
                    case=case,
                    milestone_key=milestone.key,
                    due=milestone.due,
                    kind=reminder,
                    recipient=address,
                    subject=subject,
                    body=body,
                )
    return sent


def _reminder_send_once(
    *,
    case: Case,
    milestone_key: str,
    due: date,
    kind: str,
    recipient: str,
    subject: str,
    body: str,
) -> int:
    """Send one reminder to one person at most once, whatever happens to the worker (an outbox).

    1. Write it down as SENDING and commit: the unique row is the claim, so a second run (or a
       second worker) finds it and stops, whether or not the email went.
    2. Send it.
    3. Mark it SENT.
    A worker killed between 1 and 3 leaves the row SENDING: the email may or may not have reached
    the mail server. The next run does not send it again (a reminder is never sent twice; the one
    in flight can be lost): it marks it IN_DOUBT and logs it once. The case page still shows the
    deadline.
    """
    earlier = ReminderSent.objects.filter(
        case=case, milestone_key=milestone_key, due=due, kind=kind, recipient__in=["", recipient]
    ).values_list("pk", "state")
    for pk, state in earlier:
        if state == ReminderSent.State.SENDING and ReminderSent.objects.filter(
            pk=pk, state=ReminderSent.State.SENDING
        ).update(state=ReminderSent.State.IN_DOUBT):
            logger.warning("reminder_in_doubt", extra={"reminder_id": pk})
    if earlier:
        return 0
    try:
        with transaction.atomic():
            outbox = ReminderSent.objects.create(
                case=case,
                milestone_key=milestone_key,
                due=due,
                kind=kind,
                recipient=recipient,
                state=ReminderSent.State.SENDING,
            )
    except IntegrityError:
        return 0  # another run claimed it first
    # The same Message-ID whoever sends it, so a mail client shows a copy once.
    domain = DEFAULT_FROM_DOMAIN.search(settings.DEFAULT_FROM_EMAIL)
    message_id = f"<reminder-{outbox.pk}@{domain.group(1) if domain else 'fairway'}>"
    EmailMessage(subject, body, None, [recipient], headers={"Message-ID": message_id}).send()
    ReminderSent.objects.filter(pk=outbox.pk).update(state=ReminderSent.State.SENT, sent_at=Now())
    return 1


@task()
def reminders_send() -> int:
    """The background task: today's reminders (the worker runs it; cron enqueues it)."""
    return reminders_due(today=timezone.localdate())


# Sides whose people have Fairway accounts; the protocol's family and agency roles do not.


def outcome_report_send(*, case_id: int) -> list[dict[str, object]]:
    """Email the decision to every role the protocol names that has people in Fairway, once.

    Like the reminders, the email carries the case reference and the decision, never the pupil's
    name. What is sent (and to whom it must go outside Fairway) is written on the outcome and
    committed before any email goes (an outbox): a worker killed while sending leaves the entries
    "sending", and the task run again sends nothing twice (at most once; the rest of that decision's
    emails are then not sent, and the outcome page shows what was).
    """
    with transaction.atomic():
        outcome = (
            Outcome.objects.select_for_update(of=("self",))
            .select_related(
                "case__home_council",
                "case__home_school",
                "case__protocol_version",
                "case__receiving_school",
            )
            .filter(case_id=case_id)
            .first()
        )
        if outcome is None or outcome.reports:
            return list(outcome.reports) if outcome else []
        case = outcome.case
        protocol = case.protocol_version.load()
        reports: list[dict[str, object]] = []
        recipients: list[list[str]] = []
        for role_key in outcome.reported_to:
            kind = roles.kind_of(protocol, role_key)
            to = roles.holder_emails(case=case, kind=kind) if kind in roles.IN_FAIRWAY else []
            recipients.append(to)
            reports.append(
                {
                    "role": role_key,
                    "label": roles.label_of(protocol, role_key),
                    "emailed": len(to),
                    "sent_at": timezone.now().isoformat(),
                    "state": "sending" if to else "sent",
                }
            )
        outcome.reports = reports
        outcome.save(update_fields=["reports"])
    label = next((o.label for o in protocol.outcomes if o.key == outcome.outcome_key), "")
    base_url = getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")
    link = base_url + reverse("casework:case_detail", kwargs={"case_id": case.pk})
    for entry, to in zip(reports, recipients, strict=True):
        if not to:
            continue
        send_mail(
            _("Decision: %(label)s (%(ref)s)") % {"label": label, "ref": case.reference},
            _(
                "The managed move of case %(ref)s has ended: %(label)s, decided on "
                "%(day)s.\n\nThe protocol says to tell you. The reasons are on the "
                "case: %(link)s\n\nYou get this email because of your role in the "
                "case's council or school in Fairway."
            )
            % {
                "ref": case.reference,
                "label": label,
                "day": dates.day_text(outcome.decided_on),
                "link": link,
            },
            None,
            to,
        )
        entry["state"] = "sent"
        Outcome.objects.filter(pk=outcome.pk).update(reports=reports)
    return reports


@task()
def outcome_report(case_id: int) -> int:
    """The background task: report a case's decision to whom its protocol names."""
    return sum(int(str(r["emailed"])) for r in outcome_report_send(case_id=case_id))


@task()
def fair_access_refresh() -> int:
    """The background task: re-count every published council's Fair Access figures from the
    cases (nightly: `manage.py fair_access_refresh` enqueues it from cron or a systemd timer)."""
    from .services import fair_access_refresh_all

    return fair_access_refresh_all()
