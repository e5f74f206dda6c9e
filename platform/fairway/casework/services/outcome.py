"""Recording the outcome: the case closes and the decision is emailed to whom the protocol names."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from protocols.core.model import Outcome as ProtocolOutcome
from protocols.core.model import Protocol
from tenants.models import User

from .. import bounds, contract, dates, roles, writes
from ..models import (
    Case,
    FormSubmission,
    Outcome,
    OutcomeTold,
    Stage,
)
from ._base import (
    CaseworkError,
    _check_write,
    _labels,
    _lock,
    _protocol,
    _refuse,
    _save,
    _within_bounds,
)
from .direction import _event_known, _event_upsert


def outcomes_allowed(*, case: Case, protocol: Protocol) -> list[ProtocolOutcome]:
    """The protocol's outcomes that fit this case: after an early end the pupil does not go onto
    the receiving school's roll; an outcome on no school's roll (a withdrawn permanent exclusion
    taking effect) only when the exclusion was withdrawn and was to stand if the move failed."""
    fitting = []
    for outcome in protocol.outcomes:
        if case.stage == Stage.ENDED_EARLY and outcome.on_roll_of == "receiving_school":
            continue
        if outcome.on_roll_of == "none" and not (
            case.withdrawn_exclusion and case.exclusion_stands_if_move_fails
        ):
            continue
        fitting.append(outcome)
    return fitting


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
    if outcome not in outcomes_allowed(case=case, protocol=protocol):
        raise CaseworkError(
            _("This outcome does not fit this case: choose one of those offered."),
            field="outcome_key",
        )
    _refuse(
        dates.happened(case, decided_on, what=_("The date of the decision"), in_direction=True),
        field=contract.DECIDED_ON.key,
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


def _outcome_report_enqueue(case_id: int) -> None:
    from ..tasks import outcome_report

    outcome_report.enqueue(case_id)


@transaction.atomic
def outcome_told_record(
    *,
    case: Case,
    role_key: str,
    told_on: date,
    recorded_by: User,
    expected_version: int,
    request: HttpRequest | None = None,
) -> OutcomeTold:
    """Record the day someone without a Fairway account (a parent, an agency) was told of the
    outcome outside Fairway. Made by whoever records the outcome (the outcome form's role, or an
    officer), once the case is closed; a second record for the same person replaces the day."""
    _refuse(
        bounds.date_problem(label=_("Date told"), value=told_on),
        field="told_on",
    )
    case = _lock(case, expected_version)
    protocol = _check_write(case, by=recorded_by, write=writes.Write.TOLD)
    outcome = Outcome.objects.filter(case=case).first()
    if (
        outcome is None
        or role_key not in outcome.reported_to
        or roles.holder_emails(case=case, kind=roles.kind_of(protocol, role_key))
    ):
        raise CaseworkError(
            _("Choose someone the decision is told to outside Fairway."), field="role_key"
        )
    if told_on < outcome.decided_on:
        raise CaseworkError(
            _("The date told must be on or after the decision, %(day)s")
            % {"day": dates.day_text(outcome.decided_on)},
            field="told_on",
        )
    _refuse(dates.not_in_future(told_on, what=_("The date told")), field="told_on")
    told, _created = OutcomeTold.objects.update_or_create(
        outcome=outcome,
        role_key=role_key,
        defaults={"told_on": told_on, "recorded_by": recorded_by, "recorded_at": timezone.now()},
    )
    _save(
        case,
        by=recorded_by,
        summary=_("%(who)s told of the outcome on %(day)s")
        % {"who": roles.label_of(protocol, role_key), "day": dates.day_text(told_on)},
        request=request,
    )
    return told
