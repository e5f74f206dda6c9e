"""A version published with a later effective date: its guidance goes live that day (Wagtail's
scheduled publishing), and the version before it is shown as superseded from then."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from cms.models import ProtocolGuidancePage
from cms.selectors import _status
from protocols import services as protocol_services
from protocols.models import ProtocolVersion
from tenants.models import Role
from tests.factories import person_with_role
from tests.integration.cms.cms_sites import GuidanceSites


@pytest.mark.django_db(transaction=True)
def test_a_later_version_goes_live_on_its_date(sites: GuidanceSites) -> None:
    drafter = person_with_role(role=Role.COUNCIL_ADMIN, council=sites.norfolk)
    approver = person_with_role(role=Role.COUNCIL_ADMIN, council=sites.norfolk)
    draft = protocol_services.protocol_draft_start(
        council=sites.norfolk, slug="norfolk-managed-moves", by=drafter
    )
    protocol_services.protocol_draft_approve(draft=draft, by=approver)
    effective = timezone.localdate() + timedelta(days=10)
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
