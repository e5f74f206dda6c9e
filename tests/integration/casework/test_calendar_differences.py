"""The case page lists the weekdays when the home and receiving schools' calendars differ."""

import html
from datetime import date

from django.test import Client
from django.urls import reverse

from fairway.casework import selectors
from protocols.models import SchoolClosure
from protocols.services import bundled_load
from tenants.models import Role, User
from tests.factories import sign_in

from .conftest import Place
from .service_helpers import home_calendar_timeline, leicester_city_school, started


def test_inset_days_of_either_school_during_the_trial_are_listed(norfolk: Place) -> None:
    case = started(norfolk, first_day=date(2026, 11, 30))
    SchoolClosure.objects.create(
        school=norfolk.receiving, name="INSET day", start=date(2026, 12, 4), end=date(2026, 12, 4)
    )
    SchoolClosure.objects.create(
        school=norfolk.home, name="Staff training", start=date(2027, 1, 11), end=date(2027, 1, 12)
    )
    timeline = selectors.case_timeline(case=case)

    differences = selectors.calendar_differences(case=case, timeline=timeline)

    assert differences.count == 3
    first, second, third = differences.days
    assert (first.day, first.open_at, first.closed_at, first.why) == (
        date(2026, 12, 4),
        norfolk.home,
        norfolk.receiving,
        "INSET day",
    )
    assert (second.day, second.open_at, second.closed_at, second.why) == (
        date(2027, 1, 11),
        norfolk.receiving,
        norfolk.home,
        "Staff training",
    )
    assert third.day == date(2027, 1, 12)


def test_only_the_first_few_are_listed_but_all_are_counted(norfolk: Place) -> None:
    case = started(norfolk, first_day=date(2026, 11, 30))
    SchoolClosure.objects.create(
        school=norfolk.receiving, name="Rebuild", start=date(2026, 12, 1), end=date(2026, 12, 18)
    )
    differences = selectors.calendar_differences(
        case=case, timeline=selectors.case_timeline(case=case), shown=5
    )
    assert differences.count == 14 and len(differences.days) == 5


def test_no_differences_and_no_receiving_school_show_nothing(norfolk: Place) -> None:
    case = started(norfolk, first_day=date(2026, 11, 30))
    timeline = selectors.case_timeline(case=case)
    assert selectors.calendar_differences(case=case, timeline=timeline).count == 0


def test_the_case_page_warns_on_a_cross_border_move(leicestershire: Place, client: Client) -> None:
    city_school = leicester_city_school()
    case = started(leicestershire, first_day=date(2026, 11, 30), receiving=city_school)
    sign_in(client, leicestershire.officer)
    url = reverse("casework:case_detail", args=[case.pk])
    assert (
        "Leicester City Council has no term dates in Fairway yet"
        in client.get(url).content.decode()
    )
    bundled_load()  # now Leicester City exists, its calendar is published
    SchoolClosure.objects.create(
        school=city_school, name="INSET day", start=date(2026, 12, 4), end=date(2026, 12, 4)
    )
    body = client.get(url).content.decode()
    assert "Braunstone Frith Community College keeps a different calendar" in body
    assert "Fri 4 Dec 2026" in body and "(INSET day)" in body


def test_two_calendars_each_milestone_on_its_own_schools(
    leicestershire: Place, client: Client
) -> None:
    """Issue 13: what happens at the receiving school counts on its calendar (decided by the
    milestone's owner role kind, `receiving_school`), the rest on the home school's; each
    timeline row says which, and both councils' officers see the same dates."""
    city_school = leicester_city_school()
    bundled_load()  # Leicester City's calendar is published
    SchoolClosure.objects.create(
        school=city_school, name="INSET day", start=date(2026, 12, 4), end=date(2026, 12, 4)
    )
    case = started(leicestershire, first_day=date(2026, 11, 30), receiving=city_school)
    timeline = selectors.case_timeline(case=case)
    rows = {m.key: m for m in timeline.milestones}
    # The first week's attendance return is the receiving school's: its last school day of the
    # week is Thu 3 Dec (Fri 4 Dec is its INSET day). The home school's own steps stay put.
    first_week = rows["weekly_attendance.1"]
    assert first_week.at_receiving and first_week.due == date(2026, 12, 3)
    assert "Leicester City" in first_week.calendar_title
    assert not rows["dual_registration"].at_receiving
    assert "Leicestershire" in rows["dual_registration"].calendar_title
    # On the home calendar alone the same return would be due on Fri 4 Dec.
    home_only = home_calendar_timeline(case, today=date(2026, 12, 1))
    assert {m.key: m.due for m in home_only.milestones}["weekly_attendance.1"] == date(2026, 12, 4)
    city_officer = User.objects.get(
        memberships__council=city_school.council, memberships__role=Role.COUNCIL_OFFICER
    )
    for person in (leicestershire.officer, city_officer):
        sign_in(client, person)
        body = client.get(reverse("casework:case_detail", args=[case.pk])).content.decode()
        body = html.unescape(body)
        assert "Two calendars:" in body, body[body.find("Timeline") : body.find("Timeline") + 900]
        row = body.split("Thu 3 Dec 2026", 1)[1].split("</tr>", 1)[0]
        assert "Receiving school's calendar" in row
        client.logout()
