"""The case-work pages a member of staff uses, checked with axe-core at WCAG 2.2 AA in chromium,
including pages showing errors and conditional questions."""

from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest

from fairway.casework import services
from fairway.casework.models import Case, ReferralDraft
from protocols.services import bundled_load
from tenants.models import Role
from tests.browser.axe import AxeAudit, staff_sign_in
from tests.factories import (
    TEST_PASSWORD,
    CouncilFactory,
    PartnershipFactory,
    SchoolFactory,
    person_with_role,
)
from tests.integration.casework.conftest import fill, submit_form

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _agreed_southwark_case() -> tuple[Any, Case]:
    council = CouncilFactory(slug="southwark", name="Southwark Council")
    partnership = PartnershipFactory(council=council)
    home = SchoolFactory(council=council, partnership=partnership, name="Riverside High School")
    receiving = SchoolFactory(council=council, partnership=partnership, name="Hillcrest Academy")
    officer = person_with_role(
        role=Role.COUNCIL_OFFICER, council=council, email="officer@southwark.example"
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
                "home_postcode": "SE1 2AB",
                "reasons": "Disruption",
                "interventions_tried": "Mentoring",
                "ehcp": False,
                "looked_after": False,
                "withdrawn_exclusion": False,
            },
            referred_on=date(2026, 11, 16),
        ),
        opened_by=officer,
    )
    # The agreement submitted: targets and the first day are recorded from the agreement stage.
    answers = fill(case, "agreement", SimpleNamespace(receiving=receiving))  # type: ignore[arg-type]
    submit_form(case, "agreement", answers, officer)
    return officer, Case.objects.get(pk=case.pk)


def test_case_work_pages_pass_axe(live_server: Any, browser: Any, settings: Any) -> None:
    # Two-factor sign-in has its own browser test; here the pages after it are looked at.
    settings.FAIRWAY_REQUIRE_TWO_FACTOR = False
    officer, case = _agreed_southwark_case()
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    staff_sign_in(page, live_server.url, email=officer.email, password=TEST_PASSWORD)
    audit = AxeAudit(page)
    check = audit.check

    check("my cases")
    page.goto(f"{live_server.url}/cases/new/")
    check("start a referral")
    page.locator("#home_school").select_option(str(case.home_school_id))
    page.get_by_role("button", name="Start the referral").click()
    page.get_by_role("button", name="Save and continue").click()
    page.locator(".govuk-error-summary").wait_for()
    check("referral page with errors")
    draft = ReferralDraft.objects.get()
    page.goto(f"{live_server.url}/cases/new/{draft.pk}/routes/")
    page.locator("#id_withdrawn_exclusion").check()
    check("referral page with a conditional question shown")
    page.goto(f"{live_server.url}/cases/new/{draft.pk}/check/")
    check("referral check your answers")
    base = f"{live_server.url}/cases/{case.pk}"
    for label, path in [
        ("case page", "/"),
        ("case history", "/history/"),
        ("targets and commitments", "/targets/"),
        ("add a commitment", "/targets/add/?kind=commitment"),
        ("who can see this case", "/people/"),
        ("agreement form page", "/forms/agreement/1/meeting/"),
        ("agreement check your answers", "/forms/agreement/1/check/"),
        ("sign-off", "/sign-offs/managed_move_agreement/?role=home_school"),
        ("record the first day", "/events/?event=start"),
    ]:
        page.goto(base + path)
        check(label)
    page.goto(base + "/targets/add/")
    page.get_by_role("button", name="Save").click()
    page.locator(".govuk-error-summary").wait_for()
    check("add a target with errors")
    context.close()
    assert not audit.failures, audit.report()
