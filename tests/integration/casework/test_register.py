"""The register of managed moves: the year's moves, demand per school, outcomes compared, downloads."""

from __future__ import annotations

import csv
from datetime import date
from io import BytesIO, StringIO

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from fairway.casework import register
from fairway.casework.models import Case, FormSubmission, Stage
from tenants.models import AuditEvent, Role, School
from tests.factories import (
    MembershipFactory,
    PartnershipFactory,
    SchoolFactory,
    person_with_role,
    sign_in,
)

from .conftest import Place, open_case
from .service_helpers import leicester_city_school

ADVISER = "answer:agreement.inclusion_adviser_planned"


def move(
    place: Place,
    *,
    first_day: date,
    receiving: School | None = None,
    home: School | None = None,
    outcome: str = "",
    adviser: bool | None = None,
    referred_on: date = date(2026, 9, 1),
    **answers: object,
) -> Case:
    """A move that started on `first_day`, with its outcome if decided. The register only reads
    cases, so the stages are set directly rather than walked through every service."""
    case = open_case(place, referred_on=referred_on, **answers)
    receiving = receiving or place.receiving
    Case.objects.filter(pk=case.pk).update(
        home_school=home or place.home,
        receiving_school=receiving,
        receiving_council=receiving.council,
        start_date=first_day,
        stage=Stage.CLOSED if outcome else Stage.OFF_SITE_DIRECTION,
        outcome_key=outcome,
    )
    if adviser is not None:
        FormSubmission.objects.create(
            case=case,
            form_key="agreement",
            answers={"inclusion_adviser_planned": adviser},
            submitted_at=timezone.now(),
        )
    return Case.objects.get(pk=case.pk)


def build(place: Place, *, year: int = 2026, compare: str = "", user=None) -> register.Register:  # type: ignore[no-untyped-def]
    return register.register_build(
        fetched_by=user or place.officer,
        council=place.council,
        partnership=None,
        year=year,
        compare=compare,
    )


def test_the_years_moves_in_first_day_order_with_outcomes(norfolk: Place) -> None:
    running = move(norfolk, first_day=date(2026, 11, 30))
    stayed = move(norfolk, first_day=date(2026, 9, 14), outcome="on_roll_receiving")
    returned = move(norfolk, first_day=date(2026, 10, 5), outcome="returned_home")
    move(norfolk, first_day=date(2025, 10, 6), outcome="on_roll_receiving")  # last year
    open_case(norfolk)  # a referral that has not started is not yet a move

    built = build(norfolk)

    assert [r.case for r in built.rows] == [stayed, returned, running]
    assert (built.running, built.stayed, built.returned) == (1, 1, 1)
    assert built.rows[0].outcome_label == "Managed move to the receiving school's roll"
    assert built.year_label == "2026/27"
    assert register.register_years(fetched_by=norfolk.officer, council=norfolk.council) == [
        2026,
        2025,
    ]


def test_a_school_well_above_the_local_norm_is_flagged(norfolk: Place) -> None:
    busy = norfolk.receiving  # 900 on roll, like every factory school
    large = SchoolFactory(council=norfolk.council, partnership=norfolk.partnership, name="Large")
    large.number_on_roll = 1800
    large.save()
    SchoolFactory(council=norfolk.council, partnership=norfolk.partnership)
    primary = SchoolFactory(
        council=norfolk.council, partnership=norfolk.partnership, phase=School.Phase.PRIMARY
    )
    for day in (7, 14, 21, 28):
        move(norfolk, first_day=date(2026, 9, day), receiving=busy)
    for day in (5, 12):
        move(norfolk, first_day=date(2026, 10, day), receiving=large)
    move(norfolk, first_day=date(2026, 11, 2), receiving=primary, home=primary)

    built = build(norfolk)

    # Six secondary moves over 4,500 pupils on roll: 900 pupils' share is 1.2, 1,800's is 2.4.
    by_school = {d.school: d for d in built.demand}
    assert (by_school[busy].received, by_school[busy].expected) == (4, 1.2)
    assert by_school[busy].above_norm
    assert (by_school[large].received, by_school[large].expected) == (2, 2.4)
    assert not by_school[large].above_norm
    assert by_school[norfolk.home].sent == 6 and by_school[norfolk.home].expected == 1.2
    # A primary school is compared with primary schools only (here, itself).
    assert by_school[primary].expected == 1.0 and not by_school[primary].above_norm
    assert [d.school for d in built.demand][0] == busy  # busiest first


