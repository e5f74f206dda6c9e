"""The demo data: four councils, one login per role per council, idempotent."""

import pytest
from django.test import Client
from django.urls import reverse

from tenants import access
from tenants.demo import DEMO_PASSWORD, load_demo
from tenants.models import Council, Membership, Partnership, Role, School, Trust, User

pytestmark = pytest.mark.django_db

SLUGS = ["norfolk", "leicestershire", "southwark", "leicester-city"]
ADDRESSES = [
    "admin",
    "officer",
    "inclusion-adviser",
    "partnership-officer",
    "head-teacher",
    "school-staff",
]


def test_load_demo_is_idempotent() -> None:
    load_demo()
    counts = (
        Council.objects.count(),
        School.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
    )
    load_demo()
    assert counts == (
        Council.objects.count(),
        School.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
    )
    # Lambeth is not on Fairway: one school, nobody working in it (a move there is Southwark's alone).
    assert sorted(Council.objects.values_list("slug", flat=True)) == sorted([*SLUGS, "lambeth"])
    assert not Membership.objects.filter(council__slug="lambeth").exists()


def test_one_login_per_role_per_council() -> None:
    load_demo()
    for slug in SLUGS:
        council = Council.objects.get(slug=slug)
        assert 8 <= council.schools.count() <= 12
        for address, role in zip(ADDRESSES, Role, strict=True):
            user = User.objects.get(email=f"{address}@{slug}.example")
            assert user.check_password(DEMO_PASSWORD)
            assert access.roles_at(user, council_id=council.pk) == {role}


def test_leicestershire_partnerships_and_cross_border_trust() -> None:
    load_demo()
    names = set(
        Partnership.objects.filter(council__slug="leicestershire").values_list("name", "kind")
    )
    assert sum(1 for _, kind in names if kind == "seip") == 4
    assert ("NW Leicestershire Fair Access Panel", "fair_access_panel") in names
    trust = Trust.objects.get(name="Soar Valley Learning Trust")
    assert set(trust.schools.values_list("council__slug", flat=True)) == {
        "leicestershire",
        "leicester-city",
    }
    officer = User.objects.get(email="trust-officer@leicestershire.example")
    assert access.council_ids_for(officer) == set(
        Council.objects.filter(slug__in=["leicestershire", "leicester-city"]).values_list(
            "pk", flat=True
        )
    )


def test_superuser_and_password_sign_in() -> None:
    load_demo()
    assert User.objects.get(email="superuser@fairway.example").is_superuser
    client = Client()
    response = client.post(
        reverse("two_factor:login"),
        {
            "login_view-current_step": "auth",
            "auth-username": "head-teacher@norfolk.example",
            "auth-password": DEMO_PASSWORD,
        },
    )
    assert response.status_code == 302
    head = User.objects.get(email="head-teacher@norfolk.example")
    assert client.session["_auth_user_id"] == str(head.pk)
