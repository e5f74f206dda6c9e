"""Moving chosen open cases to a newer version of their protocol (a council admin's decision).

Nothing moves silently: the person has seen `selectors.case_move_preview` for the case, the
move re-checks it under the case's lock and refuses a case whose answers or records do not fit
the new version, and each move is in the audit log (both councils' for a shared case) with
every deadline that moved.
"""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from protocols.models import ProtocolVersion
from tenants import access as tenant_access
from tenants.models import User

from .. import writes
from ..models import Case
from ..selectors.versions import case_move_preview
from ._base import CaseworkError, _check_write, _lock, _save


@transaction.atomic
def case_version_move(
    *,
    case: Case,
    to_version: ProtocolVersion,
    expected_version: int | None,
    moved_by: User,
    request: HttpRequest | None = None,
) -> Case:
    """Move an open case to `to_version`: refused (CaseworkError, with every reason) when any
    answer or record does not fit it; otherwise the case's deadlines follow the new version."""
    case = _lock(case, expected_version)
    if case.home_council_id not in tenant_access.admin_council_ids_for(moved_by):
        raise writes.RoleRefused(_("No case found."))
    _check_write(case, by=moved_by, write=writes.Write.VERSION)
    preview = case_move_preview(case=case, to_version=to_version)
    if not preview.fits:
        raise CaseworkError(
            _("%(case)s cannot move to version %(n)s: %(why)s")
            % {
                "case": case.reference,
                "n": to_version.version,
                "why": " ".join(preview.misfits),
            }
        )
    before = case.protocol_version.version
    case.protocol_version = to_version
    moved = "; ".join(
        f"{d.label}: {d.before.isoformat() if d.before else '-'} -> "
        f"{d.after.isoformat() if d.after else '-'}"
        for d in preview.deadlines
    )
    summary = f"moved from version {before} to version {to_version.version} of {to_version.slug}"
    return _save(
        case,
        by=moved_by,
        summary=summary + (f" (deadlines moved: {moved})" if moved else " (no deadline moved)"),
        request=request,
    )
