"""The off-site direction: events (the first day), sign-offs, attendance, marking a milestone done,
an extension, ending early, and re-dating when a school's calendar changes."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from protocols.core.model import Protocol
from tenants.models import School, User

from .. import bounds, contract, dates, roles, selectors, statutory, writes
from ..models import (
    AttendanceWeek,
    Case,
    CaseEvent,
    EarlyEnd,
    Extension,
    FormSubmission,
    MilestoneDone,
    SignOff,
    Stage,
)
from ._base import (
    CaseworkError,
    _check_write,
    _labels,
    _lock,
    _notice_sent_on,
    _protocol,
    _refuse,
    _save,
    _within_bounds,
    deadlines_refresh,
)


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
        _refuse(
            dates.first_day_problem(case, day, notice_sent_on=_notice_sent_on(case)), field="day"
        )
        case.start_date = day
        case.stage = Stage.OFF_SITE_DIRECTION
    else:
        _refuse(dates.happened(case, day, what=_("The date")), field="day")
        if event_key == contract.DIRECTION_DETERMINED.key:
            notice = _notice_sent_on(case)
            _refuse(statutory.determination_after_notice(case, day, notice), field="day")
        if event_key == contract.JOINED_RECEIVING_ROLL.key:
            _refuse(statutory.admission_consent_missing(case, by=day), field="day")
    _event_upsert(case=case, event_key=event_key, day=day, by=recorded_by, note=note)
    label = next((e.label for e in protocol.events if e.key == event_key), event_key)
    _save(case, by=recorded_by, summary=f"{label}: {dates.day_text(day)}", request=request)
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
    _refuse(dates.happened(case, signed_on, what=_("The date signed")), field="signed_on")
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
    _refuse(dates.attendance_week_problem(case, week_beginning), field="week_beginning")
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
        % {
            "day": dates.day_text(week.week_beginning),
            "a": sessions_attended,
            "p": sessions_possible,
        },
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
    most = extension.up_to_school_weeks
    if most is None and school_weeks < 1:
        # A usual length with no maximum ("usually up to eight weeks"): any whole weeks, with
        # the approvals and the reason below.
        raise CaseworkError(_("Enter at least 1 school week."), field="school_weeks")
    if most is not None and (school_weeks < 1 or already + school_weeks > most):
        raise CaseworkError(
            _("The protocol allows up to %(max)s school weeks in all; %(already)s already granted.")
            % {"max": extension.up_to_school_weeks, "already": already},
            field="school_weeks",
        )
    if not reasons.strip():
        raise CaseworkError(_("Enter the reasons for the extension."), field="reasons")
    _refuse(
        dates.happened(case, granted_on, what=_("The date agreed"), in_direction=True),
        field="granted_on",
    )
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
    _refuse(
        dates.happened(case, decided_on, what=_("The date of the early end"), in_direction=True),
        field=contract.DECIDED_ON.key,
    )
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
