"""Writes for case work (HackSoft services): one transaction each, keyword-only, audited.

Every service that changes a case locks its row, checks the version the person was looking at
(`expected_version`) and raises `ConcurrentEditError` with what changed in between instead of
overwriting it; then it bumps the version, re-dates the next deadline and writes the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from fairway.errors import FairwayError
from protocols.core.model import Protocol
from protocols.selectors import NoProtocolInForce, protocol_version_in_force
from tenants.models import AuditEvent, Council, School, User
from tenants.services import audit_record

from . import bounds, contract, roles, selectors, writes
from .models import (
    AttendanceWeek,
    Case,
    CaseEvent,
    Commitment,
    EarlyEnd,
    Extension,
    FormSubmission,
    MilestoneDone,
    Outcome,
    ReferralDraft,
    SignOff,
    Stage,
)


class CaseworkError(FairwayError):
    """A case-work step refused in plain words (fairway.errors shows it)."""


@dataclass(frozen=True)
class Change:
    who: str
    when: Any
    what: str


class ConcurrentEditError(CaseworkError):
    """Someone else changed the case since the person opened it; nothing was overwritten."""

    def __init__(self, *, changes: list[Change]) -> None:
        super().__init__(_("Someone else changed this case while you were working on it."))
        self.changes = changes


@dataclass(frozen=True)
class Referral:
    """What the home school tells us when it refers a pupil (the referral form's answers)."""

    home_school: School
    answers: dict[str, Any]
    referred_on: date


# ---------------------------------------------------------------------------------------------
# Helpers


def _changes_since(case: Case, version: int) -> list[Change]:
    records = case.history.filter(version__gt=version).order_by("history_date")
    changes = []
    for record in records.select_related("history_user"):
        who = str(record.history_user) if record.history_user else _("someone")
        changes.append(Change(who=who, when=record.history_date, what=record.last_change))
    return changes


def _answers_changes_since(submission: FormSubmission, version: int) -> list[Change]:
    return [
        Change(
            who=str(record.history_user or _("someone")),
            when=record.history_date,
            what=_("Changed answers to %(form)s") % {"form": submission.form_key},
        )
        for record in submission.history.filter(version__gt=version)
        .select_related("history_user")
        .order_by("history_date")
    ]


def _lock(case: Case, expected_version: int | None) -> Case:
    locked = (
        Case.objects.select_for_update(of=("self",))
        .select_related("home_council", "home_school", "receiving_school", "protocol_version")
        .get(pk=case.pk)
    )
    if expected_version is not None and locked.version != expected_version:
        raise ConcurrentEditError(changes=_changes_since(locked, expected_version))
    return locked


def _protocol(case: Case) -> Protocol:
    return case.protocol_version.load()


def deadlines_refresh(*, case: Case) -> None:
    """Store the next open milestone on the case, so lists sort by deadline in the database."""
    timeline = selectors.case_timeline(case=case)
    upcoming = timeline.next
    case.next_due = upcoming.due if upcoming else None
    case.next_due_label = upcoming.label[:300] if upcoming else ""
    owner = upcoming.owner if upcoming else None
    case.next_due_owner = owner or ""
    case.next_due_owner_kind = roles.kind_of(_protocol(case), owner) if owner else ""


def _case_councils(case: Case) -> list[Council]:
    """The home council and, for a cross-authority move, the receiving council: both share it."""
    councils = [case.home_council]
    if case.is_cross_authority and case.receiving_council is not None:
        councils.append(case.receiving_council)
    return councils


def _audit(
    case: Case,
    *,
    by: User | None,
    action: AuditEvent.Action,
    summary: str,
    request: HttpRequest | None,
) -> None:
    """One line in the home council's log and, for a cross-authority move, in the receiving
    council's: each council sees everything done with the cases it shares."""
    for council in _case_councils(case):
        audit_record(
            actor=by,
            council=council,
            action=action,
            object_type="case",
            object_id=case.pk,
            summary=f"{case.reference}: {summary}",
            request=request,
        )


def _save(
    case: Case,
    *,
    by: User | None,
    summary: str,
    request: HttpRequest | None,
    action: AuditEvent.Action = AuditEvent.Action.RECORD_CHANGED,
) -> Case:
    case.version += 1
    case.last_change = summary[:300]
    deadlines_refresh(case=case)
    case._history_user = by  # type: ignore[attr-defined]
    case.save()
    _audit(case, by=by, action=action, summary=summary, request=request)
    return case


def _labels(protocol: Protocol, form_key: str) -> dict[str, str]:
    """The questions' labels of one of the protocol's forms, by key (for messages)."""
    form = next((f for f in protocol.forms if f.key == form_key), None)
    return {d.key: d.label for d in form.fields} if form else {}


def _referral_labels(draft: ReferralDraft) -> dict[str, str]:
    try:
        version = protocol_version_in_force(
            council=draft.home_school.council, on=timezone.localdate()
        )
    except NoProtocolInForce:
        return {}
    return _labels(version.load(), contract.REFERRAL.key)


def _within_bounds(problem: bounds.Problem | None) -> None:
    if problem is not None:
        raise CaseworkError(problem.message, field=problem.field)


def _parse_date(value: object) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


# ---------------------------------------------------------------------------------------------
# Services


@transaction.atomic
def case_open(*, referral: Referral, opened_by: User, request: HttpRequest | None = None) -> Case:
    """Open a case from the home school's referral, pinning the protocol in force that day."""
    school = referral.home_school
    try:
        version = protocol_version_in_force(council=school.council, on=referral.referred_on)
    except NoProtocolInForce as error:
        raise CaseworkError(
            _("%(council)s has no managed-move protocol in force on %(day)s.")
            % {"council": school.council.name, "day": referral.referred_on.strftime("%-d %B %Y")}
        ) from error
    answers = referral.answers
    date_of_birth = _parse_date(answers.get(contract.DATE_OF_BIRTH.key))
    if date_of_birth is None:
        raise CaseworkError(_("Enter the pupil's date of birth."), field=contract.DATE_OF_BIRTH.key)
    case = Case(
        home_council=school.council,
        home_school=school,
        protocol_version=version,
        stage=Stage.REFERRAL,
        pupil_name=str(answers.get(contract.PUPIL_NAME.key, "")).strip(),
        date_of_birth=date_of_birth,
        upn=str(answers.get(contract.UPN.key, "")).strip().upper(),
        year_group=str(answers.get(contract.YEAR_GROUP.key, "")),
        home_postcode=str(answers.get(contract.HOME_POSTCODE.key, "")).strip().upper(),
        ehcp=answers.get(contract.EHCP.key) is True,
        looked_after=answers.get(contract.LOOKED_AFTER.key) is True,
        withdrawn_exclusion=answers.get(contract.WITHDRAWN_EXCLUSION.key) is True,
        exclusion_stands_if_move_fails=answers.get(contract.EXCLUSION_STANDS.key)
        if answers.get(contract.WITHDRAWN_EXCLUSION.key) is True
        else None,
        referred_on=referral.referred_on,
        opened_by=opened_by,
        last_change=_("Referral made"),
    )
    case._history_user = opened_by  # type: ignore[attr-defined]
    case.save()
    FormSubmission.objects.create(
        case=case,
        form_key=contract.REFERRAL.key,
        occurrence=1,
        answers=answers,
        submitted_at=timezone.now(),
        submitted_by=opened_by,
    )
    protocol = _protocol(case)
    if any(e.key == contract.REFERRED.key for e in protocol.events):
        CaseEvent.objects.create(
            case=case,
            event_key=contract.REFERRED.key,
            date=referral.referred_on,
            recorded_by=opened_by,
        )
    audit_record(
        actor=opened_by,
        council=case.home_council,
        action=AuditEvent.Action.RECORD_CREATED,
        object_type="case",
        object_id=case.pk,
        summary=f"{case.reference}: "
        + _("referral by %(school)s under %(protocol)s")
        % {"school": school.name, "protocol": version.reference},
        request=request,
    )
    return case


@transaction.atomic
def case_view_record(
    *, case: Case, viewed_by: User, request: HttpRequest | None = None, what: str = ""
) -> None:
    """Every view of a pupil's record goes in the audit log (both councils' on a shared case)."""
    _audit(
        case,
        by=viewed_by,
        action=AuditEvent.Action.RECORD_VIEWED,
        summary=what or _("case page viewed"),
        request=request,
    )


def _with_page(
    answers: dict[str, Any], page_answers: dict[str, Any], page_fields: list[str]
) -> dict[str, Any]:
    """The answers with one page's replaced: a question left empty on the page is removed."""
    merged = {key: value for key, value in answers.items() if key not in page_fields}
    merged.update(page_answers)
    return merged


def _next_occurrence(case: Case, form_key: str) -> int:
    last = (
        FormSubmission.objects.filter(case=case, form_key=form_key)
        .order_by("-occurrence")
        .values_list("occurrence", flat=True)
        .first()
    )
    return (last or 0) + 1


def _check_write(case: Case, *, by: User, write: writes.Write, key: str | None = None) -> Protocol:
    """The one write rule (writes.py), asked by every service that writes to a case: the person
    must hold the protocol role (else 404, like another council's case), then the case's stage
    must allow the write (else a refusal in plain words). Returns the case's protocol."""
    protocol = _protocol(case)
    refusal = writes.refusal(user=by, case=case, protocol=protocol, write=write, key=key)
    if refusal:
        raise CaseworkError(refusal)
    return protocol


@transaction.atomic
def form_draft_start(*, case: Case, form_key: str, started_by: User) -> FormSubmission:
    """The draft to fill in for a form: the open draft, the submitted one to change, or a new one."""
    try:
        form = _protocol(case).form(form_key)
    except StopIteration:
        raise CaseworkError(_("This protocol has no such form.")) from None
    _check_write(case, by=started_by, write=writes.Write.FORM, key=form_key)
    submissions = FormSubmission.objects.select_for_update().filter(case=case, form_key=form_key)
    draft = submissions.filter(submitted_at__isnull=True).order_by("occurrence").first()
    if draft is not None:
        return draft
    if not form.repeats:
        existing = submissions.first()
        if existing is not None:
            return existing
    return FormSubmission.objects.create(
        case=case, form_key=form_key, occurrence=_next_occurrence(case, form_key)
    )


@transaction.atomic
def form_page_save(
    *,
    submission: FormSubmission,
    page_answers: dict[str, Any],
    page_fields: list[str],
    expected_version: int,
    saved_by: User,
    request: HttpRequest | None = None,
) -> FormSubmission:
    """Store one page's answers (fields hidden by a condition are removed, not kept)."""
    _within_bounds(
        bounds.answers_problem(
            page_answers, labels=_labels(_protocol(submission.case), submission.form_key)
        )
    )
    locked = FormSubmission.objects.select_for_update().get(pk=submission.pk)
    _check_write(
        Case.objects.select_related("home_school", "receiving_school").get(pk=locked.case_id),
        by=saved_by,
        write=writes.Write.FORM,
        key=locked.form_key,
    )
    if locked.version != expected_version:
        raise ConcurrentEditError(changes=_answers_changes_since(locked, expected_version))
    locked.answers = _with_page(locked.answers, page_answers, page_fields)
    locked.version += 1
    locked._history_user = saved_by  # type: ignore[attr-defined]
    locked.save()
    _audit(
        locked.case,
        by=saved_by,
        action=AuditEvent.Action.RECORD_CHANGED,
        summary=_("answers saved to %(form)s %(n)s")
        % {"form": locked.form_key, "n": locked.occurrence},
        request=request,
    )
    return locked


@transaction.atomic
def form_submit(
    *,
    submission: FormSubmission,
    expected_version: int,
    submitted_by: User,
    request: HttpRequest | None = None,
) -> FormSubmission:
    """Submit a completed form (validated by the view against the same definitions) and act on it."""
    from .answers import form_problems

    locked = FormSubmission.objects.select_for_update().get(pk=submission.pk)
    if locked.version != expected_version:
        raise ConcurrentEditError(changes=_answers_changes_since(locked, expected_version))
    case = _lock(locked.case, None)
    protocol = _check_write(case, by=submitted_by, write=writes.Write.FORM, key=locked.form_key)
    form = protocol.form(locked.form_key)
    problems = form_problems(form=form, answers=locked.answers, case=case)
    if problems:
        raise CaseworkError(problems[0])
    first_time = locked.submitted_at is None
    locked.submitted_at = timezone.now()
    locked.submitted_by = submitted_by
    locked.version += 1
    locked._history_user = submitted_by  # type: ignore[attr-defined]
    locked.save()
    answers = locked.answers
    # What the platform acts on, wherever a protocol's form asks for it.
    for definition in form.fields:
        value = answers.get(definition.key)
        if definition.type == "school" and value and locked.form_key != contract.REFERRAL.key:
            school = School.objects.select_related("council").filter(pk=value).first()
            if school is not None and school.pk != case.home_school_id:
                case.receiving_school = school
                case.receiving_council = (
                    school.council if school.council_id != case.home_council_id else None
                )
                if case.stage == Stage.REFERRAL:
                    case.stage = Stage.AGREEMENT
    first_day = _parse_date(answers.get(contract.FIRST_DAY.key))
    if first_day and case.stage in (Stage.REFERRAL, Stage.AGREEMENT):
        case.start_date = first_day
    if locked.form_key == contract.WEEKLY_ATTENDANCE.key:
        week = _parse_date(answers.get(contract.WEEK_BEGINNING.key))
        if week is not None:
            _attendance_upsert(
                case=case,
                week_beginning=week,
                sessions_possible=int(answers.get(contract.SESSIONS_POSSIBLE.key) or 0),
                sessions_attended=int(answers.get(contract.SESSIONS_ATTENDED.key) or 0),
                note="\n".join(
                    str(answers[k])
                    for k in (contract.ABSENCE_REASONS.key, contract.ISSUES.key)
                    if answers.get(k)
                ),
                recorded_by=submitted_by,
            )
    verb = _("submitted") if first_time else _("changed")
    title = form.title + (f" {locked.occurrence}" if form.repeats else "")
    _save(case, by=submitted_by, summary=f"{title} {verb}", request=request)
    return locked


def _event_known(protocol: Protocol, key: str) -> bool:
    return key == contract.START.key or any(e.key == key for e in protocol.events)


def _event_upsert(*, case: Case, event_key: str, day: date, by: User, note: str = "") -> None:
    CaseEvent.objects.update_or_create(
        case=case,
        event_key=event_key,
        defaults={"date": day, "recorded_by": by, "note": note},
    )


@transaction.atomic
def case_event_record(
    *,
    case: Case,
    event_key: str,
    day: date,
    recorded_by: User,
    expected_version: int,
    note: str = "",
    request: HttpRequest | None = None,
) -> Case:
    """Record a protocol event. "start" is the first day at the receiving school."""
    _within_bounds(
        bounds.first_problem(
            texts={"note": (_("Note"), note, bounds.LONG_TEXT)}, dates={"day": (_("Date"), day)}
        )
    )
    case = _lock(case, expected_version)
    protocol = _protocol(case)
    if not _event_known(protocol, event_key):
        raise CaseworkError(_("This protocol has no such event."), field="event_key")
    _check_write(case, by=recorded_by, write=writes.Write.EVENT, key=event_key)
    if event_key == contract.START.key:
        if case.receiving_school_id is None:
            raise CaseworkError(_("Record the agreement with the receiving school first."))
        if case.stage not in (Stage.AGREEMENT, Stage.OFF_SITE_DIRECTION):
            # Correcting the first day of a running direction is fine; restarting an ended one not.
            raise CaseworkError(
                _("The first day can only be recorded while the move is agreed or under way.")
            )
        missing = missing_sign_offs(case=case, protocol=protocol, before=contract.START.key)
        if missing:
            raise CaseworkError(
                _("The off-site direction cannot start until these have signed: %(roles)s.")
                % {"roles": ", ".join(missing)}
            )
        case.start_date = day
        case.stage = Stage.OFF_SITE_DIRECTION
    _event_upsert(case=case, event_key=event_key, day=day, by=recorded_by, note=note)
    label = next((e.label for e in protocol.events if e.key == event_key), event_key)
    _save(case, by=recorded_by, summary=f"{label}: {day.isoformat()}", request=request)
    return case


def missing_sign_offs(*, case: Case, protocol: Protocol, before: str | None = None) -> list[str]:
    """Labels of the roles still to sign the sign-offs due before `before` (or all of them)."""
    signed = set(case.sign_offs.values_list("sign_off_key", "role_key"))
    missing = []
    for sign_off in protocol.sign_offs:
        if before is not None and sign_off.before not in (before, None):
            continue
        for role in sign_off.roles:
            if (sign_off.key, role) not in signed:
                missing.append(roles.label_of(protocol, role))
    return missing


@transaction.atomic
def milestone_done_record(
    *,
    case: Case,
    milestone_key: str,
    done_on: date,
    recorded_by: User,
    expected_version: int,
    request: HttpRequest | None = None,
) -> Case:
    case = _lock(case, expected_version)
    # The protocol's milestone ("review" for "review.2"): its owner is asked before its date.
    defined = next(
        (
            m.key
            for m in _protocol(case).milestones
            if milestone_key == m.key or milestone_key.startswith(f"{m.key}.")
        ),
        None,
    )
    if defined is None:
        raise CaseworkError(_("This case has no such milestone."))
    _check_write(case, by=recorded_by, write=writes.Write.MILESTONE, key=defined)
    timeline = selectors.case_timeline(case=case)
    milestone = next((m for m in timeline.milestones if m.key == milestone_key), None)
    if milestone is None:
        raise CaseworkError(_("This case has no such milestone."))
    MilestoneDone.objects.update_or_create(
        case=case,
        milestone_key=milestone_key,
        defaults={"done_on": done_on, "recorded_by": recorded_by},
    )
    _save(case, by=recorded_by, summary=f"{milestone.label}: {_('done')}", request=request)
    return case


@transaction.atomic
def sign_off_record(
    *,
    case: Case,
    sign_off_key: str,
    role_key: str,
    signed_by_name: str,
    signed_on: date,
    recorded_by: User,
    expected_version: int,
    request: HttpRequest | None = None,
) -> SignOff:
    """Record one role's signature. Someone who does not hold the role (an officer, or a school
    for a parent's signature on paper) records it on that role's behalf, and the record says so."""
    _within_bounds(
        bounds.first_problem(
            texts={"signed_by_name": (_("Name"), signed_by_name, bounds.NAME_TEXT)},
            dates={"signed_on": (_("Date signed"), signed_on)},
        )
    )
    case = _lock(case, expected_version)
    protocol = _protocol(case)
    sign_off = next((s for s in protocol.sign_offs if s.key == sign_off_key), None)
    if sign_off is None:
        raise CaseworkError(_("This protocol has no such sign-off."))
    if role_key not in sign_off.roles:
        raise CaseworkError(_("That role does not sign this."), field="role_key")
    _check_write(case, by=recorded_by, write=writes.Write.SIGN_OFF, key=role_key)
    stage_refusal = writes.sign_off_stage_refusal(case=case, sign_off=sign_off)
    if stage_refusal:
        raise CaseworkError(stage_refusal)
    on_behalf = writes.records_for_someone_else(
        user=recorded_by, case=case, protocol=protocol, role_key=role_key
    )
    if not signed_by_name.strip():
        raise CaseworkError(_("Enter the name of the person who signed."), field="signed_by_name")
    if sign_off.form:
        submitted = case.submissions.filter(
            form_key=sign_off.form, submitted_at__isnull=False
        ).exists()
        if not submitted:
            raise CaseworkError(
                _("Complete the %(form)s before it is signed.")
                % {"form": protocol.form(sign_off.form).title}
            )
    record, _created = SignOff.objects.update_or_create(
        case=case,
        sign_off_key=sign_off_key,
        role_key=role_key,
        defaults={
            "signed_by_name": signed_by_name.strip(),
            "signed_by": recorded_by,
            # The recorder's name when they recorded someone else's signature.
            "on_behalf_of": (recorded_by.get_full_name() or recorded_by.email) if on_behalf else "",
            "signed_on": signed_on,
        },
    )
    _save(
        case,
        by=recorded_by,
        summary=f"{sign_off.label}: {_('signed for')} {roles.label_of(protocol, role_key)}",
        request=request,
    )
    return record


def _attendance_upsert(
    *,
    case: Case,
    week_beginning: date,
    sessions_possible: int,
    sessions_attended: int,
    note: str,
    recorded_by: User,
) -> AttendanceWeek:
    if sessions_attended > sessions_possible:
        raise CaseworkError(
            _("Sessions attended cannot be more than the sessions possible."),
            field="sessions_attended",
        )
    monday = week_beginning.fromordinal(week_beginning.toordinal() - week_beginning.weekday())
    week, _created = AttendanceWeek.objects.update_or_create(
        case=case,
        week_beginning=monday,
        defaults={
            "sessions_possible": sessions_possible,
            "sessions_attended": sessions_attended,
            "note": note,
            "recorded_by": recorded_by,
        },
    )
    return week


@transaction.atomic
def attendance_record(
    *,
    case: Case,
    week_beginning: date,
    sessions_possible: int,
    sessions_attended: int,
    recorded_by: User,
    expected_version: int,
    note: str = "",
    request: HttpRequest | None = None,
) -> AttendanceWeek:
    _within_bounds(
        bounds.first_problem(
            texts={"note": (_("Reasons for any absence"), note, bounds.LONG_TEXT)},
            dates={"week_beginning": (_("Week beginning"), week_beginning)},
        )
    )
    case = _lock(case, expected_version)
    _check_write(case, by=recorded_by, write=writes.Write.ATTENDANCE)
    if case.start_date is None:
        raise CaseworkError(_("Attendance is recorded once the off-site direction has started."))
    week = _attendance_upsert(
        case=case,
        week_beginning=week_beginning,
        sessions_possible=sessions_possible,
        sessions_attended=sessions_attended,
        note=note,
        recorded_by=recorded_by,
    )
    _save(
        case,
        by=recorded_by,
        summary=_("Attendance for the week beginning %(day)s: %(a)s of %(p)s sessions")
        % {"day": week.week_beginning.isoformat(), "a": sessions_attended, "p": sessions_possible},
        request=request,
    )
    return week


@transaction.atomic
def extension_grant(
    *,
    case: Case,
    extension_key: str,
    school_weeks: int,
    approvals: list[str],
    reasons: str,
    granted_on: date,
    granted_by: User,
    expected_version: int,
    request: HttpRequest | None = None,
) -> Extension:
    """Extend the off-site direction: every approval the protocol lists, within its maximum."""
    _within_bounds(
        bounds.first_problem(
            texts={"reasons": (_("Reasons"), reasons, bounds.LONG_TEXT)},
            dates={"granted_on": (_("Date agreed"), granted_on)},
        )
    )
    case = _lock(case, expected_version)
    protocol = _protocol(case)
    extension = next((e for e in protocol.extensions if e.key == extension_key), None)
    if extension is None:
        raise CaseworkError(_("This protocol allows no such extension."))
    _check_write(case, by=granted_by, write=writes.Write.EXTENSION, key=extension_key)
    missing = [role for role in extension.approvals if role not in approvals]
    if missing:
        raise CaseworkError(
            _("The protocol needs the approval of: %(roles)s.")
            % {"roles": ", ".join(roles.label_of(protocol, r) for r in missing)},
            field="approvals",
        )
    already = sum(e.school_weeks for e in case.extensions.filter(extension_key=extension_key))
    if school_weeks < 1 or already + school_weeks > extension.up_to_school_weeks:
        raise CaseworkError(
            _("The protocol allows up to %(max)s school weeks in all; %(already)s already granted.")
            % {"max": extension.up_to_school_weeks, "already": already},
            field="school_weeks",
        )
    if not reasons.strip():
        raise CaseworkError(_("Enter the reasons for the extension."), field="reasons")
    record = Extension.objects.create(
        case=case,
        extension_key=extension_key,
        school_weeks=school_weeks,
        approvals=list(approvals),
        reasons=reasons.strip(),
        granted_on=granted_on,
        granted_by=granted_by,
    )
    if _event_known(protocol, contract.EXTENSION_AGREED.key):
        _event_upsert(
            case=case, event_key=contract.EXTENSION_AGREED.key, day=granted_on, by=granted_by
        )
    _save(
        case,
        by=granted_by,
        summary=_("%(label)s: %(n)s school weeks") % {"label": extension.label, "n": school_weeks},
        request=request,
    )
    return record


@transaction.atomic
def case_end_early(
    *,
    case: Case,
    end_rule_key: str,
    decided_on: date,
    reasons: str,
    answers: dict[str, Any],
    ended_by: User,
    expected_version: int,
    request: HttpRequest | None = None,
) -> EarlyEnd:
    """End the off-site direction early under one of the protocol's rules; its follow-ups fall due."""
    _within_bounds(
        bounds.first_problem(
            texts={"reasons": (_("Reasons"), reasons, bounds.LONG_TEXT)},
            dates={"decided_on": (_("Date decided"), decided_on)},
        )
        or bounds.answers_problem(answers, labels=_labels(_protocol(case), contract.EARLY_END.key))
    )
    case = _lock(case, expected_version)
    protocol = _protocol(case)
    rule = next((r for r in protocol.end_rules if r.key == end_rule_key), None)
    if rule is None:
        raise CaseworkError(_("Choose a reason the protocol gives."), field="end_rule_key")
    if rule.effect != "ends_trial":
        raise CaseworkError(
            _("Under this protocol, %(label)s extends the off-site direction instead of ending it.")
            % {"label": rule.label},
            field="end_rule_key",
        )
    _check_write(case, by=ended_by, write=writes.Write.END_EARLY)
    record = EarlyEnd.objects.create(
        case=case,
        end_rule_key=end_rule_key,
        decided_on=decided_on,
        reasons=reasons.strip(),
        recorded_by=ended_by,
    )
    if any(f.key == contract.EARLY_END.key for f in protocol.forms):
        FormSubmission.objects.update_or_create(
            case=case,
            form_key=contract.EARLY_END.key,
            occurrence=1,
            defaults={
                "answers": answers,
                "submitted_at": timezone.now(),
                "submitted_by": ended_by,
            },
        )
    # The rule's own event (Southwark: breakdown_decided) dates its follow-ups.
    for event in dict.fromkeys(
        (rule.event or contract.TRIAL_ENDED_EARLY.key, contract.TRIAL_ENDED_EARLY.key)
    ):
        if _event_known(protocol, event):
            _event_upsert(case=case, event_key=event, day=decided_on, by=ended_by)
    case.stage = Stage.ENDED_EARLY
    _save(
        case,
        by=ended_by,
        summary=_("Ended early: %(label)s") % {"label": rule.label},
        request=request,
    )
    return record


@transaction.atomic
def outcome_record(
    *,
    case: Case,
    outcome_key: str,
    decided_on: date,
    reasons: str,
    answers: dict[str, Any],
    recorded_by: User,
    expected_version: int,
    request: HttpRequest | None = None,
) -> Outcome:
    """Record the outcome and close the case; the decision is reported to whom the protocol names."""
    _within_bounds(
        bounds.first_problem(
            texts={"reasons": (_("Reasons"), reasons, bounds.LONG_TEXT)},
            dates={"decided_on": (_("Date decided"), decided_on)},
        )
        or bounds.answers_problem(answers, labels=_labels(_protocol(case), contract.OUTCOME.key))
    )
    case = _lock(case, expected_version)
    protocol = _protocol(case)
    outcome = next((o for o in protocol.outcomes if o.key == outcome_key), None)
    if outcome is None:
        raise CaseworkError(_("Choose an outcome the protocol gives."), field="outcome_key")
    _check_write(case, by=recorded_by, write=writes.Write.OUTCOME)
    if case.stage == Stage.ENDED_EARLY and outcome.on_roll_of == "receiving_school":
        raise CaseworkError(
            _("After an early end the pupil returns to the home school."), field="outcome_key"
        )
    record = Outcome.objects.create(
        case=case,
        outcome_key=outcome_key,
        decided_on=decided_on,
        reasons=reasons.strip(),
        reported_to=list(outcome.report_to),
        recorded_by=recorded_by,
    )
    if any(f.key == contract.OUTCOME.key for f in protocol.forms):
        FormSubmission.objects.update_or_create(
            case=case,
            form_key=contract.OUTCOME.key,
            occurrence=1,
            defaults={
                "answers": answers,
                "submitted_at": timezone.now(),
                "submitted_by": recorded_by,
            },
        )
    if _event_known(protocol, contract.OUTCOME_DECIDED.key):
        _event_upsert(
            case=case, event_key=contract.OUTCOME_DECIDED.key, day=decided_on, by=recorded_by
        )
    case.stage = Stage.CLOSED
    case.outcome_key = outcome_key
    reported = ", ".join(roles.label_of(protocol, r) for r in outcome.report_to)
    _save(
        case,
        by=recorded_by,
        summary=_("Outcome: %(label)s (report to %(to)s)")
        % {"label": outcome.label, "to": reported or _("nobody named")},
        request=request,
    )
    # The decision is emailed after the case is safely closed, by the background worker.
    case_id = case.pk
    transaction.on_commit(lambda: _outcome_report_enqueue(case_id))
    return record


@transaction.atomic
def deadlines_refresh_for_school(*, school: School) -> int:
    """Re-date the open cases of a school (after a closure is added to its calendar)."""
    count = 0
    for case in Case.objects.select_for_update(of=("self",)).filter(
        home_school=school, next_due__isnull=False
    ):
        deadlines_refresh(case=case)
        case.save(
            update_fields=["next_due", "next_due_label", "next_due_owner", "next_due_owner_kind"]
        )
        count += 1
    return count


def _outcome_report_enqueue(case_id: int) -> None:
    from .tasks import outcome_report

    outcome_report.enqueue(case_id)


# ---------------------------------------------------------------------------------------------
# The referral, page by page


@transaction.atomic
def referral_draft_start(
    *, home_school: School, started_by: User, request: HttpRequest | None = None
) -> ReferralDraft:
    """Start a referral from the home school; it is private to the person until submitted."""
    draft = ReferralDraft.objects.create(home_school=home_school, started_by=started_by)
    audit_record(
        actor=started_by,
        council=home_school.council,
        action=AuditEvent.Action.RECORD_CREATED,
        object_type="referral_draft",
        object_id=draft.pk,
        summary=_("Referral started by %(school)s") % {"school": home_school.name},
        request=request,
    )
    return draft


@transaction.atomic
def referral_draft_save(
    *,
    draft: ReferralDraft,
    page_answers: dict[str, Any],
    page_fields: list[str],
    expected_version: int,
    saved_by: User,
) -> ReferralDraft:
    """Store one page of the referral (answers to questions hidden by a condition are dropped)."""
    _within_bounds(bounds.answers_problem(page_answers, labels=_referral_labels(draft)))
    locked = ReferralDraft.objects.select_for_update().get(pk=draft.pk)
    if locked.version != expected_version:
        # The same person in two tabs: the other tab's answers stay; this page is shown again.
        raise ConcurrentEditError(
            changes=[Change(who=str(saved_by), when=locked.updated_at, what=_("Referral changed"))]
        )
    locked.answers = _with_page(locked.answers, page_answers, page_fields)
    locked.version += 1
    locked.save()
    return locked


@transaction.atomic
def referral_submit(
    *,
    draft: ReferralDraft,
    expected_version: int,
    submitted_by: User,
    referred_on: date,
    request: HttpRequest | None = None,
) -> Case:
    """Open the case from a completed referral draft; the draft is removed in the same transaction."""
    from .answers import form_problems

    locked = (
        ReferralDraft.objects.select_for_update(of=("self",))
        .select_related("home_school__council", "started_by")
        .get(pk=draft.pk)
    )
    if locked.version != expected_version:
        # Its author changed it in another tab or window since this page was shown.
        raise ConcurrentEditError(
            changes=[
                Change(
                    who=str(locked.started_by), when=locked.updated_at, what=_("Referral changed")
                )
            ]
        )
    try:
        version = protocol_version_in_force(council=locked.home_school.council, on=referred_on)
    except NoProtocolInForce:
        version = None
    if version is not None:
        problems = form_problems(
            form=version.load().form(contract.REFERRAL.key), answers=locked.answers
        )
        if problems:
            raise CaseworkError(problems[0])
    case = case_open(
        referral=Referral(
            home_school=locked.home_school, answers=dict(locked.answers), referred_on=referred_on
        ),
        opened_by=submitted_by,
        request=request,
    )
    locked.delete()
    return case


@transaction.atomic
def referral_draft_discard(
    *, draft: ReferralDraft, discarded_by: User, request: HttpRequest | None = None
) -> None:
    council = draft.home_school.council
    draft_id = draft.pk
    draft.delete()
    audit_record(
        actor=discarded_by,
        council=council,
        action=AuditEvent.Action.RECORD_CHANGED,
        object_type="referral_draft",
        object_id=draft_id,
        summary=_("Unfinished referral deleted"),
        request=request,
    )


# ---------------------------------------------------------------------------------------------
# Targets and commitments


COMMITMENT_STAGES = (Stage.AGREEMENT, Stage.OFF_SITE_DIRECTION)


def _commitment_who(protocol: Protocol, kind: str, role_key: str, named: str) -> None:
    if kind == Commitment.Kind.TARGET:
        if role_key != "pupil":
            raise CaseworkError(_("A target is for the pupil."), field="role_key")
        return
    if not any(r.key == role_key for r in protocol.roles):
        raise CaseworkError(
            _("Select who made the commitment, from the roles the protocol names."),
            field="role_key",
        )
    if protocol.role(role_key).kind == "agency" and not named.strip():
        raise CaseworkError(
            _("Enter the name of the agency or person, for example CAMHS or the youth worker"),
            field="named",
        )


@transaction.atomic
def commitment_add(
    *,
    case: Case,
    kind: str,
    role_key: str,
    text: str,
    agreed_on: date,
    added_by: User,
    expected_version: int,
    named: str = "",
    agreed_with: str = "",
    request: HttpRequest | None = None,
) -> Commitment:
    """Add a target for the pupil or one agency's commitment (at the initial meeting or later)."""
    _within_bounds(
        bounds.first_problem(
            texts={
                "text": (_("The target or commitment"), text, bounds.LONG_TEXT),
                "named": (_("Name of the agency or person"), named, bounds.NAME_TEXT),
                "agreed_with": (_("Agreed with"), agreed_with, bounds.AGREED_WITH_TEXT),
            },
            dates={"agreed_on": (_("Date agreed"), agreed_on)},
        )
    )
    case = _lock(case, expected_version)
    protocol = _check_write(case, by=added_by, write=writes.Write.COMMITMENT)
    if kind not in Commitment.Kind.values:
        raise CaseworkError(_("Select a target or a commitment."), field="kind")
    _commitment_who(protocol, kind, role_key, named)
    if not text.strip():
        raise CaseworkError(_("Enter the target or commitment."), field="text")
    record = Commitment(
        case=case,
        kind=kind,
        role_key=role_key,
        named=named.strip(),
        text=text.strip(),
        agreed_on=agreed_on,
        agreed_with=agreed_with.strip(),
        recorded_by=added_by,
    )
    record._history_user = added_by  # type: ignore[attr-defined]
    record.save()
    label = _("Target added") if kind == Commitment.Kind.TARGET else _("Commitment added")
    _save(case, by=added_by, summary=f"{label}: {record.text[:120]}", request=request)
    return record


@transaction.atomic
def commitment_change(
    *,
    commitment: Commitment,
    text: str,
    status: str,
    agreed_on: date,
    reason: str,
    changed_by: User,
    expected_version: int,
    agreed_with: str | None = None,
    request: HttpRequest | None = None,
) -> Commitment:
    """Change a target or commitment between reviews, or record whether it was met; kept in history."""
    _within_bounds(
        bounds.first_problem(
            texts={
                "text": (_("The target or commitment"), text, bounds.LONG_TEXT),
                "reason": (_("Why is it changing?"), reason, bounds.LONG_TEXT),
                "agreed_with": (_("Agreed with"), agreed_with, bounds.AGREED_WITH_TEXT),
            },
            dates={"agreed_on": (_("Date agreed"), agreed_on)},
        )
    )
    locked = Commitment.objects.select_for_update().get(pk=commitment.pk)
    if locked.version != expected_version:
        raise ConcurrentEditError(
            changes=[
                Change(
                    who=str(record.history_user or _("someone")),
                    when=record.history_date,
                    what=record.change_reason or _("Target or commitment changed"),
                )
                for record in locked.history.filter(version__gt=expected_version)
                .select_related("history_user")
                .order_by("history_date")
            ]
        )
    case = _lock(locked.case, None)
    _check_write(case, by=changed_by, write=writes.Write.COMMITMENT)
    if status not in Commitment.Status.values:
        raise CaseworkError(_("Select the status."), field="status")
    if not text.strip():
        raise CaseworkError(_("Enter the target or commitment."), field="text")
    if not reason.strip():
        raise CaseworkError(_("Enter why it is changing."), field="reason")
    locked.text = text.strip()
    locked.status = status
    locked.agreed_on = agreed_on
    if agreed_with is not None:  # left out: still agreed with the same people
        locked.agreed_with = agreed_with.strip()
    locked.change_reason = reason.strip()
    locked.recorded_by = changed_by
    locked.version += 1
    locked._history_user = changed_by  # type: ignore[attr-defined]
    locked.save()
    label = (
        _("Target changed") if locked.kind == Commitment.Kind.TARGET else _("Commitment changed")
    )
    _save(
        case,
        by=changed_by,
        summary=f"{label} ({locked.get_status_display()}): {locked.change_reason[:120]}",
        request=request,
    )
    return locked


# ---------------------------------------------------------------------------------------------
# Named people added to one case


CASE_PERMISSIONS = {"view": ("view_case",), "change": ("view_case", "change_case")}


def no_one_with_that_email(case: Case) -> str:
    """What adding a person says of an email unknown to Fairway or of another council's person."""
    return _(
        "No one with that email works with %(council)s in Fairway. Ask a council admin to "
        "invite them first."
    ) % {"council": case.home_council.name}


@transaction.atomic
def case_person_add(
    *,
    case: Case,
    person: User,
    access_level: str,
    added_by: User,
    request: HttpRequest | None = None,
) -> None:
    """Give one named person (an adviser from another team) access to this case only."""
    from tenants import access as tenant_access

    # Locked and read again: _save writes the whole row, so a case loaded before someone else's
    # change would undo it.
    case = _lock(case, None)
    _check_write(case, by=added_by, write=writes.Write.PEOPLE)
    if access_level not in CASE_PERMISSIONS:
        raise CaseworkError(_("Select what they may do."), field="access_level")
    if access_level == "change" and case.stage == Stage.CLOSED:
        raise CaseworkError(
            _("This case is closed, so people can be given view-only access to it."),
            field="access_level",
        )
    case_council_ids = {c.pk for c in _case_councils(case)}
    # Someone of another council (switched off or not) gets the answer an unknown email gets (the
    # people page gives it for those): the form must not tell that an email has an account.
    if not person.is_active:
        if not person.memberships.filter(council_id__in=case_council_ids).exists():
            raise CaseworkError(no_one_with_that_email(case), field="email")
        raise CaseworkError(_("That person's account is switched off."), field="email")
    if not tenant_access.council_ids_for(person) & case_council_ids:
        raise CaseworkError(no_one_with_that_email(case), field="email")
    if access_level == "view":
        # Going down from "view and change" to "view only" takes the change permission away.
        remove_perm("change_case", person, case)
    for permission in CASE_PERMISSIONS[access_level]:
        assign_perm(permission, person, case)
    level = _("view and change") if access_level == "change" else _("view only")
    _save(
        case,
        by=added_by,
        summary=_("%(person)s added to the case (%(level)s)")
        % {"person": person.get_full_name() or person.email, "level": level},
        request=request,
        action=AuditEvent.Action.PERMISSION_GRANTED,
    )


@transaction.atomic
def case_person_remove(
    *, case: Case, person: User, removed_by: User, request: HttpRequest | None = None
) -> None:
    case = _lock(case, None)
    _check_write(case, by=removed_by, write=writes.Write.PEOPLE)
    for permission in ("change_case", "view_case"):
        remove_perm(permission, person, case)
    _save(
        case,
        by=removed_by,
        summary=_("%(person)s removed from the case")
        % {"person": person.get_full_name() or person.email},
        request=request,
        action=AuditEvent.Action.PERMISSION_REVOKED,
    )
