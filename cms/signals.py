"""Receivers that keep the guidance sites in step with protocols (connected in CmsConfig.ready)."""

from __future__ import annotations

import logging
from typing import Any

from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext as _

from cms.services import protocol_guidance_for_published
from protocols.models import ProtocolVersion

logger = logging.getLogger(__name__)


def on_protocol_version_published(
    sender: Any, *, version: ProtocolVersion, request: HttpRequest | None = None, **kwargs: Any
) -> None:
    """Make the new version's guidance page; runs after publishing has committed."""
    try:
        page = protocol_guidance_for_published(version=version)
    except Exception:
        # The version is published and stays so; only its page is missing until the next try.
        logger.exception(
            "Published %s, but its guidance page could not be made; run `fairway demo "
            "--no-serve` or cms.services.protocol_guidance_ensure to try again",
            version.reference,
        )
        if request is not None:
            messages.error(
                request,
                _(
                    "Version %(version)s of %(title)s is published, but its guidance page could "
                    "not be made. Ask your Fairway support team to create it."
                )
                % {"version": version.version, "title": version.title},
                fail_silently=True,
            )
        return
    if page is None:
        logger.info(
            "Published %s; its council has no guidance site yet, so no page was made",
            version.reference,
        )
    else:
        logger.info("Published %s; guidance page %s made", version.reference, page.url_path)
