"""A managed move's case: referral, agreement, the off-site direction (trial), reviews, outcome.

The protocol version in force on the referral date is pinned on the case (PROTECT), so a case
keeps the rules it started under. Answers to the protocol's forms are stored as JSON keyed by
the protocol's field keys; the few answers the platform acts on (pupil, receiving school, first
day) are copied onto the case by the services.
"""

from __future__ import annotations

import secrets
from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from . import contract


class Stage(models.TextChoices):
    REFERRAL = "referral", _("Referral")
    AGREEMENT = "agreement", _("Agreement")
    OFF_SITE_DIRECTION = "off_site_direction", _("Off-site direction (trial)")
    ENDED_EARLY = "ended_early", _("Ended early")
    CLOSED = "closed", _("Closed")


OPEN_STAGES = (Stage.REFERRAL, Stage.AGREEMENT, Stage.OFF_SITE_DIRECTION, Stage.ENDED_EARLY)


class Case(models.Model):
    """One pupil's managed move, from the home school's referral to the outcome."""

    home_council = models.ForeignKey(
        "tenants.Council",
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("home council"),
    )
    home_school = models.ForeignKey(
        "tenants.School",
        on_delete=models.PROTECT,
        related_name="cases_out",
        verbose_name=_("home school"),
    )
    receiving_school = models.ForeignKey(
        "tenants.School",
        on_delete=models.PROTECT,
        related_name="cases_in",
        null=True,
        blank=True,
        verbose_name=_("receiving school"),
    )
    # Set from the receiving school when it belongs to another council (a cross-authority move).
    receiving_council = models.ForeignKey(
        "tenants.Council",
        on_delete=models.PROTECT,
        related_name="cases_received",
        null=True,
        blank=True,
        verbose_name=_("receiving council"),
    )
    protocol_version = models.ForeignKey(
        "protocols.ProtocolVersion",
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("protocol version"),
    )
    stage = models.CharField(
        _("stage"), max_length=30, choices=Stage.choices, default=Stage.REFERRAL
    )

    pupil_name = models.CharField(_("pupil's name"), max_length=200)
    date_of_birth = models.DateField(_("date of birth"))
    upn = models.CharField(_("UPN"), max_length=13)
    year_group = models.CharField(_("year group"), max_length=20)
    home_postcode = models.CharField(_("home postcode"), max_length=10, blank=True)

    ehcp = models.BooleanField(_("has an EHC plan"), default=False)
    looked_after = models.BooleanField(_("looked-after child"), default=False)
    withdrawn_exclusion = models.BooleanField(
        _("instead of a withdrawn permanent exclusion"), default=False
    )
    exclusion_stands_if_move_fails = models.BooleanField(
        _("exclusion takes effect if the move fails"), null=True, blank=True
    )

    referred_on = models.DateField(_("referral date"))
    # The first day of the off-site direction: planned from the notice, confirmed by the start.
    start_date = models.DateField(_("first day at the receiving school"), null=True, blank=True)
    outcome_key = models.CharField(_("outcome"), max_length=60, blank=True)

    # Kept up to date by the services, so "my cases" sorts by deadline in the database.
    next_due = models.DateField(_("next deadline"), null=True, blank=True)
    next_due_label = models.CharField(_("next milestone"), max_length=300, blank=True)
    # Who the protocol makes responsible for that milestone (a role key, and its side: home_school,
    # receiving_school, council, partnership, family, agency), so "waiting on me" is a query.
    next_due_owner = models.CharField(_("next milestone's owner"), max_length=80, blank=True)
    next_due_owner_kind = models.CharField(
        _("next milestone's owner (side)"), max_length=20, blank=True
    )

    version = models.PositiveIntegerField(_("version"), default=1)
    last_change = models.CharField(_("last change"), max_length=300, blank=True)
    # Set when the council's retention period ran out and the pupil's details were removed
    # (casework/retention.py); what the register counts stays.
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("opened by"),
    )
    created_at = models.DateTimeField(_("opened at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(fields=["home_council", "stage", "next_due"]),
            models.Index(fields=["receiving_council", "stage", "next_due"]),
            models.Index(fields=["home_school", "next_due"]),
            models.Index(fields=["receiving_school", "next_due"]),
            models.Index(fields=["next_due"]),
            # My cases' school filter steps through a council's schools on these
            # (selectors.cases._schools_of_councils), not through its every case.
            models.Index(fields=["home_council", "home_school"], name="case_council_home_school"),
            models.Index(
                fields=["home_council", "receiving_school"], name="case_council_recv_school"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.pupil_name}"

    @property
    def reference(self) -> str:
        return f"MM-{self.pk:06d}" if self.pk else "MM-new"

    @property
    def year_group_label(self) -> str:
        return self.year_group.replace("_", " ").capitalize()

    @property
    def is_cross_authority(self) -> bool:
        return self.receiving_council_id is not None and (
            self.receiving_council_id != self.home_council_id
        )

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_STAGES


class CaseUserObjectPermission(UserObjectPermissionBase):
    """Guardian permission for a named person added to one case (an adviser from another team)."""

    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)


class CaseGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)


