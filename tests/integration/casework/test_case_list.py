"""case_list: ordered by next deadline, overdue first, and a constant number of queries."""

from datetime import date

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fairway.casework import selectors
from fairway.casework.models import Case
from tests.factories import sign_in

from .conftest import Place, open_case


def _page_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_ordered_by_next_deadline_with_overdue_first(norfolk: Place) -> None:
    later, overdue, none = open_case(norfolk), open_case(norfolk), open_case(norfolk)
    Case.objects.filter(pk=later.pk).update(next_due=date(2026, 12, 10))
    Case.objects.filter(pk=overdue.pk).update(next_due=date(2026, 11, 1))
    listed = list(selectors.case_list(fetched_by=norfolk.officer, filters=selectors.CaseFilters()))
    assert listed == [overdue, later, none]


def test_filters_by_school_and_stage(norfolk: Place) -> None:
    case = open_case(norfolk)
    by_school = selectors.CaseFilters(school_id=norfolk.receiving.pk)
    assert not selectors.case_list(fetched_by=norfolk.officer, filters=by_school).exists()
    by_stage = selectors.CaseFilters(stage="referral", school_id=norfolk.home.pk)
    assert list(selectors.case_list(fetched_by=norfolk.officer, filters=by_stage)) == [case]


def test_case_list_page_query_count_is_constant(norfolk: Place, client: Client) -> None:
    sign_in(client, norfolk.officer)
    url = reverse("casework:case_list")
    for _ in range(3):
        open_case(norfolk)
    small = _page_queries(client, url)
    for _ in range(3):
        open_case(norfolk)
    assert _page_queries(client, url) == small


def test_case_page_query_count_does_not_grow_with_the_record(
    norfolk: Place, client: Client
) -> None:
    from .test_case_flow import _started

    sign_in(client, norfolk.officer)
    case = _started(norfolk, first_day=date(2026, 11, 30))
    url = reverse("casework:case_detail", args=[case.pk])
    from .service_helpers import add_weeks_of_records

    add_weeks_of_records(case, norfolk, weeks=[date(2026, 11, 30)])
    small = _page_queries(client, url)
    add_weeks_of_records(case, norfolk, weeks=[date(2026, 12, 7), date(2026, 12, 14)])
    assert _page_queries(client, url) == small


def test_my_cases_are_the_ones_i_can_act_on(norfolk: Place) -> None:
    from tenants.models import Role
    from tests.factories import person_with_role

    case = open_case(norfolk)
    adviser = person_with_role(role=Role.INCLUSION_ADVISER, council=norfolk.council)
    mine = selectors.CaseFilters()
    # An inclusion adviser reads every case of the council but works only on those added to.
    assert not selectors.case_list(fetched_by=adviser, filters=mine).exists()
    wider = selectors.CaseFilters(include_view_only=True)
    assert list(selectors.case_list(fetched_by=adviser, filters=wider)) == [case]
    from fairway.casework import services

    services.case_person_add(
        case=case, person=adviser, access_level="change", added_by=norfolk.officer
    )
    assert list(selectors.case_list(fetched_by=adviser, filters=mine)) == [case]


def test_waiting_on_me_follows_the_next_milestones_owner(norfolk: Place) -> None:
    from .conftest import agree

    case = agree(open_case(norfolk), norfolk, first_day=date(2026, 11, 30))
    case.refresh_from_db()
    assert case.next_due_owner  # Norfolk's next step has an owner in the protocol
    waiting = selectors.CaseFilters(waiting_on_me=True)
    side = case.next_due_owner_kind
    home = list(selectors.case_list(fetched_by=norfolk.home_staff, filters=waiting))
    receiving = list(selectors.case_list(fetched_by=norfolk.receiving_staff, filters=waiting))
    council = list(selectors.case_list(fetched_by=norfolk.officer, filters=waiting))
    assert (case in home) == (side == "home_school")
    assert (case in receiving) == (side == "receiving_school")
    assert (case in council) == (side == "council")


def test_stages_are_named_in_the_protocols_words(norfolk: Place, client: Client) -> None:
    from .conftest import agree

    case = agree(open_case(norfolk), norfolk, first_day=date(2026, 11, 30))
    from fairway.casework import services

    services.case_event_record(
        case=case,
        event_key="start",
        day=date(2026, 11, 30),
        recorded_by=norfolk.officer,
        expected_version=case.version,
    )
    sign_in(client, norfolk.officer)
    page = client.get(reverse("casework:case_list")).content.decode()
    # Norfolk's protocol in force (DOWIMM) calls the trial stage by its own name.
    assert "Off-site direction (DOWIMM)" in page
    filtered = client.get(reverse("casework:case_list") + "?stage=off_site_direction&mine=1")
    assert filtered.status_code == 200
