"""Writes for the guidance sites: council sites, generated guidance pages, editors, notices.

Wagtail has no tenant isolation of its own (wagtail #1700, #4288), so each council gets its own
groups with page permissions on its site root only, its own collection for images and documents,
and its own moderation workflow.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from cms.models import (
    CouncilHomePage,
    FairAccessData,
    FairAccessDataPage,
    NoticeIndexPage,
    NoticePage,
    ProtocolGuidancePage,
    ProtocolIndexPage,
)
from protocols.models import ProtocolVersion
from tenants.models import Council

EDITOR_PAGE_PERMISSIONS = ("add_page", "change_page", "lock_page", "view_page")
MODERATOR_PAGE_PERMISSIONS = (*EDITOR_PAGE_PERMISSIONS, "publish_page", "unlock_page")
COLLECTION_PERMISSIONS = (
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
)


def _publish(page: Page) -> None:
    page.save_revision().publish()


@transaction.atomic
def council_site_ensure(
    *, council: Council, parent: Page, hostname: str, port: int = 80
) -> CouncilHomePage:
    """The council's home page under `parent` and a Wagtail Site rooted at it (idempotent)."""
    home = CouncilHomePage.objects.filter(council=council).first()
    if home is None:
        home = CouncilHomePage(title=council.name, slug=council.slug, council=council)
        parent.add_child(instance=home)
        _publish(home)
    site = Site.objects.filter(hostname=hostname, port=port).first()
    if site is None:
        Site.objects.create(hostname=hostname, port=port, root_page=home, site_name=council.name)
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.site_name = council.name
        site.save()
    return home


def protocol_index_slug(protocol_slug: str, council_slug: str) -> str:
    """`norfolk-managed-moves` -> `managed-moves`: the council is already in the site's address."""
    prefix = f"{council_slug}-"
    return protocol_slug[len(prefix) :] if protocol_slug.startswith(prefix) else protocol_slug


@transaction.atomic
def protocol_guidance_ensure(
    *, home: CouncilHomePage, version: ProtocolVersion
) -> ProtocolGuidancePage:
    """The guidance page of one stored protocol version, at /<protocol>/v<N>/ (idempotent)."""
    if version.council_id != home.council_id:
        raise ValueError(f"{version.reference} belongs to another council than {home.title}")
    index = ProtocolIndexPage.objects.child_of(home).filter(protocol_slug=version.slug).first()
    if index is None:
        index = ProtocolIndexPage(
            title=_("Managed moves"),
            slug=protocol_index_slug(version.slug, home.council.slug),
            protocol_slug=version.slug,
        )
        home.add_child(instance=index)
        _publish(index)
    page = ProtocolGuidancePage.objects.filter(protocol_version=version).first()
    if page is None:
        page = ProtocolGuidancePage(
            title=version.title,
            slug=f"v{version.version}",
            protocol_version=version,
        )
        go_live_at = guidance_go_live_at(version=version)
        if go_live_at is not None:
            # A version that takes effect later goes live that day: Wagtail's scheduled
            # publishing (`manage.py publish_scheduled`, run by cron or a systemd timer).
            page.live = False
            page.go_live_at = go_live_at
        index.add_child(instance=page)
        _publish(page)
    return page


def guidance_go_live_at(*, version: ProtocolVersion) -> datetime | None:
    """The start of the day a version takes effect, when that is after today (else None)."""
    if version.effective_from <= timezone.localdate():
        return None
    midnight = datetime.combine(version.effective_from, time.min)
    return timezone.make_aware(midnight, timezone.get_current_timezone())


def protocol_guidance_for_published(*, version: ProtocolVersion) -> ProtocolGuidancePage | None:
    """The page of a newly published version on its council's guidance site, if it has one.

    None when the council has no site yet: `council_site_ensure` (the demo) makes the pages of
    every stored version when it sets one up.
    """
    home = CouncilHomePage.objects.filter(council_id=version.council_id).first()
    if home is None:
        return None
    return protocol_guidance_ensure(home=home, version=version)


@dataclass(frozen=True)
class CouncilEditors:
    editors: Group
    moderators: Group
    collection: Collection
    workflow: Workflow


def _permissions(codenames: tuple[str, ...], app_label: str = "wagtailcore") -> list[Permission]:
    return list(
        Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
    )


