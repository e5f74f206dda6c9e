"""The isolation matrix: every URL, as every role of another council, shows nothing of council A.

See `tests/isolation.py` for how apps register their URLs and pupils.
"""

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tenants.models import Council, Role
from tests import isolation
from tests.factories import (
    CouncilFactory,
    MembershipFactory,
    PartnershipFactory,
    SchoolFactory,
    UserFactory,
    sign_in,
)

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Route:
    path: str  # the pattern as written, e.g. "council/<slug:council_slug>/people/"
    name: str | None  # namespace:name
    takes_arguments: bool


def walk(
    patterns: list[URLPattern | URLResolver], prefix: str = "", namespace: str = ""
) -> Iterator[Route]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        else:
            pattern = entry.pattern
            takes = bool(pattern.regex.groups) or bool(getattr(pattern, "converters", {}))
            name = f"{namespace}{entry.name}" if entry.name else None
            yield Route(path=prefix + str(pattern), name=name, takes_arguments=takes)


def skip_reason(route: Route) -> str | None:
    shown = "/" + route.path.lstrip("^")
    for prefix, reason in isolation.SKIPPED_PATHS.items():
        if shown.startswith(prefix):
            return reason
    for prefix, reason in isolation.SKIPPED_NAMES.items():
        if route.name and route.name.startswith(prefix):
            return reason
    return None


def coverage_problems(routes: list[Route]) -> list[str]:
    """URLs the matrix cannot reach: unnamed, or taking arguments nobody registered."""
    problems = []
    for route in routes:
        if skip_reason(route):
            continue
        if route.name is None:
            problems.append(
                f"{route.path}: unnamed URL pattern; name it so the matrix can reach it"
            )
        elif route.takes_arguments and route.name not in isolation.URL_KWARGS:
            problems.append(f"{route.name}: takes arguments; register it in an isolation_urls.py")
    return problems


def build_world(slug: str, name: str) -> isolation.CouncilWorld:
    council: Council = CouncilFactory(slug=slug, name=name)
    partnership = PartnershipFactory(council=council, name=f"{name} SEIP", slug="seip")
    school = SchoolFactory(council=council, name=f"{name} High School", partnership=partnership)
    people, memberships = {}, {}
    for role in Role:
        person = UserFactory(email=f"{role.value.replace('_', '-')}@{slug}.example")
        place = {}
        if role == Role.PARTNERSHIP_OFFICER:
            place = {"partnership": partnership}
        elif role in (Role.HEAD_TEACHER, Role.SCHOOL_STAFF):
            place = {"school": school}
        memberships[role] = MembershipFactory(user=person, role=role, council=council, **place)
        people[role] = person
    world = isolation.CouncilWorld(
        council=council,
        partnership=partnership,
        school=school,
        people=people,
        memberships=memberships,
    )
    for hook in isolation.SETUP_HOOKS:
        hook(world)
    return world


def is_sign_in_redirect(response) -> bool:  # type: ignore[no-untyped-def]
    login = reverse(settings.LOGIN_URL)
    return response.status_code == 302 and response["Location"].split("?")[0] == login


def test_every_url_hides_council_a_from_council_b() -> None:
    isolation.load_registrations()
    world_a = build_world("council-a", "Aldermoor")
    world_b = build_world("council-b", "Bramblewick")
    routes = list(walk(get_resolver().url_patterns))
    assert routes, "the project has no URLs?"

    problems = coverage_problems(routes)
    requested = 0
    for route in routes:
        if skip_reason(route) or route.name is None:
            continue
        builder = isolation.URL_KWARGS.get(route.name)
        if route.takes_arguments and builder is None:
            continue
        url = reverse(route.name, kwargs=builder(world_a) if builder else None)

        # Positive control: council A's own people must be able to reach it, or the builder is wrong.
        if route.takes_arguments:
            reached = False
            for person in world_a.people.values():
                client = Client()
                sign_in(client, person)
                if client.get(url).status_code != 404:
                    reached = True
                    break
            if not reached:
                problems.append(f"{route.name}: {url} is 404 even for council A; check its builder")

        visitors = [(role.value, world_b.people[role]) for role in Role] + [("anonymous", None)]
        for label, person in visitors:
            client = Client()
            if person is not None:
                sign_in(client, person)
            methods = ("get", "post") if route.takes_arguments else ("get",)
            for method in methods:
                response = getattr(client, method)(url)
                requested += 1
                where = f"{route.name} {method.upper()} {url} as {label} of council B"
                if response.status_code >= 500:
                    problems.append(f"{where}: server error {response.status_code}")
                    continue
                if route.takes_arguments and not (
                    response.status_code in (404, 405) or is_sign_in_redirect(response)
                ):
                    problems.append(f"{where}: answered {response.status_code}, expected 404")
                body = b"".join(response) if response.streaming else response.content
                text = body.decode("utf-8", "replace")
                for pupil in world_a.pupil_names:
                    if pupil in text:
                        problems.append(f"{where}: shows council A's pupil {pupil!r}")
    assert not problems, "\n".join(problems)
    assert requested > 0