class FormSubmission(models.Model):
    """Answers to one of the protocol's forms; repeating forms (reviews) have one per occurrence."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="submissions")
    form_key = models.CharField(_("form"), max_length=80)
    occurrence = models.PositiveIntegerField(_("occurrence"), default=1)
    answers = models.JSONField(_("answers"), default=dict)
    # A draft collects answers page by page until "check your answers" submits it.
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["case", "form_key", "occurrence"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "form_key", "occurrence"], name="submission_unique_occurrence"
            )
        ]

    def __str__(self) -> str:
        return f"{self.form_key} {self.occurrence} ({self.case.reference})"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class CaseEvent(models.Model):
    """A protocol event that happened on a date (start, parent's review request, outcome...)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    event_key = models.CharField(_("event"), max_length=80)
    date = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "event_key"], name="case_event_once")
        ]

    def __str__(self) -> str:
        return f"{self.event_key} on {self.date}"


class MilestoneDone(models.Model):
    """A milestone without a form of its own marked as done (dual registration, for example)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="milestones_done")
    milestone_key = models.CharField(_("milestone"), max_length=90)
    done_on = models.DateField(_("done on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "milestone_key"], name="milestone_done_once")
        ]

    def __str__(self) -> str:
        return f"{self.milestone_key} done on {self.done_on}"


class SignOff(models.Model):
    """One role's signature on one of the protocol's sign-offs (the agreement, for example)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="sign_offs")
    sign_off_key = models.CharField(_("sign-off"), max_length=80)
    role_key = models.CharField(_("role"), max_length=80)
    signed_by_name = models.CharField(_("signed by"), max_length=200)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Who recorded it when it was signed on paper (a parent's signature on the agreement).
    on_behalf_of = models.CharField(_("on behalf of"), max_length=200, blank=True)
    signed_on = models.DateField(_("signed on"))
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["sign_off_key", "signed_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "sign_off_key", "role_key"], name="sign_off_once_per_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.sign_off_key}/{self.role_key}: {self.signed_by_name}"


class AttendanceWeek(models.Model):
    """A week's attendance at the receiving school, recorded by it and seen by the home school."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attendance_weeks")
    week_beginning = models.DateField(_("week beginning"))
    sessions_possible = models.PositiveSmallIntegerField(_("sessions possible"))
    sessions_attended = models.PositiveSmallIntegerField(_("sessions attended"))
    note = models.TextField(_("absence reasons and issues"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["week_beginning"]
        constraints = [
            models.UniqueConstraint(fields=["case", "week_beginning"], name="attendance_week_once"),
            models.CheckConstraint(
                condition=models.Q(sessions_attended__lte=models.F("sessions_possible")),
                name="attendance_attended_le_possible",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.week_beginning}: {self.sessions_attended}/{self.sessions_possible}"

    @property
    def rate(self) -> Decimal | None:
        if not self.sessions_possible:
            return None
        return Decimal(100 * self.sessions_attended) / Decimal(self.sessions_possible)


class Extension(models.Model):
    """An extension of the off-site direction, granted with the approvals the protocol lists."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="extensions")
    extension_key = models.CharField(_("extension"), max_length=80)
    school_weeks = models.PositiveSmallIntegerField(_("school weeks"))
    approvals: models.JSONField[list[str], list[str]] = models.JSONField(
        _("approved by (roles)"), default=list
    )
    reasons = models.TextField(_("reasons"))
    granted_on = models.DateField(_("granted on"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["granted_on", "id"]

    def __str__(self) -> str:
        return f"{self.extension_key}: {self.school_weeks} school weeks"


class Outcome(models.Model):
    """How the case ended: on the receiving school's roll, or back at the home school."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="outcome")
    outcome_key = models.CharField(_("outcome"), max_length=80)
    decided_on = models.DateField(_("decided on"))
    reasons = models.TextField(_("reasons"))
    reported_to: models.JSONField[list[str], list[str]] = models.JSONField(
        _("reported to (roles)"), default=list
    )
    # How the decision reached each of them: [{"role", "label", "emailed", "sent_at"}], filled in
    # by the background task; a family or an agency without accounts is told outside Fairway.
    reports: models.JSONField[list[dict[str, object]], list[dict[str, object]]] = models.JSONField(
        _("reports sent"), default=list
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    def __str__(self) -> str:
        return f"{self.outcome_key} on {self.decided_on}"


class OutcomeTold(models.Model):
    """Someone the decision is reported to who has no Fairway account (a parent, an agency), told
    outside Fairway: the day they were told and who recorded it."""

    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="told")
    role_key = models.CharField(_("told"), max_length=80)
    told_on = models.DateField(_("told on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["outcome", "role_key"], name="outcome_told_once")
        ]

    def __str__(self) -> str:
        return f"{self.role_key} told on {self.told_on}"


class EarlyEnd(models.Model):
    """The off-site direction ended before its planned end, under one of the protocol's rules."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="early_end")
    end_rule_key = models.CharField(_("reason"), max_length=80)
    decided_on = models.DateField(_("decided on"))
    reasons = models.TextField(_("reasons given"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    def __str__(self) -> str:
        return f"{self.end_rule_key} on {self.decided_on}"


class CalendarFeed(models.Model):
    """A person's private iCalendar feed of case deadlines; revoking replaces the token."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(_("token"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects: ClassVar[models.Manager[CalendarFeed]] = models.Manager()

    def __str__(self) -> str:
        return f"Calendar feed of {self.user}"

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)


class ReminderSent(models.Model):
    """A reminder email to one person, written down before it is sent (an outbox), so the daily
    run never sends the same one twice, even when a worker is killed halfway through.

    The row is committed as SENDING before the email goes to the mail server and marked SENT after.
    A row still SENDING when the task runs again is in doubt (the worker stopped between the two):
    it is marked IN_DOUBT and not sent again, so a reminder is sent at most once. Rows from before reminders went to each
    person separately have no recipient and stand for everyone."""

    class State(models.TextChoices):
        SENDING = "sending", _("Sending (not known to be sent)")
        SENT = "sent", _("Sent")
        IN_DOUBT = "in_doubt", _("Not known to be sent: the worker stopped while sending")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reminders_sent")
    milestone_key = models.CharField(max_length=90)
    due = models.DateField()
    kind = models.CharField(max_length=20)  # "upcoming" or "overdue"
    recipient = models.EmailField(blank=True, default="")
    state = models.CharField(max_length=10, choices=State.choices, default=State.SENT)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case", "milestone_key", "due", "kind", "recipient"],
                name="reminder_sent_once_to_each",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} reminder for {self.milestone_key} ({self.due}) to {self.recipient}"


class ReferralDraft(models.Model):
    """A referral being filled in page by page; it becomes a case when it is submitted.

    Only the person who started it sees it: until it is submitted nobody else has a case to act on.
    """

    home_school = models.ForeignKey(
        "tenants.School",
        on_delete=models.CASCADE,
        related_name="referral_drafts",
        verbose_name=_("home school"),
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="referral_drafts",
        verbose_name=_("started by"),
    )
    # A council with no protocol of its own on Fairway runs a move to another council's school
    # under that council's protocol (which is asked to take it on): the referral is its form.
    governing_council = models.ForeignKey(
        "tenants.Council",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("council whose protocol governs"),
    )
    answers = models.JSONField(_("answers"), default=dict)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("started at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("referral draft")

    def __str__(self) -> str:
        return f"Referral draft {self.pk} ({self.home_school_id})"

    @property
    def pupil_name(self) -> str:
        return str(self.answers.get(contract.PUPIL_NAME.key) or "")


class Commitment(models.Model):
    """A target for the pupil, or what one person or agency committed to, for the off-site direction.

    Agreed at the initial meeting and changeable between reviews (Southwark: by the receiving school
    with the home school, the parents and the council); every change is kept in the history.
    """

    class Kind(models.TextChoices):
        TARGET = "target", _("Target for the pupil")
        COMMITMENT = "commitment", _("Commitment")

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        MET = "met", _("Met")
        PARTLY_MET = "partly_met", _("Partly met")
        NOT_MET = "not_met", _("Not met")
        WITHDRAWN = "withdrawn", _("No longer needed")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="commitments")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # The protocol role responsible ("pupil" for a target), plus a name where the role is general
    # (which supporting agency, for example).
    role_key = models.CharField(_("who"), max_length=80)
    named = models.CharField(_("name of the person or agency"), max_length=200, blank=True)
    text = models.TextField(_("what"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.IN_PROGRESS
    )
    agreed_on = models.DateField(_("agreed on"))
    agreed_with = models.CharField(_("agreed with"), max_length=300, blank=True)
    change_reason = models.TextField(_("reason for the last change"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "created_at", "id"]
        verbose_name = _("target or commitment")
        verbose_name_plural = _("targets and commitments")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]}"

    @property
    def is_current(self) -> bool:
        return self.status == self.Status.IN_PROGRESS


class CrossAuthorityRequest(models.Model):
    """A home council asks another council to take on a move to one of its schools.

    It carries what the other council needs to decide and nothing that names the pupil: year
    group, phase, a summary of the reasons the home school writes for it, the proposed school,
    dates and protocol. The case itself is shared only once the other council accepts (the case's
    `receiving_council` is set then, and only then). After a decline or a withdrawal the other
    council keeps this summary alone.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a decision")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="cross_authority_requests"
    )
    home_council = models.ForeignKey(
        "tenants.Council",
        on_delete=models.PROTECT,
        related_name="requests_sent",
        verbose_name=_("home council"),
    )
    other_council = models.ForeignKey(
        "tenants.Council",
        on_delete=models.PROTECT,
        related_name="requests_received",
        verbose_name=_("council asked"),
    )
    proposed_school = models.ForeignKey(
        "tenants.School",
        on_delete=models.PROTECT,
        related_name="requests_proposed",
        verbose_name=_("proposed school"),
    )
    year_group = models.CharField(_("year group"), max_length=20)
    phase = models.CharField(_("phase"), max_length=20)
    reasons_summary = models.TextField(_("summary of the reasons"))
    proposed_start = models.DateField(_("proposed first day"))
    proposed_weeks = models.PositiveSmallIntegerField(_("proposed length in school weeks"))
    # Which council's protocol would govern the case (pinned on the case when accepted).
    proposed_protocol = models.ForeignKey(
        "protocols.ProtocolVersion",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("proposed protocol"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    # Who works on the case for the other council once it is accepted.
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who works on it"),
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("asked by"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("asked at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("request to another council")
        indexes = [
            models.Index(fields=["other_council", "status"]),
            models.Index(fields=["home_council", "status"]),
        ]

    def __str__(self) -> str:
        return f"Request {self.reference}"

    @property
    def reference(self) -> str:
        # Not the case's reference: the other council learns nothing of the case until it accepts.
        return f"XA-{self.pk:06d}" if self.pk else "XA-new"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    @property
    def year_group_label(self) -> str:
        return self.year_group.replace("_", " ").capitalize()


class CrossAuthorityMessage(models.Model):
    """A question the council asked puts on a request, or the home council's answer to it."""

    class Kind(models.TextChoices):
        QUESTION = "question", _("Question")
        ANSWER = "answer", _("Answer")

    request = models.ForeignKey(
        CrossAuthorityRequest, on_delete=models.CASCADE, related_name="messages"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    text = models.TextField(_("text"))
    council = models.ForeignKey(
        "tenants.Council", on_delete=models.PROTECT, related_name="+", verbose_name=_("council")
    )
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    written_at = models.DateTimeField(_("written at"), default=timezone.now)

    class Meta:
        ordering = ["written_at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} on {self.request}"


class OtherCouncilRecord(models.Model):
    """A move to a school of a council not on Fairway, as the home council records it alone.

    That council cannot be asked through Fairway (no one there to decide), so the home council's
    officer writes down who they dealt with there and what was decided, and which calendar the
    receiving school keeps. Nothing of it is shared: the other council has no one on Fairway.
    """

    class Decision(models.TextChoices):
        WAITING = "waiting", _("Not decided yet")
        AGREED = "agreed", _("Agreed")
        DECLINED = "declined", _("Declined")

    class CalendarChoice(models.TextChoices):
        # Which calendar the receiving school's milestones are counted on.
        PICKED = "picked", _("A calendar Fairway has")
        UPLOADED = "uploaded", _("A calendar uploaded for this school")
        PROVISIONAL = "provisional", _("Provisional: the home school's calendar until checked")

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="other_council_record")
    contact_name = models.CharField(_("contact's name"), max_length=200, blank=True)
    contact_role = models.CharField(_("contact's role or team"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact's email address"), blank=True)
    contact_phone = models.CharField(_("contact's phone number"), max_length=40, blank=True)
    council_decision = models.CharField(
        _("the other council's decision"),
        max_length=20,
        choices=Decision.choices,
        default=Decision.WAITING,
    )
    council_decided_on = models.DateField(_("the other council decided on"), null=True, blank=True)
    school_decision = models.CharField(
        _("the receiving school's head teacher's decision"),
        max_length=20,
        choices=Decision.choices,
        default=Decision.WAITING,
    )
    school_decided_on = models.DateField(_("the head teacher decided on"), null=True, blank=True)
    notes = models.TextField(_("notes on the decisions"), blank=True)
    calendar_choice = models.CharField(
        _("receiving school's calendar"),
        max_length=20,
        choices=CalendarChoice.choices,
        blank=True,
    )
    # Any council's calendar stored in Fairway (PICKED).
    picked_calendar = models.ForeignKey(
        "protocols.CouncilCalendar",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("calendar picked"),
    )
    # A calendar file for this one school (UPLOADED), in Fairway's calendar format.
    uploaded_calendar = models.TextField(_("calendar uploaded (YAML)"), blank=True)
    uploaded_calendar_name = models.CharField(_("file name"), max_length=200, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("record of a council not on Fairway")

    def __str__(self) -> str:
        return f"Other council's record on case {self.case_id}"
