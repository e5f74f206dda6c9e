"""A council publishes its own protocol version in chromium: draft in the CodeMirror editor with
problems beside their lines, upload, preview (timeline, forms, guidance), approval by a second
admin, publishing with a date, then moving an open case after its preview."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from fairway.casework import services as casework
from fairway.casework.models import Case
from protocols.models import ProtocolDraft, ProtocolVersion
from protocols.services import bundled_load
from tenants.models import Role
from tests.browser.conftest import SCREENSHOTS
from tests.factories import TEST_PASSWORD, CouncilFactory, SchoolFactory, person_with_role
from tests.integration.casework.conftest import REFERRAL, year_9_born

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, base: str, email: str) -> None:  # type: ignore[no-untyped-def]
    page.context.clear_cookies()
    page.goto(f"{base}/account/login/?next=/council/norfolk/protocols/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Protocol versions").wait_for()


def test_a_council_drafts_previews_approves_publishes_and_moves_a_case(  # type: ignore[no-untyped-def]
    live_server, page, screenshot, settings
) -> None:
    settings.FAIRWAY_REQUIRE_TWO_FACTOR = False  # as in the demo; two-factor has its own test
    council = CouncilFactory(slug="norfolk", name="Norfolk County Council")
    bundled_load()
    home = SchoolFactory(council=council, name="Eaton Rise Community School")
    staff = person_with_role(role=Role.SCHOOL_STAFF, council=council, school=home)
    person_with_role(role=Role.COUNCIL_ADMIN, council=council, email="drafter@norfolk.example")
    person_with_role(role=Role.COUNCIL_ADMIN, council=council, email="approver@norfolk.example")
    referred = date(2026, 11, 2)
    case = casework.case_open(
        referral=casework.Referral(
            home_school=home,
            answers={**REFERRAL, "date_of_birth": year_9_born(referred)},
            referred_on=referred,
        ),
        opened_by=staff,
    )
    Case.objects.filter(pk=case.pk).update(start_date=date(2027, 1, 11), stage="off_site_direction")

    base = live_server.url
    sign_in(page, base, "drafter@norfolk.example")
    page.get_by_role("button", name="Draft the next version (from version 2)").click()
    editor = page.locator(".cm-editor")
    expect(editor).to_be_visible()
    expect(page.locator(".cm-lineNumbers")).to_be_visible()
    screenshot("protocol-draft-editor")

    # A mistake typed in the editor: shown beside its line, as the validate command gives it.
    page.locator(".cm-content").click()
    page.keyboard.press("Control+Home")
    page.keyboard.type("trail_weeks: 6\n")
    page.get_by_role("button", name="Save and check").click()
    summary = page.locator("#draft-problems")
    expect(summary).to_contain_text("norfolk/managed-moves-v3.yaml:1:1")
    expect(summary).to_contain_text("unknown key 'trail_weeks'")
    expect(page.locator(".cm-lint-marker-error").first).to_be_visible()
    # Each line number sits beside its line once the editor is in view (CodeMirror measures the
    # lines it shows).
    page.locator(".cm-editor").scroll_into_view_if_needed()
    page.wait_for_function(
        """() => {
          const number = document.querySelectorAll(".cm-lineNumbers .cm-gutterElement")[3];
          const line = document.querySelectorAll(".cm-line")[2];
          return number && line && Math.abs(
            number.getBoundingClientRect().height - line.getBoundingClientRect().height) < 1;
        }"""
    )
    screenshot("protocol-draft-problems")
    page.locator(".cm-editor").screenshot(path=str(SCREENSHOTS / "protocol-draft-editor-lines.png"))

    # The corrected version, uploaded as a file: the DOWIMM now ends at week 6.
    draft = ProtocolDraft.objects.get()
    text = draft.yaml_text.replace("trail_weeks: 6\n", "").replace(
        "due: end of school week 8 from start", "due: end of school week 6 from start"
    )
    page.set_input_files(
        "#id_yaml_file",
        files=[{"name": "v3.yaml", "mimeType": "application/x-yaml", "buffer": text.encode()}],
    )
    page.get_by_role("button", name="Save and check").click()
    expect(page.locator("#draft-ok")).to_be_visible()
    expect(page.locator("#approval-needed")).to_contain_text("another council admin must approve")

    page.get_by_role("link", name="Preview the draft").click()
    page.get_by_label("Day").fill("11")
    page.get_by_label("Month").fill("1")
    page.get_by_label("Year").fill("2027")
    page.get_by_role("button", name="Show the timeline").click()
    expect(page.locator("#timeline-table")).to_contain_text("Mon 11 Jan 2027")
    expect(page.locator("#changes")).to_contain_text("6 school weeks")
    screenshot("protocol-draft-preview")
    page.get_by_role("link", name="Every form as staff will see it").click()
    page.get_by_role("heading", name="DOWIMM agreement").wait_for()
    screenshot("protocol-draft-forms")
    page.go_back()
    page.get_by_role("link", name="The guidance pages as the public will see them").click()
    expect(page.get_by_text("It is not published and not public.")).to_be_visible()
    screenshot("protocol-draft-guidance")

    # A second admin approves and publishes, in force from tomorrow.
    sign_in(page, base, "approver@norfolk.example")
    page.get_by_role("link", name="Continue the draft of version 3 (draft)").click()
    page.get_by_role("button", name="Approve this version").click()
    page.get_by_text("Approved. It can now be published.").wait_for()
    effective = timezone.localdate() + timedelta(days=1)
    page.get_by_label("Day").fill(str(effective.day))
    page.get_by_label("Month").fill(str(effective.month))
    page.get_by_label("Year").fill(str(effective.year))
    page.get_by_role("button", name="Publish this version").click()
    page.get_by_text("Version 3 is published.").wait_for()
    assert ProtocolVersion.objects.get(version=3).effective_from == effective
    expect(page.locator('[data-open-cases="2"]')).to_have_text("1")
    screenshot("protocol-versions")

    # The open case stays on version 2 until it is moved, after its preview.
    assert Case.objects.get(pk=case.pk).protocol_version.version == 2
    page.get_by_role("link", name="Move open cases to this version").click()
    page.get_by_label(f"{case.reference}: Jayden Whitmore", exact=False).check()
    page.get_by_role("button", name="Preview the move").click()
    expect(page.get_by_text("Can move")).to_be_visible()
    expect(
        page.get_by_text(
            "End of the DOWIMM's usual length (8 weeks; longer only with a recorded reason and agreement)"
        )
    ).to_be_visible()
    screenshot("protocol-move-preview")
    page.get_by_role("button", name="Move 1 case to version 3").click()
    page.get_by_text(f"Moved to version 3: {case.reference}.").wait_for()
    assert Case.objects.get(pk=case.pk).protocol_version.version == 3
