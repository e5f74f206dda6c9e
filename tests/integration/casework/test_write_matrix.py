"""The write matrix: every case-work write URL, asked by every person at every stage of a case.

Like the isolation matrix, but inside one council. Each row names who may make the write (by
their protocol role on the case) and the rule (`fairway.casework.writes`) says in which stages.
For every person and case:

- a person without the role gets 404, exactly like a case of another council;
- a person with the role, at a stage that does not allow the write, is shown the refusal;
- a person with the role, at a stage that allows it, gets the page (or the write).

Each request runs inside a savepoint that is rolled back, so every cell starts from the same cases.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from fairway.casework import services, writes
from fairway.casework.models import Case, Commitment
from tenants.models import Role, User
from tests.factories import SchoolFactory, person_with_role, sign_in

from .conftest import Place, submit_form
from .service_helpers import started

OFFICERS = frozenset({"officer", "partnership"})
HOME = frozenset({"home"}) | OFFICERS
RECEIVING = frozenset({"receiving"}) | OFFICERS
ON_THE_CASE = HOME | RECEIVING
COUNCIL_OFFICER = frozenset({"officer"})


@dataclass(frozen=True)
class Row:
    name: str  # URL name in the casework namespace
    label: str
    may: frozenset[str]
    write: writes.Write
    key: str | None = None
    method: str = "get"
    kwargs: Callable[[Case], dict[str, Any]] = lambda case: {}
    query: str = ""
    data: Callable[[Case], dict[str, Any]] = lambda case: {}


def _form(key: str) -> Callable[[Case], dict[str, Any]]:
    return lambda case: {"form_key": key}


def _submitted(key: str, page: str | None = None) -> Callable[[Case], dict[str, Any]]:
    def kwargs(case: Case) -> dict[str, Any]:
        submission = case.submissions.filter(form_key=key).order_by("occurrence").first()
        assert submission is not None, f"no {key} on {case}"
        found = {"form_key": key, "occurrence": submission.occurrence}
        return {**found, "page_key": page} if page else found

    return kwargs


def _commitment(case: Case) -> dict[str, Any]:
    return {"commitment_id": Commitment.objects.filter(case=case).first().pk}  # type: ignore[union-attr]


def _named_person(case: Case) -> dict[str, Any]:
    return {"person_id": User.objects.get(email="named@norfolk.example").pk}


ROWS = (
    Row("form_start", "agreement", HOME, writes.Write.FORM, "agreement", kwargs=_form("agreement")),
    Row(
        "form_page",
        "agreement page",
        HOME,
        writes.Write.FORM,
        "agreement",
        kwargs=_submitted("agreement", "schools"),
    ),
    Row(
        "form_check",
        "agreement check",
        HOME,
        writes.Write.FORM,
        "agreement",
        kwargs=_submitted("agreement"),
    ),
    Row(
        "form_start",
        "notice",
        HOME,
        writes.Write.FORM,
        "off_site_direction_notice",
        kwargs=_form("off_site_direction_notice"),
    ),
    Row("form_start", "review", RECEIVING, writes.Write.FORM, "review", kwargs=_form("review")),
    Row(
        "form_start",
        "attendance return",
        RECEIVING,
        writes.Write.FORM,
        "weekly_attendance",
        kwargs=_form("weekly_attendance"),
    ),
    Row("event_record", "an event", ON_THE_CASE, writes.Write.EVENT),
    Row(
        "sign_off",
        "home school's sign-off",
        HOME,
        writes.Write.SIGN_OFF,
        "home_school",
        kwargs=lambda case: {"sign_off_key": "trial_agreement"},
        query="?role=home_school",
    ),
    Row(
        "sign_off",
        "receiving school's sign-off",
        RECEIVING,
        writes.Write.SIGN_OFF,
        "receiving_school",
        kwargs=lambda case: {"sign_off_key": "trial_agreement"},
        query="?role=receiving_school",
    ),
    Row(
        "sign_off",
        "parent's sign-off, on paper",
        ON_THE_CASE,
        writes.Write.SIGN_OFF,
        "parent",
        kwargs=lambda case: {"sign_off_key": "trial_agreement"},
        query="?role=parent",
    ),
    Row(
        "sign_off",
        "Fair Access team's sign-off",
        OFFICERS,
        writes.Write.SIGN_OFF,
        "fair_access_team",
        kwargs=lambda case: {"sign_off_key": "trial_agreement"},
        query="?role=fair_access_team",
    ),
    Row("attendance", "attendance", RECEIVING, writes.Write.ATTENDANCE),
    # DOWIMM going past its usual 8 weeks: approved by the parent, both schools and the Fair
    # Access team, so either school (or an officer, on their behalf) records it.
    Row("extension", "extension", ON_THE_CASE, writes.Write.EXTENSION, "trial_extension"),
    Row("end_early", "end early", RECEIVING, writes.Write.END_EARLY),
    Row("outcome", "outcome", HOME, writes.Write.OUTCOME),
    Row("outcome_told", "a parent told of the outcome", HOME, writes.Write.TOLD),
    Row("commitment_add", "add a target", ON_THE_CASE, writes.Write.COMMITMENT),
    Row(
        "commitment_change",
        "change a target",
        ON_THE_CASE,
        writes.Write.COMMITMENT,
        kwargs=_commitment,
    ),
    Row(
        "milestone_done",
        "dual registration done (the home school's)",
        HOME,
        writes.Write.MILESTONE,
        "dual_registration",
        method="post",
        kwargs=lambda case: {"milestone_key": "dual_registration"},
        data=lambda case: {"version": case.version},
    ),
    Row(
        "milestone_done",
        "end of the direction done (the Fair Access team's)",
        OFFICERS,
        writes.Write.MILESTONE,
        "trial_end",
        method="post",
        kwargs=lambda case: {"milestone_key": "trial_end"},
        data=lambda case: {"version": case.version},
    ),
    Row(
        "case_people",
        "add a person",
        COUNCIL_OFFICER,
        writes.Write.PEOPLE,
        method="post",
        data=lambda case: {"email": "named@norfolk.example", "access_level": "view"},
    ),
    Row(
        "case_person_remove",
        "remove a person",
        COUNCIL_OFFICER,
        writes.Write.PEOPLE,
        method="post",
        kwargs=_named_person,
    ),
)

# Case-work URLs that write nothing (or are covered elsewhere), with the reason.
NOT_WRITES = {
    "case_list": "reads",
    "case_detail": "reads",
    "case_history": "reads",
    "form_print": "reads",
    "form_pdf": "reads",
    "commitments": "reads",
    "register_index": "reads",
    "register": "reads",
    "register_export": "reads",
    "outcome_report": "reads",
    "subject_access": "reads: a council admin downloads what is held on a pupil (POST only to send the UPN)",
    "calendar_feed": "reads (by token)",
    "feed_settings": "the person's own calendar feed, not a case",
    "case_new": "a referral draft, private to who started it (isolation matrix)",
    "referral_page": "a referral draft, private to who started it (isolation matrix)",
    "referral_check": "a referral draft, private to who started it (isolation matrix)",
    "referral_discard": "a referral draft, private to who started it (isolation matrix)",
    "school_search": "reads (school names, no pupil data)",
    # Requests to another council have their own matrix (sides, not protocol roles).
    "request_list": "reads",
    "request_detail": "reads",
    "request_new": "test_cross_authority_writes.py::test_request_write_matrix",
    "request_accept": "test_cross_authority_writes.py::test_request_write_matrix",
    "request_decline": "test_cross_authority_writes.py::test_request_write_matrix",
    "request_question": "test_cross_authority_writes.py::test_request_write_matrix",
    "request_answer": "test_cross_authority_writes.py::test_request_write_matrix",
    "request_withdraw": "test_cross_authority_writes.py::test_request_write_matrix",
    # Only on a move to a school of a council not on Fairway (the matrix's cases stay in Norfolk).
    "other_council": "test_other_council.py::test_who_may_record_it",
    "draft_forms_preview": "reads (a protocol draft's forms, no case; council admins only)",
    "version_move": (
        "council admins only, on the protocols pages; test_service_versions covers its write "
        "rule (another role 404, a closed case refused)"
    ),
}


def _casework_url_names() -> set[str]:
    resolver = get_resolver()
    names: set[str] = set()

    def walk(patterns: list[URLPattern | URLResolver], namespace: str | None) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif namespace == "casework" and pattern.name:
                names.add(pattern.name)

    walk(resolver.url_patterns, None)
    return names


def test_every_write_url_is_in_the_matrix() -> None:
    covered = {row.name for row in ROWS} | set(NOT_WRITES)
    assert _casework_url_names() - covered == set()


@dataclass
class World:
    place: Place
    people: dict[str, User]
    cases: dict[str, Case]


@pytest.fixture
def world(norfolk: Place) -> World:
    place = norfolk
    people = {
        "home": place.home_staff,
        "receiving": place.receiving_staff,
        "officer": place.officer,
        "partnership": person_with_role(
            role=Role.PARTNERSHIP_OFFICER, council=place.council, partnership=place.partnership
        ),
        # Same council, not on the case: sees nothing of it.
        "other school": person_with_role(
            role=Role.HEAD_TEACHER,
            council=place.council,
            school=SchoolFactory(council=place.council, name="Another Norfolk School"),
        ),
        # An inclusion adviser changes only the cases they are added to.
        "adviser not added": person_with_role(role=Role.INCLUSION_ADVISER, council=place.council),
    }
    named = person_with_role(
        role=Role.SCHOOL_STAFF,
        council=place.council,
        school=place.home,
        email="named@norfolk.example",
    )
    cases = {
        "referral": _referral(place),
        "agreement": _agreement(place),
        "off-site direction": _running(place),
        "closed": _closed(place),
    }
    for case in cases.values():
        Commitment.objects.create(
            case=case, kind="target", role_key="pupil", text="Attend", agreed_on=date(2026, 11, 30)
        )
        services.case_person_add(
            case=Case.objects.get(pk=case.pk),
            person=named,
            access_level="view",
            added_by=place.officer,
        )
    return World(
        place=place, people=people, cases={k: Case.objects.get(pk=c.pk) for k, c in cases.items()}
    )


def _referral(place: Place) -> Case:
    from .conftest import fill, open_case

    case = open_case(place)
    # The agreement begun but not submitted: the case is still at the referral stage.
    submission = services.form_draft_start(
        case=case, form_key="agreement", started_by=place.home_staff
    )
    answers = fill(case, "agreement", place)
    services.form_page_save(
        submission=submission,
        page_answers=answers,
        page_fields=list(answers),
        expected_version=submission.version,
        saved_by=place.home_staff,
    )
    return case


def _agreement(place: Place) -> Case:
    from .conftest import agree, open_case

    return agree(open_case(place), place, first_day=date(2026, 11, 30))


def _running(place: Place) -> Case:
    from .conftest import fill

    case = started(place)
    submit_form(case, "review", fill(case, "review", place), place.receiving_staff)
    return case


def _closed(place: Place) -> Case:
    case = started(place)
    services.outcome_record(
        case=case,
        outcome_key=case.protocol_version.load().outcomes[0].key,
        decided_on=date(2027, 1, 22),
        reasons="It worked.",
        answers={},
        recorded_by=place.officer,
        expected_version=case.version,
    )
    return Case.objects.get(pk=case.pk)


def _ask(client: Client, row: Row, case: Case) -> Any:
    url = reverse(f"casework:{row.name}", kwargs={"case_id": case.pk, **row.kwargs(case)})
    sid = transaction.savepoint()
    try:
        if row.method == "post":
            return client.post(url + row.query, row.data(case), follow=True)
        return client.get(url + row.query, follow=True)
    finally:
        transaction.savepoint_rollback(sid)


@pytest.mark.parametrize("row", ROWS, ids=lambda row: f"{row.name}: {row.label}")
def test_write_matrix(world: World, client: Client, row: Row) -> None:
    failures = []
    for who, person in world.people.items():
        sign_in(client, person)
        for stage_name, case in world.cases.items():
            if (
                row.name in ("form_page", "form_check")
                and not case.submissions.filter(form_key="agreement").exists()
            ):
                continue
            if row.name == "milestone_done" and case.start_date is None and who in row.may:
                continue  # nothing is dated before the first day: "no such milestone"
            response = _ask(client, row, case)
            protocol = case.protocol_version.load()
            refusal = writes.stage_refusal(
                case=case, protocol=protocol, write=row.write, key=row.key
            )
            if row.write == writes.Write.SIGN_OFF and not refusal:
                sign_off = next(s for s in protocol.sign_offs if s.key == "trial_agreement")
                refusal = writes.sign_off_stage_refusal(case=case, sign_off=sign_off)
            cell = f"{who} on the {stage_name} case"
            on_the_case = who != "receiving" or case.receiving_school_id is not None
            if who not in row.may or not on_the_case:
                if response.status_code != 404:
                    failures.append(f"{cell}: {response.status_code}, expected 404")
            elif response.status_code == 404:
                failures.append(f"{cell}: 404, expected the page or the refusal")
            elif refusal and html.escape(refusal) not in response.text:
                failures.append(f"{cell}: expected the refusal {refusal!r}")
            elif (
                not refusal
                and "govuk-notification-banner__heading" in response.text
                and ("Important" in response.text and "There is a problem" not in response.text)
            ):
                # A refusal banner where the rule allows the write.
                failures.append(f"{cell}: refused, expected the page")
        client.logout()
    assert not failures, "\n".join(failures)


def test_a_closed_case_refuses_the_outcome_form_pages(world: World, client: Client) -> None:
    """The issue's requests: a closed case's outcome, referral and agreement forms, rewritten."""
    case = world.cases["closed"]
    sign_in(client, world.place.home_staff)
    outcome = case.submissions.get(form_key="outcome")
    for form_key, occurrence, page in [
        ("outcome", outcome.occurrence, "decision"),
        ("referral", 1, "pupil"),
    ]:
        url = reverse(
            "casework:form_page",
            kwargs={
                "case_id": case.pk,
                "form_key": form_key,
                "occurrence": occurrence,
                "page_key": page,
            },
        )
        assert client.post(url, {"pupil_name": "Renamed", "version": 1}).status_code == 404
    agreement = case.submissions.get(form_key="agreement")
    url = reverse(
        "casework:form_page",
        kwargs={
            "case_id": case.pk,
            "form_key": "agreement",
            "occurrence": agreement.occurrence,
            "page_key": "schools",
        },
    )
    response = client.post(
        url, {"receiving_school": world.place.home.pk, "version": agreement.version}, follow=True
    )
    assert "This case is closed, so its forms can no longer be changed." in html.unescape(
        response.text
    )
    stored = Case.objects.get(pk=case.pk)
    assert (stored.version, stored.pupil_name, stored.receiving_school_id) == (
        case.version,
        case.pupil_name,
        case.receiving_school_id,
    )
