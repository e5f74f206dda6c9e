"""Council calendar pages: anyone in the council reads them; only its admins replace a calendar."""

import pytest
from django.test import Client
from django.urls import reverse

from protocols.bundled import CALENDARS_DIR as BUNDLED_CALENDARS
from protocols.models import CouncilCalendar
from protocols.services import council_calendar_save
from tenants.models import AuditEvent, Council, Role, User
from tests.factories import person_with_role, sign_in
from tests.integration.protocols.calendars import calendar_yaml, stored_calendar

pytestmark = pytest.mark.django_db


@pytest.fixture
def calendar(council_a: Council) -> CouncilCalendar:
    return stored_calendar(council_a)


def _client(user: User) -> Client:
    client = Client()
    sign_in(client, user)
    return client


def _replace_url(record: CouncilCalendar) -> str:
    return reverse(
        "protocols:calendar_replace",
        kwargs={"council_slug": record.council.slug, "calendar_slug": record.slug},
    )


def test_an_officer_reads_the_calendar_with_its_provisional_warning(
    council_a: Council, calendar: CouncilCalendar
) -> None:
    officer = person_with_role(role=Role.COUNCIL_OFFICER, council=council_a)
    response = _client(officer).get(
        reverse("protocols:calendars", kwargs={"council_slug": "norfolk"})
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "Provisional" in text and "Test dates, not a council&#x27;s." in text
    assert "Autumn half-term" in text
    assert "Replace this calendar" not in text  # officers read, admins replace


def test_an_officer_cannot_open_the_replace_page(
    council_a: Council, calendar: CouncilCalendar
) -> None:
    officer = person_with_role(role=Role.COUNCIL_OFFICER, council=council_a)
    assert _client(officer).get(_replace_url(calendar)).status_code == 404


def test_another_councils_admin_gets_404(admin_b: User, calendar: CouncilCalendar) -> None:
    client = _client(admin_b)
    assert (
        client.get(reverse("protocols:calendars", kwargs={"council_slug": "norfolk"})).status_code
        == 404
    )
    assert client.get(_replace_url(calendar)).status_code == 404


def test_the_admin_replaces_a_provisional_calendar_and_it_is_audited(
    admin_a: User, calendar: CouncilCalendar
) -> None:
    new_text = calendar_yaml(
        slug=calendar.slug, council="norfolk", provisional=False, autumn_end="2026-12-17"
    )
    response = _client(admin_a).post(_replace_url(calendar), {"yaml_text": new_text})
    assert response.status_code == 302
    calendar.refresh_from_db()
    assert calendar.provisional is False
    assert str(calendar.last_day) == "2026-12-17"
    assert calendar.history.count() == 2  # the old text is kept in the history
    assert AuditEvent.objects.filter(
        object_type="calendar", action=AuditEvent.Action.RECORD_CHANGED
    ).exists()


def test_a_broken_calendar_shows_line_and_column_and_changes_nothing(
    admin_a: User, calendar: CouncilCalendar
) -> None:
    broken = calendar_yaml(slug=calendar.slug, council="norfolk").replace(
        "end: 2026-12-18", "end: 2026-12-32"
    )
    response = _client(admin_a).post(_replace_url(calendar), {"yaml_text": broken})
    assert response.status_code == 200
    text = response.content.decode()
    assert "govuk-error-summary" in text
    assert "10:49: terms[0].end: &#x27;2026-12-32&#x27; is not a real date (YYYY-MM-DD)" in text
    calendar.refresh_from_db()
    assert str(calendar.last_day) == "2026-12-18"


def test_a_calendar_for_another_council_is_refused(
    admin_a: User, calendar: CouncilCalendar
) -> None:
    other = calendar_yaml(slug="southwark-terms", council="southwark")
    response = _client(admin_a).post(_replace_url(calendar), {"yaml_text": other})
    assert response.status_code == 200
    assert "it must keep" in response.content.decode()


def test_an_empty_submission_asks_for_the_calendar(
    admin_a: User, calendar: CouncilCalendar
) -> None:
    response = _client(admin_a).post(_replace_url(calendar), {"yaml_text": "  "})
    assert "Upload a calendar file or paste its text." in response.content.decode()


def test_estimated_dates_are_tagged_and_listed_with_their_sources(council_a: Council) -> None:
    # The bundled Norfolk calendar: its summer term 2027 is an estimate, autumn 2026 is not.
    text = (BUNDLED_CALENDARS / "norfolk.yaml").read_text("utf-8")
    council_calendar_save(council=council_a, yaml_text=text)
    officer = person_with_role(role=Role.COUNCIL_OFFICER, council=council_a)
    response = _client(officer).get(
        reverse("protocols:calendars", kwargs={"council_slug": "norfolk"})
    )
    html = response.content.decode()
    assert "Estimated dates" in html
    estimates = html[html.index("fairway-estimates") : html.index("Sources</dt>")]
    assert "Summer 2027: Mon 12 Apr 2027 to Wed 21 Jul 2027" in estimates
    assert "Autumn half-term 2023: Mon 23 Oct 2023 to Fri 27 Oct 2023" in estimates
    assert "Autumn 2026" not in estimates
    summer = next(r for r in html.split('<tr class="govuk-table__row">') if "Summer 2027" in r)
    assert "estimated" in summer
    autumn = next(r for r in html.split('<tr class="govuk-table__row">') if ">Autumn 2026" in r)
    assert "estimated" not in autumn
    assert "Cambridgeshire County Council: School term and holiday dates 2026-2027" in autumn
    assert 'href="https://www.cambridgeshire.gov.uk/' in html
    assert "Fri 1 Sep 2023 to Tue 31 Aug 2027" in html


def test_an_assumed_start_date_of_a_protocol_version_says_so(council_a: Council) -> None:
    from pathlib import Path

    from protocols.services import protocol_version_publish

    repo = Path(__file__).resolve().parents[3]
    protocol_version_publish(
        path=repo / "protocols/bundled/norfolk/managed-moves-v1-behaviour-trial.yaml"
    )
    officer = person_with_role(role=Role.COUNCIL_OFFICER, council=council_a)
    text = (
        _client(officer)
        .get(reverse("protocols:calendars", kwargs={"council_slug": "norfolk"}))
        .content.decode()
    )
    assert "from Fri 1 Sep 2023 (assumed: the scheme document is undated" in text
