"""Fixtures shared by the whole suite."""

import pytest
from hypothesis import HealthCheck, settings

from tenants.models import Council, Role, User
from tests.factories import CouncilFactory, person_with_role

# No test asserts time: on a loaded machine a property must not fail on how long an example took
# to draw or run (Hypothesis's deadline and too_slow health check), only on what it found.
settings.register_profile("fairway", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("fairway")


@pytest.fixture
def council_a(db: None) -> Council:
    return CouncilFactory(name="Norfolk County Council", slug="norfolk")


@pytest.fixture
def council_b(db: None) -> Council:
    return CouncilFactory(name="Southwark Council", slug="southwark")


@pytest.fixture
def admin_a(council_a: Council) -> User:
    return person_with_role(role=Role.COUNCIL_ADMIN, council=council_a, email="admin@a.example")


@pytest.fixture
def admin_b(council_b: Council) -> User:
    return person_with_role(role=Role.COUNCIL_ADMIN, council=council_b, email="admin@b.example")
