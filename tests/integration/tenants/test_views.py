"""Council admin pages: they render for the admin, forms report errors, lists keep their query count."""

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tenants.models import AuditEvent, Council, Membership, Partnership, Role, School, User
from tenants.services import audit_record
from tests.factories import PartnershipFactory, SchoolFactory, person_with_role, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(admin_a: User) -> Client:
    client = Client()
    sign_in(client, admin_a)
    return client


@pytest.mark.parametrize(
    "name",
    [
        "council_home",
        "people",
        "membership_add",
        "schools",
        "partnerships",
        "partnership_add",
        "audit",
    ],
)
def test_admin_pages_render(admin_client: Client, council_a: Council, name: str) -> None:
    response = admin_client.get(reverse(f"tenants:{name}", kwargs={"council_slug": council_a.slug}))
    assert response.status_code == 200
    assert b"govuk-template" in response.content


def test_council_index_redirects_to_the_only_council(
    admin_client: Client, council_a: Council
) -> None:
    response = admin_client.get(reverse("tenants:council_index"))
    assert response["Location"] == reverse(
        "tenants:council_home", kwargs={"council_slug": "norfolk"}
    )


def test_officer_gets_404_on_admin_pages(council_a: Council) -> None:
    client = Client()
    sign_in(client, person_with_role(role=Role.COUNCIL_OFFICER, council=council_a))
    assert (
        client.get(reverse("tenants:people", kwargs={"council_slug": "norfolk"})).status_code == 404
    )
    assert client.get(reverse("tenants:council_index")).status_code == 404


def test_anonymous_is_sent_to_sign_in(council_a: Council) -> None:
    response = Client().get(reverse("tenants:people", kwargs={"council_slug": "norfolk"}))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor:login"))


def test_add_membership_creates_the_account_and_audits(
    admin_client: Client, council_a: Council
) -> None:
    school = SchoolFactory(council=council_a, name="Taverham High School")
    url = reverse("tenants:membership_add", kwargs={"council_slug": "norfolk"})
    response = admin_client.post(
        url,
        {
            "email": "New.Head@Taverham.example",
            "first_name": "Priya",
            "last_name": "Shah",
            "role": Role.HEAD_TEACHER,
            "school": school.pk,
        },
    )
    assert response.status_code == 302
    person = User.objects.get(email="new.head@taverham.example")
    assert not person.has_usable_password()
    membership = Membership.objects.get(user=person)
    assert (membership.role, membership.school) == (Role.HEAD_TEACHER, school)
    event = AuditEvent.objects.get(action=AuditEvent.Action.ROLE_GRANTED)
    assert event.council == council_a and "Head teacher" in event.summary


def test_add_membership_errors_use_the_error_summary(
    admin_client: Client, council_a: Council
) -> None:
    url = reverse("tenants:membership_add", kwargs={"council_slug": "norfolk"})
    response = admin_client.post(
        url,
        {"email": "x@example.org", "first_name": "A", "last_name": "B", "role": Role.SCHOOL_STAFF},
    )
    assert response.status_code == 200
    assert b"govuk-error-summary" in response.content
    assert b"Choose the school for a head teacher or school staff." in response.content


def test_school_of_another_council_cannot_be_chosen(
    admin_client: Client, council_a: Council, council_b: Council
) -> None:
    other = SchoolFactory(council=council_b)
    url = reverse("tenants:membership_add", kwargs={"council_slug": "norfolk"})
    response = admin_client.post(
        url,
        {
            "email": "x@example.org",
            "first_name": "A",
            "last_name": "B",
            "role": Role.SCHOOL_STAFF,
            "school": other.pk,
        },
    )
    assert response.status_code == 200
    assert not Membership.objects.filter(user__email="x@example.org").exists()


def test_revoke_membership(admin_client: Client, council_a: Council) -> None:
    staff = person_with_role(role=Role.SCHOOL_STAFF, council=council_a)
    membership = Membership.objects.get(user=staff)
    url = reverse(
        "tenants:membership_revoke",
        kwargs={"council_slug": "norfolk", "membership_id": membership.pk},
    )
    assert admin_client.get(url).status_code == 405
    assert admin_client.post(url).status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.ROLE_REVOKED, council=council_a
    ).exists()


def test_edit_school(admin_client: Client, council_a: Council) -> None:
    partnership = PartnershipFactory(council=council_a)
    school = SchoolFactory(council=council_a, name="Old Name")
    url = reverse("tenants:school_edit", kwargs={"council_slug": "norfolk", "school_id": school.pk})
    data = {
        "name": "Sprowston Community Academy",
        "phase": "secondary",
        "kind": "academy",
        "partnership": partnership.pk,
        "postcode": "nr7 8nE",
        "number_on_roll": "1400",
    }
    assert admin_client.post(url, data).status_code == 302
    school.refresh_from_db()
    assert (school.name, school.postcode, school.partnership) == (
        "Sprowston Community Academy",
        "NR7 8NE",
        partnership,
    )
    assert school.history.count() == 2
    bad = admin_client.post(url, {**data, "postcode": "1234 5"})
    assert b"Enter a UK postcode" in bad.content


