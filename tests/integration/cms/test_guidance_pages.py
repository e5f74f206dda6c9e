"""The generated guidance pages, served by path prefix and by each council's own host name."""

import re

import pytest
from django.test import Client

from cms.models import ProtocolGuidancePage
from tests.integration.cms.cms_sites import GuidanceSites

pytestmark = pytest.mark.django_db

SECTIONS = ["", "step-by-step/", "timeline/", "forms/", "special-routes/"]


@pytest.mark.parametrize("section", SECTIONS)
@pytest.mark.parametrize("version", ["v1", "v2"])
def test_every_section_of_both_norfolk_versions_renders(
    client: Client, sites: GuidanceSites, version: str, section: str
) -> None:
    response = client.get(f"/norfolk/managed-moves/{version}/{section}")
    assert response.status_code == 200
    assert b"Norfolk County Council" in response.content
    assert response["Content-Security-Policy"].startswith("default-src 'self'")
    # The CSP forbids inline scripts and styles, so the pages must not have any.
    assert not re.search(rb"<script(?![^>]*\bsrc=)", response.content)
    assert b" style=" not in response.content


def test_the_council_host_name_serves_the_same_page_at_its_root(sites: GuidanceSites) -> None:
    client = Client(HTTP_HOST="norfolk.localhost:8000")
    response = client.get("/managed-moves/v2/")
    assert response.status_code == 200
    assert b"Direction Off-site With Intent to Managed Move (DOWIMM)" in response.content
    assert b'href="/managed-moves/v2/timeline/"' in response.content


def test_version_two_says_what_changed_in_plain_words(client: Client, sites: GuidanceSites) -> None:
    page = client.get("/norfolk/managed-moves/v2/").content.decode()
    assert "What changed from version 1" in page
    assert "The behaviour trial is now the DOWIMM" in page
    assert (
        "it was 8 school weeks, with an extension of up to 6 school weeks more (14 at most); "
        "it is now usually up to 8 school weeks, longer only with the agreement the protocol "
        "names and a recorded reason" in page
    )
    assert "Did an Inclusion Adviser plan this DOWIMM with the school?" in page


def test_each_rule_shows_its_source_or_that_it_is_local_practice(
    client: Client, sites: GuidanceSites
) -> None:
    page = client.get("/norfolk/managed-moves/v2/step-by-step/").content.decode()
    # The fortnightly reviews cite Norfolk's own off-site direction page, linked.
    assert (
        'Source: <a class="govuk-link" '
        'href="https://www.schools.norfolk.gov.uk/article/76504/What-happens-during-an-off-site-direction">'
        "Guidance for Schools: Off-Site Direction - What happens during an off-site direction?</a>, "
        "fortnightly review meetings; invite parents no later than six days in advance" in page
    )
    # A seed without an address is named; a rule no source gives says so.
    assert "Source: Managed moves - Changes to procedures, Updated guidance" in page
    assert "Local practice, to be confirmed by the council" in page
    # Going past the usual 8 weeks: no maximum, with agreement and a recorded reason.
    assert "No maximum is set" in page
    routes = client.get("/southwark/managed-moves/v1/special-routes/").content.decode()
    assert "emergency EHCP review" in routes and "SEN caseworker" in routes
    assert "chapter 4, Managed moves and SEN" in routes


def test_an_effective_date_no_source_gives_is_shown_as_assumed(
    client: Client, sites: GuidanceSites
) -> None:
    page = client.get("/norfolk/managed-moves/v1/").content.decode()
    assert "Start date assumed" in page
    assert "the scheme document is undated" in page
    index = client.get("/norfolk/managed-moves/").content.decode()
    assert "1 September 2023 (assumed)" in index
    # The DOWIMM's date comes from seed 002: not assumed.
    current = client.get("/norfolk/managed-moves/v2/").content.decode()
    assert "Start date assumed" not in current


def test_version_one_stays_at_its_address_marked_superseded(
    client: Client, sites: GuidanceSites
) -> None:
    page = client.get("/norfolk/managed-moves/v1/").content.decode()
    assert "Superseded" in page
    assert "This version applied until 4 November 2024" in page
    assert 'href="/norfolk/managed-moves/v2/"' in page
    assert "What changed" not in page
    current = client.get("/norfolk/managed-moves/v2/").content.decode()
    assert "In force" in current and "This version applied until" not in current


