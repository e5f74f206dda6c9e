"""One full case per bundled protocol in a real browser: referral to outcome.

The forms are filled from the protocol's own definitions, so the same driver walks every
council's forms. Norfolk's behaviour trial (version 1, pinned by a 2024 referral) takes an
extension; Southwark's case breaks down and follows its early-end rules.
"""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from fairway.casework import dates, services
from fairway.casework.models import Case, Stage
from protocols.core.model import FormPage
from protocols.selectors import protocol_version_in_force
from protocols.services import bundled_load
from tenants.models import Role, School, User
from tests.factories import (
    TEST_PASSWORD,
    CouncilFactory,
    PartnershipFactory,
    SchoolFactory,
    person_with_role,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REFERRAL = {
    "pupil_name": "Jayden Whitmore",
    "date_of_birth": "2012-10-14",
    "upn": "A123456789012",
    "year_group": "year_9",
    "home_postcode": "NR2 3AB",
}


# A case runs over weeks, so the browser walks it on a clock: the referral on REFERRAL_DAY (the
# date the pages stamp on it), then everything after it as if recorded at the end of the school
# year, when every date these cases use has passed (the services refuse dates in the future).
REFERRAL_DAY = date(2026, 11, 16)
LATER = date(2027, 8, 31)
CLOCK = {"today": REFERRAL_DAY}


@pytest.fixture(autouse=True)
def _clock(monkeypatch: pytest.MonkeyPatch) -> None:
    CLOCK["today"] = REFERRAL_DAY
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: CLOCK["today"])
    monkeypatch.setattr(dates, "current_day", lambda: CLOCK["today"])


def _fill_date(page, key: str, value: str) -> None:  # type: ignore[no-untyped-def]
    year, month, day = value.split("-")
    page.locator(f"#id_{key}").fill(str(int(day)))
    page.locator(f"#id_{key}-month").fill(str(int(month)))
    page.locator(f"#id_{key}-year").fill(year)


def fill_page(  # type: ignore[no-untyped-def]
    page,
    definition: FormPage,
    *,
    school: School,
    answers: dict[str, object],
    default_date: str = "2026-11-10",
) -> None:
    """Answer every question on one page of a protocol form, as a person would."""
    # Module scripts run before DOMContentLoaded: after it, conditional questions are hidden.
    page.wait_for_load_state("domcontentloaded")
    for field in definition.fields:
        value = answers.get(field.key)
        if value is None and not field.required and field.show_when is None:
            continue
        if field.show_when is not None and not page.locator(f"#id_{field.key}").is_visible():
            continue  # a conditional question that the answers above leave hidden
        if field.type == "date":
            _fill_date(page, field.key, str(value or default_date))
        elif field.type == "yes_no":
            page.locator(
                f"#id_{field.key}" if value in (None, True) else f"#id_{field.key}-1"
            ).check()
        elif field.type in ("choice", "choices"):
            index = [c.value for c in field.choices].index(value) if value else 0
            page.locator(f"#id_{field.key}" if index == 0 else f"#id_{field.key}-{index}").check()
        elif field.type == "school":
            # The search box takes a URN as typed (the suggestions have their own browser test).
            box = page.locator(f"#id_{field.key}")
            box.fill(str(school.urn))
            # Close the suggestions, which cover the next question, once they have come.
            menu = page.locator(".autocomplete__menu--visible")
            menu.wait_for()
            box.press("Escape")
            expect(menu).to_have_count(0)
        elif field.type in ("number", "percentage"):
            page.locator(f"#id_{field.key}").fill(
                str(value if value is not None else int(field.max or 1))
            )
        else:
            page.locator(f"#id_{field.key}").fill(str(value or "Agreed at the meeting."))


def sign_in(page, live_server, user: User) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{live_server.url}/account/login/?next=/cases/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="My cases").wait_for()


def do_form(
    page, live_server, case: Case, form_key: str, *, school: School, answers: dict[str, object]
) -> None:  # type: ignore[no-untyped-def]
    form = case.protocol_version.load().form(form_key)
    page.goto(f"{live_server.url}/cases/{case.pk}/forms/{form_key}/")
    for definition in form.pages:
        page.get_by_role("heading", name=definition.title, exact=True).wait_for()
        fill_page(
            page,
            definition,
            school=school,
            answers=answers,
            default_date=(case.start_date or case.referred_on).isoformat(),
        )
        page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("heading", name="Check your answers").wait_for()
    page.locator("main form button[type=submit]").click()
    page.get_by_role("heading", name=case.pupil_name).wait_for()


