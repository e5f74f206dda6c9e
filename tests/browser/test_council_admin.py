"""A council admin's pages in a real browser: schools filter, add a partnership, the audit log."""

import pytest
from playwright.sync_api import expect

from tenants.demo import DEMO_PASSWORD, load_demo
from tenants.models import Partnership

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_council_admin_walkthrough(live_server, page, screenshot, settings) -> None:  # type: ignore[no-untyped-def]
    settings.FAIRWAY_REQUIRE_TWO_FACTOR = False  # as in the demo; two-factor has its own test
    load_demo()
    page.goto(f"{live_server.url}/account/login/?next=/council/")
    page.get_by_label("Email address").fill("admin@leicestershire.example")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Leicestershire County Council").wait_for()

    page.get_by_role("link", name="Schools", exact=True).first.click()
    page.get_by_label("Partnership").select_option(label="NW Leicestershire Fair Access Panel")
    page.get_by_role("button", name="Filter").click()
    page.get_by_text("2 schools").wait_for()
    expect(page.get_by_role("link", name="Coalville Bardon Hill Academy")).to_be_visible()
    screenshot("council-schools")

    page.get_by_role("link", name="Partnerships", exact=True).first.click()
    page.get_by_role("link", name="Add a partnership").click()
    page.get_by_role("button", name="Add partnership").click()
    page.locator(".govuk-error-summary").wait_for()
    screenshot("council-partnership-error")
    page.get_by_label("Name").fill("Oadby and Wigston Locality")
    page.get_by_label("Kind").select_option(label="Locality")
    page.get_by_role("button", name="Add partnership").click()
    page.get_by_text("Oadby and Wigston Locality has been added.").wait_for()
    assert Partnership.objects.filter(name="Oadby and Wigston Locality").exists()

    page.get_by_role("link", name="People", exact=True).first.click()
    expect(page.get_by_text("trust-officer@leicestershire.example")).to_be_visible()
    screenshot("council-people")

    page.get_by_role("link", name="Audit log", exact=True).first.click()
    page.get_by_text("Partnership Oadby and Wigston Locality").wait_for()
    screenshot("council-audit")
