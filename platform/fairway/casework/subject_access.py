"""A subject access request: everything Fairway holds on one pupil, as a zip of JSON and PDFs.

A council admin asks by UPN; the zip holds, for each of the council's cases of that pupil (as the
home council, or the receiving council of a cross-authority move), every field of the case, every
form's answers, event, sign-off, attendance week, extension, early end, outcome, target and
commitment (with their earlier wordings), what the home council recorded of a council not on
Fairway (its contact, decisions and the receiving school's calendar), the case's lines of the audit log, and each submitted
form as its PDF record. Each download is a line in the audit log of every case it holds.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils import timezone

from tenants.models import AuditEvent, Council

from . import selectors
from .models import Case


def _encode(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return str(value)


def _fields(row: models.Model, *, leave_out: tuple[str, ...] = ("case",)) -> dict[str, Any]:
    return {
        f.name: f.value_from_object(row)
        for f in row._meta.concrete_fields
        if f.name not in leave_out
    }


def pupil_cases(*, council: Council, upn: str) -> list[Case]:
    """The council's cases of the pupil with this UPN (home or receiving council)."""
    return list(
        Case.objects.filter(Q(home_council=council) | Q(receiving_council=council))
        .filter(upn__iexact=upn.strip())
        .select_related("home_school", "receiving_school", "protocol_version")
        .order_by("pk")
    )


def _case_data(case: Case) -> dict[str, Any]:
    data = _fields(case, leave_out=())
    data["reference"] = case.reference
    data["home_school"] = case.home_school.name
    data["receiving_school"] = case.receiving_school.name if case.receiving_school else None
    data["protocol_version"] = case.protocol_version.reference
    related = {
        "forms": case.submissions.order_by("form_key", "occurrence"),
        "events": case.events.all(),
        "milestones_done": case.milestones_done.all(),
        "sign_offs": case.sign_offs.all(),
        "attendance_weeks": case.attendance_weeks.all(),
        "extensions": case.extensions.all(),
        "commitments": case.commitments.all(),
    }
    for name, rows in related.items():
        data[name] = [_fields(row) for row in rows]
    data["commitment_history"] = [
        _fields(row, leave_out=("case", "history_user"))
        for row in case.commitments.model.history.model.objects.filter(case_id=case.pk).order_by(
            "history_date"
        )
    ]
    for name in ("outcome", "early_end", "other_council_record"):
        row = getattr(case, name, None)
        data[name] = _fields(row) if row is not None else None
    data["audit_log"] = [
        {
            "when": line.occurred_at,
            "who": line.actor_email,
            "action": line.get_action_display(),
            "summary": line.summary,
        }
        for line in AuditEvent.objects.filter(object_type="case", object_id=str(case.pk)).order_by(
            "occurred_at", "id"
        )
    ]
    return data


def pupil_archive(*, council: Council, upn: str, cases: list[Case]) -> bytes:
    """The zip: `pupil.json` and `records/<reference>-<form>-<n>.pdf` for each submitted form."""
    from .records import record_document, record_filename

    document = {
        "council": council.name,
        "upn": upn.strip().upper(),
        "produced_at": timezone.now(),
        "cases": [_case_data(case) for case in cases],
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "pupil.json", json.dumps(document, default=_encode, indent=2, ensure_ascii=False)
        )
        for case in cases:
            for submission in case.submissions.filter(submitted_at__isnull=False).order_by(
                "form_key", "occurrence"
            ):
                record = selectors.form_record(
                    case=case, form_key=submission.form_key, occurrence=submission.occurrence
                )
                archive.writestr(
                    f"records/{record_filename(record=record)}",
                    record_document(record=record).write_pdf(),
                )
    return buffer.getvalue()
