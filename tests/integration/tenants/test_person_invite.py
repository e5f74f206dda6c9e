"""A new account gets an email with a one-time link to set its password; the link works once."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tenants.models import Council, Role, User
from tests.factories import sign_in

pytestmark = pytest.mark.django_db


def test_new_person_is_invited_and_sets_a_password(admin_a: User, council_a: Council) -> None:
    client = Client()
    sign_in(client, admin_a)
    client.post(
        reverse("tenants:membership_add", kwargs={"council_slug": council_a.slug}),
        {
            "email": "new.officer@norfolk.example",
            "first_name": "Ruth",
            "last_name": "Gee",
            "role": Role.COUNCIL_OFFICER,
        },
    )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert (
        message.to == ["new.officer@norfolk.example"] and message.subject == "Your Fairway account"
    )
    link = re.search(r"http://testserver(/account/password-reset/\S+/)", message.body)
    assert link is not None

    visitor = Client()
    form = visitor.get(link.group(1), follow=True)
    assert b"Set your password" in form.content
    done = visitor.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a-long-new-password-9", "new_password2": "a-long-new-password-9"},
    )
    assert done.status_code == 302
    assert User.objects.get(email="new.officer@norfolk.example").check_password(
        "a-long-new-password-9"
    )
    # The link works once.
    assert b"expired or was already used" in Client().get(link.group(1), follow=True).content


def test_existing_person_gets_no_invitation(admin_a: User, council_a: Council) -> None:
    client = Client()
    sign_in(client, admin_a)
    client.post(
        reverse("tenants:membership_add", kwargs={"council_slug": council_a.slug}),
        {
            "email": admin_a.email,
            "first_name": "A",
            "last_name": "B",
            "role": Role.INCLUSION_ADVISER,
        },
    )
    assert mail.outbox == []


def test_password_reset_pages_render(db: None) -> None:
    client = Client()
    page = client.get(reverse("tenants:password_reset"))
    assert b"Reset your password" in page.content
    sent = client.post(reverse("tenants:password_reset"), {"email": "nobody@example.org"})
    assert sent["Location"] == reverse("tenants:password_reset_done")
    assert b"Forgotten your password?" in client.get(reverse("two_factor:login")).content
