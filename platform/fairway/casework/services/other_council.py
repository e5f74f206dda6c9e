"""A move to a school of a council not on Fairway: the home council's officer records that council's
contact and decisions, and the calendar the receiving school keeps. Nothing is shared (no one at
that council is on Fairway); the write goes through the write rule and the case's audit log, and
re-dates the case, since the receiving school's milestones count on the calendar chosen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from protocols.core.problems import DefinitionError
from protocols.models import CouncilCalendar
from tenants.models import User

from .. import bounds, dates, selectors, writes
from ..models import Case, OtherCouncilRecord
from ._base import CaseworkError, _check_write, _lock, _save, _within_bounds

Decision = OtherCouncilRecord.Decision
CalendarChoice = OtherCouncilRecord.CalendarChoice
MAX_CALENDAR_PROBLEMS = 5


class CalendarFileError(CaseworkError):
    """An uploaded calendar with problems, each as file:line:column: message; nothing saved."""

    def __init__(self, problems: list[str]) -> None:
        shown = problems[:MAX_CALENDAR_PROBLEMS]
        more = len(problems) - len(shown)
        message = _("The calendar file has problems, so nothing was saved: %(problems)s") % {
            "problems": "; ".join(shown)
        }
        if more:
            message += " " + _("(and %(n)s more)") % {"n": more}
        super().__init__(message, field="calendar_file")
        self.problems = problems


@dataclass(frozen=True)
class OtherCouncilAnswers:
    """What the officer enters (the form's cleaned data, or the demo's)."""

    contact_name: str = ""
    contact_role: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    council_decision: str = Decision.WAITING
    council_decided_on: date | None = None
    school_decision: str = Decision.WAITING
    school_decided_on: date | None = None
    notes: str = ""
    calendar_choice: str = ""
    picked_calendar: CouncilCalendar | None = None
    # A newly uploaded calendar file: its text and name (empty keeps the one uploaded before).
    calendar_text: str = ""
    calendar_file_name: str = ""


def _check_answers(answers: OtherCouncilAnswers, *, council_name: str) -> None:
    _within_bounds(
        bounds.first_problem(
            texts={
                "contact_name": (_("Contact's name"), answers.contact_name, bounds.NAME_TEXT),
                "contact_role": (_("Role or team"), answers.contact_role, bounds.NAME_TEXT),
                "contact_email": (_("Email address"), answers.contact_email, bounds.NAME_TEXT),
                "contact_phone": (_("Phone number"), answers.contact_phone, 40),
                "notes": (_("Notes"), answers.notes, bounds.LONG_TEXT),
            },
            dates={
                "council_decided_on": (
                    _("Date of the council's decision"),
                    answers.council_decided_on,
                ),
                "school_decided_on": (
                    _("Date of the head teacher's decision"),
                    answers.school_decided_on,
                ),
            },
        )
    )
    decisions = (
        ("council_decision", "council_decided_on", answers.council_decision,
         answers.council_decided_on, council_name),
        ("school_decision", "school_decided_on", answers.school_decision,
         answers.school_decided_on, _("the head teacher")),
    )  # fmt: skip
    for key, date_key, decision, decided_on, who in decisions:
        if decision not in Decision.values:
            raise CaseworkError(_("Choose one of the decisions listed"), field=key)
        if decision != Decision.WAITING and decided_on is None:
            raise CaseworkError(_("Enter the date %(who)s decided") % {"who": who}, field=date_key)
    if answers.calendar_choice not in ("", *CalendarChoice.values):
        raise CaseworkError(_("Choose one of the calendars listed"), field="calendar_choice")
    if answers.calendar_choice == CalendarChoice.PICKED and answers.picked_calendar is None:
        raise CaseworkError(_("Choose a calendar"), field="picked_calendar")


def _uploaded(answers: OtherCouncilAnswers, record: OtherCouncilRecord) -> tuple[str, str]:
    """The uploaded calendar to keep: a new file (validated: its problems name file:line:column),
    else the one uploaded before."""
    if not answers.calendar_text.strip():
        if not record.uploaded_calendar:
            raise CaseworkError(_("Upload the school's calendar file"), field="calendar_file")
        return record.uploaded_calendar, record.uploaded_calendar_name
    name = answers.calendar_file_name or "calendar.yaml"
    try:
        selectors.uploaded_calendar_load(text=answers.calendar_text, file_name=name)
    except DefinitionError as error:
        raise CalendarFileError([str(problem) for problem in error.problems]) from error
    return answers.calendar_text, name


def _decision_words(decision: str, decided_on: date | None) -> str:
    if decision == Decision.WAITING or decided_on is None:
        return str(Decision(decision).label).lower()
    return _("%(decision)s on %(day)s") % {
        "decision": str(Decision(decision).label).lower(),
        "day": dates.day_text(decided_on),
    }


@transaction.atomic
def other_council_record_save(
    *,
    case: Case,
    answers: OtherCouncilAnswers,
    recorded_by: User,
    expected_version: int | None,
    http_request: HttpRequest | None = None,
) -> OtherCouncilRecord:
    """Record (or change) what the home council knows of a council not on Fairway for this case:
    its contact, its decision and the receiving school's head teacher's, and the calendar the
    receiving school's milestones count on. `expected_version` is the record's version the
    officer saw (None for a first record)."""
    case = _lock(case, None)
    _check_write(case, by=recorded_by, write=writes.Write.OTHER_COUNCIL)
    if not selectors.is_off_fairway_move(case=case):
        raise CaseworkError(
            _(
                "This is recorded only for a receiving school of a council that is not on "
                "Fairway; choose that school on the agreement first."
            )
        )
    school = case.receiving_school
    assert school is not None  # is_off_fairway_move says so
    _check_answers(answers, council_name=school.council.name)
    record = OtherCouncilRecord.objects.select_for_update().filter(
        case=case
    ).first() or OtherCouncilRecord(case=case, version=0)
    if expected_version is not None and record.version != expected_version:
        raise CaseworkError(
            _("Someone else changed this record while you were working on it: check it again.")
        )
    if answers.calendar_choice == CalendarChoice.UPLOADED:
        record.uploaded_calendar, record.uploaded_calendar_name = _uploaded(answers, record)
    record.contact_name = answers.contact_name.strip()
    record.contact_role = answers.contact_role.strip()
    record.contact_email = answers.contact_email.strip()
    record.contact_phone = answers.contact_phone.strip()
    record.council_decision = answers.council_decision
    record.council_decided_on = (
        answers.council_decided_on if answers.council_decision != Decision.WAITING else None
    )
    record.school_decision = answers.school_decision
    record.school_decided_on = (
        answers.school_decided_on if answers.school_decision != Decision.WAITING else None
    )
    record.notes = answers.notes.strip()
    record.calendar_choice = answers.calendar_choice
    record.picked_calendar = (
        answers.picked_calendar if answers.calendar_choice == CalendarChoice.PICKED else None
    )
    record.version += 1
    record.recorded_by = recorded_by
    record._history_user = recorded_by  # type: ignore[attr-defined]
    record.save()
    calendar = (
        str(CalendarChoice(record.calendar_choice).label).lower()
        if record.calendar_choice
        else _("no calendar chosen")
    )
    if record.calendar_choice == CalendarChoice.PICKED and record.picked_calendar is not None:
        calendar = record.picked_calendar.title
    elif record.calendar_choice == CalendarChoice.UPLOADED:
        calendar = _("calendar uploaded (%(name)s)") % {"name": record.uploaded_calendar_name}
    _save(
        case,
        by=recorded_by,
        summary=_(
            "Recorded %(council)s (not on Fairway): the council %(council_decision)s, the head "
            "teacher %(school_decision)s; %(school)s's calendar: %(calendar)s"
        )
        % {
            "council": school.council.name,
            "council_decision": _decision_words(record.council_decision, record.council_decided_on),
            "school_decision": _decision_words(record.school_decision, record.school_decided_on),
            "school": school.name,
            "calendar": calendar,
        },
        request=http_request,
    )
    return record