def test_outcomes_compared_by_a_question_of_the_protocols_forms(norfolk: Place) -> None:
    move(norfolk, first_day=date(2026, 9, 7), outcome="on_roll_receiving", adviser=True)
    move(norfolk, first_day=date(2026, 9, 14), outcome="on_roll_receiving", adviser=True)
    move(norfolk, first_day=date(2026, 9, 21), adviser=True)  # still running
    move(norfolk, first_day=date(2026, 9, 28), outcome="returned_home", adviser=False)
    move(norfolk, first_day=date(2026, 10, 5), outcome="returned_home")

    choices = {c.value for c in register.compare_choices(protocols=[])}
    assert "version" in choices and "flag:looked_after" in choices
    built = build(norfolk, compare=ADVISER)

    groups = [(g.label, g.moves, g.decided, g.stayed, g.stayed_percent) for g in built.groups]
    assert groups == [
        ("Yes", 3, 2, 2, 100),
        ("No", 1, 1, 0, 0),
        ("Not answered", 1, 1, 0, 0),
    ]
    assert "Inclusion Adviser" in (built.compare.label if built.compare else "")


def test_outcomes_compared_by_protocol_version_and_by_a_referral_flag(norfolk: Place) -> None:
    # Norfolk's behaviour trial (v1) before 5 November 2024, DOWIMM (v2) after.
    move(
        norfolk, first_day=date(2024, 9, 16), referred_on=date(2024, 9, 2), outcome="returned_home"
    )
    move(norfolk, first_day=date(2024, 11, 18), referred_on=date(2024, 11, 11), looked_after=True)

    by_version = build(norfolk, year=2024, compare="version")
    labels = [g.label for g in by_version.groups]  # in the order the versions came into force
    assert labels == ["behaviour trial (version 1)", "DOWIMM (version 2)"]
    by_flag = build(norfolk, year=2024, compare="flag:looked_after")
    assert [(g.label, g.moves) for g in by_flag.groups] == [("Yes", 1), ("No", 1)]


def test_a_cross_authority_move_is_in_both_councils_registers(leicestershire: Place) -> None:
    city_school = leicester_city_school()
    case = move(leicestershire, first_day=date(2026, 11, 30), receiving=city_school)
    city_officer = person_with_role(role=Role.COUNCIL_OFFICER, council=city_school.council)

    home_register = build(leicestershire)
    city_register = register.register_build(
        fetched_by=city_officer,
        council=city_school.council,
        partnership=None,
        year=2026,
    )

    assert [r.case for r in home_register.rows] == [case] and home_register.rows[0].cross_authority
    assert [r.case for r in city_register.rows] == [case]
    assert [d.school for d in city_register.demand] == [city_school]


