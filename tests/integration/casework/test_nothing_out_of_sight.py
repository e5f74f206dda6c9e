"""Nothing out of sight: closed cases stay findable, every record is linked from the case page, a
Fair Access Panel without schools sees its council's moves, the head teacher's filters list only
what they can see, one staff header on every staff page, Fairway's own 404."""

from datetime import date

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fairway.casework import selectors, services
from fairway.casework.models import Case
from tenants.models import Partnership, Role
from tests.factories import PartnershipFactory, SchoolFactory, person_with_role, sign_in

from .conftest import Place, open_case
from .service_helpers import started


def _close(case: Case, place: Place) -> Case:
    services.outcome_record(
        case=case,
        outcome_key="returned_home",
        decided_on=date(2026, 12, 11),
        reasons="Back at the home school",
        answers={
            "decided_on": "2026-12-11",
            "decision_reasons": "Back",
            "parents_told_on": "2026-12-11",
        },
        recorded_by=place.officer,
        expected_version=Case.objects.get(pk=case.pk).version,
    )
    return Case.objects.get(pk=case.pk)


def test_my_cases_has_open_closed_and_all_and_finds_a_closed_case(norfolk: Place) -> None:
    still_open = open_case(norfolk, pupil_name="Amara Okafor")
    closed = _close(started(norfolk), norfolk)
    client = Client()
    sign_in(client, norfolk.officer)
    url = reverse("casework:case_list")
    listed = client.get(url).content.decode()
    assert still_open.reference in listed and closed.reference not in listed
    only_closed = client.get(url, {"status": "closed"}).content.decode()
    assert closed.reference in only_closed and still_open.reference not in only_closed
    both = client.get(url, {"status": "all"}).content.decode()
    assert closed.reference in both and still_open.reference in both
    # A search looks through closed cases too: by name, by UPN, by case reference.
    for term in ("Jayden", closed.upn, closed.reference, closed.reference.lower().replace("-", "")):
        found = client.get(url, {"q": term}).content.decode()
        assert closed.reference in found, term
    assert (
        "There are no closed cases to show."
        in client.get(url, {"status": "closed", "q": "Nobody"}).content.decode()
    )


def test_my_cases_query_count_is_the_same_for_closed_cases(norfolk: Place) -> None:
    client = Client()
    sign_in(client, norfolk.officer)
    url = reverse("casework:case_list") + "?status=all&q=Jayden"

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    for _ in range(2):
        open_case(norfolk)
    small = queries()
    for _ in range(2):
        open_case(norfolk)
    assert queries() == small


def test_the_case_page_links_the_referral_and_every_record(norfolk: Place) -> None:
    case = started(norfolk)
    client = Client()
    sign_in(client, norfolk.officer)
    page = client.get(reverse("casework:case_detail", args=[case.pk])).content.decode()
    records = page[page.index('id="records"') :]
    for form_key in ("referral", "agreement", "off_site_direction_notice"):
        assert reverse("casework:form_print", args=[case.pk, form_key, 1]) in records
    assert reverse("casework:case_history", args=[case.pk]) in records
    referral = client.get(reverse("casework:form_print", args=[case.pk, "referral", 1]))
    assert b"Repeated disruption in lessons" in referral.content


def test_a_fair_access_panel_without_schools_sees_its_councils_moves(norfolk: Place) -> None:
    panel = PartnershipFactory(
        council=norfolk.council, name="Fair Access Panel", kind=Partnership.Kind.FAIR_ACCESS_PANEL
    )
    officer = person_with_role(
        role=Role.PARTNERSHIP_OFFICER, council=norfolk.council, partnership=panel
    )
    case = started(norfolk)
    listed = selectors.case_list(fetched_by=officer, filters=selectors.CaseFilters())
    assert list(listed) == [case]
    # Its register lists the move.
    client = Client()
    sign_in(client, officer)
    register = client.get(
        reverse("casework:register", args=[norfolk.council.slug]),
        {"partnership": panel.pk, "year": 2026},
    ).content.decode()
    assert case.reference in register or case.pupil_name in register
    # A partnership with schools still sees only its schools' cases.
    other = PartnershipFactory(council=norfolk.council, name="Elsewhere SEIP")
    SchoolFactory(council=norfolk.council, partnership=other)
    seip_officer = person_with_role(
        role=Role.PARTNERSHIP_OFFICER, council=norfolk.council, partnership=other
    )
    assert not selectors.case_list(
        fetched_by=seip_officer, filters=selectors.CaseFilters()
    ).exists()