def add_target_and_commitment(page, live_server, case: Case, *, screenshot, slug: str) -> None:  # type: ignore[no-untyped-def]
    """The initial meeting's target and an agency's commitment, through the pages."""
    page.goto(f"{live_server.url}/cases/{case.pk}/targets/")
    page.get_by_role("link", name="Add a target").click()
    page.wait_for_url("**/targets/add/**")
    page.wait_for_load_state("domcontentloaded")
    # A target is the pupil's: who made it is not asked (expect waits for the script to hide it).
    expect(page.locator("#id_role_key")).to_be_hidden()
    page.get_by_label("The target or commitment").fill("Attend every lesson on time.")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Add a commitment").click()
    page.locator("#id_role_key").wait_for(state="visible")
    page.locator("#id_role_key").select_option("receiving_school")
    page.get_by_label("The target or commitment").fill("A named mentor meets the pupil weekly.")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("heading", name="Targets for the pupil").wait_for()
    page.get_by_text("A named mentor meets the pupil weekly.", exact=True).wait_for()
    screenshot(f"case-{slug}-targets")


def run_case(
    page,
    live_server,
    screenshot,
    *,
    slug: str,
    name: str,
    referred_on: date | None,
    first_day: date,
    extension: bool,
    breakdown: str,
) -> None:  # type: ignore[no-untyped-def]
    council = CouncilFactory(slug=slug, name=name)
    partnership = PartnershipFactory(council=council)
    home = SchoolFactory(council=council, partnership=partnership, name="Riverside High School")
    receiving = SchoolFactory(council=council, partnership=partnership, name="Hillcrest Academy")
    officer = person_with_role(
        role=Role.COUNCIL_OFFICER, council=council, email=f"officer@{slug}.example"
    )
    bundled_load()
    sign_in(page, live_server, officer)

    if referred_on is None:
        # The referral in the browser, one section per page, with a mistake first: the error
        # summary, not a traceback.
        page.get_by_role("link", name="Make a referral").click()
        page.locator("#home_school").select_option(str(home.pk))
        page.get_by_role("button", name="Start the referral").click()
        protocol_form = (
            protocol_version_in_force(council=council, on=timezone.localdate())
            .load()
            .form("referral")
        )
        page.get_by_role("heading", name=protocol_form.pages[0].title, exact=True).wait_for()
        page.get_by_role("button", name="Save and continue").click()
        page.locator(".govuk-error-summary").wait_for()
        screenshot(f"case-{slug}-referral-errors")
        answers = {**REFERRAL, "ehcp": False, "looked_after": False, "withdrawn_exclusion": False}
        for definition in protocol_form.pages:
            page.get_by_role("heading", name=definition.title, exact=True).wait_for()
            follow_up = page.locator("[data-show-when=withdrawn_exclusion]")
            if follow_up.count():
                # The follow-up question shows only once "Yes" is chosen.
                expect(follow_up).to_be_hidden()
                page.locator("#id_withdrawn_exclusion").check()
                follow_up.wait_for(state="visible")
                screenshot(f"case-{slug}-referral-conditional")
            fill_page(page, definition, school=home, answers=answers)
            if follow_up.count():
                expect(follow_up).to_be_hidden()
            page.get_by_role("button", name="Save and continue").click()
        page.get_by_role("heading", name="Check your answers").wait_for()
        screenshot(f"case-{slug}-referral-check")
        page.get_by_role("button", name="Make the referral").click()
        page.get_by_role("heading", name="Jayden Whitmore").wait_for()
        case = Case.objects.get(pupil_name="Jayden Whitmore")
        assert case.referred_on == REFERRAL_DAY
    else:
        case = services.case_open(
            referral=services.Referral(
                home_school=home,
                answers={
                    **REFERRAL,
                    # Year 9 in the academic year of the referral.
                    "date_of_birth": f"{referred_on.year - 14 + (referred_on.month < 9)}-10-14",
                    "reasons": "x",
                    "interventions_tried": "x",
                    "ehcp": False,
                    "looked_after": False,
                    "withdrawn_exclusion": False,
                },
                referred_on=referred_on,
            ),
            opened_by=officer,
        )

    CLOCK["today"] = LATER
    do_form(page, live_server, case, "agreement", school=receiving, answers={})
    add_target_and_commitment(page, live_server, case, screenshot=screenshot, slug=slug)
    do_form(
        page,
        live_server,
        case,
        "off_site_direction_notice",
        school=receiving,
        answers={"first_day": first_day.isoformat(), "number_of_days": 40},
    )
    protocol = case.protocol_version.load()
    for sign_off in protocol.sign_offs:
        for role in sign_off.roles:
            page.goto(f"{live_server.url}/cases/{case.pk}/sign-offs/{sign_off.key}/?role={role}")
            page.locator("#id_signed_by_name").fill(f"Signer for {role}")
            _fill_date(page, "signed_on", first_day.isoformat())
            page.get_by_role("button", name="Save").click()
            page.get_by_role("heading", name="Jayden Whitmore").wait_for()
    screenshot(f"case-{slug}-agreed")

    page.get_by_role("link", name="Record the first day").click()
    _fill_date(page, "day", first_day.isoformat())
    page.get_by_role("button", name="Save").click()
    page.get_by_role("heading", name="Jayden Whitmore").wait_for()
    assert Case.objects.get(pk=case.pk).stage == Stage.OFF_SITE_DIRECTION

    page.get_by_role("link", name="Record attendance").click()
    # The form offers the term weeks of the direction that have ended, by their Monday.
    monday = first_day - timedelta(days=first_day.weekday())
    page.locator(f"input[name='week_beginning'][value='{monday.isoformat()}']").check()
    page.locator("#id_sessions_attended").fill("7")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Persistent absence: 10% or more of sessions missed").wait_for()

    do_form(
        page,
        live_server,
        case,
        "review",
        school=receiving,
        answers={"held_on": first_day.isoformat()},
    )

    if extension:
        page.get_by_role("link", name="Extend").click()
        page.locator("#id_school_weeks").fill("9")
        for index in range(len(protocol.extensions[0].approvals)):
            page.locator("#id_approvals" if index == 0 else f"#id_approvals-{index}").check()
        page.locator("#id_reasons").fill("Illness with a GP's letter")
        page.get_by_role("button", name="Save").click()
        page.locator(".govuk-error-summary").wait_for()  # more than the protocol's maximum
        screenshot(f"case-{slug}-extension-too-long")
        page.locator("#id_school_weeks").fill("3")
        page.get_by_role("button", name="Save").click()
        page.get_by_text("Extension granted").wait_for()
        assert Case.objects.get(pk=case.pk).extensions.count() == 1

    if breakdown:
        page.get_by_role("link", name="End early").click()
        page.get_by_label(next(r.label for r in protocol.end_rules if r.key == breakdown)).check()
        fill_page(
            page,
            protocol.form("early_end").pages[0],
            school=receiving,
            answers={"decided_on": first_day.isoformat()},
            default_date=first_day.isoformat(),
        )
        page.get_by_role("button", name="Save").click()
        page.get_by_role("heading", name="Jayden Whitmore").wait_for()
        assert Case.objects.get(pk=case.pk).stage == Stage.ENDED_EARLY
        screenshot(f"case-{slug}-ended-early")
        outcome = "returned_home"
    else:
        outcome = "on_roll_receiving"

    page.get_by_role("link", name="Record the outcome").click()
    page.get_by_label(next(o.label for o in protocol.outcomes if o.key == outcome)).check()
    fill_page(
        page,
        protocol.form("outcome").pages[0],
        school=receiving,
        answers={"decided_on": first_day.isoformat()},
        default_date=first_day.isoformat(),
    )
    page.get_by_role("button", name="Save").click()
    page.get_by_text("This case is closed.").wait_for()
    screenshot(f"case-{slug}-closed")
    closed = Case.objects.get(pk=case.pk)
    assert closed.stage == Stage.CLOSED and closed.outcome_key == outcome


