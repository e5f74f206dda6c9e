"""Case-work fixtures: councils with the bundled protocols and calendars published."""

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.test import override_settings

from fairway.casework import dates, services
from fairway.casework.models import Case
from protocols.services import bundled_load
from tenants.models import Council, Partnership, Role, School, User
from tests.factories import CouncilFactory, PartnershipFactory, SchoolFactory, person_with_role

REFERRAL = {
    "pupil_name": "Jayden Whitmore",
    "date_of_birth": "2012-10-14",
    "upn": "A123456789012",
    "year_group": "year_9",
    "home_postcode": "NR2 3AB",
    "reasons": "Repeated disruption in lessons and two fixed-term suspensions this term.",
    "interventions_tried": "Mentoring, a reduced timetable, an early help assessment.",
    "ehcp": False,
    "looked_after": False,
    "withdrawn_exclusion": False,
}


# The cases of these tests run in 2026/27: the date checks (fairway.casework.dates) count this
# day as today, so a review or decision dated in that year is in the past whatever the clock says.
TODAY = date(2027, 8, 31)


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> date:
    monkeypatch.setattr(dates, "current_day", lambda: TODAY)
    return TODAY


def year_9_born(referred_on: date) -> str:
    """A date of birth of a pupil in Year 9 in the academic year of `referred_on`."""
    return date(dates.academic_year_start(referred_on) - 14, 10, 14).isoformat()


@dataclass
class Place:
    council: Council
    partnership: Partnership
    home: School
    receiving: School
    officer: User
    home_staff: User
    receiving_staff: User


def _place(slug: str, name: str) -> Place:
    council = CouncilFactory(slug=slug, name=name)
    partnership = PartnershipFactory(council=council)
    home = SchoolFactory(council=council, partnership=partnership, name=f"{name} High School")
    receiving = SchoolFactory(council=council, partnership=partnership, name=f"{name} Academy")
    return Place(
        council=council,
        partnership=partnership,
        home=home,
        receiving=receiving,
        officer=person_with_role(role=Role.COUNCIL_OFFICER, council=council),
        home_staff=person_with_role(role=Role.SCHOOL_STAFF, council=council, school=home),
        receiving_staff=person_with_role(role=Role.SCHOOL_STAFF, council=council, school=receiving),
    )


@pytest.fixture
def norfolk(db: None) -> Place:
    place = _place("norfolk", "Norfolk County Council")
    bundled_load()
    return place


@pytest.fixture
def southwark(db: None) -> Place:
    place = _place("southwark", "Southwark Council")
    bundled_load()
    return place


@pytest.fixture
def leicestershire(db: None) -> Place:
    place = _place("leicestershire", "Leicestershire County Council")
    bundled_load()
    return place


def open_case(place: Place, *, referred_on: date = date(2026, 11, 2), **answers: object) -> Case:
    return services.case_open(
        referral=services.Referral(
            home_school=place.home,
            answers={**REFERRAL, "date_of_birth": year_9_born(referred_on), **answers},
            referred_on=referred_on,
        ),
        opened_by=place.home_staff,
    )


def submit_form(case: Case, form_key: str, answers: dict[str, object], by: User) -> Case:
    """Fill in and submit a protocol form through the services (all pages at once)."""
    submission = services.form_draft_start(case=case, form_key=form_key, started_by=by)
    submission = services.form_page_save(
        submission=submission,
        page_answers=answers,
        page_fields=list(answers),
        expected_version=submission.version,
        saved_by=by,
    )
    services.form_submit(
        submission=submission, expected_version=submission.version, submitted_by=by
    )
    return Case.objects.get(pk=case.pk)


def fill(case: Case, form_key: str, place: Place, **overrides: object) -> dict[str, object]:
    """Answers to every required question of one of the case's protocol forms."""
    form = case.protocol_version.load().form(form_key)
    answers: dict[str, object] = {}
    for definition in form.fields:
        if definition.key in overrides:
            answers[definition.key] = overrides[definition.key]
        elif definition.type == "school":
            answers[definition.key] = place.receiving.pk
        elif definition.required:
            answers[definition.key] = _answer_for(definition)
    answers.update(
        {
            k: v
            for k, v in _true_dates(case, overrides).items()
            if k in answers and k not in overrides
        }
    )
    return answers


