"""A council's calendar page in a real browser: estimated dates are tagged and listed."""

import pytest
from playwright.sync_api import expect

from protocols.services import bundled_load
from tenants.demo import DEMO_PASSWORD, load_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_norfolk_calendar_page_tags_estimates(live_server, page, screenshot, settings) -> None:  # type: ignore[no-untyped-def]
    settings.FAIRWAY_REQUIRE_TWO_FACTOR = False  # as in the demo; two-factor has its own test
    load_demo()
    bundled_load()  # the councils' bundled calendars and protocols
    page.goto(f"{live_server.url}/account/login/?next=/council/norfolk/calendars/")
    page.get_by_label("Email address").fill("admin@norfolk.example")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Term calendars and protocols").wait_for()
    expect(page.get_by_text("Fri 1 Sep 2023 to Tue 31 Aug 2027")).to_be_visible()
    summer = page.get_by_role("row").filter(has_text="Summer 2027").first
    expect(summer.get_by_text("estimated", exact=True)).to_be_visible()
    autumn = page.get_by_role("row").filter(has_text="Autumn 2026").first
    expect(autumn.get_by_text("estimated", exact=True)).to_have_count(0)
    expect(page.locator(".fairway-estimates")).to_contain_text(
        "Summer 2027: Mon 12 Apr 2027 to Wed 21 Jul 2027"
    )
    screenshot("council-calendar-norfolk")
