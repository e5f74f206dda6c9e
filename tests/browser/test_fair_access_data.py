"""Fair Access data in chromium: a council admin previews and publishes the figures from the
council page; the public data page (charts, tables, CSV) passes axe-core at WCAG 2.2 AA, names no
pupil, and the outcome report passes too. Screenshots in /tmp/fairway-screenshots/fair-access-*."""

from datetime import date
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale

from cms.demo import load_demo
from fairway.casework.models import Case, FormSubmission, Stage
from protocols.models import ProtocolVersion
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

# (adviser planned, outcome, how many), all with first days in 2025/26.
MOVES = [
    (True, "on_roll_receiving", 7),
    (True, "returned_home", 1),
    (False, "on_roll_receiving", 2),
    (False, "returned_home", 5),
    (None, "", 3),
]


def _norfolk() -> tuple[Any, list[str]]:
    Locale.objects.get_or_create(language_code=get_supported_content_language_variant("en-gb"))
    council = CouncilFactory(slug="norfolk", name="Norfolk County Council", brand_colour="#00558c")
    partnership = PartnershipFactory(council=council, name="Norwich locality")
    home = SchoolFactory(council=council, partnership=partnership, name="Wensum Park Academy")
    receiving = [
        SchoolFactory(council=council, partnership=partnership, name="Eaton Rise Community School"),
        SchoolFactory(council=council, partnership=partnership, name="Catton Grove High School"),
    ]
    admin = person_with_role(
        role=Role.COUNCIL_ADMIN, council=council, email="admin@norfolk.example"
    )
    bundled_load()
    version = ProtocolVersion.objects.get(slug="norfolk-managed-moves", version=2)
    names = []
    for adviser, outcome, count in MOVES:
        for i in range(count):
            name = f"Pupil{len(names):02d} Thurlow"
            names.append(name)
            case = Case.objects.create(
                home_council=council,
                home_school=home,
                receiving_school=receiving[i % 2],
                receiving_council=council,
                protocol_version=version,
                stage=Stage.CLOSED if outcome else Stage.OFF_SITE_DIRECTION,
                outcome_key=outcome,
                pupil_name=name,
                date_of_birth=date(2012, 5, 1),
                upn="A123456789012",
                year_group="year_9",
                referred_on=date(2025, 9, 15),
                start_date=date(2025, 10, 6),
            )
            if adviser is not None:
                FormSubmission.objects.create(
                    case=case,
                    form_key="agreement",
                    answers={"inclusion_adviser_planned": adviser},
                    submitted_at=timezone.now(),
                )
    load_demo()  # the guidance sites
    return admin, names


def test_publish_then_the_public_page_passes_axe(
    live_server: Any, browser: Any, settings: Any
) -> None:
    settings.FAIRWAY_REQUIRE_TWO_FACTOR = False
    admin, names = _norfolk()
    context = browser.new_context(
        bypass_csp=True, viewport={"width": 1280, "height": 900}, accept_downloads=True
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    staff_sign_in(page, live_server.url, email=admin.email, password=TEST_PASSWORD)
    audit = AxeAudit(page)

    page.goto(f"{live_server.url}/council/norfolk/")
    page.get_by_role("link", name="Fair Access data").click()
    page.get_by_role("heading", name="Fair Access data").wait_for()
    page.get_by_label("Show moves by route, from this question").select_option(
        label="DOWIMM agreement: Did an Inclusion Adviser plan this DOWIMM with the school?"
    )
    page.get_by_role("button", name="Preview").click()
    page.get_by_role("heading", name="Academic year 2025/26").wait_for()
    page.screenshot(path=str(SCREENSHOTS / "fair-access-preview.png"), full_page=True)
    audit.check("preview")
    page.get_by_role("button", name="Publish these figures").click()
    page.get_by_text("The figures are published on the council's guidance site.").wait_for()
    audit.check("published")

    page.get_by_role("link", name="See the published page").click()
    page.get_by_role("heading", name="Managed moves: Fair Access data").wait_for()
    expect(page.get_by_text("Last updated")).to_be_visible()
    route = page.get_by_role("table", name="Moves by route")
    expect(route.locator("tbody tr").first).to_contain_text("c")
    page.screenshot(path=str(SCREENSHOTS / "fair-access-public.png"), full_page=True)
    audit.check("public data page")
    html = page.content()
    for name in names:
        assert name not in html

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download all the figures (CSV)").click()
    assert download_info.value.suggested_filename == "norfolk-fair-access-data.csv"

    page.goto(
        f"{live_server.url}/cases/register/norfolk/outcomes/?starts_on_0=1&starts_on_1=9"
        "&starts_on_2=2025&ends_on_0=31&ends_on_1=8&ends_on_2=2026"
        "&route=answer:agreement.inclusion_adviser_planned"
    )
    page.get_by_role("heading", name="Outcome report").wait_for()
    page.screenshot(path=str(SCREENSHOTS / "fair-access-outcome-report.png"), full_page=True)
    audit.check("outcome report")
    page.goto(f"{live_server.url}/cases/register/norfolk/outcomes/?starts_on_0=31&starts_on_1=2")
    page.locator(".govuk-error-summary").wait_for()
    page.screenshot(path=str(SCREENSHOTS / "fair-access-outcome-report-error.png"), full_page=True)
    audit.check("outcome report with an error")
    context.close()
    assert not audit.failures, audit.report()
