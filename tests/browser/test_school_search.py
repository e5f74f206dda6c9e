"""A school question in chromium: type part of the name, pick the suggestion, save (under the
real CSP). axe looks at the same enhanced box in test_casework_accessibility's agreement page."""

from datetime import date
from typing import Any

import pytest

from fairway.casework import services
from protocols.services import bundled_load
from tenants.models import Role
from tests.browser.axe import staff_sign_in
from tests.factories import (
    TEST_PASSWORD,
    CouncilFactory,
    PartnershipFactory,
    SchoolFactory,
    person_with_role,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _agreement_page(live_server: Any, page: Any, settings: Any) -> tuple[Any, Any]:
    """Norfolk's agreement form open at its school question; the case and Hillcrest Academy."""
    settings.FAIRWAY_REQUIRE_TWO_FACTOR = False
    council = CouncilFactory(slug="norfolk", name="Norfolk County Council")
    partnership = PartnershipFactory(council=council)
    home = SchoolFactory(council=council, partnership=partnership, name="Riverside High School")
    SchoolFactory.create_batch(40, council=council)
    hillcrest = SchoolFactory(council=council, name="Hillcrest Academy", postcode="NR3 1AA")
    elsewhere = CouncilFactory(slug="suffolk", name="Suffolk County Council")
    SchoolFactory(council=elsewhere, name="Hillcrest Suffolk School")
    staff = person_with_role(
        role=Role.SCHOOL_STAFF, council=council, school=home, email="staff@riverside.example"
    )
    bundled_load()
    case = services.case_open(
        referral=services.Referral(
            home_school=home,
            answers={
                "pupil_name": "Jayden Whitmore",
                "date_of_birth": "2012-10-14",
                "upn": "A123456789012",
                "year_group": "year_9",
                "home_postcode": "NR2 3AB",
                "reasons": "Disruption",
                "interventions_tried": "Mentoring",
                "ehcp": False,
                "looked_after": False,
                "withdrawn_exclusion": False,
            },
            referred_on=date(2026, 11, 16),
        ),
        opened_by=staff,
    )
    staff_sign_in(page, live_server.url, email=staff.email, password=TEST_PASSWORD)
    page.goto(f"{live_server.url}/cases/{case.pk}/forms/agreement/")
    page.get_by_role("heading", name="Schools considered").wait_for()
    page.locator("#id_inclusion_adviser_planned").check()
    page.locator("#id_closest_school_considered").check()
    return case, hillcrest


def test_type_pick_a_suggestion_and_save(
    live_server: Any, page: Any, screenshot: Any, settings: Any
) -> None:
    case, hillcrest = _agreement_page(live_server, page, settings)
    box = page.get_by_role("combobox", name="Receiving (trial) school")
    box.fill("hillc")
    suggestion = page.get_by_role("option", name="Hillcrest Academy URN")
    suggestion.wait_for()
    assert page.get_by_role("option").count() == 1  # Suffolk's Hillcrest is not offered
    screenshot("school-search-suggestion")
    suggestion.click()
    assert box.input_value() == f"Hillcrest Academy (URN {hillcrest.urn})"
    page.get_by_label("Why this school").fill("Closest with a place in year 9")
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("heading", name="Transition plan and risk assessment").wait_for()
    submission = case.submissions.get(form_key="agreement")
    assert submission.answers["receiving_school"] == hillcrest.pk
    page.go_back()
    page.reload()
    assert page.get_by_role("combobox", name="Receiving (trial) school").input_value() == (
        f"Hillcrest Academy (URN {hillcrest.urn})"
    )
    screenshot("school-search-saved")


def test_a_slow_answer_does_not_reopen_closed_suggestions(
    live_server: Any, page: Any, settings: Any
) -> None:
    """Escape closes the suggestions; an answer still on its way must not open them again over
    the next question (it once took a click meant for "Save and continue")."""
    _agreement_page(live_server, page, settings)
    answered: list[str] = []

    def slowly(route: Any) -> None:
        page.wait_for_timeout(600)
        answered.append(route.request.url)
        route.continue_()

    page.route("**/schools/?q=*", slowly)
    box = page.get_by_role("combobox", name="Receiving (trial) school")
    box.fill("hillc")
    box.press("Escape")
    page.wait_for_timeout(1200)  # the delayed answer has arrived, or been dropped, by now
    assert answered, "the search was asked"
    assert page.locator(".autocomplete__menu--visible").count() == 0
    assert page.get_by_role("option").count() == 0
