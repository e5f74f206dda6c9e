"""The demo councils' data pages are published with figures from the demo cases."""

from django.test import Client
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale

from cms import demo as cms_demo
from cms.models import FairAccessData
from fairway.casework import demo
from protocols.services import bundled_load
from tenants import demo as tenants_demo


def _locale() -> None:
    """A transactional test run earlier in this process flushes what Wagtail's migrations made."""
    Locale.objects.get_or_create(language_code=get_supported_content_language_variant("en-gb"))


def test_demo_councils_have_their_data_page_published(db: None, client: Client) -> None:
    tenants_demo.load_demo()
    bundled_load()
    demo.load_demo()
    _locale()
    cms_demo.load_demo()
    assert set(FairAccessData.objects.values_list("council__slug", flat=True)) == {
        "norfolk",
        "leicestershire",
        "southwark",
    }
    norfolk = FairAccessData.objects.get(council__slug="norfolk").figures
    year = next(y for y in norfolk["years"] if y["label"] == "2025/26")
    # The full 2025/26 year of Norfolk DOWIMMs in the demo: 13 moves, 8 stayed.
    assert year["moves"] == 13
    outcomes = next(t for t in year["tables"] if t["key"] == "outcomes")["total"]["cells"]
    assert outcomes[0] == 8
    for slug, path in (
        ("norfolk", "/norfolk/managed-moves/data/"),
        ("southwark", "/southwark/managed-moves/data/"),
        ("leicestershire", "/leicestershire/seip-secondary/data/"),
    ):
        html = client.get(path).content.decode()
        assert "Last updated" in html, slug
        for name in demo.demo_pupil_names():
            assert name not in html, (slug, name)
    assert (
        "Did an Inclusion Adviser plan this DOWIMM"
        in client.get("/norfolk/managed-moves/data/").content.decode()
    )
    demo.load_demo()  # again: nothing new, the figures are counted again
    cms_demo.load_demo()
    assert FairAccessData.objects.count() == 3