def test_a_partnership_officer_keeps_only_their_partnerships_register(
    norfolk: Place, client: Client
) -> None:
    other = PartnershipFactory(council=norfolk.council, name="Breckland Fair Access Panel")
    elsewhere = SchoolFactory(council=norfolk.council, partnership=other, name="Elsewhere High")
    elsewhere_too = SchoolFactory(council=norfolk.council, partnership=other)
    ours = move(norfolk, first_day=date(2026, 9, 14))
    move(norfolk, first_day=date(2026, 9, 21), home=elsewhere, receiving=elsewhere_too)
    officer = person_with_role(
        role=Role.PARTNERSHIP_OFFICER, council=norfolk.council, partnership=norfolk.partnership
    )
    sign_in(client, officer)
    url = reverse("casework:register", args=[norfolk.council.slug])

    response = client.get(url)
    assert response.status_code == 200
    assert [r.case for r in response.context["register"].rows] == [ours]
    assert response.context["register"].partnership == norfolk.partnership
    assert "Elsewhere High" not in response.content.decode()

    refused = client.get(url, {"partnership": other.pk})
    assert refused.status_code == 400
    assert "Select a partnership from the list" in refused.content.decode()
    assert refused.context["register"] is None


def test_school_staff_and_other_councils_get_404(norfolk: Place, client: Client) -> None:
    url = reverse("casework:register", args=[norfolk.council.slug])
    sign_in(client, norfolk.home_staff)
    assert client.get(url).status_code == 404
    assert client.get(reverse("casework:register_index")).status_code == 404
    southwark_officer = person_with_role(
        role=Role.COUNCIL_OFFICER,
        council=PartnershipFactory().council,
    )
    sign_in(client, southwark_officer)
    assert client.get(url).status_code == 404
    assert (
        client.get(reverse("casework:register_export", args=[norfolk.council.slug, "csv"]))
    ).status_code == 404


def test_the_index_goes_straight_to_the_persons_only_council(
    norfolk: Place, client: Client
) -> None:
    sign_in(client, norfolk.officer)
    response = client.get(reverse("casework:register_index"))
    assert response.status_code == 302
    assert response["Location"] == reverse("casework:register", args=["norfolk"])


def test_bad_filters_show_the_error_summary_naming_the_field(
    norfolk: Place, client: Client
) -> None:
    sign_in(client, norfolk.officer)
    url = reverse("casework:register", args=[norfolk.council.slug])
    response = client.get(url, {"year": "next", "compare": "answer:nothing.here"})
    body = response.content.decode()
    assert response.status_code == 400
    assert "govuk-error-summary" in body
    assert 'href="#id_year"' in body and "Select an academic year from the list" in body
    assert 'href="#id_compare"' in body
    export = client.get(
        reverse("casework:register_export", args=[norfolk.council.slug, "xlsx"]), {"year": "x"}
    )
    assert export.status_code == 400 and "govuk-error-summary" in export.content.decode()
    assert client.get(
        reverse("casework:register_export", args=[norfolk.council.slug, "pdf"])
    ).status_code == (404)


def test_downloads_hold_the_register_and_the_demand_and_are_audited(
    norfolk: Place, client: Client
) -> None:
    move(norfolk, first_day=date(2026, 9, 14), outcome="on_roll_receiving", adviser=True)
    move(norfolk, first_day=date(2026, 9, 21), pupil_name='=HYPERLINK("http://x")')
    sign_in(client, norfolk.officer)
    mark = AuditEvent.objects.count()

    response = client.get(
        reverse("casework:register_export", args=[norfolk.council.slug, "xlsx"]),
        {"year": "2026", "compare": ADVISER},
    )
    assert response.status_code == 200
    assert 'filename="fairway-register-norfolk-2026-27.xlsx"' in response["Content-Disposition"]
    workbook = load_workbook(BytesIO(response.content))
    assert workbook.sheetnames == ["Register", "Demand per school"]
    rows = list(workbook["Register"].iter_rows(values_only=True))
    assert rows[0][0] == "Reference" and "Inclusion Adviser" in rows[0][-1]
    assert rows[1][1] == "Jayden Whitmore" and rows[1][-1] == "Yes"
    assert rows[2][1].startswith("'=")  # not run as a formula
    demand = list(workbook["Demand per school"].iter_rows(values_only=True))
    assert demand[1][0] == norfolk.receiving.name and demand[1][2] == 2

    text = client.get(
        reverse("casework:register_export", args=[norfolk.council.slug, "csv"])
    ).content.decode()
    table = list(csv.reader(StringIO(text)))
    assert table[0][:3] == ["Reference", "Pupil", "UPN"] and len(table) == 3

    exported = AuditEvent.objects.order_by("pk")[mark:]
    assert [(e.action, e.object_type, e.council_id) for e in exported] == [
        (AuditEvent.Action.EXPORT, "register", norfolk.council.pk)
    ] * 2
    assert "2 moves" in exported[0].summary


