"""The outcome report: success rates by protocol version, route, phase and school, time to
decision, extensions and early ends with reasons, date filters, isolation and query count."""

from __future__ import annotations

from datetime import date

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from fairway.casework import outcome_report
from fairway.casework.models import Case, EarlyEnd, Extension, Outcome
from tenants.models import AuditEvent, Role
from tests.factories import person_with_role, sign_in

from .conftest import Place
from .test_fair_access_figures import ADVISER, RETURNED, STAYED, move

URL = "/cases/register/norfolk/outcomes/"


def decided(place: Place, *, first_day: date, outcome: str, after_days: int, **kw: object) -> Case:
    case = move(place, first_day=first_day, outcome=outcome, **kw)  # type: ignore[arg-type]
    case.refresh_from_db()
    Outcome.objects.create(
        case=case,
        outcome_key=outcome,
        decided_on=date.fromordinal(case.referred_on.toordinal() + after_days),
        reasons="Settled well",
    )
    return case


def build(place: Place, **kw: object) -> outcome_report.OutcomeReport:
    return outcome_report.outcome_report_build(
        fetched_by=place.officer,
        council=place.council,
        partnership=None,
        starts_on=kw.pop("starts_on", date(2026, 9, 1)),  # type: ignore[arg-type]
        ends_on=kw.pop("ends_on", date(2027, 8, 31)),  # type: ignore[arg-type]
        **kw,  # type: ignore[arg-type]
    )


def test_success_rates_time_to_decision_extensions_and_early_ends(norfolk: Place) -> None:
    day = date(2026, 10, 5)
    decided(norfolk, first_day=day, outcome=STAYED, after_days=20, adviser=True)
    decided(norfolk, first_day=day, outcome=STAYED, after_days=50, adviser=True)
    decided(norfolk, first_day=day, outcome=RETURNED, after_days=100, adviser=False)
    running = move(norfolk, first_day=day)
    move(norfolk, first_day=date(2025, 10, 6), outcome=STAYED)  # before the dates chosen
    Extension.objects.create(
        case=running,
        extension_key="trial_extension",
        school_weeks=2,
        reasons="Needs two more weeks to settle",
        granted_on=date(2026, 12, 1),
    )
    EarlyEnd.objects.create(
        case=running,
        end_rule_key="serious_breach",
        decided_on=date(2026, 12, 2),
        reasons="Brought a knife",
    )
    report = build(norfolk, route_question=ADVISER)
    assert report.moves == 4
    [version] = report.by_version
    assert (version.moves, version.decided, version.stayed, version.stayed_percent) == (4, 3, 2, 67)
    assert [(r.label, r.moves, r.decided, r.stayed) for r in report.by_route] == [
        ("Yes", 2, 2, 2),
        ("No", 1, 1, 0),
        ("Not answered", 1, 0, 0),
    ]
    assert [(r.label, r.moves) for r in report.by_phase] == [("Secondary", 4)]
    assert [(r.label, r.stayed) for r in report.by_school] == [(norfolk.receiving.name, 2)]
    times = report.decision_times
    assert (times.decided, times.shortest_days, times.longest_days) == (3, 20, 100)
    assert times.average_days == 57
    # 20 days (under 4 weeks), 50 days (4 to 8 weeks), 100 days (12 to 16 weeks).
    assert [b.count for b in times.bands] == [1, 1, 0, 1, 0]
    assert [(c.count) for c in report.extensions] == [1]
    assert [r.reasons for r in report.extension_reasons] == ["Needs two more weeks to settle"]
    assert report.early_ends[0].count == 1
    assert report.early_end_reasons[0].reference == running.reference


def test_the_page_with_its_filters_and_audit_line(norfolk: Place, client: Client) -> None:
    decided(norfolk, first_day=date(2026, 10, 5), outcome=STAYED, after_days=20, adviser=True)
    sign_in(client, norfolk.officer)
    response = client.get(
        URL,
        {
            "starts_on_0": "1",
            "starts_on_1": "9",
            "starts_on_2": "2026",
            "ends_on_0": "31",
            "ends_on_1": "8",
            "ends_on_2": "2027",
            "route": ADVISER,
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Success rate by route" in html and "100%" in html
    assert "Tue 1 Sep 2026" in html
    for case in Case.objects.all():
        assert case.pupil_name not in html
    assert AuditEvent.objects.filter(object_type="outcome_report").count() == 1


def test_bad_dates_show_the_error_summary(norfolk: Place, client: Client) -> None:
    sign_in(client, norfolk.officer)
    response = client.get(
        URL,
        {
            "starts_on_0": "31",
            "starts_on_1": "2",
            "starts_on_2": "2027",
            "ends_on_0": "1",
            "ends_on_1": "9",
            "ends_on_2": "2026",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "First days from must be a real date" in html
    response = client.get(
        URL,
        {
            "starts_on_0": "1",
            "starts_on_1": "3",
            "starts_on_2": "2027",
            "ends_on_0": "1",
            "ends_on_1": "9",
            "ends_on_2": "2026",
        },
    )
    assert response.status_code == 400
    assert "First days up to must be the same as or after Mon 1 Mar 2027" in (
        response.content.decode()
    )


def test_school_staff_and_other_councils_get_404(
    norfolk: Place, southwark: Place, client: Client
) -> None:
    for person in (
        norfolk.home_staff,
        southwark.officer,
        person_with_role(role=Role.COUNCIL_ADMIN, council=southwark.council),
    ):
        client.logout()
        sign_in(client, person)
        assert client.get(URL).status_code == 404


def test_the_query_count_is_the_same_at_n_and_2n_moves(norfolk: Place, client: Client) -> None:
    sign_in(client, norfolk.officer)

    def add(n: int) -> None:
        for i in range(n):
            case = decided(
                norfolk,
                first_day=date(2026, 10, 5),
                outcome=STAYED if i % 2 else RETURNED,
                after_days=30 + i,
                adviser=bool(i % 2),
            )
            Extension.objects.create(
                case=case,
                extension_key="trial_extension",
                school_weeks=1,
                reasons="More time",
                granted_on=date(2026, 11, 2),
            )

    query = {"route": ADVISER}
    add(3)
    client.get(URL, query)  # warm the per-process protocol cache
    with CaptureQueriesContext(connection) as small:
        assert client.get(URL, query).status_code == 200
    add(3)
    with CaptureQueriesContext(connection) as large:
        assert client.get(URL, query).status_code == 200
    assert len(large) == len(small)
