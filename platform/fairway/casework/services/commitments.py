"""The pupil's targets and each agency's commitments, added and changed (kept in history)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from protocols.core.model import Protocol
from tenants.models import User

from .. import bounds, writes
from ..models import (
    Case,
    Commitment,
    Stage,
)
from ._base import (
    CaseworkError,
    Change,
    ConcurrentEditError,
    _check_write,
    _lock,
    _save,
    _within_bounds,
)

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
