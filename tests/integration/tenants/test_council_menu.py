"""Links other apps add to the council home page (tenants.menu), without tenants naming them."""

import pytest
from django.test import Client
from django.urls import reverse

from tenants import menu
from tenants.models import Council, User
from tests.factories import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def registry(monkeypatch: pytest.MonkeyPatch) -> None:
    # Each test adds to a copy of what the apps registered at start-up.
    monkeypatch.setattr(menu, "_registry", dict(menu._registry))


def _home(user: User, council: Council) -> str:
    client = Client()
    sign_in(client, user)
    return client.get(reverse("tenants:council_home", args=[council.slug])).content.decode()


def test_case_work_adds_the_register_after_the_council_pages(
    admin_a: User, council_a: Council
) -> None:
    body = _home(admin_a, council_a)
    audit = body.index(f'href="{reverse("tenants:audit", args=[council_a.slug])}"')
    register = body.index(f'href="{reverse("casework:register", args=[council_a.slug])}"')
    assert audit < register
    assert ">Register of managed moves</a>" in body


def test_a_link_shows_only_where_its_app_says(
    admin_a: User, admin_b: User, council_a: Council, council_b: Council
) -> None:
    menu.register_council_link(
        label="Norfolk's own page",
        url=lambda council: f"/somewhere/{council.slug}/",
        visible=lambda user, council: council.slug == "norfolk",
    )
    assert 'href="/somewhere/norfolk/">Norfolk&#x27;s own page</a>' in _home(admin_a, council_a)
    assert "/somewhere/" not in _home(admin_b, council_b)


def test_registering_a_url_again_replaces_its_link(admin_a: User, council_a: Council) -> None:
    menu.register_council_link(label="The register", url="casework:register")
    links = menu.council_links(user=admin_a, council=council_a)
    assert [link.label for link in links].count("The register") == 1
    assert "Register of managed moves" not in [str(link.label) for link in links]