def test_unregistered_or_unnamed_urls_are_reported() -> None:
    isolation.load_registrations()
    routes = [
        Route(path="widgets/<int:widget_id>/", name="nobody:widget", takes_arguments=True),
        Route(path="gadgets/", name=None, takes_arguments=False),
        Route(
            path="council/<slug:council_slug>/", name="tenants:council_home", takes_arguments=True
        ),
        Route(path="static/x", name=None, takes_arguments=False),
    ]
    assert coverage_problems(routes) == [
        "nobody:widget: takes arguments; register it in an isolation_urls.py",
        "gadgets/: unnamed URL pattern; name it so the matrix can reach it",
    ]


def test_every_skip_gives_a_reason() -> None:
    isolation.load_registrations()
    for reason in [*isolation.SKIPPED_NAMES.values(), *isolation.SKIPPED_PATHS.values()]:
        assert reason.strip()


def test_wagtail_admin_reports_show_an_editor_only_their_own_council() -> None:
    """Every report of Wagtail's admin (page types usage, locked and aging pages, site history,
    workflows), asked by council B's guidance editors and moderators, even naming council A's
    site in the filter, shows none of council A's page titles."""
    from wagtail.models import Page

    from cms.demo import load_demo
    from cms.models import CouncilHomePage
    from cms.services import council_editors_ensure
    from protocols.services import bundled_load
    from tests.factories import person_with_role

    norfolk = CouncilFactory(name="Norfolk County Council", slug="norfolk")
    southwark = CouncilFactory(name="Southwark Council", slug="southwark")
    bundled_load()
    load_demo()
    norfolk_home = CouncilHomePage.objects.get(council=norfolk)
    southwark_home = CouncilHomePage.objects.get(council=southwark)
    # Council A's pages, recently edited and one locked, so every report has something to leak.
    norfolk_pages = list(Page.objects.descendant_of(norfolk_home, inclusive=True).specific())
    for page in norfolk_pages[:3]:
        page.save_revision().publish()
    norfolk_pages[-1].locked = True
    norfolk_pages[-1].save()
    southwark_titles = set(
        Page.objects.descendant_of(southwark_home, inclusive=True).values_list("title", flat=True)
    )
    secrets = {p.title for p in norfolk_pages if p.title not in southwark_titles}
    assert secrets

    groups = council_editors_ensure(council=southwark, home=southwark_home)
    editor = person_with_role(
        role=Role.COUNCIL_OFFICER, council=southwark, email="editor@southwark.example"
    )
    editor.groups.add(groups.editors)
    moderator = person_with_role(
        role=Role.COUNCIL_ADMIN, council=southwark, email="moderator@southwark.example"
    )
    moderator.groups.add(groups.moderators)

    reports = [
        route
        for route in walk(get_resolver().url_patterns)
        if route.name and route.name.startswith("wagtailadmin_reports:")
    ]
    assert len(reports) >= 10
    problems = []
    for person in (editor, moderator):
        client = Client()
        sign_in(client, person)
        for route in reports:
            url = reverse(route.name)
            for query in ("", f"?site={norfolk_home.path}", "?export=csv"):
                response = client.get(url + query)
                if response.status_code >= 500:
                    problems.append(f"{url}{query}: server error")
                    continue
                body = b"".join(response) if response.streaming else response.content
                text = body.decode("utf-8", "replace")
                for title in secrets:
                    if title in text:
                        problems.append(f"{url}{query} as {person.email}: shows {title!r}")
    assert not problems, "\n".join(problems)
