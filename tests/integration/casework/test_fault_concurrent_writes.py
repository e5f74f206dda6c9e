"""Two writers on one record never lose an update: concurrent POSTs with the same version.

Each test sends two POSTs at once, from two threads, each with its own test client, its own
signed-in person and its own database connection, both carrying the version the person opened
the page at. The services lock the row (SELECT ... FOR UPDATE) and compare the version: exactly
one write wins, the other person gets the conflict panel with what they typed still in the form,
and the stored record is the winner's, whole. Run on PostgreSQL (row locks between connections);
SQLite has one writer at a time, which proves nothing here.
"""

import os
import threading
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from fairway.casework import services
from fairway.casework.models import AttendanceWeek, Case, Commitment, FormSubmission
from tenants.models import Role, User
from tests.factories import person_with_role, sign_in

from .conftest import Place, open_case
from .service_helpers import started

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        "postgres" not in os.environ.get("DATABASE_URL", ""),
        reason="concurrent writers need PostgreSQL's row locks",
    ),
]


# The rest of the review's progress page (as test_form_page_conflict.py fills it).
REVIEW_ANSWERS = {
    "recommendation": "continue",
    "outcome_shared_with_parents_on_0": "11",
    "outcome_shared_with_parents_on_1": "12",
    "outcome_shared_with_parents_on_2": "2026",
}


def _race(posts: list[tuple[User, str, dict[str, Any]]]) -> list[HttpResponse]:
    """POST each (person, url, data) from its own thread, released together."""
    clients = []
    for person, _url, _data in posts:
        client = Client()
        sign_in(client, person)
        clients.append(client)
    barrier = threading.Barrier(len(posts))
    responses: list[Any] = [None] * len(posts)

    def send(index: int) -> None:
        _person, url, data = posts[index]
        try:
            barrier.wait(timeout=30)
            responses[index] = clients[index].post(url, data)
        except BaseException as error:  # noqa: BLE001 (reported by the test below)
            responses[index] = error
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(posts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert all(isinstance(r, HttpResponse) for r in responses), responses
    return responses


def _one_wins(responses: list[HttpResponse]) -> tuple[int, HttpResponse]:
    """(index of the winner, the loser's page): one redirect, one conflict panel."""
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200, 302], statuses
    winner = next(i for i, r in enumerate(responses) if r.status_code == 302)
    loser = responses[1 - winner]
    page = loser.content.decode()
    assert "govuk-notification-banner" in page or "conflict" in page.lower()
    return winner, loser


def _colleague(place: Place, school: Any) -> User:
    return person_with_role(role=Role.SCHOOL_STAFF, council=place.council, school=school)


def test_two_people_saving_one_form_page_at_once(norfolk: Place) -> None:
    case = started(norfolk)
    draft = services.form_draft_start(
        case=case, form_key="review", started_by=norfolk.receiving_staff
    )
    url = reverse(
        "casework:form_page",
        kwargs={
            "case_id": case.pk,
            "form_key": "review",
            "occurrence": draft.occurrence,
            "page_key": "progress",
        },
    )
    typed = ["Settled well in maths; one late arrival.", "Two detentions; reading improving."]
    people = [norfolk.receiving_staff, _colleague(norfolk, norfolk.receiving)]
    responses = _race(
        [
            (
                person,
                url,
                {"version": draft.version, "progress_against_targets": text, **REVIEW_ANSWERS},
            )
            for person, text in zip(people, typed, strict=True)
        ]
    )
    winner, loser = _one_wins(responses)
    page = loser.content.decode()
    assert "What they saved on this page:" in page
    assert f"{typed[1 - winner]}</textarea>" in page  # the loser's words are kept
    stored = FormSubmission.objects.get(pk=draft.pk)
    assert stored.answers["progress_against_targets"] == typed[winner]
    assert stored.version == draft.version + 1
    assert stored.history.filter(version=stored.version).count() == 1


