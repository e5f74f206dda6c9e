"""Keeping only what the law allows: closed cases past the council's retention period are
anonymised by a daily task, and a council admin can download everything held on one pupil.

Anonymising removes the pupil's name, UPN, home postcode, exact date of birth (the 1 September
of their school cohort's birth year stays, so the year group still fits) and every answer or note
written in words, on the case and in its history rows. The dates, schools, stage, outcome, route
flags and yes/no, choice and number answers stay, so the register and its comparisons count the
same moves. It is a system write (no person, no stage change) on closed cases only, each council's
run is one transaction and one line in its audit log, and a case is done once (`anonymised_at`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from tenants.models import AuditEvent, Council
from tenants.services import audit_record

from . import contract, dates
from .models import (
    AttendanceWeek,
    Case,
    CaseEvent,
    Commitment,
    EarlyEnd,
    Extension,
    FormSubmission,
    OtherCouncilRecord,
    Outcome,
    SignOff,
    Stage,
)

ANONYMISED_NAME = "Anonymised"
# Answers of these types are counted by the register and the reports; every other type (text,
# textarea, email, phone, upn) is words about a person, and goes.
KEPT_ANSWER_TYPES = frozenset(
    {"yes_no", "choice", "choices", "number", "percentage", "school", "date"}
)
# Kept by type, but a person's details all the same.
DROPPED_ANSWER_KEYS = frozenset({contract.DATE_OF_BIRTH.key, contract.UPN.key})

# Free text on the case's own records: emptied on the record and on its history rows.
WORDS: dict[type[models.Model], dict[str, object]] = {
    CaseEvent: {"note": ""},
    AttendanceWeek: {"note": ""},
    Extension: {"reasons": ""},
    Outcome: {"reasons": ""},
    EarlyEnd: {"reasons": ""},
    Commitment: {"text": "", "named": "", "agreed_with": "", "change_reason": ""},
    SignOff: {"signed_by_name": "", "on_behalf_of": ""},
    # A council not on Fairway: its contact's details and the notes on its decisions go; the
    # decisions, their dates and the calendar stay.
    OtherCouncilRecord: {
        "notes": "",
        "contact_name": "",
        "contact_role": "",
        "contact_email": "",
        "contact_phone": "",
    },
}


def retention_cutoff(*, today: date, years: int) -> date:
    """Cases closed before this day are past a retention period of `years` years."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def cases_past_retention(*, council: Council, today: date) -> models.QuerySet[Case]:
    """The council's closed cases, not yet anonymised, that closed before its cut-off."""
    cutoff = retention_cutoff(today=today, years=council.closed_case_retention_years)
    return Case.objects.filter(
        home_council=council, stage=Stage.CLOSED, anonymised_at__isnull=True
    ).filter(
        Q(outcome__decided_on__lt=cutoff)
        | Q(
            outcome__isnull=True,
            updated_at__lt=datetime.combine(
                cutoff, datetime.min.time(), tzinfo=timezone.get_current_timezone()
            ),
        )
    )


def _cohort_birthday(born: date) -> date:
    """1 September of the academic year the pupil was born in: keeps the year group only."""
    return date(born.year if born.month >= 9 else born.year - 1, 9, 1)


def _kept_answers(answers: dict[str, object], *, types: dict[str, str]) -> dict[str, object]:
    return {
        key: value
        for key, value in answers.items()
        if types.get(key) in KEPT_ANSWER_TYPES and key not in DROPPED_ANSWER_KEYS
    }


def _answer_types(case: Case) -> dict[str, dict[str, str]]:
    protocol = case.protocol_version.load()
    return {form.key: {f.key: str(f.type) for f in form.fields} for form in protocol.forms}


def case_anonymise(*, case: Case, now: datetime) -> None:
    """Remove the pupil's details from one closed case and its history (no new history rows)."""
    if case.stage != Stage.CLOSED:
        raise ValueError(f"{case.reference} is not closed")
    pupil = {
        "pupil_name": ANONYMISED_NAME,
        "upn": "",
        "home_postcode": "",
        "date_of_birth": _cohort_birthday(case.date_of_birth),
        "last_change": "",
    }
    Case.objects.filter(pk=case.pk).update(**pupil, anonymised_at=now)
    Case.history.model.objects.filter(id=case.pk).update(**pupil)
    types = _answer_types(case)
    for model in (FormSubmission, FormSubmission.history.model):
        for row in model.objects.filter(case_id=case.pk):
            kept = _kept_answers(row.answers, types=types.get(row.form_key, {}))
            if kept != row.answers:
                model.objects.filter(pk=row.pk).update(answers=kept)
    for words_model, emptied in WORDS.items():
        words_model._default_manager.filter(case_id=case.pk).update(**emptied)
        history = getattr(words_model, "history", None)
        if history is not None:
            history.model.objects.filter(case_id=case.pk).update(**emptied)


@dataclass(frozen=True)
class RetentionRun:
    council: str
    cutoff: date
    anonymised: int


def retention_apply(*, today: date) -> list[RetentionRun]:
    """Anonymise every council's closed cases past its retention period; audit each run."""
    runs = []
    for council in Council.objects.order_by("pk"):
        cutoff = retention_cutoff(today=today, years=council.closed_case_retention_years)
        with transaction.atomic():
            due = list(
                cases_past_retention(council=council, today=today)
                .select_for_update(of=("self",))
                .select_related("protocol_version")
            )
            now = timezone.now()
            for case in due:
                case_anonymise(case=case, now=now)
            audit_record(
                actor=None,
                council=council,
                action=AuditEvent.Action.RECORD_CHANGED,
                object_type="retention",
                object_id=today.isoformat(),
                summary=_(
                    "Retention run: %(count)s closed cases anonymised (closed before %(cutoff)s; "
                    "kept %(years)s years)"
                )
                % {
                    "count": len(due),
                    "cutoff": dates.day_text(cutoff),
                    "years": council.closed_case_retention_years,
                },
                actor_email="Fairway (daily retention run)",
            )
        runs.append(RetentionRun(council=council.slug, cutoff=cutoff, anonymised=len(due)))
    return runs


@task()
def retention_run() -> int:
    """The daily task (queued by `manage.py casework_retention`); returns how many were done."""
    return sum(run.anonymised for run in retention_apply(today=timezone.localdate()))