@transaction.atomic
def council_editors_ensure(*, council: Council, home: CouncilHomePage) -> CouncilEditors:
    """Groups that may edit this council's site only, its collection, and its moderation workflow.

    Editors draft and submit for moderation; moderators (who may also publish) approve.
    """
    editors, _created = Group.objects.get_or_create(name=f"{council.name}: guidance editors")
    moderators, _created = Group.objects.get_or_create(name=f"{council.name}: guidance moderators")
    access_admin = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    root_collection = Collection.get_first_root_node() or Collection.add_root(name="Root")
    collection = root_collection.get_children().filter(name=council.name).first()
    if collection is None:
        collection = root_collection.add_child(name=council.name)
    for group, codenames in (
        (editors, EDITOR_PAGE_PERMISSIONS),
        (moderators, MODERATOR_PAGE_PERMISSIONS),
    ):
        group.permissions.add(access_admin)
        for permission in _permissions(codenames):
            GroupPagePermission.objects.get_or_create(group=group, page=home, permission=permission)
        for app_label, codename in COLLECTION_PERMISSIONS:
            permission = Permission.objects.get(
                content_type__app_label=app_label, codename=codename
            )
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=collection, permission=permission
            )
    workflow, _created = Workflow.objects.get_or_create(name=f"{council.name}: guidance approval")
    task = GroupApprovalTask.objects.filter(name=f"{council.name}: moderator approval").first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=f"{council.name}: moderator approval")
    task.groups.set([moderators])
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page=home, defaults={"workflow": workflow})
    return CouncilEditors(
        editors=editors, moderators=moderators, collection=collection, workflow=workflow
    )


@transaction.atomic
def notice_index_ensure(*, home: CouncilHomePage) -> NoticeIndexPage:
    index = NoticeIndexPage.objects.child_of(home).first()
    if index is None:
        index = NoticeIndexPage(title=_("Notices"), slug="notices")
        home.add_child(instance=index)
        _publish(index)
    return index


@dataclass(frozen=True)
class NoticeDetails:
    title: str
    slug: str
    audience: str
    published_on: date
    reference: str = ""
    reply_by: date | None = None
    expires_on: date | None = None
    contact: str = ""


@transaction.atomic
def notice_publish(
    *, index: NoticeIndexPage, details: NoticeDetails, paragraphs: list[str]
) -> NoticePage:
    """Publish a notice (idempotent by slug); the body is plain paragraphs of text."""
    existing = NoticePage.objects.child_of(index).filter(slug=details.slug).first()
    if existing is not None:
        return existing
    body = [{"type": "paragraph", "value": {"text": f"<p>{escape(p)}</p>"}} for p in paragraphs]
    notice = NoticePage(
        title=details.title,
        slug=details.slug,
        reference=details.reference,
        audience=details.audience,
        published_on=details.published_on,
        reply_by=details.reply_by,
        expires_on=details.expires_on,
        contact=details.contact,
        body=body,
    )
    index.add_child(instance=notice)
    _publish(notice)
    return notice


FAIR_ACCESS_SLUG = "data"


@transaction.atomic
def fair_access_page_ensure(*, home: CouncilHomePage) -> FairAccessDataPage:
    """The council's data page: /<protocol>/data/ under its (first) protocol's page, or
    /managed-moves-data/ under the home page when the council has no protocol (idempotent)."""
    page = FairAccessDataPage.objects.descendant_of(home).first()
    if page is not None:
        return page
    index = ProtocolIndexPage.objects.child_of(home).order_by("path").first()
    parent: Page = index or home
    page = FairAccessDataPage(
        title=_("Managed moves: Fair Access data"),
        slug=FAIR_ACCESS_SLUG if index else f"managed-moves-{FAIR_ACCESS_SLUG}",
    )
    parent.add_child(instance=page)
    _publish(page)
    return page


@transaction.atomic
def fair_access_data_publish(
    *, council: Council, figures: dict[str, Any], now: datetime
) -> FairAccessDataPage | None:
    """Publish (or replace) the council's figures, already counted and suppressed by case work,
    and make its data page when the council has a guidance site (None when it has none)."""
    FairAccessData.objects.update_or_create(
        council=council,
        defaults={"figures": figures, "updated_at": now},
        create_defaults={"figures": figures, "updated_at": now, "first_published_at": now},
    )
    home = CouncilHomePage.objects.filter(council=council).first()
    return fair_access_page_ensure(home=home) if home is not None else None


def fair_access_data_refresh(*, council: Council, figures: dict[str, Any], now: datetime) -> bool:
    """Replace the figures of a council that has published them; False (nothing written) for a
    council that has not: only a council admin's publishing puts figures on the site."""
    return bool(
        FairAccessData.objects.filter(council=council).update(figures=figures, updated_at=now)
    )
