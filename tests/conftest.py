"""Fixtures shared by the whole suite."""

import pytest
from hypothesis import HealthCheck, settings

from tenants.models import Council, Role, User
from tests.factories import CouncilFactory, person_with_role, wagtail_default_locale

# No test asserts time: on a loaded machine a property must not fail on how long an example took
# to draw or run (Hypothesis's deadline and too_slow health check), only on what it found.
settings.register_profile("fairway", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("fairway")

# The fixtures through which a test reaches the database (the marker's, or one it requests).
_DATABASE_FIXTURES = {"db", "transactional_db", "live_server", "django_db_reset_sequences"}


@pytest.fixture(autouse=True)
def _wagtail_default_locale(request: pytest.FixtureRequest) -> None:
    """Every test with a database has Wagtail's default locale, whatever ran before it in the
    process (a transactional test flushes it: wagtail_default_locale)."""
    if request.node.get_closest_marker("django_db") is None and not (
        _DATABASE_FIXTURES & set(request.fixturenames)
    ):
        return
    request.getfixturevalue("_django_db_helper")
    wagtail_default_locale()


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