def test_the_head_teachers_filters_list_only_what_they_can_see(norfolk: Place) -> None:
    open_case(norfolk)
    elsewhere = PartnershipFactory(council=norfolk.council, name="Far Away Locality")
    SchoolFactory(council=norfolk.council, partnership=elsewhere, name="Far Away School")
    head = person_with_role(role=Role.HEAD_TEACHER, council=norfolk.council, school=norfolk.home)
    client = Client()
    sign_in(client, head)
    page = client.get(reverse("casework:case_list")).content.decode()
    assert norfolk.partnership.name in page
    assert "Far Away Locality" not in page and "Far Away School" not in page


def test_one_staff_header_on_case_work_register_calendars_and_council_admin(norfolk: Place) -> None:
    admin = person_with_role(role=Role.COUNCIL_ADMIN, council=norfolk.council)
    client = Client()
    sign_in(client, admin)
    pages = [
        reverse("casework:case_list"),
        reverse("casework:register_index"),
        reverse("protocols:calendars", args=[norfolk.council.slug]),
        reverse("tenants:people", args=[norfolk.council.slug]),
    ]
    for url in pages:
        response = client.get(url, follow=True)
        html = response.content.decode()
        assert html.count("fairway-staff-header") == 1, url
        header = html[html.index("fairway-staff-header") :]
        header = header[: header.index("</section>")]
        assert reverse("casework:case_list") in header, url
        assert reverse("tenants:council_home", args=[norfolk.council.slug]) in header, url
        assert reverse("protocols:calendars", args=[norfolk.council.slug]) in header, url
    # School staff get no council admin link.
    staff = Client()
    sign_in(staff, norfolk.home_staff)
    html = staff.get(reverse("casework:case_list")).content.decode()
    assert "Council admin" not in html
    assert f'href="{reverse("tenants:council_home", args=[norfolk.council.slug])}"' not in html


def test_a_missing_page_is_fairways_own_404(norfolk: Place) -> None:
    client = Client()
    response = client.get("/cases/this-does-not-exist/")
    assert response.status_code in (302, 404)
    response = client.get("/norfolk/does-not-exist/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html and "URLconf" not in html


def test_a_parent_is_to_be_told_by_the_home_school_and_the_day_is_recorded(norfolk: Place) -> None:
    from tenants.models import AuditEvent

    case = _close(started(norfolk), norfolk)
    client = Client()
    sign_in(client, norfolk.home_staff)
    page = client.get(reverse("casework:case_detail", args=[case.pk])).content.decode()
    assert "to be told by" in page and "waiting for the email" not in page
    url = reverse("casework:outcome_told", args=[case.pk])
    assert url in page
    response = client.post(
        url,
        {
            "version": case.version,
            "role_key": "parent",
            "told_on_0": "11",
            "told_on_1": "12",
            "told_on_2": "2026",
        },
        follow=True,
    )
    html = response.content.decode()
    assert "govuk-notification-banner--success" in html
    assert "told on Fri 11 Dec 2026" in html
    assert AuditEvent.objects.filter(summary__contains="told of the outcome").exists()


def test_the_told_record_keeps_the_write_rule(norfolk: Place) -> None:
    import pytest

    case = started(norfolk)
    # Before the outcome: the stage refuses it.
    with pytest.raises(services.CaseworkError):
        services.outcome_told_record(
            case=case,
            role_key="parent",
            told_on=date(2026, 12, 11),
            recorded_by=norfolk.officer,
            expected_version=case.version,
        )
    case = _close(case, norfolk)
    # The receiving school does not record the outcome, so it is not found for them.
    from fairway.casework import writes

    with pytest.raises(writes.RoleRefused):
        services.outcome_told_record(
            case=case,
            role_key="parent",
            told_on=date(2026, 12, 11),
            recorded_by=norfolk.receiving_staff,
            expected_version=case.version,
        )
    # Someone Fairway emails is not recorded as told outside it.
    with pytest.raises(services.CaseworkError):
        services.outcome_told_record(
            case=case,
            role_key="fair_access_team",
            told_on=date(2026, 12, 11),
            recorded_by=norfolk.officer,
            expected_version=case.version,
        )


def test_the_500_page_renders_without_a_request() -> None:
    from django.template import loader

    # Django's server_error renders it with no context at all.
    html = loader.get_template("500.html").render()
    assert "Sorry, there is a problem with the service" in html
    assert "Traceback" not in html
