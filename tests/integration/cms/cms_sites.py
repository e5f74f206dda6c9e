"""What the `sites` fixture gives a test."""

from dataclasses import dataclass

from cms.models import CouncilHomePage
from tenants.models import Council


@dataclass
class GuidanceSites:
    norfolk: Council
    southwark: Council
    norfolk_home: CouncilHomePage
    southwark_home: CouncilHomePage
