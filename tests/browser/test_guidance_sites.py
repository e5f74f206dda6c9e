"""Each council's guidance looked at in chromium: axe-core at WCAG 2.2 AA, no CSP errors, screenshots."""

from typing import Any

import pytest
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale

from cms.demo import load_demo
from protocols.services import bundled_load
from tests.browser.axe import axe_violations, describe
from tests.factories import CouncilFactory

pytestmark = pytest.mark.browser

COUNCILS = [
    ("Norfolk County Council", "norfolk", "#00558c"),
    ("Leicestershire County Council", "leicestershire", "#009a44"),
    ("Southwark Council", "southwark", "#ffdd00"),
    ("Leicester City Council", "leicester-city", "#c8102e"),
]
SECTIONS = ["", "step-by-step/", "timeline/", "forms/", "special-routes/"]


@pytest.fixture
def guidance_sites(transactional_db: None) -> list[str]:
    """The demo's guidance sites; returns the paths of every generated page."""
    # A transactional test flushes what Wagtail's migrations created: put back the default locale.
    Locale.objects.get_or_create(language_code=get_supported_content_language_variant("en-gb"))
    for name, slug, colour in COUNCILS:
        CouncilFactory(name=name, slug=slug, brand_colour=colour)
    bundled_load()
    load_demo()
    from cms.models import ProtocolGuidancePage

    paths = []
    for guidance in ProtocolGuidancePage.objects.all():
        base = guidance.get_parent().get_parent().slug + "/" + guidance.get_parent().slug
        paths += [f"/{base}/{guidance.slug}/{section}" for section in SECTIONS]
    return paths


def test_every_guidance_page_passes_axe(
    live_server: Any, browser: Any, guidance_sites: list[str]
) -> None:
    # axe is injected as an inline script, which the pages' CSP (rightly) forbids; checked below.
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    paths = [
        "/",
        "/norfolk/",
        "/norfolk/managed-moves/",
        "/norfolk/notices/?expired=1",
        "/norfolk/notices/mi-sheet-67-23/",
        "/norfolk/search/?q=transport",
        "/leicester-city/",
        *guidance_sites,
    ]
    failures = {}
    for path in paths:
        page.goto(live_server.url + path)
        violations = axe_violations(page)
        if violations:
            failures[path] = describe(violations)
    context.close()
    assert not failures, "\n\n".join(f"{path}\n{text}" for path, text in failures.items())


def test_no_csp_errors_and_screenshots_of_each_councils_guidance(
    live_server: Any, page: Any, screenshot: Any, guidance_sites: list[str]
) -> None:
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))
    for _name, slug, _colour in COUNCILS:
        page.goto(f"{live_server.url}/{slug}/")
        screenshot(f"guidance-{slug}-home")
    for path in guidance_sites:
        page.goto(live_server.url + path)
        if path.endswith(("/v1/", "/v2/", "timeline/")):
            screenshot("guidance" + path.rstrip("/").replace("/", "-"))
    assert not [m for m in messages if "Content Security Policy" in m], messages


def test_the_timeline_diagram_is_an_image_with_a_text_alternative(
    live_server: Any, page: Any, guidance_sites: list[str]
) -> None:
    page.goto(f"{live_server.url}/norfolk/managed-moves/v1/timeline/")
    diagram = page.get_by_role("img", name="Milestones by school week, from the first day")
    assert diagram.is_visible()
    table = page.get_by_role("table", name="Milestones by school week")
    assert "weeks 2, 4, 6 and 8" in table.inner_text()