def test_norfolk_behaviour_trial_with_an_extension(live_server, page, screenshot, settings) -> None:  # type: ignore[no-untyped-def]
    settings.FAIRWAY_REQUIRE_TWO_FACTOR = False
    run_case(
        page,
        live_server,
        screenshot,
        slug="norfolk",
        name="Norfolk County Council",
        referred_on=date(2024, 9, 5),  # the first day of the autumn term
        first_day=date(2024, 9, 16),
        extension=True,
        breakdown="",
    )


def test_norfolk_dowimm(live_server, page, screenshot, settings) -> None:  # type: ignore[no-untyped-def]
    settings.FAIRWAY_REQUIRE_TWO_FACTOR = False
    run_case(
        page,
        live_server,
        screenshot,
        slug="norfolk",
        name="Norfolk County Council",
        referred_on=None,
        first_day=date(2026, 11, 30),
        extension=False,
        breakdown="",
    )


def test_leicestershire_seip(live_server, page, screenshot, settings) -> None:  # type: ignore[no-untyped-def]
    settings.FAIRWAY_REQUIRE_TWO_FACTOR = False
    run_case(
        page,
        live_server,
        screenshot,
        slug="leicestershire",
        name="Leicestershire County Council",
        referred_on=None,
        first_day=date(2026, 11, 30),
        extension=False,
        breakdown="",
    )


def test_southwark_breakdown(live_server, page, screenshot, settings) -> None:  # type: ignore[no-untyped-def]
    settings.FAIRWAY_REQUIRE_TWO_FACTOR = False
    run_case(
        page,
        live_server,
        screenshot,
        slug="southwark",
        name="Southwark Council",
        referred_on=None,
        first_day=date(2026, 11, 30),
        extension=False,
        breakdown="breakdown",
    )