def test_the_versions_page_lists_both_with_their_status(
    client: Client, sites: GuidanceSites
) -> None:
    page = client.get("/norfolk/managed-moves/").content.decode()
    assert "Version 1: Norfolk Managed Move Scheme (behaviour trial)" in page
    assert "Version 2: Direction Off-site With Intent to Managed Move (DOWIMM)" in page
    assert "Read the guidance in force" in page


def test_timeline_has_a_diagram_with_week_labels_and_a_table(
    client: Client, sites: GuidanceSites
) -> None:
    page = client.get("/norfolk/managed-moves/v1/timeline/").content.decode()
    assert 'role="img"' in page and '<title id="timeline-title">' in page
    assert "Review meeting: weeks 2, 4, 6 and 8" in page  # the SVG's description
    assert "possible extension: up to 6 weeks" in page
    assert "<caption" in page and "weeks 2, 4, 6 and 8" in page


def test_step_by_step_says_who_does_what_and_who_signs(
    client: Client, sites: GuidanceSites
) -> None:
    page = client.get("/norfolk/managed-moves/v2/step-by-step/").content.decode()
    assert "Step 1" in page and "Referral" in page
    assert (
        "DOWIMM agreement: signed by Parent or carer (the pupil, once 18), Home school, Receiving school and "
        "Fair Access team (Norfolk County Council)" in page
    )
    # Markdown from the YAML becomes sanitised GOV.UK markup.
    assert "<strong>Inclusion Adviser</strong>" in page
    assert '<p class="govuk-body">' in page


def test_forms_and_special_routes(client: Client, sites: GuidanceSites) -> None:
    forms = client.get("/norfolk/managed-moves/v2/forms/").content.decode()
    assert "Transport request" in forms
    assert "asked only when" in forms
    routes = client.get("/norfolk/managed-moves/v2/special-routes/").content.decode()
    assert "Pupil with an EHC plan" in routes and "Looked-after child" in routes


def test_southwark_is_styled_in_its_own_colour_with_readable_text(
    client: Client, sites: GuidanceSites
) -> None:
    css = client.get("/southwark/theme/")
    assert css["Content-Type"] == "text/css"
    # Yellow needs dark text to reach 4.5:1.
    assert b"background-color: #ffdd00" in css.content and b"color: #0b0c0c" in css.content
    norfolk_css = client.get("/norfolk/theme/").content
    assert b"background-color: #00558c" in norfolk_css and b"color: #ffffff" in norfolk_css


def test_the_default_site_lists_the_councils(client: Client, sites: GuidanceSites) -> None:
    page = client.get("/").content.decode()
    assert 'href="/norfolk/"' in page and 'href="/southwark/"' in page


def test_load_demo_is_idempotent(sites: GuidanceSites) -> None:
    from cms.demo import load_demo

    before = ProtocolGuidancePage.objects.count()
    load_demo()
    assert ProtocolGuidancePage.objects.count() == before


def test_sitemap_lists_the_generated_sections(client: Client, sites: GuidanceSites) -> None:
    response = Client(HTTP_HOST="norfolk.localhost:8000").get("/sitemap.xml")
    assert response.status_code == 200
    body = response.content.decode()
    assert "http://norfolk.localhost:8000/managed-moves/v1/timeline/" in body
    assert "http://norfolk.localhost:8000/notices/mi-sheet-67-23/" in body
    assert "southwark" not in body


def test_status_follows_the_date(sites: GuidanceSites) -> None:
    from datetime import date

    from cms.models import ProtocolIndexPage
    from cms.selectors import protocol_index_view

    index = ProtocolIndexPage.objects.get(protocol_slug="norfolk-managed-moves")
    before_dowimm = protocol_index_view(page=index, today=date(2024, 10, 1))
    assert {v.version: v.status for v in before_dowimm.versions} == {1: "in_force", 2: "future"}
    after = protocol_index_view(page=index, today=date(2024, 11, 5))
    assert {v.version: v.status for v in after.versions} == {1: "superseded", 2: "in_force"}
    assert after.in_force is not None and after.in_force.version == 2


def test_unknown_addresses_are_plain_404s(client: Client, sites: GuidanceSites) -> None:
    assert client.get("/norfolk/managed-moves/v1/nonsense/").status_code == 404
    assert client.get("/norfolk/managed-moves/v9/").status_code == 404
    assert client.get("/nowhere/").status_code == 404


def test_a_host_that_selects_no_site_has_no_sitemap(db: None) -> None:
    # With no default site, Wagtail's own sitemap view fails with 500; Fairway answers 404.
    from wagtail.models import Site

    Site.objects.all().delete()
    assert Client(HTTP_HOST="nowhere.localhost").get("/sitemap.xml").status_code == 404
