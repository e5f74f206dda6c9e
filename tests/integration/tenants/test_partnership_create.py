"""partnership_create: unique names per council, slugs made from the name."""

import pytest

from tenants.models import Council, Partnership
from tenants.services import TenantsError, partnership_create

pytestmark = pytest.mark.django_db


def test_slug_and_duplicates(admin_a, council_a: Council, council_b: Council) -> None:  # type: ignore[no-untyped-def]
    seip = partnership_create(
        created_by=admin_a, council=council_a, name="Charnwood SEIP", kind=Partnership.Kind.SEIP
    )
    assert seip.slug == "charnwood-seip"
    with pytest.raises(TenantsError, match="already has a partnership"):
        partnership_create(
            created_by=admin_a,
            council=council_a,
            name="charnwood seip ",
            kind=Partnership.Kind.SEIP,
        )
    # Another council may use the same name.
    other = partnership_create(
        created_by=admin_a, council=council_b, name="Charnwood SEIP", kind=Partnership.Kind.SEIP
    )
    assert other.slug == "charnwood-seip"
