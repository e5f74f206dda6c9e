"""Named people added to one case (an adviser from another team), and removed."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from tenants.models import AuditEvent, User

from .. import writes
from ..models import (
    Case,
    Stage,
)
from ._base import CaseworkError, _case_councils, _check_write, _lock, _save

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
