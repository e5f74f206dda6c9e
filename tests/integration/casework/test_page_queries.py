"""The case page and My cases ask the database a fixed number of questions (issue 17: measured
under load), whatever the size of the record or the list; the list never pulls protocol YAML."""

from datetime import date

import pytest
from django.db import connection
from django.db.models import Q
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fairway.casework import access, selectors, services
from fairway.casework.models import Case
from protocols.models import ProtocolVersion
from tenants.models import Role, School, User
from tests.factories import SchoolFactory, person_with_role, sign_in

from .conftest import Place, open_case
from .service_helpers import add_weeks_of_records
from .test_case_flow import _started

# A council officer's case page: session, person, two-factor device, the case (the access check,
# with its schools, councils and version), memberships, the audit line (one INSERT, in no
# transaction of its own: a shared case's two lines are in one), its records (events, extensions, milestones
# done, attendance, sign-offs, commitments, forms, early end, outcome: one statement on
# PostgreSQL, selectors.case_rows; a prefetch each elsewhere), the council's calendar, both
# schools' closures, and move requests. Not the commitments' history (the case page does not
# show it), nor the councils of the header's links (the memberships bring them).
CASE_PAGE_QUERIES = 10 if connection.vendor == "postgresql" else 18


def _queries(client: Client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        assert response.status_code == 200, url
    return [q["sql"] for q in captured.captured_queries]


def test_case_page_asks_a_fixed_number_of_queries(norfolk: Place, client: Client) -> None:
    case = _started(norfolk, first_day=date(2026, 11, 30))
    sign_in(client, norfolk.officer)
    url = reverse("casework:case_detail", args=[case.pk])
    assert len(_queries(client, url)) == CASE_PAGE_QUERIES
    add_weeks_of_records(case, norfolk, weeks=[date(2026, 11, 30)])
    one_week = _queries(client, url)
    add_weeks_of_records(case, norfolk, weeks=[date(2026, 12, 7), date(2026, 12, 14)])
    assert len(_queries(client, url)) == len(one_week) == CASE_PAGE_QUERIES


def test_case_page_fetches_the_case_once(norfolk: Place, client: Client) -> None:
    case = _started(norfolk, first_day=date(2026, 11, 30))
    sign_in(client, norfolk.officer)
    queries = _queries(client, reverse("casework:case_detail", args=[case.pk]))
    from_case = [q for q in queries if q.startswith('SELECT "casework_case"."id"')]
    assert len(from_case) == 1
    # The calendar is read once for both schools of a move inside one council.
    assert sum('FROM "protocols_councilcalendar"' in q for q in queries) == 1
    # No protocol YAML: the parsed version is cached per process.
    assert not any('"protocols_protocolversion"."files"' in q for q in queries)


def test_my_cases_asks_the_same_queries_for_n_and_2n_cases(norfolk: Place, client: Client) -> None:
    sign_in(client, norfolk.officer)
    url = reverse("casework:case_list")
    for _ in range(3):
        open_case(norfolk)
    _started(norfolk, first_day=date(2026, 11, 30))
    small = _queries(client, url)
    for _ in range(4):
        open_case(norfolk)
    _started(norfolk, first_day=date(2026, 12, 7))
    large = _queries(client, url)
    assert len(large) == len(small)
    assert not any('"protocols_protocolversion"."files"' in q for q in large)


def test_a_version_is_parsed_once_per_process(norfolk: Place) -> None:
    version = ProtocolVersion.objects.filter(council=norfolk.council).first()
    assert version is not None
    first = version.load()
    deferred = ProtocolVersion.objects.defer("files").get(pk=version.pk)
    with CaptureQueriesContext(connection) as captured:
        assert deferred.load() is first
    assert len(captured) == 0


@pytest.mark.parametrize("for_change", [False, True])
def test_the_access_check_answers_as_the_scope_does(
    norfolk: Place, southwark: Place, for_change: bool
) -> None:
    """`access.reaches` (one loaded case, answered in Python) and `case_scope` (the query My
    cases and every list use) agree for every kind of person and case."""
    mine = _started(norfolk, first_day=date(2026, 11, 30))
    theirs = open_case(southwark)
    adviser = person_with_role(role=Role.INCLUSION_ADVISER, council=norfolk.council)
    # Reaches the case only by being named on it (a third school's staff).
    named = person_with_role(
        role=Role.SCHOOL_STAFF,
        council=norfolk.council,
        school=SchoolFactory(council=norfolk.council, partnership=None),
    )
    for person, level in ((named, "view"), (adviser, "change")):
        services.case_person_add(
            case=Case.objects.get(pk=mine.pk),
            person=person,
            access_level=level,
            added_by=norfolk.officer,
        )
    partnership_officer = person_with_role(
        role=Role.PARTNERSHIP_OFFICER, council=norfolk.council, partnership=norfolk.partnership
    )
    people: list[User] = [
        norfolk.officer,
        norfolk.home_staff,
        norfolk.receiving_staff,
        southwark.officer,
        southwark.home_staff,
        adviser,
        named,
        partnership_officer,
    ]
    for person in people:
        for case in (mine, theirs):
            loaded = Case.objects.select_related(*access.CASE_RELATIONS).get(pk=case.pk)
            by_query = access.cases_for(user=person, for_change=for_change).filter(pk=case.pk)
            assert access.reaches(user=person, case=loaded, for_change=for_change) == (
                by_query.exists()
            ), (person.email, case.pk, for_change)


def _reach_of_every_kind(
    norfolk: Place, southwark: Place, *, named_level: str
) -> tuple[Case, list[User]]:
    """Cases in both councils, one of them a move to another council's school (off Fairway: no
    receiving council), and a person of every kind that reaches cases: officers, both schools'
    staff, a person named on a case (`named_level`), a partnership officer, an adviser. Returns
    the Southwark case and the people."""
    mine = _started(norfolk, first_day=date(2026, 11, 30))
    open_case(norfolk)
    theirs = open_case(southwark)
    away = open_case(norfolk)
    Case.objects.filter(pk=away.pk).update(receiving_school=theirs.home_school)
    named = person_with_role(
        role=Role.SCHOOL_STAFF,
        council=norfolk.council,
        school=SchoolFactory(council=norfolk.council, partnership=None),
    )
    services.case_person_add(
        case=Case.objects.get(pk=mine.pk),
        person=named,
        access_level=named_level,
        added_by=norfolk.officer,
    )
    return theirs, [
        norfolk.officer,
        norfolk.home_staff,
        norfolk.receiving_staff,
        southwark.officer,
        named,
        person_with_role(
            role=Role.PARTNERSHIP_OFFICER, council=norfolk.council, partnership=norfolk.partnership
        ),
        person_with_role(role=Role.INCLUSION_ADVISER, council=norfolk.council),
    ]


def test_the_school_filter_lists_the_schools_of_the_cases_each_person_reads(
    norfolk: Place, southwark: Place
) -> None:
    """My cases' school filter (a council's schools found by stepping through an index, the rest
    read directly) lists exactly the home and receiving schools of the cases the person can
    read, for every kind of person, including a move to another council's school."""
    theirs, people = _reach_of_every_kind(norfolk, southwark, named_level="view")
    for person in people:
        readable = access.cases_for(user=person, for_change=False)
        expected = set(
            School.objects.filter(
                Q(pk__in=readable.values("home_school_id"))
                | Q(pk__in=readable.values("receiving_school_id"))
            ).values_list("pk", flat=True)
        )
        listed = [s.pk for s in selectors.case_filter_schools(fetched_by=person)]
        assert set(listed) == expected, person.email
        assert len(listed) == len(expected)
    assert theirs.home_school_id in {
        s.pk for s in selectors.case_filter_schools(fetched_by=norfolk.officer)
    }


def test_my_cases_count_is_the_lists_length_for_every_person_and_filter(
    norfolk: Place, southwark: Place
) -> None:
    """My cases counts in two disjoint parts (the person's councils' cases from one index, then
    the rest they reach); the sum is the list's own count for every kind of person and filter."""
    _, people = _reach_of_every_kind(norfolk, southwark, named_level="change")
    filters = [
        selectors.CaseFilters(),
        selectors.CaseFilters(include_view_only=True),
        selectors.CaseFilters(status="all", include_view_only=True),
        selectors.CaseFilters(stage="off_site_direction"),
        selectors.CaseFilters(school_id=norfolk.home.pk),
        selectors.CaseFilters(partnership_id=norfolk.partnership.pk),
        selectors.CaseFilters(
            search=Case.objects.filter(home_council=norfolk.council).first().pupil_name[:4]
        ),  # type: ignore[union-attr]
        selectors.CaseFilters(waiting_on_me=True),
    ]
    for person in people:
        for chosen in filters:
            listed = selectors.case_list(fetched_by=person, filters=chosen)
            assert selectors.case_list_count(fetched_by=person, filters=chosen) == len(listed), (
                person.email,
                chosen,
            )
