"""A request to another council in a real browser: the home council asks, the other council asks a
question, the home council answers, the other council accepts; a second request is declined, a
third withdrawn. No page of the request names the pupil."""

from datetime import date

import pytest
from django.utils import timezone

from fairway.casework import dates, services
from fairway.casework.models import Case, CrossAuthorityRequest
from protocols.services import bundled_load
from tenants.models import Role, User
from tests.factories import (
    TEST_PASSWORD,
    CouncilFactory,
    PartnershipFactory,
    SchoolFactory,
    person_with_role,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TODAY = date(2026, 11, 16)
PUPIL = {
    "pupil_name": "Kacey Wigston",
    "date_of_birth": "2012-10-14",
    "upn": "A123456789012",
    "year_group": "year_9",
    "home_postcode": "LE3 2PR",
    "reasons": "Repeated disruption in lessons and two fixed-term suspensions this term.",
    "interventions_tried": "Mentoring, a reduced timetable, an early help assessment.",
    "ehcp": False,
    "looked_after": False,
    "withdrawn_exclusion": False,
}


@pytest.fixture(autouse=True)
def _clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    monkeypatch.setattr(dates, "current_day", lambda: TODAY)


def _signed_in(browser, live_server, user: User):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/account/login/?next=/cases/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="My cases").wait_for()
    return page


def _shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    from tests.browser.conftest import SCREENSHOTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def _names_no_pupil(page) -> None:  # type: ignore[no-untyped-def]
    text = page.content()
    for word in ("Kacey", "Wigston", "A123456789012", "14 October 2012", "LE3 2PR"):
        assert word not in text, word