def test_two_people_adding_targets_at_once(norfolk: Place) -> None:
    case = started(norfolk)
    url = reverse("casework:commitment_add", args=[case.pk])
    typed = ["Attend every lesson on time.", "Hand in homework each Friday."]
    people = [norfolk.home_staff, _colleague(norfolk, norfolk.home)]
    before = Commitment.objects.filter(case=case).count()
    responses = _race(
        [
            (
                person,
                url,
                {
                    "version": case.version,
                    "kind": "target",
                    "text": text,
                    "agreed_on_0": "30",
                    "agreed_on_1": "11",
                    "agreed_on_2": "2026",
                },
            )
            for person, text in zip(people, typed, strict=True)
        ]
    )
    winner, loser = _one_wins(responses)
    assert f"{typed[1 - winner]}</textarea>" in loser.content.decode()
    added = list(Commitment.objects.filter(case=case).values_list("text", flat=True))
    assert len(added) == before + 1 and typed[winner] in added
    assert Case.objects.get(pk=case.pk).version == case.version + 1


def test_two_people_changing_one_target_at_once(norfolk: Place) -> None:
    case = started(norfolk)
    target = services.commitment_add(
        case=case,
        kind="target",
        role_key="pupil",
        text="Attend every lesson on time.",
        agreed_on=date(2026, 11, 30),
        added_by=norfolk.home_staff,
        expected_version=case.version,
    )
    opened = target.version
    url = reverse("casework:commitment_change", args=[case.pk, target.pk])
    reasons = ["Met at the first review.", "Not met: three late arrivals."]
    statuses = ["met", "not_met"]
    people = [norfolk.home_staff, _colleague(norfolk, norfolk.home)]
    responses = _race(
        [
            (
                person,
                url,
                {
                    "version": target.version,
                    "text": target.text,
                    "status": status,
                    "reason": reason,
                    "agreed_on_0": "30",
                    "agreed_on_1": "11",
                    "agreed_on_2": "2026",
                },
            )
            for person, status, reason in zip(people, statuses, reasons, strict=True)
        ]
    )
    winner, loser = _one_wins(responses)
    assert f"{reasons[1 - winner]}</textarea>" in loser.content.decode()
    target.refresh_from_db()
    assert (target.status, target.change_reason) == (statuses[winner], reasons[winner])
    assert target.version == opened + 1


def test_two_people_recording_one_weeks_attendance_at_once(norfolk: Place) -> None:
    case = started(norfolk)
    url = reverse("casework:attendance", args=[case.pk])
    notes = ["Absent Tuesday: ill.", "Late twice; absent Tuesday."]
    attended = [9, 7]
    people = [norfolk.receiving_staff, _colleague(norfolk, norfolk.receiving)]
    responses = _race(
        [
            (
                person,
                url,
                {
                    "version": case.version,
                    "week_beginning": "2026-12-07",
                    "sessions_possible": 10,
                    "sessions_attended": sessions,
                    "note": note,
                },
            )
            for person, sessions, note in zip(people, attended, notes, strict=True)
        ]
    )
    winner, loser = _one_wins(responses)
    assert f"{notes[1 - winner]}</textarea>" in loser.content.decode()
    [week] = AttendanceWeek.objects.filter(case=case, week_beginning=date(2026, 12, 7))
    assert (week.sessions_attended, week.note) == (attended[winner], notes[winner])
    assert Case.objects.get(pk=case.pk).version == case.version + 1


def test_two_officers_adding_different_people_at_once_both_stay(norfolk: Place) -> None:
    """Giving a person access carries no version: it reads nothing it could overwrite. Both
    additions land (the case row is locked, so neither undoes the other's version or log)."""
    case = open_case(norfolk)
    advisers = [
        person_with_role(role=Role.INCLUSION_ADVISER, council=norfolk.council) for _ in range(2)
    ]
    officers = [
        norfolk.officer,
        person_with_role(role=Role.COUNCIL_OFFICER, council=norfolk.council),
    ]
    url = reverse("casework:case_people", args=[case.pk])
    responses = _race(
        [
            (officer, url, {"email": adviser.email, "access_level": "change"})
            for officer, adviser in zip(officers, advisers, strict=True)
        ]
    )
    assert [r.status_code for r in responses] == [302, 302]
    assert all(adviser.has_perm("casework.change_case", case) for adviser in advisers)
    assert Case.objects.get(pk=case.pk).version == case.version + 2
