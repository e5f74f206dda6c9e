"""Unlocking a person whom django-axes locked out: the service, the people page and its button."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tenants.lockout import locked_out_usernames
from tenants.models import AuditEvent, Council, Role, User
from tenants.services import TenantsError, person_unlock
from tests.clock import frozen_clock
from tests.factories import TEST_PASSWORD, MembershipFactory, person_with_role, sign_in
from tests.sign_in_helpers import LOGIN, lock_out, post_password

pytestmark = pytest.mark.django_db


def attempt(
    username: str,
    *,
    failures: int,
    ip: str = "127.0.0.1",
    agent: str = "test",
    age: timedelta | None = None,
) -> None:
    row = AccessAttempt.objects.create(
        username=username,
        ip_address=ip,
        user_agent=agent,
        get_data="",
        post_data="",
        http_accept="",
        path_info=LOGIN,
        failures_since_start=failures,
    )
    if age is not None:
        AccessAttempt.objects.filter(pk=row.pk).update(attempt_time=timezone.now() - age)


@pytest.fixture
def head(council_a: Council) -> User:
    return person_with_role(role=Role.HEAD_TEACHER, council=council_a, email="head@a.example")


def people_url(council: Council) -> str:
    return reverse("tenants:people", kwargs={"council_slug": council.slug})


def unlock_url(council: Council, person: User) -> str:
    return reverse(
        "tenants:person_unlock", kwargs={"council_slug": council.slug, "person_id": person.pk}
    )


def signed_in(person: User) -> Client:
    client = Client()
    sign_in(client, person)
    return client


# Which usernames count as locked out: the same sums axes makes.


def test_locked_out_counts_failures_per_address_within_the_cool_off() -> None:
    attempt("ten@example.org", failures=10)
    attempt("split@example.org", failures=6, ip="10.0.0.1")
    attempt("split@example.org", failures=6, ip="10.0.0.2")  # 6 + 6 from two addresses: no lock
    attempt("agents@example.org", failures=6)
    attempt("agents@example.org", failures=4, agent="another browser")  # same address: 10
    attempt("stale@example.org", failures=19, age=timedelta(minutes=16))  # the 15 minutes are over
    attempt("nine@example.org", failures=9)
    usernames = ["ten", "split", "agents", "stale", "nine", "nobody"]
    assert locked_out_usernames(usernames=[f"{u}@example.org" for u in usernames]) == {
        "ten@example.org",
        "agents@example.org",
    }
    assert locked_out_usernames(usernames=[]) == frozenset()


# The service.


def test_person_unlock_clears_the_lockout_and_audits(
    council_a: Council, admin_a: User, head: User
) -> None:
    lock_out("Head@A.example")  # a differently cased address locks the same account
    cleared = person_unlock(unlocked_by=admin_a, person=head, council=council_a)
    assert cleared == 1
    assert not AccessAttempt.objects.filter(username="head@a.example").exists()
    event = AuditEvent.objects.get(action=AuditEvent.Action.UNLOCKED)
    assert (event.actor, event.council, event.object_type, event.object_id) == (
        admin_a,
        council_a,
        "user",
        str(head.pk),
    )
    assert event.summary == "head@a.example may sign in again"
    assert post_password(Client(), "head@a.example", TEST_PASSWORD).status_code == 302


def test_person_unlock_leaves_other_lockouts_alone(
    council_a: Council, admin_a: User, head: User
) -> None:
    other = person_with_role(role=Role.SCHOOL_STAFF, council=council_a, email="staff@a.example")
    lock_out(head.email)
    lock_out(other.email)
    person_unlock(unlocked_by=admin_a, person=head, council=council_a)
    assert locked_out_usernames(usernames=[head.email, other.email]) == {"staff@a.example"}


def test_person_unlock_refuses_someone_not_locked_out(
    council_a: Council, admin_a: User, head: User
) -> None:
    post_password(Client(), head.email, "wrong-password-here")  # one failure is no lockout
    with pytest.raises(TenantsError, match="head@a.example is not locked out"):
        person_unlock(unlocked_by=admin_a, person=head, council=council_a)
    assert AccessAttempt.objects.filter(username=head.email).exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.UNLOCKED).exists()


def test_person_unlock_refuses_a_person_of_another_council(
    council_a: Council, council_b: Council, admin_b: User, head: User
) -> None:
    lock_out(head.email)
    with pytest.raises(TenantsError, match="holds no role at Southwark Council"):
        person_unlock(unlocked_by=admin_b, person=head, council=council_b)
    assert locked_out_usernames(usernames=[head.email]) == {head.email}


def test_the_lockout_ends_by_itself_after_15_minutes(
    council_a: Council, admin_a: User, head: User
) -> None:
    lock_out(head.email)
    assert locked_out_usernames(usernames=[head.email]) == {head.email}
    with frozen_clock(timezone.now() + timedelta(minutes=15, seconds=1)):
        assert locked_out_usernames(usernames=[head.email]) == frozenset()
        with pytest.raises(TenantsError, match="head@a.example is not locked out"):
            person_unlock(unlocked_by=admin_a, person=head, council=council_a)
        assert post_password(Client(), head.email, TEST_PASSWORD).status_code == 302


def test_person_unlock_ends_the_waits_from_every_address(
    council_a: Council, admin_a: User, head: User
) -> None:
    lock_out(head.email, REMOTE_ADDR="203.0.113.9")
    with frozen_clock():
        for _ in range(3):
            post_password(Client(), head.email, "wrong-password-here", REMOTE_ADDR="198.51.100.7")
        waiting = post_password(Client(), head.email, TEST_PASSWORD, REMOTE_ADDR="198.51.100.7")
        assert b"Wait 2 seconds before trying again." in waiting.content
        person_unlock(unlocked_by=admin_a, person=head, council=council_a)
        assert not AccessAttempt.objects.filter(username=head.email).exists()
        for address in ["203.0.113.9", "198.51.100.7"]:
            signed_in = post_password(Client(), head.email, TEST_PASSWORD, REMOTE_ADDR=address)
            assert signed_in.status_code == 302


# The people page and the button.


def test_people_page_marks_the_locked_out_person_with_an_unlock_button(
    council_a: Council, admin_a: User, head: User
) -> None:
    lock_out(head.email)
    page = signed_in(admin_a).get(people_url(council_a)).content.decode()
    assert page.count("Locked out") == 1
    assert f'action="{unlock_url(council_a, head)}"' in page
    assert f'action="{unlock_url(council_a, admin_a)}"' not in page


def test_admin_unlocks_and_the_person_signs_in_again(
    council_a: Council, admin_a: User, head: User
) -> None:
    lock_out(head.email)
    client = signed_in(admin_a)
    response = client.post(unlock_url(council_a, head))
    assert response.status_code == 302 and response["Location"] == people_url(council_a)
    page = client.get(people_url(council_a)).content.decode()
    assert "head@a.example can sign in again." in page and "Locked out" not in page
    assert AuditEvent.objects.filter(action=AuditEvent.Action.UNLOCKED, actor=admin_a).exists()
    assert post_password(Client(), head.email, TEST_PASSWORD).status_code == 302


def test_unlocking_someone_not_locked_out_says_so(
    council_a: Council, admin_a: User, head: User
) -> None:
    client = signed_in(admin_a)
    assert client.post(unlock_url(council_a, head)).status_code == 302
    assert "head@a.example is not locked out." in client.get(people_url(council_a)).content.decode()


def test_unlock_is_post_only(council_a: Council, admin_a: User, head: User) -> None:
    assert signed_in(admin_a).get(unlock_url(council_a, head)).status_code == 405


@pytest.mark.parametrize("role", [Role.COUNCIL_OFFICER, Role.INCLUSION_ADVISER])
def test_other_council_roles_cannot_unlock(council_a: Council, head: User, role: Role) -> None:
    # 404 like every council admin action: the admin pages do not exist for them.
    lock_out(head.email)
    client = signed_in(person_with_role(role=role, council=council_a))
    assert client.post(unlock_url(council_a, head)).status_code == 404
    assert locked_out_usernames(usernames=[head.email]) == {head.email}


def test_another_councils_admin_gets_404(
    council_a: Council, council_b: Council, admin_b: User, head: User
) -> None:
    lock_out(head.email)
    client = signed_in(admin_b)
    assert client.post(unlock_url(council_a, head)).status_code == 404
    # Nor through their own council's address: the person holds no role there.
    assert client.post(unlock_url(council_b, head)).status_code == 404
    assert locked_out_usernames(usernames=[head.email]) == {head.email}


def test_an_admin_of_both_councils_unlocks_only_through_the_persons_council(
    council_a: Council, council_b: Council, admin_a: User, head: User
) -> None:
    MembershipFactory(user=admin_a, role=Role.COUNCIL_ADMIN, council=council_b)
    lock_out(head.email)
    client = signed_in(admin_a)
    assert client.post(unlock_url(council_b, head)).status_code == 404
    assert client.post(unlock_url(council_a, head)).status_code == 302
    assert locked_out_usernames(usernames=[head.email]) == frozenset()
