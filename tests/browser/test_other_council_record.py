"""A move to a school of a council not on Fairway, in a real browser: the home council's officer
sees the receiving school's dates marked provisional, records that council's contact and
decisions, uploads the school's calendar (a mistake in the file is named by line and column), and
the case page then shows them, with the school's dates counted on its own calendar."""

from datetime import date
from pathlib import Path

import pytest
from django.utils import timezone

from fairway.casework import dates, services
from fairway.casework.models import Case, OtherCouncilRecord, Stage
from protocols.services import bundled_load
from tenants.models import Role
from tests.browser.test_cross_authority_requests import PUPIL, _shot, _signed_in
from tests.factories import CouncilFactory, PartnershipFactory, SchoolFactory, person_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TODAY = date(2026, 11, 16)
CALENDAR = Path(__file__).parents[1] / "integration/casework/data/uppingham-vale-calendar.yaml"


@pytest.fixture(autouse=True)
def _clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    monkeypatch.setattr(dates, "current_day", lambda: TODAY)


def test_record_a_council_not_on_fairway(live_server, browser, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.FAIRWAY_REQUIRE_TWO_FACTOR = False
    county = CouncilFactory(slug="leicestershire", name="Leicestershire County Council")
    rutland = CouncilFactory(slug="rutland", name="Rutland County Council")  # no one works there
    bundled_load()
    seip = PartnershipFactory(council=county, name="Charnwood SEIP")
    home = SchoolFactory(council=county, partnership=seip, name="Charnwood Vale Academy")
    uppingham = SchoolFactory(council=rutland, name="Uppingham Vale School")
    officer = person_with_role(role=Role.COUNCIL_OFFICER, council=county)
    case = services.case_open(
        referral=services.Referral(home_school=home, answers=PUPIL, referred_on=TODAY),
        opened_by=officer,
    )
    # Set up as agreed and started (the agreement's own pages are tested elsewhere).
    Case.objects.filter(pk=case.pk).update(
        receiving_school=uppingham, stage=Stage.OFF_SITE_DIRECTION, start_date=date(2026, 11, 30)
    )

    page = _signed_in(browser, live_server, officer)
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    page.get_by_text(
        "The dates at Uppingham Vale School come from a provisional calendar"
    ).wait_for()
    page.get_by_role(
        "link", name="Record Rutland County Council's contact, decisions and term dates"
    ).click()
    page.get_by_label("Contact's name").fill("Priya Shah")
    page.get_by_label("Role or team").fill("Inclusion Officer")
    page.get_by_label("Email address").fill("priya.shah@rutland.example")
    page.get_by_label("Phone number").fill("01572 758000")
    page.locator('input[name="council_decision"][value="agreed"]').check()
    page.locator("#id_council_decided_on").fill("20")
    page.locator("#id_council_decided_on-month").fill("11")
    page.locator("#id_council_decided_on-year").fill("2026")
    page.locator('input[name="school_decision"][value="agreed"]').check()
    page.locator("#id_school_decided_on").fill("23")
    page.locator("#id_school_decided_on-month").fill("11")
    page.locator("#id_school_decided_on-year").fill("2026")
    page.get_by_label("Notes on the decisions").fill("Agreed by phone; a Year 9 place from 30 Nov.")
    page.locator('input[name="calendar_choice"][value="uploaded"]').check()

    # A file with a mistake: nothing saved, the problem named by file, line and column.
    bad = tmp_path / "uppingham-vale.yaml"
    bad.write_text(CALENDAR.read_text("utf-8").replace("2026-12-18", "2026-12-32"), "utf-8")
    page.locator('input[name="calendar_file"]').set_input_files(str(bad))
    page.get_by_role("button", name="Save").click()
    page.get_by_text("uppingham-vale.yaml:10:49").wait_for()
    _shot(page, "other-council-1-calendar-problem")
    assert not OtherCouncilRecord.objects.exists()

    # The right file.
    good = tmp_path / "good" / "uppingham-vale.yaml"
    good.parent.mkdir()
    good.write_text(CALENDAR.read_text("utf-8"), "utf-8")
    page.locator('input[name="calendar_file"]').set_input_files(str(good))
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Saved what you recorded of Rutland County Council.").wait_for()
    text = page.content()
    assert "Agreed on Fri 20 Nov 2026" in text and "Agreed on Mon 23 Nov 2026" in text
    assert "priya.shah@rutland.example" in text
    assert "Receiving school&#x27;s calendar: Uppingham Vale School term dates 2026/27" in text or (
        "Receiving school's calendar: Uppingham Vale School term dates 2026/27" in text
    )
    assert "The dates at Uppingham Vale School come from a provisional calendar" not in text
    _shot(page, "other-council-2-case-page")
    saved = OtherCouncilRecord.objects.get(case=case)
    assert (
        saved.calendar_choice == "uploaded"
        and saved.uploaded_calendar_name == "uppingham-vale.yaml"
    )