def test_ask_question_answer_accept_decline_withdraw(live_server, browser, settings) -> None:  # type: ignore[no-untyped-def]
    settings.FAIRWAY_REQUIRE_TWO_FACTOR = False
    county = CouncilFactory(slug="leicestershire", name="Leicestershire County Council")
    city = CouncilFactory(slug="leicester-city", name="Leicester City Council")
    bundled_load()
    seip = PartnershipFactory(council=county, name="Charnwood SEIP")
    home = SchoolFactory(council=county, partnership=seip, name="Charnwood Vale Academy")
    city_partnership = PartnershipFactory(council=city, name="Leicester City Partnership")
    braunstone = SchoolFactory(
        council=city, partnership=city_partnership, name="Braunstone Frith Community College"
    )
    county_officer = person_with_role(role=Role.COUNCIL_OFFICER, council=county)
    county_officer.first_name, county_officer.last_name = "Sam", "Hallam"
    county_officer.save()
    city_officer = person_with_role(role=Role.COUNCIL_OFFICER, council=city)
    city_officer.first_name, city_officer.last_name = "Anna", "Whitcombe"
    city_officer.save()
    cases = [
        services.case_open(
            referral=services.Referral(home_school=home, answers=PUPIL, referred_on=TODAY),
            opened_by=county_officer,
        )
        for _ in range(3)
    ]

    # The home council asks Leicester City.
    county = _signed_in(browser, live_server, county_officer)
    county.goto(f"{live_server.url}/cases/{cases[0].pk}/")
    county.get_by_role("link", name="Ask another council").click()
    county.get_by_label("Proposed school").select_option(label=f"{braunstone.name} (NR1 2DH)")
    county.get_by_label("Summary of the reasons for the move").fill(
        "Persistent disruption; the family has moved across the city boundary."
    )
    county.locator("#id_proposed_start").fill("11")
    county.locator("#id_proposed_start-month").fill("1")
    county.locator("#id_proposed_start-year").fill("2027")
    _shot(county, "xauth-1-ask")
    county.get_by_role("button", name="Send the request").click()
    county.get_by_text("sent to Leicester City Council").wait_for()
    asked = CrossAuthorityRequest.objects.get(case=cases[0])
    _shot(county, "xauth-2-sent")

    # Leicester City sees it under "Requests from other councils", without the pupil's name.
    city_page = _signed_in(browser, live_server, city_officer)
    city_page.get_by_role("link", name="Requests from other councils").click()
    city_page.get_by_role("link", name=asked.reference).wait_for()
    _names_no_pupil(city_page)
    _shot(city_page, "xauth-3-list")
    city_page.get_by_role("link", name=asked.reference).click()
    _names_no_pupil(city_page)
    _shot(city_page, "xauth-4-request")
    city_page.get_by_role("link", name="Ask a question").click()
    city_page.get_by_label("Your question").fill("Has an educational psychologist seen the pupil?")
    city_page.get_by_role("button", name="Send the question").click()
    city_page.get_by_text("Your question on request").wait_for()

    # The home council answers.
    county.goto(f"{live_server.url}/cases/requests/{asked.pk}/")
    county.get_by_role("link", name="Answer a question").click()
    county.get_by_label("Your answer").fill("Yes, in the spring term; the report is on file.")
    county.get_by_role("button", name="Send the answer").click()
    county.get_by_text("Your answer on request").wait_for()

    # Leicester City accepts, naming who works on it; the case is now shared.
    city_page.goto(f"{live_server.url}/cases/requests/{asked.pk}/")
    city_page.get_by_text("Yes, in the spring term").wait_for()
    _shot(city_page, "xauth-5-thread")
    city_page.get_by_role("link", name="Accept").click()
    city_page.get_by_label("Anna Whitcombe").check()
    _shot(city_page, "xauth-6-accept")
    city_page.get_by_role("button", name="Accept and take on the move").click()
    city_page.get_by_text("the case is now shared with your council").wait_for()
    city_page.get_by_role("link", name="Open the case").click()
    city_page.get_by_text("Kacey Wigston").first.wait_for()
    _shot(city_page, "xauth-7-shared-case")
    assert Case.objects.get(pk=cases[0].pk).receiving_council == city

    # A second request, declined with a reason; a third, withdrawn by the home council.
    second, third = (
        services.request_ask(
            case=case,
            school=braunstone,
            reasons_summary="A fresh start nearer home.",
            proposed_start=date(2027, 1, 11),
            proposed_weeks=8,
            proposed_protocol=case.protocol_version,
            asked_by=county_officer,
        )
        for case in cases[1:]
    )
    city_page.goto(f"{live_server.url}/cases/requests/{second.pk}/")
    city_page.get_by_role("link", name="Decline").click()
    city_page.get_by_role("button", name="Decline the request").click()
    city_page.get_by_text("Enter the reason for declining").first.wait_for()
    assert city_page.title().startswith("Error:")
    _shot(city_page, "xauth-8-decline-error")
    city_page.get_by_label("Why you are declining").fill("No place in Year 9 this term.")
    city_page.get_by_role("button", name="Decline the request").click()
    city_page.get_by_text("You declined request").wait_for()
    _names_no_pupil(city_page)
    assert Case.objects.get(pk=cases[1].pk).receiving_council is None
    county.goto(f"{live_server.url}/cases/requests/{third.pk}/")
    county.get_by_role("link", name="Withdraw the request").click()
    county.get_by_role("button", name="Withdraw the request").click()
    county.get_by_text("You withdrew request").wait_for()
    _shot(county, "xauth-9-withdrawn")
    statuses = dict(CrossAuthorityRequest.objects.values_list("pk", "status"))
    assert statuses == {asked.pk: "accepted", second.pk: "declined", third.pk: "withdrawn"}
    # The declined and withdrawn cases stay out of Leicester City's reach.
    for case in cases[1:]:
        response = city_page.goto(f"{live_server.url}/cases/{case.pk}/")
        assert response is not None and response.status == 404


