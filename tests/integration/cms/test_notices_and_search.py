"""Notices are listed, searchable and expire; site search stays inside one council's site."""

import pytest
from django.test import Client

from tests.integration.cms.cms_sites import GuidanceSites

pytestmark = pytest.mark.django_db


def test_the_mi_sheet_is_listed_with_its_facts(client: Client, sites: GuidanceSites) -> None:
    html = client.get("/norfolk/notices/?expired=1").content.decode()
    assert "MI Sheet 67/23: Managed Move Scheme Review Working Party - 2nd Meeting" in html
    for fact in ("Headteacher/ SMT", "25 April 2023", "22 May 2023"):
        assert fact in html


def test_expired_notices_are_hidden_unless_asked_for(client: Client, sites: GuidanceSites) -> None:
    html = client.get("/norfolk/notices/").content.decode()
    assert "MI Sheet 67/23" not in html
    assert "Include 1 expired notice" in html


def test_notices_are_searchable(client: Client, sites: GuidanceSites) -> None:
    found = client.get("/norfolk/notices/", {"q": "working party", "expired": "1"}).content.decode()
    assert "MI Sheet 67/23" in found
    missing = client.get(
        "/norfolk/notices/", {"q": "zebra crossing", "expired": "1"}
    ).content.decode()
    assert "No notices match" in missing


def test_search_finds_generated_guidance_on_the_councils_own_site(
    client: Client, sites: GuidanceSites
) -> None:
    html = client.get("/norfolk/search/", {"q": "DOWIMM"}).content.decode()
    assert 'href="/norfolk/managed-moves/v2/"' in html
    html = client.get("/norfolk/search/", {"q": "working party"}).content.decode()
    assert 'href="/norfolk/notices/mi-sheet-67-23/"' in html


def test_search_never_shows_another_councils_pages(client: Client, sites: GuidanceSites) -> None:
    html = client.get("/southwark/search/", {"q": "DOWIMM"}).content.decode()
    assert "/norfolk/" not in html
    assert "0 results" in html


def test_an_empty_or_odd_query_is_answered_without_error(
    client: Client, sites: GuidanceSites
) -> None:
    assert client.get("/norfolk/search/").status_code == 200
    assert client.get("/norfolk/search/", {"q": "\"' OR 1=1 --<script>"}).status_code == 200
    assert client.get("/norfolk/notices/", {"q": "((("}).status_code == 200


def _notice_list_queries(client: Client) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get("/norfolk/notices/?expired=1").status_code == 200
    return len(queries)


def test_the_notice_list_query_count_does_not_grow_with_notices(
    client: Client, sites: GuidanceSites
) -> None:
    from datetime import date

    from cms.models import NoticeIndexPage
    from cms.services import NoticeDetails, notice_publish

    index = NoticeIndexPage.objects.child_of(sites.norfolk_home).get()

    def add(n: int) -> None:
        for i in range(n):
            notice_publish(
                index=index,
                details=NoticeDetails(
                    title=f"Fair Access Panel dates {i}",
                    slug=f"fap-dates-{i}-{n}",
                    audience="Headteachers",
                    published_on=date(2025, 1, 1 + i),
                ),
                paragraphs=["Dates for the term."],
            )

    add(3)
    _notice_list_queries(client)  # warm caches (site root paths)
    at_n = _notice_list_queries(client)
    add(3)
    assert _notice_list_queries(client) == at_n
