"""Council editors: Wagtail groups scoped to their own site, collection and moderation workflow."""

import pytest
from django.test import Client, RequestFactory
from wagtail.models import Page

from cms.models import ProtocolIndexPage
from cms.services import council_editors_ensure
from cms.wagtail_hooks import limit_page_chooser_to_own_council
from tenants.models import Role, User
from tests.factories import person_with_role, sign_in
from tests.integration.cms.cms_sites import GuidanceSites

pytestmark = pytest.mark.django_db


def _norfolk_editor(sites: GuidanceSites) -> User:
    user = person_with_role(
        role=Role.COUNCIL_OFFICER, council=sites.norfolk, email="editor@norfolk.example"
    )
    user.groups.add(council_editors_ensure(council=sites.norfolk, home=sites.norfolk_home).editors)
    return user


def test_an_editor_can_edit_own_council_pages_and_not_another_councils(
    sites: GuidanceSites,
) -> None:
    editor = _norfolk_editor(sites)
    own = sites.norfolk_home.get_descendants().last()
    other = sites.southwark_home.get_descendants().last()
    assert own is not None and other is not None
    assert own.permissions_for_user(editor).can_edit()
    assert not own.permissions_for_user(editor).can_publish()  # editors submit for moderation
    assert not other.permissions_for_user(editor).can_edit()

    client = Client()
    sign_in(client, editor)
    assert client.get(f"/admin/pages/{own.pk}/edit/").status_code == 200
    response = client.get(f"/admin/pages/{other.pk}/edit/")
    assert response.status_code in (302, 403, 404)
    assert other.title.encode() not in response.content


def test_the_page_chooser_lists_only_the_editors_own_site(sites: GuidanceSites) -> None:
    editor = _norfolk_editor(sites)
    request = RequestFactory().get("/admin/choose-page/")
    request.user = editor
    chosen = limit_page_chooser_to_own_council(Page.objects.all(), request)
    assert chosen.filter(pk=sites.norfolk_home.pk).exists()
    assert not chosen.filter(pk=sites.southwark_home.pk).exists()
    assert not chosen.descendant_of(sites.southwark_home).exists()


def test_each_council_has_its_own_collection_and_moderation_workflow(sites: GuidanceSites) -> None:
    norfolk = council_editors_ensure(council=sites.norfolk, home=sites.norfolk_home)
    southwark = council_editors_ensure(council=sites.southwark, home=sites.southwark_home)
    assert norfolk.collection != southwark.collection
    guidance = sites.norfolk_home.get_descendants().specific().last()
    assert guidance is not None
    assert guidance.get_workflow() == norfolk.workflow
    task = norfolk.workflow.tasks.get().specific
    assert list(task.groups.all()) == [norfolk.moderators]


def test_an_editor_submits_a_revision_for_moderation(sites: GuidanceSites) -> None:
    editor = _norfolk_editor(sites)
    moderator = person_with_role(
        role=Role.COUNCIL_ADMIN, council=sites.norfolk, email="mod@norfolk.example"
    )
    groups = council_editors_ensure(council=sites.norfolk, home=sites.norfolk_home)
    moderator.groups.add(groups.moderators)
    guidance = sites.norfolk_home.get_children().specific().first()
    assert guidance is not None
    guidance.title = "Managed moves in Norfolk"
    revision = guidance.save_revision(user=editor)
    state = groups.workflow.start(guidance, editor)
    assert state.status == "in_progress"
    task_state = state.current_task_state
    assert task_state.task.specific.user_can_access_editor(guidance, moderator)
    assert not task_state.task.specific.user_can_access_editor(guidance, editor)
    assert revision.content["title"] == "Managed moves in Norfolk"


def test_a_guidance_page_cannot_point_at_another_councils_protocol(sites: GuidanceSites) -> None:
    from django.core.exceptions import ValidationError

    from cms.models import ProtocolGuidancePage
    from protocols.models import ProtocolVersion

    page = ProtocolGuidancePage.objects.get(
        protocol_version__slug="norfolk-managed-moves", protocol_version__version=2
    )
    page.protocol_version = ProtocolVersion.objects.get(slug="southwark-managed-moves")
    with pytest.raises(ValidationError) as error:
        page.full_clean()
    assert "protocol_version" in error.value.message_dict


def test_the_council_and_protocol_version_are_read_only_in_the_editor(sites: GuidanceSites) -> None:
    editor = _norfolk_editor(sites)
    guidance = (
        sites.norfolk_home.get_children().type(ProtocolIndexPage).get().get_children().first()
    )
    assert guidance is not None
    client = Client()
    sign_in(client, editor)
    html = client.get(f"/admin/pages/{guidance.pk}/edit/").content.decode()
    assert 'name="protocol_version"' not in html
    assert 'name="body_before' in html or "body_before" in html
