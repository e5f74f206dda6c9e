"""Wagtail page tests: the tree only takes valid shapes, pages can be created and rendered."""

from datetime import date

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from cms.demo import load_demo
from cms.models import (
    CouncilHomePage,
    FairAccessDataPage,
    FairwayIndexPage,
    NoticeIndexPage,
    NoticePage,
    ProtocolGuidancePage,
    ProtocolIndexPage,
)
from protocols.services import bundled_load
from tenants.models import User
from tests.factories import CouncilFactory, sign_in, wagtail_default_locale


class GuidancePageTreeTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        # A unittest class sets its data up before any pytest fixture runs (tests/conftest.py).
        wagtail_default_locale()
        cls.norfolk = CouncilFactory(name="Norfolk County Council", slug="norfolk")
        bundled_load()
        load_demo()
        cls.home = CouncilHomePage.objects.get(council=cls.norfolk)
        cls.notices = NoticeIndexPage.objects.child_of(cls.home).get()

    def setUp(self) -> None:
        # sign_in uses force_login (django-axes needs a request to authenticate, which
        # client.login lacks) and passes two-factor, which superusers need too.
        sign_in(self.client, User.objects.create_superuser(email="wagtail@example.org"))

    def test_allowed_parents_and_children(self) -> None:
        self.assertAllowedParentPageTypes(CouncilHomePage, {Page, FairwayIndexPage})
        self.assertAllowedParentPageTypes(ProtocolIndexPage, {CouncilHomePage})
        self.assertAllowedParentPageTypes(ProtocolGuidancePage, {ProtocolIndexPage})
        self.assertAllowedParentPageTypes(NoticePage, {NoticeIndexPage})
        self.assertAllowedSubpageTypes(
            CouncilHomePage, {ProtocolIndexPage, NoticeIndexPage, FairAccessDataPage}
        )
        self.assertAllowedSubpageTypes(
            ProtocolIndexPage, {ProtocolGuidancePage, FairAccessDataPage}
        )
        self.assertAllowedParentPageTypes(FairAccessDataPage, {ProtocolIndexPage, CouncilHomePage})
        self.assertAllowedSubpageTypes(FairAccessDataPage, set())
        self.assertAllowedSubpageTypes(ProtocolGuidancePage, set())
        self.assertAllowedSubpageTypes(NoticePage, set())

    def test_an_editor_can_create_a_notice(self) -> None:
        self.assertCanCreate(
            self.notices,
            NoticePage,
            nested_form_data(
                {
                    "title": "Fair Access Panel dates 2025",
                    "slug": "fair-access-panel-dates-2025",
                    "reference": "MI Sheet 12/25",
                    "audience": "Headteachers",
                    "published_on": "2025-01-06",
                    "reply_by": "2025-01-31",
                    "expires_on": "2025-07-31",
                    "contact": "",
                    "body": streamfield(
                        [
                            (
                                "paragraph",
                                {"text": rich_text("<p>Panel dates for the spring term.</p>")},
                            )
                        ]
                    ),
                }
            ),
        )
        notice = NoticePage.objects.get(slug="fair-access-panel-dates-2025")
        assert notice.reply_by == date(2025, 1, 31)

    def test_generated_pages_render(self) -> None:
        for page in ProtocolGuidancePage.objects.all():
            self.assertPageIsRenderable(page)
            # Sections are routes of the page (served through the site tree in test_guidance_pages).
            self.assertPageIsRenderable(page, route_path="timeline/")
        self.assertPageIsRenderable(self.home)
        self.assertPageIsRenderable(self.notices)

    def test_editor_content_appears_around_the_generated_guidance(self) -> None:
        page = ProtocolGuidancePage.objects.get(protocol_version__version=2)
        page.body_before = [("warning", {"text": "Ring the Inclusion team before any move."})]
        page.body_after = [
            (
                "contact",
                {"name": "Inclusion team", "email": "inclusion@norfolk.example", "phone": ""},
            )
        ]
        page.save_revision().publish()
        html = self.client.get("/norfolk/managed-moves/v2/").content.decode()
        warning, summary, contact = (
            html.index("Ring the Inclusion team"),
            html.index("What changed from version 1"),
            html.index("inclusion@norfolk.example"),
        )
        assert warning < summary < contact
