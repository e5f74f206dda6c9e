"""Fair Access data: the council admin previews and publishes; the public page and its CSV show
the published figures (and no pupil); the nightly task refreshes them; other councils get 404."""

from __future__ import annotations

import csv
from datetime import date
from io import StringIO

from django.core.management import call_command
from django.test import Client
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale

from cms.demo import load_demo
from cms.models import FairAccessData
from fairway.casework import fair_access, services
from fairway.casework.models import Case
from tenants.models import AuditEvent, Role
from tests.factories import person_with_role, sign_in

from .conftest import Place
from .test_fair_access_figures import ADVISER, RETURNED, STAYED, moves

MANAGE = "/council/norfolk/fair-access-data/"
PUBLIC = "/norfolk/managed-moves/data/"


def admin_of(place: Place):  # type: ignore[no-untyped-def]
    return person_with_role(role=Role.COUNCIL_ADMIN, council=place.council)


def _locale() -> None:
    """A transactional test run earlier in this process flushes what Wagtail's migrations made."""
    Locale.objects.get_or_create(language_code=get_supported_content_language_variant("en-gb"))


def test_a_council_admin_previews_then_publishes_and_the_page_shows_the_figures(
    norfolk: Place, client: Client
) -> None:
    _locale()
    load_demo()  # the guidance sites, as the demo sets them up
    day = date(2025, 10, 6)
    moves(norfolk, 7, first_day=day, outcome=STAYED, adviser=True)
    moves(norfolk, 5, first_day=day, outcome=RETURNED, adviser=False)
    moves(norfolk, 2, first_day=day, outcome=RETURNED, adviser=True)
    admin = admin_of(norfolk)
    sign_in(client, admin)

    # Before publishing the public page does not exist; the preview shows the figures.
    assert client.get(PUBLIC).status_code == 404
    preview = client.get(MANAGE, {"route": ADVISER})
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "Not published yet" in html and "Academic year 2025/26" in html
    assert "Did an Inclusion Adviser plan this DOWIMM with the school?" in html

    response = client.post(MANAGE, {"route": ADVISER})
    assert response.status_code == 302
    data = FairAccessData.objects.get(council=norfolk.council)
    assert data.figures["route_question"] == ADVISER
    event = AuditEvent.objects.get(object_type="fair_access_data")
    assert event.council == norfolk.council and event.actor == admin

    client.logout()
    page = client.get(PUBLIC)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Last updated" in html
    assert "Academic year 2025/26" in html
    assert "<svg" in html and "govuk-table" in html
    # 7 stayed; 2 returned after an adviser planned the move is hidden, and so is the 5 beside it.
    assert ">7<" in html
    for case in Case.objects.all():
        assert case.pupil_name not in html and case.upn not in html

    download = client.get(PUBLIC + "csv/")
    assert download["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(StringIO(download.content.decode())))
    route = {
        (r["breakdown"], r["measure"]): r
        for r in rows
        if r["table"].startswith("Moves by route") and r["time_period"] == "202526"
    }
    assert route[("Yes", "Stayed at the new school")]["value"] in ("7", "c")
    assert route[("Yes", "Returned to the home school")]["value"] == "c"
    assert "fewer than" not in route[("Yes", "Returned to the home school")]["note"]
    assert "from 1 to 4" in route[("Yes", "Returned to the home school")]["note"]


def test_the_nightly_task_refreshes_published_figures_only(
    norfolk: Place, southwark: Place
) -> None:
    _locale()
    load_demo()
    day = date(2025, 10, 6)
    moves(norfolk, 6, first_day=day, outcome=STAYED)
    services.fair_access_publish(council=norfolk.council, published_by=admin_of(norfolk))
    first = FairAccessData.objects.get(council=norfolk.council)
    assert first.figures["years"][0]["moves"] == 6
    moves(norfolk, 5, first_day=day, outcome=STAYED)
    moves(southwark, 6, first_day=day, outcome=STAYED)
    call_command("fair_access_refresh", "--now")
    refreshed = FairAccessData.objects.get(council=norfolk.council)
    assert refreshed.figures["years"][0]["moves"] == 11
    assert refreshed.updated_at > first.updated_at
    # Southwark never published: the task puts nothing on its site.
    assert not FairAccessData.objects.filter(council=southwark.council).exists()


def test_the_task_runs_through_the_queue(norfolk: Place) -> None:
    from fairway.casework.tasks import fair_access_refresh

    services.fair_access_publish(council=norfolk.council, published_by=admin_of(norfolk))
    # The test settings run a queued task at once (the immediate backend); db_worker in production.
    assert fair_access_refresh.enqueue().return_value == 1


def test_only_a_council_admin_of_the_council_gets_the_page(
    norfolk: Place, southwark: Place, client: Client
) -> None:
    for person in (
        admin_of(southwark),
        norfolk.officer,
        norfolk.home_staff,
        person_with_role(role=Role.PARTNERSHIP_OFFICER, council=norfolk.council),
    ):
        client.logout()
        sign_in(client, person)
        assert client.get(MANAGE).status_code == 404
        assert client.post(MANAGE, {"route": ""}).status_code == 404
    assert not FairAccessData.objects.exists()


def test_a_question_not_in_the_protocol_is_refused_at_its_field(
    norfolk: Place, client: Client
) -> None:
    sign_in(client, admin_of(norfolk))
    response = client.post(MANAGE, {"route": "answer:agreement.no_such_question"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "Select a question of the council&#x27;s protocol from the list" in html
    assert not FairAccessData.objects.exists()


def test_route_choices_come_from_the_protocol(norfolk: Place) -> None:
    values = [c.value for c in fair_access.route_choices(council=norfolk.council)]
    assert ADVISER in values
    assert all(v.startswith("answer:") for v in values)
