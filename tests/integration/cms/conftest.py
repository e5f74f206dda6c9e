"""Guidance sites built the way the demo builds them, from the bundled protocols."""

import pytest

from cms.demo import load_demo
from cms.models import CouncilHomePage
from protocols.services import bundled_load
from tests.factories import CouncilFactory
from tests.integration.cms.cms_sites import GuidanceSites


@pytest.fixture
def sites(db: None) -> GuidanceSites:
    norfolk = CouncilFactory(name="Norfolk County Council", slug="norfolk", brand_colour="#00558c")
    southwark = CouncilFactory(name="Southwark Council", slug="southwark", brand_colour="#ffdd00")
    bundled_load()
    load_demo()
    return GuidanceSites(
        norfolk=norfolk,
        southwark=southwark,
        norfolk_home=CouncilHomePage.objects.get(council=norfolk),
        southwark_home=CouncilHomePage.objects.get(council=southwark),
    )
