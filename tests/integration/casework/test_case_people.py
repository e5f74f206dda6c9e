"""The case's people page: council staff add or remove a named person on one case."""

from django.test import Client
from django.urls import reverse

from tenants.models import Role
from tests.factories import person_with_role, sign_in

from .conftest import Place, open_case


def test_the_page(norfolk: Place, client: Client) -> None:
    case = open_case(norfolk)
    adviser = person_with_role(role=Role.INCLUSION_ADVISER, council=norfolk.council)
    url = reverse("casework:case_people", args=[case.pk])
    # School staff see who has access but cannot add anyone.
    sign_in(client, norfolk.home_staff)
    page = client.get(url)
    assert page.status_code == 200 and b"Add a person" not in page.content
    assert client.post(url, {"email": adviser.email, "access_level": "view"}).status_code == 404
    sign_in(client, norfolk.officer)
    bad = client.post(url, {"email": "nobody@example.org", "access_level": "view"})
    assert b"govuk-error-summary" in bad.content and b'href="#id_email"' in bad.content
    ok = client.post(url, {"email": adviser.email.upper(), "access_level": "change"})
    assert ok.status_code == 302
    listed = client.get(url)
    assert adviser.email.encode() in listed.content
    removed = client.post(reverse("casework:case_person_remove", args=[case.pk, adviser.pk]))
    assert removed.status_code == 302
    assert adviser.email.encode() not in client.get(url).content
    # Nobody else can be "removed": only people added by name.
    again = client.post(reverse("casework:case_person_remove", args=[case.pk, adviser.pk]))
    assert again.status_code == 404
