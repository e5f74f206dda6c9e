"""The request write matrix: every request step's page, asked by every person, for a request in
every state. The home side asks, answers and withdraws; the council asked (and the proposed
school's partnership) accepts, declines and asks questions. Anyone else gets 404, as for a request
that does not exist; the right side gets the page while the request waits, else the reason."""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

import pytest
from django.core import mail
from django.db import transaction
from django.test import Client
from django.urls import reverse

from fairway.casework import services
from fairway.casework.models import Case, CrossAuthorityRequest
from tenants.models import Partnership, Role, User
from tests.factories import (
    CouncilFactory,
    PartnershipFactory,
    SchoolFactory,
    person_with_role,
    sign_in,
)

from .conftest import Place, ask_request, open_case, other_council_officer

HOME = frozenset({"home officer", "home school"})
OTHER = frozenset({"city officer", "city partnership"})
STEPS = {
    "request_accept": OTHER,
    "request_decline": OTHER,
    "request_question": OTHER,
    "request_answer": HOME,
    "request_withdraw": HOME,
}


@dataclass
class World:
    people: dict[str, User]
    requests: dict[str, CrossAuthorityRequest]
    case: Case


@pytest.fixture
def world(leicestershire: Place) -> World:
    city = CouncilFactory(slug="leicester-city", name="Leicester City Council")
    partnership: Partnership = PartnershipFactory(council=city)
    school = SchoolFactory(council=city, partnership=partnership, name="Braunstone Frith")
    city_officer = other_council_officer(city)
    third = CouncilFactory(slug="rutland", name="Rutland County Council")
    people = {
        "home officer": leicestershire.officer,
        "home school": leicestershire.home_staff,
        "city officer": city_officer,
        "city partnership": person_with_role(
            role=Role.PARTNERSHIP_OFFICER, council=city, partnership=partnership
        ),
        "city school staff": person_with_role(role=Role.SCHOOL_STAFF, council=city, school=school),
        "third council officer": person_with_role(role=Role.COUNCIL_OFFICER, council=third),
        "home council's other school": person_with_role(
            role=Role.HEAD_TEACHER,
            council=leicestershire.council,
            school=SchoolFactory(council=leicestershire.council),
        ),
    }
    requests = {}
    for state in ("pending", "accepted", "declined", "withdrawn"):
        case = open_case(leicestershire)
        asked = ask_request(case, leicestershire, school=school)
        if state == "accepted":
            services.request_accept(
                move_request=asked, lead=city_officer, accepted_by=city_officer, expected_version=1
            )
        elif state == "declined":
            services.request_decline(
                move_request=asked, reason="No place.", declined_by=city_officer, expected_version=1
            )
        elif state == "withdrawn":
            services.request_withdraw(
                move_request=asked, withdrawn_by=leicestershire.officer, expected_version=1
            )
        requests[state] = CrossAuthorityRequest.objects.get(pk=asked.pk)
    return World(people=people, requests=requests, case=open_case(leicestershire))


def _get(client: Client, url: str) -> object:
    sid = transaction.savepoint()
    try:
        return client.get(url, follow=True)
    finally:
        transaction.savepoint_rollback(sid)


def test_request_write_matrix(world: World, client: Client) -> None:
    failures = []
    for who, person in world.people.items():
        sign_in(client, person)
        for name, sides in STEPS.items():
            for state, move_request in world.requests.items():
                response = _get(client, reverse(f"casework:{name}", args=[move_request.pk]))
                cell = f"{who}: {name} on the {state} request"
                status = response.status_code  # type: ignore[attr-defined]
                text = html.unescape(response.text)  # type: ignore[attr-defined]
                if who not in sides:
                    if status != 404:
                        failures.append(f"{cell}: {status}, expected 404")
                elif state != "pending":
                    if f"This request has already been {state}" not in text:
                        failures.append(f"{cell}: expected the refusal")
                elif status != 200 or "<form" not in text:
                    failures.append(f"{cell}: {status}, expected the page")
        # Asking another council is the home side's, before the agreement.
        response = _get(client, reverse("casework:request_new", args=[world.case.pk]))
        asks = response.status_code == 200 and "Send the request" in response.text  # type: ignore[attr-defined]
        if asks != (who in HOME):
            failures.append(f"{who}: ask another council: {response.status_code}")  # type: ignore[attr-defined]
        client.logout()
    assert not failures, "\n".join(failures)


def test_request_pages_name_no_pupil_and_a_third_council_sees_no_list(
    world: World, client: Client
) -> None:
    pending = world.requests["pending"]
    case = pending.case
    pupil = [case.pupil_name, case.upn, case.date_of_birth.strftime("%-d %B %Y"), case.reference]
    for who in ("city officer", "city partnership", "home officer"):
        sign_in(client, world.people[who])
        for url in (
            reverse("casework:request_list"),
            reverse("casework:request_detail", args=[pending.pk]),
            reverse("casework:request_accept", args=[pending.pk]),
        ):
            response = client.get(url)
            if response.status_code == 404:
                continue
            text = html.unescape(response.text)
            assert pending.reference in text or "request_accept" in url
            for word in pupil[:3]:
                assert word not in text, (who, url, word)
        client.logout()
    sign_in(client, world.people["third council officer"])
    listed = html.unescape(client.get(reverse("casework:request_list")).text)
    assert "No other council has asked yours" in listed
    for move_request in world.requests.values():
        assert move_request.reference not in listed
        assert move_request.reasons_summary not in listed


def test_asking_through_the_page_and_accepting(
    world: World, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    case = world.case
    city_school = world.requests["pending"].proposed_school
    sign_in(client, world.people["home officer"])
    # The pending request's case is another; this one asks afresh.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("casework:request_new", args=[case.pk]),
            {
                "school": str(city_school.pk),
                "reasons_summary": "Repeated disruption; a fresh start near the family's new home.",
                "proposed_start_0": "11",
                "proposed_start_1": "1",
                "proposed_start_2": "2027",
                "proposed_weeks": "8",
                "proposed_protocol": str(case.protocol_version_id),
            },
            follow=True,
        )
    assert response.status_code == 200, response.text
    made = CrossAuthorityRequest.objects.filter(case=case).get()
    assert f"Request {made.reference} sent to Leicester City Council." in html.unescape(
        response.text
    )
    assert mail.outbox and all(
        case.pupil_name not in m.body + m.subject and case.upn not in m.body for m in mail.outbox
    )
    client.logout()
    sign_in(client, world.people["city officer"])
    response = client.post(
        reverse("casework:request_accept", args=[made.pk]),
        {"version": made.version, "lead": str(world.people["city partnership"].pk)},
        follow=True,
    )
    assert "the case is now shared with your council" in html.unescape(response.text)
    assert client.get(reverse("casework:case_detail", args=[case.pk])).status_code == 200
