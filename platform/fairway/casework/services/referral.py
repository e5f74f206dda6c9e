"""The home school's referral: a draft, saved a page at a time, submitted as a new case."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from protocols.core.model import Protocol
from protocols.models import ProtocolVersion
from protocols.selectors import NoProtocolInForce, protocol_version_in_force
from tenants import access as tenant_access
from tenants.models import AuditEvent, Council, School, User
from tenants.services import audit_record

from .. import bounds, contract, dates, roles
from ..models import (
    Case,
    CaseEvent,
    FormSubmission,
    ReferralDraft,
    Stage,
)
from ._base import (
    CaseworkError,
    Change,
    ConcurrentEditError,
    _labels,
    _parse_date,
    _protocol,
    _within_bounds,
)
from .case_forms import _with_page


@dataclass(frozen=True)
class Referral:
    """What the home school tells us when it refers a pupil (the referral form's answers)."""

    home_school: School
    answers: dict[str, Any]
    referred_on: date
    # Only for a home council with no protocol of its own (ReferralDraft.governing_council).
    governing_council: Council | None = None


def referral_protocol(
    *, home_school: School, governing_council: Council | None, on: date
) -> ProtocolVersion:
    """The protocol a referral is made under: the home council's in force that day; for a council
    with none on Fairway, the version in force of the council whose school the move is to (it
    governs the move if that council accepts it). NoProtocolInForce when neither has one."""
    try:
        return protocol_version_in_force(council=home_school.council, on=on)
    except NoProtocolInForce:
        if governing_council is None:
            raise
        return protocol_version_in_force(council=governing_council, on=on)


def _referral_labels(draft: ReferralDraft) -> dict[str, str]:
    try:
        version = referral_protocol(
            home_school=draft.home_school,
            governing_council=draft.governing_council,
            on=timezone.localdate(),
        )
    except NoProtocolInForce:
        return {}
    return _labels(version.load(), contract.REFERRAL.key)


def can_confirm_out_of_year_group(*, person: User, school: School) -> bool:
    """Only a council officer (or admin) of the home school's council may confirm a pupil taught
    out of their year group."""
    return school.council_id in tenant_access.council_ids_for(
        person, roles=roles.CHANGE_COUNCIL_ROLES
    )


def _year_group_label(protocol: Protocol, year_group: str) -> str:
    definition = next(
        (
            f
            for f in protocol.form(contract.REFERRAL.key).fields
            if f.key == contract.YEAR_GROUP.key
        ),
        None,
    )
    choices = {c.value: c.label for c in (definition.choices if definition else ())}
    return choices.get(year_group, year_group)


def _phase_check(*, protocol: Protocol, year_group: str) -> None:
    """A pupil of a phase the protocol does not cover is refused (its `phases`)."""
    problem = dates.phase_problem(
        year_group=year_group,
        year_group_label=_year_group_label(protocol, year_group),
        phases=protocol.phases,
        protocol_title=protocol.title,
    )
    if problem:
        raise CaseworkError(problem, field=contract.YEAR_GROUP.key)


def _date_of_birth_check(
    referral: Referral, *, version: Any, date_of_birth: date, confirmed: bool, by: User
) -> None:
    year_group = str(referral.answers.get(contract.YEAR_GROUP.key, ""))
    if confirmed:
        if not can_confirm_out_of_year_group(person=by, school=referral.home_school):
            raise CaseworkError(
                _("Only a council officer can confirm a pupil taught out of their year group."),
                field=contract.YEAR_GROUP.key,
            )
        return
    problem = dates.date_of_birth_problem(
        date_of_birth=date_of_birth,
        year_group=year_group,
        year_group_label=_year_group_label(version, year_group),
        on=referral.referred_on,
    )
    if problem:
        raise CaseworkError(problem, field=contract.DATE_OF_BIRTH.key)


@transaction.atomic
def case_open(
    *,
    referral: Referral,
    opened_by: User,
    out_of_year_group_confirmed: bool = False,
    request: HttpRequest | None = None,
) -> Case:
    """Open a case from the home school's referral, pinning the protocol in force that day.

    A date of birth outside the year group is refused unless `out_of_year_group_confirmed`, which
    only a council officer (or admin) of the home council may give."""
    school = referral.home_school
    try:
        version = referral_protocol(
            home_school=school,
            governing_council=referral.governing_council,
            on=referral.referred_on,
        )
    except NoProtocolInForce as error:
        raise CaseworkError(
            _("%(council)s has no managed-move protocol in force on %(day)s.")
            % {"council": school.council.name, "day": dates.day_text(referral.referred_on)}
        ) from error
    answers = referral.answers
    _phase_check(protocol=version.load(), year_group=str(answers.get(contract.YEAR_GROUP.key, "")))
    date_of_birth = _parse_date(answers.get(contract.DATE_OF_BIRTH.key))
    if date_of_birth is None:
        raise CaseworkError(_("Enter the pupil's date of birth."), field=contract.DATE_OF_BIRTH.key)
    _date_of_birth_check(
        referral,
        version=version.load(),
        date_of_birth=date_of_birth,
        confirmed=out_of_year_group_confirmed,
        by=opened_by,
    )
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
        % {"school": school.name, "protocol": version.reference}
        + (
            "; " + _("the officer confirmed the pupil is taught out of their year group")
            if out_of_year_group_confirmed
            else ""
        ),
        request=request,
    )
    return case


