"""The register of managed moves in chromium: reached from the menu, outcomes compared, the
spreadsheet downloaded, and axe-core at WCAG 2.2 AA with and without errors."""

from datetime import date
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from fairway.casework import services
from fairway.casework.models import Case, FormSubmission, Stage
from protocols.services import bundled_load
from tenants.models import Role
from tests.browser.axe import AxeAudit, staff_sign_in
from tests.browser.conftest import SCREENSHOTS
from tests.factories import (
    TEST_PASSWORD,
    CouncilFactory,
    PartnershipFactory,
    SchoolFactory,
    person_with_role,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUPILS = [
    # pupil, first day, receiving school index, adviser planned, outcome
    ("Logan Pyke", date(2025, 9, 15), 0, True, "on_roll_receiving"),
    ("Maisie Cubitt", date(2025, 10, 6), 0, True, "on_roll_receiving"),
    ("Harrison Bacon", date(2025, 11, 3), 1, False, "returned_home"),
    ("Jake Sayer", date(2026, 1, 12), 0, False, "returned_home"),
    ("Isla Gotts", date(2026, 1, 26), 0, True, ""),
]


def _norfolk_year() -> Any:
    council = CouncilFactory(slug="norfolk", name="Norfolk County Council")
    partnership = PartnershipFactory(council=council, name="Norwich locality")
    home = SchoolFactory(council=council, partnership=partnership, name="Wensum Park Academy")
    receiving = [
        SchoolFactory(council=council, partnership=partnership, name="Eaton Rise Community School"),
        SchoolFactory(council=council, partnership=partnership, name="Catton Grove High School"),
        SchoolFactory(council=council, partnership=partnership, name="Gaywood Marsh Academy"),
    ]
    officer = person_with_role(
        role=Role.COUNCIL_OFFICER, council=council, email="officer@norfolk.example"
    )
    bundled_load()
    for pupil, first_day, school, adviser, outcome in PUPILS:
        case = services.case_open(
            referral=services.Referral(
                home_school=home,
                answers={
                    "pupil_name": pupil,
                    "date_of_birth": "2011-10-14",
                    "upn": "A123456789012",
                    "year_group": "year_9",
                    "home_postcode": "NR2 3AB",
                    "reasons": "Disruption",
                    "interventions_tried": "Mentoring",
                    "ehcp": False,
                    "looked_after": False,
                    "withdrawn_exclusion": False,
                },
                referred_on=date(2025, 9, 1),
            ),
            opened_by=officer,
        )
        # The register only reads cases: set where each move got to directly.
        Case.objects.filter(pk=case.pk).update(
            receiving_school=receiving[school],
            receiving_council=council,
            start_date=first_day,
            stage=Stage.CLOSED if outcome else Stage.OFF_SITE_DIRECTION,
            outcome_key=outcome,
        )
        FormSubmission.objects.create(
            case=case,
            form_key="agreement",
            answers={"inclusion_adviser_planned": adviser},
            submitted_at=timezone.now(),
        )
    return officer


def test_the_register_compares_outcomes_and_downloads(
    live_server: Any, browser: Any, settings: Any
) -> None:
    settings.FAIRWAY_REQUIRE_TWO_FACTOR = False
    officer = _norfolk_year()
    context = browser.new_context(
        bypass_csp=True, viewport={"width": 1280, "height": 900}, accept_downloads=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    staff_sign_in(page, live_server.url, email=officer.email, password=TEST_PASSWORD)
    audit = AxeAudit(page)
    check = audit.check

    page.get_by_role("link", name="Register of moves").click()
    page.get_by_role("heading", name="Register of managed moves").wait_for()
    page.get_by_label("Academic year").select_option(label="2025/26")
    page.get_by_label("Compare outcomes by").select_option(
        label="DOWIMM agreement: Did an Inclusion Adviser plan this DOWIMM with the school?"
    )
    page.get_by_role("button", name="Show").click()
    comparison = page.get_by_role("table", name="Outcomes compared by")
    expect(comparison).to_be_visible()
    rows = comparison.locator("tbody tr")
    expect(rows.nth(0)).to_contain_text("Yes")
    expect(rows.nth(0)).to_contain_text("100%")  # both decided moves stayed
    expect(rows.nth(1)).to_contain_text("No")
    expect(rows.nth(1)).to_contain_text("0%")
    demand = page.get_by_role("table", name="Demand on each school")
    expect(demand.locator("tbody tr").first).to_contain_text("Eaton Rise Community School")
    expect(demand.locator("tbody tr").first).to_contain_text("Well above")
    page.get_by_role("link", name="Isla Gotts").wait_for()
    page.screenshot(path=str(SCREENSHOTS / "register-norfolk.png"), full_page=True)
    check("register")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download as a spreadsheet (Excel)").click()
    download = download_info.value
    assert download.suggested_filename == "fairway-register-norfolk-2025-26.xlsx"
    workbook = load_workbook(BytesIO(Path(download.path()).read_bytes()))
    names = [row[1] for row in workbook["Register"].iter_rows(min_row=2, values_only=True)]
    assert names == [p[0] for p in PUPILS]

    page.goto(f"{live_server.url}/cases/register/norfolk/?year=1990")
    page.locator(".govuk-error-summary").wait_for()
    page.get_by_role("link", name="Select an academic year from the list").click()
    expect(page.get_by_label("Academic year")).to_be_focused()
    page.screenshot(path=str(SCREENSHOTS / "register-error.png"), full_page=True)
    check("register with an error")
    context.close()
    assert not audit.failures, audit.report()