def test_request_pages_pass_axe(live_server, browser, settings) -> None:  # type: ignore[no-untyped-def]
    from tests.browser.axe import AxeAudit, staff_sign_in

    settings.FAIRWAY_REQUIRE_TWO_FACTOR = False
    county = CouncilFactory(slug="leicestershire", name="Leicestershire County Council")
    city = CouncilFactory(slug="leicester-city", name="Leicester City Council")
    bundled_load()
    home = SchoolFactory(council=county, name="Charnwood Vale Academy")
    braunstone = SchoolFactory(council=city, name="Braunstone Frith Community College")
    county_officer = person_with_role(role=Role.COUNCIL_OFFICER, council=county)
    city_officer = person_with_role(role=Role.COUNCIL_OFFICER, council=city)
    case, other = (
        services.case_open(
            referral=services.Referral(home_school=home, answers=PUPIL, referred_on=TODAY),
            opened_by=county_officer,
        )
        for _ in range(2)
    )
    asked = services.request_ask(
        case=case,
        school=braunstone,
        reasons_summary="A fresh start nearer home.",
        proposed_start=date(2027, 1, 11),
        proposed_weeks=8,
        proposed_protocol=case.protocol_version,
        asked_by=county_officer,
    )
    services.request_question(move_request=asked, text="Any EP report?", asked_by=city_officer)
    failures = []
    for person, paths in (
        (
            city_officer,
            [
                "/cases/requests/",
                f"/cases/requests/{asked.pk}/",
                f"/cases/requests/{asked.pk}/accept/",
                f"/cases/requests/{asked.pk}/decline/",
                f"/cases/requests/{asked.pk}/question/",
            ],
        ),
        (
            county_officer,
            [
                f"/cases/{other.pk}/ask-another-council/",
                f"/cases/requests/{asked.pk}/answer/",
                f"/cases/requests/{asked.pk}/withdraw/",
                f"/cases/{case.pk}/",
            ],
        ),
    ):
        context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
        page = context.new_page()
        staff_sign_in(page, live_server.url, email=person.email, password=TEST_PASSWORD)
        audit = AxeAudit(page)
        for path in paths:
            page.goto(live_server.url + path)
            audit.check(path)
        context.close()
        if audit.failures:
            failures.append(audit.report())
    assert not failures, "\n".join(failures)


def test_a_council_with_no_protocol_refers_under_the_receiving_councils(  # type: ignore[no-untyped-def]
    live_server, browser, settings
) -> None:
    """Leicester City has no protocol on Fairway: "Make a referral" asks whose school the pupil
    would move to, and the referral's pages are Leicestershire's SEIP referral."""
    settings.FAIRWAY_REQUIRE_TWO_FACTOR = False
    county = CouncilFactory(slug="leicestershire", name="Leicestershire County Council")
    city = CouncilFactory(slug="leicester-city", name="Leicester City Council")
    bundled_load()
    person_with_role(role=Role.COUNCIL_OFFICER, council=county)
    city_partnership = PartnershipFactory(council=city, name="Leicester City Partnership")
    SchoolFactory(council=city, partnership=city_partnership, name="Evington Park School")
    officer = person_with_role(role=Role.COUNCIL_OFFICER, council=city)
    page = _signed_in(browser, live_server, officer)
    page.goto(f"{live_server.url}/cases/new/")
    page.get_by_role("button", name="Start the referral").click()
    page.get_by_role(
        "heading", name="Leicester City Council has no managed-move protocol of its own on Fairway"
    ).wait_for()
    page.get_by_role("button", name="Start the referral").click()
    page.get_by_text("Select the council whose school the pupil would move to").first.wait_for()
    _shot(page, "referral-no-protocol-of-its-own")
    page.get_by_label(
        "A move to a school of Leicestershire County Council, under its protocol"
    ).check()
    page.get_by_role("button", name="Start the referral").click()
    page.wait_for_url("**/cases/new/*/*/")
    from fairway.casework.models import ReferralDraft

    draft = ReferralDraft.objects.get(started_by=officer)
    assert draft.governing_council == county
    assert draft.home_school.council == city