@transaction.atomic
def referral_draft_start(
    *,
    home_school: School,
    started_by: User,
    governing_council: Council | None = None,
    request: HttpRequest | None = None,
) -> ReferralDraft:
    """Start a referral from the home school; it is private to the person until submitted.

    `governing_council`: for a home council with no protocol of its own in force, the council on
    Fairway whose protocol the move would run under (a move to one of its schools, which it must
    accept before anything of the pupil is shared with it)."""
    if governing_council is not None:
        from ..selectors import council_on_fairway

        today = timezone.localdate()
        try:
            protocol_version_in_force(council=home_school.council, on=today)
        except NoProtocolInForce:
            pass
        else:
            raise CaseworkError(
                _("%(council)s has its own protocol: the referral is made under it.")
                % {"council": home_school.council.name},
                field="governing_council",
            )
        if governing_council.pk == home_school.council_id or not council_on_fairway(
            council=governing_council
        ):
            raise CaseworkError(
                _("Choose a council on Fairway whose school the pupil would move to"),
                field="governing_council",
            )
        try:
            protocol_version_in_force(council=governing_council, on=today)
        except NoProtocolInForce as error:
            raise CaseworkError(
                _("%(council)s has no managed-move protocol in force today.")
                % {"council": governing_council.name},
                field="governing_council",
            ) from error
    draft = ReferralDraft.objects.create(
        home_school=home_school, started_by=started_by, governing_council=governing_council
    )
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
    """Store one page of the referral (answers to questions hidden by a condition are dropped).
    A year group the protocol in force today does not cover is refused on its field."""
    _within_bounds(bounds.answers_problem(page_answers, labels=_referral_labels(draft)))
    if contract.YEAR_GROUP.key in page_answers:
        try:
            version = referral_protocol(
                home_school=draft.home_school,
                governing_council=draft.governing_council,
                on=timezone.localdate(),
            )
        except NoProtocolInForce:
            version = None
        if version is not None:
            _phase_check(
                protocol=version.load(), year_group=str(page_answers[contract.YEAR_GROUP.key])
            )
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
    out_of_year_group_confirmed: bool = False,
    request: HttpRequest | None = None,
) -> Case:
    """Open the case from a completed referral draft; the draft is removed in the same transaction.
    `out_of_year_group_confirmed`: a council officer's word that the pupil is taught out of their
    year group (case_open)."""
    from ..answers import form_problems

    locked = (
        ReferralDraft.objects.select_for_update(of=("self",))
        .select_related("home_school__council", "started_by", "governing_council")
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
        version = referral_protocol(
            home_school=locked.home_school,
            governing_council=locked.governing_council,
            on=referred_on,
        )
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
            home_school=locked.home_school,
            answers=dict(locked.answers),
            referred_on=referred_on,
            governing_council=locked.governing_council,
        ),
        opened_by=submitted_by,
        out_of_year_group_confirmed=out_of_year_group_confirmed,
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