def test_add_partnership(admin_client: Client, council_a: Council) -> None:
    url = reverse("tenants:partnership_add", kwargs={"council_slug": "norfolk"})
    assert (
        admin_client.post(url, {"name": "Breckland Locality", "kind": "locality"}).status_code
        == 302
    )
    assert (
        Partnership.objects.get(council=council_a, name="Breckland Locality").slug
        == "breckland-locality"
    )
    again = admin_client.post(url, {"name": "breckland locality", "kind": "locality"})
    assert b"already has a partnership with that name" in again.content


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _grow_people(council: Council, n: int) -> None:
    partnership = PartnershipFactory(council=council)
    for _ in range(n):
        person_with_role(role=Role.SCHOOL_STAFF, council=council)
        person_with_role(role=Role.PARTNERSHIP_OFFICER, council=council, partnership=partnership)


def _grow_schools(council: Council, n: int) -> None:
    partnership = PartnershipFactory(council=council)
    for _ in range(n):
        SchoolFactory(council=council, partnership=partnership)


def _grow_partnerships(council: Council, n: int) -> None:
    for _ in range(n):
        SchoolFactory(council=council, partnership=PartnershipFactory(council=council))


def _grow_audit(council: Council, n: int) -> None:
    for i in range(n):
        audit_record(
            actor=None, council=council, action=AuditEvent.Action.RECORD_VIEWED, object_id=i
        )


@pytest.mark.parametrize(
    ("name", "grow"),
    [
        ("people", _grow_people),
        ("schools", _grow_schools),
        ("partnerships", _grow_partnerships),
        ("audit", _grow_audit),
    ],
)
def test_list_query_count_does_not_grow_with_rows(
    admin_client: Client, council_a: Council, name: str, grow: Callable[[Council, int], None]
) -> None:
    url = reverse(f"tenants:{name}", kwargs={"council_slug": council_a.slug})
    grow(council_a, 5)
    at_n = _count(admin_client, url)
    grow(council_a, 5)
    assert _count(admin_client, url) == at_n


def test_audit_filter_and_export(
    admin_client: Client, council_a: Council, council_b: Council
) -> None:
    audit_record(
        actor=None,
        council=council_a,
        action=AuditEvent.Action.RECORD_VIEWED,
        summary="=HYPERLINK(x)",
        actor_email="officer@norfolk.example",
    )
    audit_record(
        actor=None,
        council=council_b,
        action=AuditEvent.Action.RECORD_VIEWED,
        summary="Southwark only",
    )
    url = reverse("tenants:audit", kwargs={"council_slug": "norfolk"})
    page = admin_client.get(url, {"action": "record_viewed", "person": "officer@"})
    assert b"officer@norfolk.example" in page.content and b"Southwark only" not in page.content
    csv_response = admin_client.get(
        reverse("tenants:audit_export", kwargs={"council_slug": "norfolk", "fmt": "csv"})
    )
    body = csv_response.content.decode()
    assert body.splitlines()[0].startswith("occurred_at,action,actor_email")
    assert "'=HYPERLINK(x)" in body and "Southwark only" not in body
    xlsx = admin_client.get(
        reverse("tenants:audit_export", kwargs={"council_slug": "norfolk", "fmt": "xlsx"})
    )
    assert xlsx.content[:2] == b"PK"
    assert (
        AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT, council=council_a).count() == 2
    )
    bad_dates = admin_client.get(url, {"date_from": "2025-05-02", "date_to": "2025-05-01"})
    assert b"The end date must be on or after the start date." in bad_dates.content


def test_school_filters(admin_client: Client, council_a: Council) -> None:
    seip = PartnershipFactory(council=council_a, name="Hinckley SEIP")
    SchoolFactory(council=council_a, name="In The SEIP", partnership=seip)
    SchoolFactory(council=council_a, name="Primary Elsewhere", phase=School.Phase.PRIMARY)
    url = reverse("tenants:schools", kwargs={"council_slug": "norfolk"})
    response = admin_client.get(url, {"partnership": seip.pk})
    assert b"In The SEIP" in response.content and b"Primary Elsewhere" not in response.content
    response = admin_client.get(url, {"phase": "primary"})
    assert b"Primary Elsewhere" in response.content and b"In The SEIP" not in response.content
