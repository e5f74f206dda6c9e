"""What every case-work write shares: the errors a person can act on, locking the case at the
version they saw, the write rule, the audit line and the re-dated next deadline."""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from fairway.errors import FairwayError
from protocols.core.model import Protocol
from tenants.models import AuditEvent, Council, User
from tenants.services import audit_record

from .. import bounds, contract, roles, selectors, writes
from ..models import (
    Case,
    FormSubmission,
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


def _within_bounds(problem: bounds.Problem | None) -> None:
    if problem is not None:
        raise CaseworkError(problem.message, field=problem.field)


def _refuse(problem: str | None, *, field: str) -> None:
    """A date that cannot be true (casework.dates), refused beside its field."""
    if problem:
        raise CaseworkError(problem, field=field)


def _notice_sent_on(case: Case) -> date | None:
    """The date the written notice was sent, as the case's forms answer it (or None)."""
    for answers in case.submissions.values_list("answers", flat=True):
        day = _parse_date((answers or {}).get(contract.NOTICE_SENT_ON.key))
        if day is not None:
            return day
    return None


def _parse_date(value: object) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def case_view_record(
    *, case: Case, viewed_by: User, request: HttpRequest | None = None, what: str = ""
) -> None:
    """Every view of a pupil's record goes in the audit log (both councils' on a shared case)."""
    # A shared case's two lines go in together; one line is one INSERT, atomic by itself, and
    # every page view would otherwise pay a BEGIN and a COMMIT for it.
    together: AbstractContextManager[object] = (
        transaction.atomic() if len(_case_councils(case)) > 1 else nullcontext()
    )
    with together:
        _audit(
            case,
            by=viewed_by,
            action=AuditEvent.Action.RECORD_VIEWED,
            summary=what or _("case page viewed"),
            request=request,
        )


def _check_write(case: Case, *, by: User, write: writes.Write, key: str | None = None) -> Protocol:
    """The one write rule (writes.py), asked by every service that writes to a case: the person
    must hold the protocol role (else 404, like another council's case), then the case's stage
    must allow the write (else a refusal in plain words). Returns the case's protocol."""
    protocol = _protocol(case)
    refusal = writes.refusal(user=by, case=case, protocol=protocol, write=write, key=key)
    if refusal:
        raise CaseworkError(refusal)
    return protocol
