"""Targets and commitments: records per agency, changeable between reviews, every change kept."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from fairway.casework import selectors, services
from fairway.casework.models import Case, Commitment
from tests.factories import sign_in

from .conftest import Place, agree, open_case


@pytest.fixture
def agreed(southwark: Place) -> Case:
    return agree(open_case(southwark), southwark, first_day=date(2026, 11, 30))


def test_the_list_says_who_and_keeps_earlier_wordings(southwark: Place, agreed: Case) -> None:
    # What each service stores is in test_service_commitment_add and _change; this is the list.
    commitment = services.commitment_add(
        case=agreed,
        kind="commitment",
        role_key="supporting_agency",
        named="CAMHS",
        text="Weekly session with the pupil",
        agreed_on=date(2026, 11, 20),
        added_by=southwark.home_staff,
        expected_version=agreed.version,
    )
    agreed.refresh_from_db()
    target = services.commitment_add(
        case=agreed,
        kind="target",
        role_key="pupil",
        text="No more than two behaviour points a week",
        agreed_on=date(2026, 11, 20),
        added_by=southwark.home_staff,
        expected_version=agreed.version,
    )
    services.commitment_change(
        commitment=target,
        text="No more than one behaviour point a week",
        status="in_progress",
        agreed_on=date(2026, 12, 18),
        reason="Agreed at the week 4 review: progress is good",
        changed_by=southwark.receiving_staff,
        expected_version=target.version,
    )
    rows = selectors.commitment_rows(case=agreed, protocol=agreed.protocol_version.load())
    # Targets for the pupil first, though the agency's commitment was agreed before it.
    assert [(r.commitment.pk, r.who) for r in rows] == [
        (target.pk, "The pupil"),
        (commitment.pk, "Supporting agency: CAMHS"),
    ]
    assert rows[0].commitment.text == "No more than one behaviour point a week"
    assert [old.text for old in rows[0].changes] == ["No more than two behaviour points a week"]
    assert rows[1].changes == ()


def test_the_pages(southwark: Place, agreed: Case, client: Client) -> None:
    sign_in(client, southwark.receiving_staff)
    url = reverse("casework:commitment_add", args=[agreed.pk])
    form = client.get(url + "?kind=commitment")
    assert form.status_code == 200
    assert b'data-show-when="kind"' in form.content
    bad = client.post(url, {"version": agreed.version, "kind": "commitment"})
    assert b"govuk-error-summary" in bad.content
    assert b'href="#id_role_key"' in bad.content
    ok = client.post(
        url,
        {
            "version": agreed.version,
            "kind": "commitment",
            "role_key": "supporting_agency",
            "named": "Youth offending team",
            "text": "Fortnightly mentoring",
            "agreed_on_0": "20",
            "agreed_on_1": "11",
            "agreed_on_2": "2026",
        },
    )
    assert ok.status_code == 302
    listing = client.get(reverse("casework:commitments", args=[agreed.pk]))
    assert b"Youth offending team" in listing.content
    commitment = Commitment.objects.get()
    change_url = reverse("casework:commitment_change", args=[agreed.pk, commitment.pk])
    assert client.get(change_url).status_code == 200
    done = client.post(
        change_url,
        {
            "version": commitment.version,
            "text": "Fortnightly mentoring",
            "status": "met",
            "reason": "Done every fortnight",
            "agreed_on_0": "18",
            "agreed_on_1": "12",
            "agreed_on_2": "2026",
        },
    )
    assert done.status_code == 302
    detail = client.get(reverse("casework:case_detail", args=[agreed.pk]))
    assert b"Fortnightly mentoring" in detail.content
