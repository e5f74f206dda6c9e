"""A version published with a later effective date: its guidance goes live that day (Wagtail's
scheduled publishing), and the version before it is shown as superseded from then."""

from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from cms.models import ProtocolGuidancePage
from cms.selectors import _status
from protocols import services as protocol_services
from protocols.models import ProtocolVersion
from tenants.models import Role
from tests.factories import person_with_role
from tests.integration.cms.cms_sites import GuidanceSites


def test_a_later_version_goes_live_on_its_date(
    sites: GuidanceSites, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    drafter = person_with_role(role=Role.COUNCIL_ADMIN, council=sites.norfolk)
    approver = person_with_role(role=Role.COUNCIL_ADMIN, council=sites.norfolk)
    draft = protocol_services.protocol_draft_start(
        council=sites.norfolk, slug="norfolk-managed-moves", by=drafter
    )
    protocol_services.protocol_draft_approve(draft=draft, by=approver)
    effective = timezone.localdate() + timedelta(days=10)
    with django_capture_on_commit_callbacks(execute=True):  # the guidance page follows
        version = protocol_services.protocol_draft_publish(
            draft=draft, effective_from=effective, by=drafter
        )
    page = ProtocolGuidancePage.objects.get(protocol_version=version)
    assert not page.live  # not public before its date
    revision = page.latest_revision
    assert revision.approved_go_live_at is not None
    assert timezone.localtime(revision.approved_go_live_at).date() == effective

    v2 = ProtocolVersion.objects.get(slug="norfolk-managed-moves", version=2)
    assert _status(v2, [v2, version], timezone.localdate()) == "in_force"
    assert _status(v2, [v2, version], effective) == "superseded"

    # The day comes: Wagtail's publish_scheduled command makes it live.
    call_command("publish_scheduled")
    page.refresh_from_db()
    assert not page.live
    # Pretend the day has come (no clock is moved): the revision's date is now in the past.
    past = timezone.now() - timedelta(minutes=1)
    revision.approved_go_live_at = past
    revision.content["go_live_at"] = past.isoformat()
    revision.save(update_fields=["approved_go_live_at", "content"])
    call_command("publish_scheduled")
    page.refresh_from_db()
    assert page.live


def test_a_drafts_guidance_is_previewed_by_its_admins_only(sites: GuidanceSites) -> None:
    from django.test import Client
    from django.urls import reverse

    from tests.factories import sign_in

    admin = person_with_role(role=Role.COUNCIL_ADMIN, council=sites.norfolk)
    draft = protocol_services.protocol_draft_start(
        council=sites.norfolk, slug="norfolk-managed-moves", by=admin
    )
    text = draft.yaml_text.replace(
        "title: Direction Off-site With Intent to Managed Move (DOWIMM)",
        "title: Direction Off-site With Intent to Managed Move (DOWIMM), 2027",
    )
    assert protocol_services.protocol_draft_save(draft=draft, yaml_text=text, by=admin).ok
    client = Client()
    sign_in(client, admin)
    base = reverse("cms:draft_guidance_preview", args=["norfolk", draft.pk])
    for path in ("", "step-by-step/", "timeline/", "forms/", "special-routes/"):
        page = client.get(base + path)
        assert page.status_code == 200, path
        assert b"not published and not public" in page.content
        assert b"DOWIMM), 2027" in page.content
    # Not public: the council's site has no page for version 3.
    assert not ProtocolGuidancePage.objects.filter(protocol_version__version=3).exists()
    officer = person_with_role(role=Role.COUNCIL_OFFICER, council=sites.norfolk)
    client = Client()
    sign_in(client, officer)
    assert client.get(base).status_code == 404
    # The draft preview links to it.
    preview = Client()
    sign_in(preview, admin)
    page = preview.get(reverse("protocols:draft_preview", args=["norfolk", draft.pk]))
    assert base.encode() in page.content
