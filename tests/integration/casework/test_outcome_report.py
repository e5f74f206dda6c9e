"""The decision reported to whom the protocol names: emailed by the background task after the
case closes, once; a family or an agency without an account is listed to be told outside Fairway."""

from datetime import date
from typing import Any

from django.core import mail
from django.test import Client
from django.urls import reverse

from fairway.casework import services, tasks
from fairway.casework.models import Outcome
from tests.factories import sign_in

from .conftest import Place
from .service_helpers import started


def _close(place: Place, django_capture_on_commit_callbacks: Any) -> Outcome:
    case = started(place)
    with django_capture_on_commit_callbacks(execute=True):
        return services.outcome_record(
            case=case,
            outcome_key="returned_home",
            decided_on=date(2027, 2, 1),
            reasons="Agreed at the final review",
            answers={},
            recorded_by=place.officer,
            expected_version=case.version,
        )


def test_southwark_reports_to_the_eit_manager_and_the_parent(
    southwark: Place, django_capture_on_commit_callbacks: Any
) -> None:
    outcome = _close(southwark, django_capture_on_commit_callbacks)
    stored = Outcome.objects.get(pk=outcome.pk)
    # Southwark: "returned home" is reported to the EIT manager and the parent.
    assert [(r["role"], r["emailed"]) for r in stored.reports] == [
        ("eit_manager", 1),
        ("parent", 0),
    ]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [southwark.officer.email]
    assert "Returned to the home school" in message.subject
    assert outcome.case.reference in message.subject
    assert outcome.case.pupil_name not in message.subject + message.body


def test_it_is_sent_once(southwark: Place, django_capture_on_commit_callbacks: Any) -> None:
    outcome = _close(southwark, django_capture_on_commit_callbacks)
    again = tasks.outcome_report_send(case_id=outcome.case_id)
    assert len(again) == 2
    assert len(mail.outbox) == 1


def test_the_case_page_says_who_was_told_and_who_to_tell(
    southwark: Place, django_capture_on_commit_callbacks: Any, client: Client
) -> None:
    outcome = _close(southwark, django_capture_on_commit_callbacks)
    sign_in(client, southwark.officer)
    page = client.get(reverse("casework:case_detail", args=[outcome.case_id])).content.decode()
    assert "emailed to 1 person" in page
    assert "Parent or carer (the pupil, once 18): to be told by" in page  # outside Fairway


def test_the_home_school_hears_of_a_successful_move(
    southwark: Place, django_capture_on_commit_callbacks: Any
) -> None:
    case = started(southwark)
    with django_capture_on_commit_callbacks(execute=True):
        services.outcome_record(
            case=case,
            outcome_key="on_roll_receiving",
            decided_on=date(2027, 2, 1),
            reasons="Successful at week 12",
            answers={},
            recorded_by=southwark.officer,
            expected_version=case.version,
        )
    emailed = sorted(address for message in mail.outbox for address in message.to)
    assert emailed == sorted([southwark.officer.email, southwark.home_staff.email])