def _true_dates(case: Case, overrides: dict[str, object]) -> dict[str, str]:
    """Dates that can be true of the case: the notice a week before the first day (not before the
    referral); a review, a decision and an attendance week in the first week of the direction."""
    first_day = overrides.get("first_day")
    found: dict[str, str] = {}
    if isinstance(first_day, str):
        notice = max(case.referred_on, date.fromisoformat(first_day) - timedelta(days=7))
        found["notice_sent_on"] = notice.isoformat()
    if case.start_date:
        found["held_on"] = (case.start_date + timedelta(days=4)).isoformat()
        found["decided_on"] = (case.start_date + timedelta(days=4)).isoformat()
        monday = case.start_date - timedelta(days=case.start_date.weekday())
        found["week_beginning"] = monday.isoformat()
    return found


def agree(
    case: Case,
    place: Place,
    *,
    first_day: date,
    receiving: School | None = None,
    off_fairway: bool = False,
) -> Case:
    """The agreement, the notice and every sign-off: ready for the first day. A school of
    another council is asked for first, unless that council is `off_fairway` (not on Fairway:
    the home council records the move alone, with no request)."""
    school = receiving or place.receiving
    if school.council_id != case.home_council_id and not off_fairway:
        accept_request(case, place, school=school, first_day=first_day)
        case.refresh_from_db()
    case = submit_form(
        case,
        "agreement",
        fill(case, "agreement", place, receiving_school=school.pk),
        place.home_staff,
    )
    case = submit_form(
        case,
        "off_site_direction_notice",
        fill(case, "off_site_direction_notice", place, first_day=first_day.isoformat()),
        place.home_staff,
    )
    return sign_all(case, place, signed_on=first_day)


def sign_all(case: Case, place: Place, *, signed_on: date) -> Case:
    """Every sign-off of the case's protocol, each role's signature recorded by the officer."""
    for sign_off in case.protocol_version.load().sign_offs:
        for role in sign_off.roles:
            services.sign_off_record(
                case=case,
                sign_off_key=sign_off.key,
                role_key=role,
                signed_by_name=f"Signer for {role}",
                signed_on=signed_on,
                recorded_by=place.officer,
                expected_version=case.version,
            )
            case.refresh_from_db()
    return case


def other_council_officer(council: Council) -> User:
    """The asked council's officer (made if it has none yet: then it is on Fairway)."""
    found = User.objects.filter(
        memberships__council=council, memberships__role=Role.COUNCIL_OFFICER
    ).first()
    return found or person_with_role(role=Role.COUNCIL_OFFICER, council=council)


def ask_request(
    case: Case, place: Place, *, school: School, first_day: date = date(2026, 11, 30)
) -> "services.CrossAuthorityRequest":
    """The home council asks the council of `school` to take on the move."""
    other_council_officer(school.council)
    return services.request_ask(
        case=case,
        school=school,
        reasons_summary="Repeated disruption; a fresh start nearer home is the plan.",
        proposed_start=first_day,
        proposed_weeks=8,
        proposed_protocol=case.protocol_version,
        asked_by=place.officer,
    )


def accept_request(
    case: Case, place: Place, *, school: School, first_day: date = date(2026, 11, 30)
) -> "services.CrossAuthorityRequest":
    """A request the council of `school` accepted: the case is shared with it from now on."""
    asked = ask_request(case, place, school=school, first_day=first_day)
    officer = other_council_officer(school.council)
    return services.request_accept(
        move_request=asked, lead=officer, accepted_by=officer, expected_version=asked.version
    )


def _answer_for(definition: object) -> object:
    kind = definition.type  # type: ignore[attr-defined]
    if kind == "date":
        return "2026-11-12"
    if kind == "yes_no":
        return True
    if kind in ("number", "percentage"):
        return 1
    if kind == "choice":
        return definition.choices[0].value  # type: ignore[attr-defined]
    if kind == "choices":
        return [definition.choices[0].value]  # type: ignore[attr-defined]
    return "Agreed."


# The production queue: tasks stored in the database, run by a worker (django-tasks' db_worker).
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@contextmanager
def database_queue() -> Iterator[None]:
    """The production queue, with the test run's signal handlers kept: a worker run in this
    process installs its own SIGINT/SIGTERM handlers (graceful shutdown)."""
    handlers = {
        sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)
    }
    try:
        with override_settings(TASKS=DATABASE_TASKS):
            yield
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
