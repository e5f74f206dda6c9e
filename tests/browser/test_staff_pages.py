"""What staff see, in chromium: the case page's next step, the banner after a step, My cases'
open / closed / all search, the one staff header, Fairway's 404. Screenshots in
/tmp/fairway-screenshots/staff-*.png; axe-core at WCAG 2.2 AA on each."""

from datetime import date
from typing import Any

import pytest

from fairway.casework import services
from fairway.casework.models import Case
from protocols.services import bundled_load
from tenants.models import Role
from tests.browser.axe import AxeAudit, staff_sign_in
from tests.browser.conftest import SCREENSHOTS
from tests.factories import TEST_PASSWORD, person_with_role
from tests.integration.casework.conftest import _place
from tests.integration.casework.service_helpers import started

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_pages(live_server: Any, browser: Any, settings: Any) -> None:
    settings.FAIRWAY_REQUIRE_TWO_FACTOR = False
    norfolk = _place("norfolk", "Norfolk County Council")
    bundled_load()
    case = started(norfolk)  # DOWIMM from Mon 30 Nov 2026
    closed = started(norfolk)
    services.outcome_record(
        case=closed,
        outcome_key="returned_home",
        decided_on=date(2026, 12, 4),
        reasons="Back at the home school",
        answers={"decided_on": "2026-12-04", "decision_reasons": "Back"},
        recorded_by=norfolk.officer,
        expected_version=Case.objects.get(pk=closed.pk).version,
    )
    Case.objects.filter(pk=closed.pk).update(pupil_name="Tobias Farrow")
    admin = person_with_role(
        role=Role.COUNCIL_ADMIN, council=norfolk.council, email="admin@norfolk.example"
    )

    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)
    audit = AxeAudit(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def screenshot(name: str) -> None:
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    staff_sign_in(page, live_server.url, email=norfolk.officer.email, password=TEST_PASSWORD)

    # The case page opens with the next step: what, who, by when, and the link.
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    panel = page.locator("#next-step")
    panel.wait_for()
    text = panel.inner_text()
    assert "Next step" in text and "Who does it" in text and "By when" in text
    assert "2026" in text and "_" not in text
    timeline = page.locator("#timeline ~ table").first.inner_text()
    assert "every week until the end of the trial" in timeline
    assert "trial_end" not in timeline
    screenshot("staff-case-next-step")
    audit.check("case page with the next step")

    # Attendance by term week, then the banner says what was recorded.
    page.goto(f"{live_server.url}/cases/{case.pk}/attendance/")
    page.get_by_label("week beginning Mon 30 Nov 2026").check()
    page.get_by_label("Sessions attended").fill("11")
    page.get_by_role("button", name="Save").click()
    page.locator(".govuk-error-summary").wait_for()
    assert (
        "Sessions attended must be 10 or fewer" in page.locator(".govuk-error-summary").inner_text()
    )
    assert page.title().startswith("Error:")
    audit.check("attendance with an error")
    page.get_by_label("week beginning Mon 30 Nov 2026").check()
    page.get_by_label("Sessions attended").fill("9")
    page.get_by_role("button", name="Save").click()
    banner = page.locator(".govuk-notification-banner--success")
    banner.wait_for()
    assert "week beginning Mon 30 Nov 2026: 9 of 10 sessions" in banner.inner_text()
    screenshot("staff-banner")
    audit.check("case page with the success banner")

    # My cases: open by default; the closed case is found by name, and listed under Closed.
    page.goto(f"{live_server.url}/cases/")
    assert closed.reference not in page.locator("main").inner_text()
    page.get_by_label("Pupil name, UPN or case reference").fill("Tobias")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**q=Tobias**")
    # Searching open cases says where the match is, and one click shows it.
    assert "1 closed case matches" in page.locator("main").inner_text()
    screenshot("staff-my-cases-search-open")
    audit.check("my cases, searched, no open match")
    page.get_by_role("link", name="Show all cases that match").click()
    page.wait_for_url("**status=all**")
    assert closed.reference in page.locator("main").inner_text()
    page.get_by_label("Closed").check()
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**status=closed**")
    assert closed.reference in page.locator("main").inner_text()
    assert case.reference not in page.locator("main").inner_text()
    screenshot("staff-my-cases-closed-search")
    audit.check("my cases, closed, searched")

    # One staff header everywhere, with council admin for an admin.
    page.get_by_role("button", name="Sign out").click()
    staff_sign_in(page, live_server.url, email=admin.email, password=TEST_PASSWORD)
    for path, name in [
        ("/cases/", "my-cases"),
        ("/cases/register/", "register"),
        ("/council/norfolk/calendars/", "calendars"),
        ("/council/norfolk/people/", "council-admin"),
    ]:
        page.goto(live_server.url + path)
        header = page.locator(".fairway-staff-header")
        assert header.count() == 1, path
        links = header.inner_text()
        assert "My cases" in links and "Council admin" in links and "Term dates" in links, path
        audit.check(f"staff header on {path}")
        if name in ("calendars", "council-admin"):
            screenshot(f"staff-header-{name}")

    # Fairway's own 404, for a guidance address and a staff one.
    page.goto(f"{live_server.url}/norfolk/does-not-exist/")
    assert page.get_by_role("heading", name="Page not found").is_visible()
    assert "URLconf" not in page.content()
    screenshot("staff-404")
    audit.check("404 page")
    context.close()
    assert not audit.failures, audit.report()