def test_viewing_the_register_is_audited_and_its_query_count_is_constant(
    norfolk: Place, client: Client
) -> None:
    sign_in(client, norfolk.officer)
    url = reverse("casework:register", args=[norfolk.council.slug])
    query = {"year": "2026", "compare": ADVISER}

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, query).status_code == 200
        return len(captured)

    for day in (7, 14, 21):
        move(norfolk, first_day=date(2026, 9, day), adviser=True)
    small = queries()
    for day in (7, 14, 21):
        move(norfolk, first_day=date(2026, 10, day), outcome="returned_home", adviser=False)
    assert queries() == small
    viewed = AuditEvent.objects.filter(object_type="register").order_by("pk").last()
    assert viewed is not None and viewed.action == AuditEvent.Action.RECORD_VIEWED
    assert "6 moves" in viewed.summary


def test_moves_come_a_page_at_a_time_but_totals_and_downloads_count_them_all(
    norfolk: Place, client: Client, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(register, "PAGE_SIZE", 2)
    first, second, third = (
        move(norfolk, first_day=date(2026, 9, day), outcome="on_roll_receiving")
        for day in (7, 14, 21)
    )
    sign_in(client, norfolk.officer)
    url = reverse("casework:register", args=[norfolk.council.slug])

    page_one = client.get(url, {"year": "2026"})
    page_two = client.get(url, {"year": "2026", "page": "2"})

    assert [r.case for r in page_one.context["register"].rows] == [first, second]
    assert [r.case for r in page_two.context["register"].rows] == [third]
    assert page_two.context["register"].stayed == 3
    assert "showing 1 to 2" in page_one.content.decode()
    assert 'href="?year=2026&amp;page=2"' in page_one.content.decode()
    text = client.get(
        reverse("casework:register_export", args=[norfolk.council.slug, "csv"]), {"page": "1"}
    ).content.decode()
    assert len(list(csv.reader(StringIO(text)))) == 4  # the header and all three moves


def test_the_menu_offers_the_register_only_to_those_who_keep_one(
    norfolk: Place, client: Client
) -> None:
    sign_in(client, norfolk.home_staff)
    assert "Register of moves" not in client.get(reverse("casework:case_list")).content.decode()
    sign_in(client, norfolk.officer)
    assert "Register of moves" in client.get(reverse("casework:case_list")).content.decode()


def test_a_person_keeping_two_councils_registers_chooses_one(
    norfolk: Place, southwark: Place, client: Client
) -> None:
    MembershipFactory(user=norfolk.officer, role=Role.COUNCIL_OFFICER, council=southwark.council)
    sign_in(client, norfolk.officer)
    response = client.get(reverse("casework:register_index"))
    body = response.content.decode()
    assert response.status_code == 200
    assert reverse("casework:register", args=["norfolk"]) in body
    assert reverse("casework:register", args=["southwark"]) in body


def test_council_admins_reach_the_register_from_the_council_page(
    norfolk: Place, client: Client
) -> None:
    admin = person_with_role(role=Role.COUNCIL_ADMIN, council=norfolk.council)
    sign_in(client, admin)
    page = client.get(reverse("tenants:council_home", args=[norfolk.council.slug]))
    register_url = reverse("casework:register", args=[norfolk.council.slug])
    assert f'href="{register_url}"' in page.content.decode()
    assert client.get(register_url).status_code == 200
