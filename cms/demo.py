"""Demo guidance sites: one Wagtail Site per council, generated guidance, editors and notices.

Idempotent: run it again after new protocol versions are published and their pages appear.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.html import escape
from wagtail.models import Page, Site
from wagtail.rich_text import RichText

from cms.models import FairAccessData, FairwayIndexPage, NoticeIndexPage
from cms.services import (
    NoticeDetails,
    council_editors_ensure,
    council_site_ensure,
    fair_access_page_ensure,
    notice_index_ensure,
    notice_publish,
    protocol_guidance_ensure,
)
from protocols.models import ProtocolVersion
from tenants.models import Council, Membership, Role

DEMO_PORT = 8000
DEMO_HOST = "127.0.0.1"
HOSTNAMES = {
    "norfolk": "norfolk.localhost",
    "leicestershire": "leicestershire.localhost",
    "southwark": "southwark.localhost",
    "leicester-city": "leicester-city.localhost",
}


def _fairway_index() -> FairwayIndexPage:
    """The default site's home at 127.0.0.1:8000, replacing Wagtail's welcome page."""
    index = FairwayIndexPage.objects.first()
    # Wagtail's migrations make the tree's root; a flushed database (browser tests) has none.
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    if index is None:
        index = FairwayIndexPage(
            title="Managed moves guidance from councils using Fairway", slug="fairway"
        )
        root.add_child(instance=index)
        index.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site(is_default_site=True, root_page=index)
    site.hostname, site.port, site.root_page, site.site_name = (
        DEMO_HOST,
        DEMO_PORT,
        index,
        "Fairway",
    )
    site.save()
    # Wagtail's own welcome page is of no use once the default site points at the index.
    for welcome in Page.objects.child_of(root).filter(content_type__model="page", slug="home"):
        if not welcome.get_children().exists():
            welcome.delete()
    return index


@transaction.atomic
def load_demo() -> None:
    index = _fairway_index()
    for council in Council.objects.filter(slug__in=HOSTNAMES):
        home = council_site_ensure(
            council=council, parent=index, hostname=HOSTNAMES[council.slug], port=DEMO_PORT
        )
        versions = ProtocolVersion.objects.filter(council=council).order_by("slug", "version")
        for version in versions:
            protocol_guidance_ensure(home=home, version=version)
        if not versions and not home.intro:
            home.intro = [
                (
                    "paragraph",
                    {
                        "text": RichText(
                            f"<p>{escape(council.name)} has no managed move protocol of its own in "
                            "Fairway. When a pupil moves across the border, the protocol of the "
                            "council where the pupil's home school is applies.</p>"
                        )
                    },
                )
            ]
            home.save_revision().publish()
        editors = council_editors_ensure(council=council, home=home)
        # Council admins moderate and publish; council officers draft and submit for approval.
        for membership in Membership.objects.filter(council=council).select_related("user"):
            if membership.role == Role.COUNCIL_ADMIN:
                membership.user.groups.add(editors.moderators)
            elif membership.role == Role.COUNCIL_OFFICER:
                membership.user.groups.add(editors.editors)
        if FairAccessData.objects.filter(council=council).exists():
            fair_access_page_ensure(home=home)  # figures published before the site was made
        notices = notice_index_ensure(home=home)
        if council.slug == "norfolk":
            _norfolk_notices(notices)


def _norfolk_notices(index: NoticeIndexPage) -> None:
    """Norfolk's MI sheet 67/23 (seed 000), as the council published it."""
    notice_publish(
        index=index,
        details=NoticeDetails(
            title="Managed Move Scheme Review Working Party - 2nd Meeting",
            slug="mi-sheet-67-23",
            reference="MI Sheet 67/23",
            audience="Headteacher/ SMT",
            published_on=date(2023, 4, 25),
            reply_by=date(2023, 5, 22),
            expires_on=date(2023, 5, 22),
            contact="Hayley Goodson (01603 306139)",
        ),
        paragraphs=[
            "Following the feedback from the first Managed Move Working Party it was the consensus "
            "amongst the school representatives present to again meet in person for the follow up "
            "meeting. This will now take place at Norwich County Hall on Monday 22 May 2023 in the "
            "Edwards Room. Refreshments will be available from 8.30am with the meeting starting at "
            "9.15 and ending at approximately 1pm.",
            "After a positive response from schools, we have also booked a larger space and would "
            "like to open the invite up to any schools regardless of attendance at the first "
            "meeting. We would also like to separate Primary and Secondary colleagues for part of "
            "the morning in order to respond to the slightly different needs of the schools.",
            "Agenda for 22 May 2023: feedback from the initial working party; good practice "
            "before, during and after a managed move, with examples from schools and pupil voice; "
            "current practice when seeking a managed move at the point of, or in order to withdraw, "
            "a permanent exclusion; ideas put forward for changes to the managed move scheme.",
            "If you are able to attend please confirm by emailing Hayley Goodson "
            "(hayley.goodson@norfolk.gov.uk). To discuss anything, contact Hayley or James Cox "
            "(james.cox@norfolk.gov.uk).",
        ],
    )
