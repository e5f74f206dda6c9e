"""Requests to another council: what the other council reads, each step and who may take it, the
case shared only after acceptance, a third council seeing nothing, and the receiving school of
another council refused without an accepted request."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail
from django.http import Http404

from fairway.casework import access, services, writes
from fairway.casework.models import Case, CrossAuthorityRequest
from tenants.models import AuditEvent, Council, Role
from tests.factories import CouncilFactory, SchoolFactory, person_with_role

from .conftest import (
    REFERRAL,
    Place,
    ask_request,
    fill,
    open_case,
    other_council_officer,
    submit_form,
)
from .service_helpers import leicester_city_school


def _pupil_words(case: Case) -> list[str]:
    return [
        case.pupil_name,
        *case.pupil_name.split(),
        case.upn,
        case.date_of_birth.isoformat(),
        case.date_of_birth.strftime("%-d %B %Y"),
        case.home_postcode,
    ]


def test_asking_sends_a_summary_that_names_no_pupil(
    leicestershire: Place, django_capture_on_commit_callbacks: object
) -> None:
    case = open_case(leicestershire)
    school = leicester_city_school()
    city_officer = other_council_officer(school.council)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        asked = ask_request(case, leicestershire, school=school)
    assert (asked.status, asked.year_group, asked.phase) == ("pending", "year_9", "secondary")
    # The email goes to the other council's officers and names no pupil.
    assert [m.to for m in mail.outbox] == [[city_officer.email]]
    text = mail.outbox[0].subject + mail.outbox[0].body
    assert asked.reference in text and case.reference not in text
    for word in _pupil_words(case):
        assert word not in text, word
    # Nothing is shared yet: the other council cannot read the case.
    with pytest.raises(Http404):
        access.access_case_by_id(user=city_officer, case_id=case.pk, for_change=False)
    assert access.access_request_by_id(user=city_officer, request_id=asked.pk) == asked
    # One line in each council's log, both saying the home council acted.
    lines = AuditEvent.objects.filter(
        object_type="cross_authority_request", object_id=str(asked.pk)
    )
    assert sorted((e.council.slug, e.actor_council.slug) for e in lines) == [
        ("leicester-city", "leicestershire"),
        ("leicestershire", "leicestershire"),
    ]


def test_accepting_shares_the_case_and_pins_the_protocol(leicestershire: Place) -> None:
    case = open_case(leicestershire)
    school = leicester_city_school()
    asked = ask_request(case, leicestershire, school=school)
    city_officer = other_council_officer(school.council)
    # The home council cannot accept its own request: 404, like a request it cannot see.
    with pytest.raises(writes.RoleRefused):
        services.request_accept(
            move_request=asked,
            lead=city_officer,
            accepted_by=leicestershire.officer,
            expected_version=asked.version,
        )
    services.request_accept(
        move_request=asked, lead=city_officer, accepted_by=city_officer, expected_version=1
    )
    case = Case.objects.get(pk=case.pk)
    assert case.receiving_school == school and case.receiving_council == school.council
    assert case.protocol_version == asked.proposed_protocol and case.is_cross_authority
    assert access.access_case_by_id(user=city_officer, case_id=case.pk, for_change=True)
    accepted = CrossAuthorityRequest.objects.get(pk=asked.pk)
    assert (accepted.status, accepted.lead) == ("accepted", city_officer)
    acting = AuditEvent.objects.filter(
        object_type="cross_authority_request", summary__contains="accepted"
    ).values_list("actor_council__slug", flat=True)
    assert set(acting) == {"leicester-city"}
    # The agreement may now name the school; the case stays shared.
    case = submit_form(
        case,
        "agreement",
        fill(case, "agreement", leicestershire, receiving_school=school.pk),
        leicestershire.home_staff,
    )
    assert case.receiving_council == school.council


def test_decline_question_answer_and_withdraw(leicestershire: Place) -> None:
    case = open_case(leicestershire)
    school = leicester_city_school()
    city_officer = other_council_officer(school.council)
    asked = ask_request(case, leicestershire, school=school)
    services.request_question(
        move_request=asked, text="Any support from a psychologist?", asked_by=city_officer
    )
    # The other council does not answer its own question, nor withdraw the request.
    for step in (
        lambda: services.request_answer(move_request=asked, text="x", answered_by=city_officer),
        lambda: services.request_withdraw(
            move_request=asked, withdrawn_by=city_officer, expected_version=2
        ),
    ):
        with pytest.raises(writes.RoleRefused):
            step()
    services.request_answer(
        move_request=asked, text="Yes, in the spring term.", answered_by=leicestershire.officer
    )
    assert list(asked.messages.values_list("kind", "council__slug")) == [
        ("question", "leicester-city"),
        ("answer", "leicestershire"),
    ]
    with pytest.raises(services.CaseworkError, match="Enter the reason"):
        services.request_decline(
            move_request=asked, reason=" ", declined_by=city_officer, expected_version=3
        )
    services.request_decline(
        move_request=asked,
        reason="No place this term.",
        declined_by=city_officer,
        expected_version=3,
    )
    # Declined: the other council keeps the summary only; the case is not shared.
    assert access.access_request_by_id(user=city_officer, request_id=asked.pk).status == "declined"
    with pytest.raises(Http404):
        access.access_case_by_id(user=city_officer, case_id=case.pk, for_change=False)
    with pytest.raises(services.CaseworkError, match="already been declined"):
        services.request_withdraw(
            move_request=asked, withdrawn_by=leicestershire.officer, expected_version=4
        )
    # Asked again and withdrawn by the home council.
    again = ask_request(case, leicestershire, school=school)
    services.request_withdraw(
        move_request=again, withdrawn_by=leicestershire.officer, expected_version=1
    )
    with pytest.raises(services.CaseworkError, match="already been withdrawn"):
        services.request_accept(
            move_request=again, lead=city_officer, accepted_by=city_officer, expected_version=2
        )


def test_a_third_council_sees_nothing(leicestershire: Place) -> None:
    case = open_case(leicestershire)
    asked = ask_request(case, leicestershire, school=leicester_city_school())
    third = CouncilFactory(slug="rutland", name="Rutland County Council")
    people = [
        person_with_role(role=role, council=third)
        for role in (Role.COUNCIL_ADMIN, Role.COUNCIL_OFFICER, Role.INCLUSION_ADVISER)
    ]
    for person in people:
        assert not access.requests_for(user=person).exists()
        with pytest.raises(Http404):
            access.access_request_by_id(user=person, request_id=asked.pk)
        with pytest.raises(Http404):
            writes.request_refusal(user=person, request=asked, write=writes.RequestWrite.ACCEPT)


def test_another_councils_school_needs_an_accepted_request(leicestershire: Place) -> None:
    case = open_case(leicestershire)
    school = leicester_city_school()
    other_council_officer(school.council)  # Leicester City is on Fairway
    answers = fill(case, "agreement", leicestershire, receiving_school=school.pk)
    with pytest.raises(services.CaseworkError, match="ask Leicester City Council"):
        submit_form(case, "agreement", answers, leicestershire.home_staff)
    stored = Case.objects.get(pk=case.pk)
    assert stored.receiving_school is None and stored.receiving_council is None
    # A pending request is not enough either.
    ask_request(case, leicestershire, school=school)
    with pytest.raises(services.CaseworkError, match="ask Leicester City Council"):
        submit_form(case, "agreement", answers, leicestershire.home_staff)


def test_a_council_not_on_fairway_is_recorded_by_the_home_council_alone(
    leicestershire: Place,
) -> None:
    rutland = Council.objects.create(name="Rutland County Council", slug="rutland")
    school = SchoolFactory(council=rutland, name="Uppingham Vale School")
    case = open_case(leicestershire)
    case = submit_form(
        case,
        "agreement",
        fill(case, "agreement", leicestershire, receiving_school=school.pk),
        leicestershire.home_staff,
    )
    assert case.receiving_school == school and case.receiving_council is None
    # Nobody can be asked there.
    other = open_case(leicestershire)
    with pytest.raises(services.CaseworkError, match="not on Fairway"):
        services.request_ask(
            case=other,
            school=school,
            reasons_summary="Moving house.",
            proposed_start=date(2026, 11, 30),
            proposed_weeks=8,
            proposed_protocol=other.protocol_version,
            asked_by=leicestershire.officer,
        )


def test_only_a_school_of_the_pupils_phase_before_the_agreement(leicestershire: Place) -> None:
    case = open_case(leicestershire, referred_on=date(2026, 11, 2), **{})
    assert REFERRAL["year_group"] == case.year_group
    primary = SchoolFactory(
        council=leicester_city_school().council, name="City Primary", phase="primary"
    )
    with pytest.raises(services.CaseworkError, match="Choose a secondary school"):
        ask_request(case, leicestershire, school=primary)


def test_the_request_list_costs_the_same_queries_at_n_and_2n_rows(
    leicestershire: Place, client: object
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from tests.factories import sign_in

    school = leicester_city_school()
    city_officer = other_council_officer(school.council)

    def ask(n: int) -> None:
        for _ in range(n):
            ask_request(open_case(leicestershire), leicestershire, school=school)

    def count() -> int:
        sign_in(client, city_officer)  # type: ignore[arg-type]
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("casework:request_list"))  # type: ignore[attr-defined]
        assert response.status_code == 200
        return len(queries)

    ask(2)
    at_n = count()
    ask(2)
    assert count() == at_n


def test_a_council_with_no_protocol_moves_a_pupil_under_the_receiving_councils(
    leicestershire: Place, norfolk: Place, django_assert_num_queries: object
) -> None:
    """Leicester City has no protocol of its own on Fairway: its referral for a move to a
    Leicestershire school is made under Leicestershire's, which Leicestershire then accepts or
    declines; until then Leicestershire sees the request and nothing of the pupil."""
    from fairway.casework import selectors
    from protocols.selectors import protocol_version_in_force

    from .conftest import year_9_born

    city_school = leicester_city_school()
    city_officer = other_council_officer(city_school.council)
    # Whose protocol it may refer under: councils on Fairway with one in force, in one query.
    with django_assert_num_queries(1):  # type: ignore[operator]
        choices = selectors.governing_council_choices(
            home_council_id=city_school.council_id, on=date(2026, 11, 2)
        )
    assert choices == sorted([leicestershire.council, norfolk.council], key=lambda c: c.name)
    leicestershire_version = protocol_version_in_force(
        council=leicestershire.council, on=date(2026, 11, 2)
    )
    # A council with its own protocol makes its referrals under it.
    with pytest.raises(services.CaseworkError, match="has its own protocol"):
        services.referral_draft_start(
            home_school=leicestershire.home,
            started_by=leicestershire.officer,
            governing_council=norfolk.council,
        )
    draft = services.referral_draft_start(
        home_school=city_school, started_by=city_officer, governing_council=leicestershire.council
    )
    assert draft.governing_council == leicestershire.council
    case = services.case_open(
        referral=services.Referral(
            home_school=city_school,
            answers={**REFERRAL, "date_of_birth": year_9_born(date(2026, 11, 2))},
            referred_on=date(2026, 11, 2),
            governing_council=leicestershire.council,
        ),
        opened_by=city_officer,
    )
    assert case.home_council == city_school.council
    assert case.protocol_version == leicestershire_version
    # Leicestershire does not see the case, nor count it among its open cases on its version.
    with pytest.raises(Http404):
        access.access_case_by_id(user=leicestershire.officer, case_id=case.pk, for_change=False)
    from fairway.casework.selectors import open_case_counts

    assert open_case_counts([leicestershire_version]) == {leicestershire_version.pk: 0}
    # Only Leicestershire, whose protocol it is, may be asked.
    with pytest.raises(services.CaseworkError, match="under .* protocol: choose one of its"):
        services.request_ask(
            case=case,
            school=norfolk.receiving,
            reasons_summary="A fresh start.",
            proposed_start=date(2026, 11, 30),
            proposed_weeks=8,
            proposed_protocol=case.protocol_version,
            asked_by=city_officer,
        )
    asked = services.request_ask(
        case=case,
        school=leicestershire.receiving,
        reasons_summary="A fresh start nearer home.",
        proposed_start=date(2026, 11, 30),
        proposed_weeks=8,
        proposed_protocol=case.protocol_version,
        asked_by=city_officer,
    )
    assert access.access_request_by_id(user=leicestershire.officer, request_id=asked.pk) == asked
    services.request_accept(
        move_request=asked,
        lead=leicestershire.officer,
        accepted_by=leicestershire.officer,
        expected_version=asked.version,
    )
    case = Case.objects.get(pk=case.pk)
    assert case.receiving_council == leicestershire.council
    assert access.access_case_by_id(user=leicestershire.officer, case_id=case.pk, for_change=True)
