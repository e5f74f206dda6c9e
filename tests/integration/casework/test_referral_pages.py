"""The referral, one section per page: a private draft, errors per page, check your answers."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fairway.casework.dates import academic_year_start
from fairway.casework.models import Case, ReferralDraft
from tenants.models import AuditEvent, Role
from tests.factories import person_with_role, sign_in

from .conftest import Place

# Referrals are dated today: a Year 9 pupil of this academic year was born in October 14 years
# before it began (14 Oct 2012 for 2026/27).
YEAR_9_BORN = academic_year_start(timezone.localdate()) - 14
PUPIL = {
    "pupil_name": "Ruby Ellingham",
    "date_of_birth_0": "14",
    "date_of_birth_1": "10",
    "date_of_birth_2": str(YEAR_9_BORN),
    "upn": "a123456789012",
    "year_group": "year_9",
    "home_postcode": "NR2 3AB",
}
REASONS = {"reasons": "Disruption in lessons", "interventions_tried": "Mentoring"}


def _start(client: Client, place: Place) -> str:
    started = client.post(reverse("casework:case_new"), {"home_school": place.home.pk})
    assert started.status_code == 302
    return str(started["Location"])


def _post_page(client: Client, url: str, data: dict[str, str]):  # type: ignore[no-untyped-def]
    version = client.get(url).context["version"]
    return client.post(url, {"version": version, **data})


def test_a_referral_page_by_page_becomes_a_case(norfolk: Place, client: Client) -> None:
    sign_in(client, norfolk.home_staff)
    start_page = client.get(reverse("casework:case_new"))
    assert start_page.status_code == 200
    assert b"Start the referral" in start_page.content
    first = _start(client, norfolk)
    draft = ReferralDraft.objects.get(started_by=norfolk.home_staff)
    assert first.endswith(f"/cases/new/{draft.pk}/pupil/")

    # One section per page; mistakes are shown on that page, linked from the error summary.
    bad = _post_page(
        client, first, {**PUPIL, "upn": "nonsense", "date_of_birth_0": "31", "date_of_birth_1": "2"}
    )
    body = bad.content.decode()
    assert bad.status_code == 200
    assert "govuk-error-summary" in body
    assert 'href="#id_upn"' in body and "Enter a UPN" in body
    assert "must be a real date" in body
    assert "Why a move is being considered" not in body  # the next section is on its own page

    reasons_url = _post_page(client, first, PUPIL)["Location"]
    assert reasons_url.endswith("/reasons/")
    routes_url = _post_page(client, reasons_url, REASONS)["Location"]
    routes = client.get(routes_url)
    # The follow-up question carries its condition for the browser (hidden until "Yes").
    assert b'data-show-when="withdrawn_exclusion"' in routes.content
    assert b'data-show-values="[&quot;yes&quot;]"' in routes.content
    missing = _post_page(
        client,
        routes_url,
        {"ehcp": "no", "looked_after": "no", "withdrawn_exclusion": "yes"},
    )
    assert b'href="#id_exclusion_stands_if_move_fails"' in missing.content
    check_url = _post_page(
        client,
        routes_url,
        {
            "ehcp": "no",
            "looked_after": "no",
            "withdrawn_exclusion": "no",
            # Hidden by its condition: neither required nor kept.
            "exclusion_stands_if_move_fails": "yes",
        },
    )["Location"]
    assert check_url.endswith(f"/cases/new/{draft.pk}/check/")
    check = client.get(check_url)
    assert b"Check your answers" in check.content
    born = date(YEAR_9_BORN, 10, 14)
    assert f"{born:%a} {born.day} Oct {born.year}".encode() in check.content
    assert f"/cases/new/{draft.pk}/pupil/?check=1#id_upn".encode() in check.content
    assert not Case.objects.exists()  # nothing is a case until the referral is made

    made = client.post(check_url, {"version": check.context["version"]})
    assert made.status_code == 302
    case = Case.objects.get(pupil_name="Ruby Ellingham")
    assert made["Location"] == reverse("casework:case_detail", args=[case.pk])
    assert case.upn == "A123456789012"
    assert case.withdrawn_exclusion is False
    answers = case.submissions.get(form_key="referral").answers
    assert "exclusion_stands_if_move_fails" not in answers
    assert not ReferralDraft.objects.exists()
    assert AuditEvent.objects.filter(object_type="referral_draft").exists()


def test_changing_an_answer_returns_to_check_your_answers(norfolk: Place, client: Client) -> None:
    sign_in(client, norfolk.home_staff)
    first = _start(client, norfolk)
    reasons_url = _post_page(client, first, PUPIL)["Location"]
    _post_page(client, reasons_url, REASONS)
    change = client.get(first + "?check=1")
    assert b"Save and go back to check your answers" in change.content
    back = client.post(
        first + "?check=1",
        {
            "version": change.context["version"],
            **PUPIL,
            "pupil_name": "Ruby Ellingham-Shaw",
            "check": "1",
        },
    )
    assert back["Location"].endswith("/check/")
    check = client.get(back["Location"])
    # The routes page is still unanswered: the check page says so before anything is made.
    assert b"Select an answer" in check.content
    refused = client.post(back["Location"], {"version": check.context["version"]})
    assert refused.status_code == 200
    assert b"govuk-error-summary" in refused.content
    assert not Case.objects.exists()


def test_a_draft_is_private_to_its_author(norfolk: Place, client: Client) -> None:
    sign_in(client, norfolk.home_staff)
    first = _start(client, norfolk)
    _post_page(client, first, PUPIL)
    draft = ReferralDraft.objects.get()
    colleague = person_with_role(
        role=Role.SCHOOL_STAFF, council=norfolk.council, school=norfolk.home
    )
    other = Client()
    sign_in(other, colleague)
    for url in (
        first,
        reverse("casework:referral_check", args=[draft.pk]),
    ):
        assert other.get(url).status_code == 404
    assert other.post(reverse("casework:referral_discard", args=[draft.pk])).status_code == 404
    assert b"Ruby Ellingham" not in other.get(reverse("casework:case_new")).content
    # Its author finds it again on the start page, and can delete it.
    start = client.get(reverse("casework:case_new"))
    assert b"Your unfinished referrals" in start.content and b"Ruby Ellingham" in start.content
    gone = client.post(reverse("casework:referral_discard", args=[draft.pk]))
    assert gone.status_code == 302
    assert not ReferralDraft.objects.exists()


def test_a_school_must_be_chosen_when_the_person_has_several(
    norfolk: Place, client: Client
) -> None:
    sign_in(client, norfolk.officer)  # a council officer refers for any school of the council
    page = client.post(reverse("casework:case_new"), {})
    assert page.status_code == 200
    assert b"Select the home school" in page.content
    assert not ReferralDraft.objects.exists()


@pytest.mark.parametrize("page_key", ["nonsense"])
def test_an_unknown_page_is_404(norfolk: Place, client: Client, page_key: str) -> None:
    sign_in(client, norfolk.home_staff)
    _start(client, norfolk)
    draft = ReferralDraft.objects.get()
    assert (
        client.get(reverse("casework:referral_page", args=[draft.pk, page_key])).status_code == 404
    )


def _complete_referral(client: Client, place: Place, pupil: dict[str, str]) -> str:
    """Fill every page of the referral for the place's home school; the check page's address."""
    first = str(
        client.post(reverse("casework:case_new"), {"home_school": place.home.pk})["Location"]
    )
    reasons_url = _post_page(client, first, pupil)["Location"]
    routes_url = _post_page(client, reasons_url, REASONS)["Location"]
    no_routes = {"ehcp": "no", "looked_after": "no", "withdrawn_exclusion": "no"}
    return str(_post_page(client, routes_url, no_routes)["Location"])


# A year younger: Year 8, not Year 9 (born 14 Oct 2013 for 2026/27).
OUT_OF_YEAR = {**PUPIL, "date_of_birth_2": str(YEAR_9_BORN + 1)}


def test_a_council_officer_confirms_an_out_of_year_pupil_on_the_check_page(
    norfolk: Place, client: Client
) -> None:
    sign_in(client, norfolk.officer)
    check_url = _complete_referral(client, norfolk, OUT_OF_YEAR)
    version = client.get(check_url).context["version"]

    refused = client.post(check_url, {"version": version})
    body = refused.content.decode()
    assert refused.status_code == 200
    assert "The date of birth must fit the year group" in body
    assert "I confirm the pupil is taught out of their year group" in body
    assert not Case.objects.exists()

    made = client.post(check_url, {"version": version, "out_of_year_group_confirmed": "yes"})
    assert made.status_code == 302
    case = Case.objects.get(pupil_name="Ruby Ellingham")
    assert case.year_group == "year_9"
    opened = AuditEvent.objects.get(object_type="case", object_id=case.pk)
    assert "confirmed the pupil is taught out of their year group" in opened.summary


def test_school_staff_are_not_offered_the_out_of_year_confirmation(
    norfolk: Place, client: Client
) -> None:
    sign_in(client, norfolk.home_staff)
    check_url = _complete_referral(client, norfolk, OUT_OF_YEAR)
    version = client.get(check_url).context["version"]
    refused = client.post(check_url, {"version": version})
    assert b"The date of birth must fit the year group" in refused.content
    assert b"I confirm the pupil is taught out of their year group" not in refused.content
    # Ticking the box by hand changes nothing: the service asks who is confirming.
    again = client.post(check_url, {"version": version, "out_of_year_group_confirmed": "yes"})
    assert again.status_code == 200
    assert b"Only a council officer can confirm" in again.content
    assert not Case.objects.exists()
