"""Publishing a protocol version makes its guidance page once the publishing has committed."""

import logging
from pathlib import Path
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.db import transaction
from django.test import Client, RequestFactory
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks as Capture

from cms.demo import load_demo
from cms.models import CouncilHomePage, ProtocolGuidancePage, ProtocolIndexPage
from cms.selectors import protocol_index_view
from protocols.bundled import BUNDLED_DIR
from protocols.models import ProtocolVersion
from protocols.services import protocol_version_publish
from tenants.models import Council
from tests.factories import CouncilFactory

pytestmark = pytest.mark.django_db

NORFOLK_V1 = BUNDLED_DIR / "norfolk" / "managed-moves-v1-behaviour-trial.yaml"
NORFOLK_V2 = BUNDLED_DIR / "norfolk" / "managed-moves-v2-dowimm.yaml"


@pytest.fixture
def norfolk(db: None) -> Council:
    return CouncilFactory(name="Norfolk County Council", slug="norfolk")


@pytest.fixture
def norfolk_site_with_v1(norfolk: Council) -> CouncilHomePage:
    """Norfolk's guidance site as the demo makes it, when only version 1 was published."""
    protocol_version_publish(path=NORFOLK_V1)
    load_demo()
    assert ProtocolGuidancePage.objects.count() == 1
    return CouncilHomePage.objects.get(council=norfolk)


def publish(capture: Capture, path: Path, **kwargs: Any) -> ProtocolVersion:
    # The test runs inside a transaction: run the on-commit callbacks as a real commit would.
    with capture(execute=True):
        return protocol_version_publish(path=path, **kwargs)


def test_publishing_v2_makes_its_page_and_v1_links_to_it(
    norfolk_site_with_v1: CouncilHomePage, django_capture_on_commit_callbacks: Capture
) -> None:
    client = Client()
    assert (
        'href="/norfolk/managed-moves/v2/"'
        not in client.get("/norfolk/managed-moves/v1/").content.decode()
    )

    version = publish(django_capture_on_commit_callbacks, NORFOLK_V2)

    page = ProtocolGuidancePage.objects.get(protocol_version=version)
    assert page.live and page.url_path.endswith("/norfolk/managed-moves/v2/")
    assert client.get("/norfolk/managed-moves/v2/").status_code == 200
    v1 = client.get("/norfolk/managed-moves/v1/").content.decode()
    assert "Superseded" in v1 and 'href="/norfolk/managed-moves/v2/"' in v1
    index = ProtocolIndexPage.objects.get(protocol_slug="norfolk-managed-moves")
    view = protocol_index_view(page=index, today=version.effective_from)
    assert {v.version: v.status for v in view.versions} == {1: "superseded", 2: "in_force"}


def test_nothing_is_made_before_the_publishing_commits(
    norfolk_site_with_v1: CouncilHomePage, django_capture_on_commit_callbacks: Capture
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        version = protocol_version_publish(path=NORFOLK_V2)
        assert not ProtocolGuidancePage.objects.filter(protocol_version=version).exists()
    assert len(callbacks) == 1
    callbacks[0]()
    assert ProtocolGuidancePage.objects.filter(protocol_version=version).exists()


def test_a_rolled_back_publishing_makes_no_page(
    norfolk_site_with_v1: CouncilHomePage, django_capture_on_commit_callbacks: Capture
) -> None:
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        protocol_version_publish(path=NORFOLK_V2)
        raise RuntimeError("something later in the same transaction failed")
    assert callbacks == []
    assert not ProtocolVersion.objects.filter(version=2).exists()
    assert ProtocolGuidancePage.objects.count() == 1


def test_republishing_the_same_version_sends_nothing(
    norfolk_site_with_v1: CouncilHomePage, django_capture_on_commit_callbacks: Capture
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        protocol_version_publish(path=NORFOLK_V1)
    assert callbacks == []


def test_a_council_without_a_guidance_site_gets_no_pages(
    norfolk: Council,
    django_capture_on_commit_callbacks: Capture,
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.INFO, logger="cms.signals"):
        version = publish(django_capture_on_commit_callbacks, NORFOLK_V1)
    assert ProtocolVersion.objects.filter(pk=version.pk).exists()
    assert not CouncilHomePage.objects.exists() and not ProtocolGuidancePage.objects.exists()
    assert [(r.levelno, r.getMessage()) for r in caplog.records if r.name == "cms.signals"] == [
        (
            logging.INFO,
            "Published norfolk-managed-moves@1; its council has no guidance site yet, so no page "
            "was made",
        )
    ]


def test_a_failing_page_is_logged_and_shown_and_the_version_stays_published(
    norfolk_site_with_v1: CouncilHomePage,
    django_capture_on_commit_callbacks: Capture,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(**kwargs: object) -> None:
        raise RuntimeError("Wagtail tree is locked")

    monkeypatch.setattr("cms.services.protocol_guidance_ensure", broken)
    request = RequestFactory().post("/council/norfolk/protocols/")
    request.session = {}  # type: ignore[assignment]
    request._messages = FallbackStorage(request)

    with caplog.at_level(logging.INFO, logger="cms.signals"):
        version = publish(django_capture_on_commit_callbacks, NORFOLK_V2, request=request)

    assert ProtocolVersion.objects.get(pk=version.pk).version == 2
    assert not ProtocolGuidancePage.objects.filter(protocol_version=version).exists()
    [record] = [r for r in caplog.records if r.name == "cms.signals"]
    assert record.levelno == logging.ERROR and record.exc_info is not None
    assert "Published norfolk-managed-moves@2, but its guidance page could not be made" in (
        record.getMessage()
    )
    assert [str(m) for m in get_messages(request)] == [
        "Version 2 of Direction Off-site With Intent to Managed Move (DOWIMM) is published, but "
        "its guidance page could not be made. Ask your Fairway support team to create it."
    ]
