"""Keeping only what the law allows: the council's retention period, the daily anonymising run
(audited, counts kept), and a council admin's subject access download."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from fairway.casework import register, retention, services
from fairway.casework.models import Case, FormSubmission, Stage
from tenants.models import AuditEvent, Council, Role, User
from tests.factories import CouncilFactory, person_with_role, sign_in

from .conftest import Place, submit_form
from .service_helpers import started

CLOSED_ON = date(2024, 12, 2)


def _closed(place: Place) -> Case:
    """A Norfolk behaviour-trial case with a review, attendance and a target, closed 2 Dec 2024."""
    case = started(place, first_day=date(2024, 9, 16), referred_on=date(2024, 9, 2))
    services.attendance_record(
        case=case,
        week_beginning=date(2024, 9, 16),
        sessions_possible=10,
        sessions_attended=8,
        note="Two sessions missed: a dentist's appointment",
        recorded_by=place.receiving_staff,
        expected_version=case.version,
    )
    case.refresh_from_db()
    services.commitment_add(
        case=case,
        kind="target",
        role_key="pupil",
        text="Jayden will attend every lesson",
        agreed_on=date(2024, 9, 16),
        added_by=place.officer,
        expected_version=case.version,
    )
    case.refresh_from_db()
    case = submit_form(
        case,
        "review",
        {
            "held_on": "2024-09-27",
            "attendees": "Both schools, Jayden's mother",
            "home_school_attended": True,
            "progress_against_targets": "Jayden is settling in",
            "recommendation": "continue",
            "outcome_shared_with_parents_on": "2024-09-27",
        },
        place.receiving_staff,
    )
    services.outcome_record(
        case=case,
        outcome_key="on_roll_receiving",
        decided_on=CLOSED_ON,
        reasons="Jayden settled well",
        answers={
            "decided_on": CLOSED_ON.isoformat(),
            "decision_reasons": "Jayden settled well",
            "parents_told_on": CLOSED_ON.isoformat(),
        },
        recorded_by=place.officer,
        expected_version=case.version,
    )
    return Case.objects.get(pk=case.pk)


def _register_counts(place: Place, admin: User) -> tuple[int, int, int, int, list[list[str]]]:
    built = register.register_build(
        fetched_by=admin, council=place.council, partnership=None, year=2024, compare="ehcp"
    )
    table = [row[3:] for row in register.register_table(built, fetched_by=admin)]  # no name/UPN
    return built.moves, built.running, built.stayed, built.returned, table


def test_the_daily_run_anonymises_closed_cases_past_the_period(norfolk: Place) -> None:
    admin = person_with_role(role=Role.COUNCIL_ADMIN, council=norfolk.council)
    case = _closed(norfolk)
    still_open = started(norfolk)
    counts = _register_counts(norfolk, admin)
    assert case.stage == Stage.CLOSED and counts[0] == 1

    # Six years after closure is not yet past.
    assert retention.retention_apply(today=date(2030, 12, 2))[0].anonymised == 0
    runs = retention.retention_apply(today=date(2030, 12, 3))
    assert [(r.council, r.anonymised) for r in runs] == [("norfolk", 1)]

    case.refresh_from_db()
    assert case.anonymised_at is not None
    assert (case.pupil_name, case.upn, case.home_postcode) == ("Anonymised", "", "")
    assert case.date_of_birth == date(2010, 9, 1)  # the cohort's 1 September: Year 9 in 2024/25
    assert (case.stage, case.outcome_key, case.start_date) == (
        Stage.CLOSED,
        "on_roll_receiving",
        date(2024, 9, 16),
    )
    referral = FormSubmission.objects.get(case=case, form_key="referral").answers
    assert referral["year_group"] == "year_9" and referral["ehcp"] is False
    assert not {"pupil_name", "date_of_birth", "upn", "reasons", "home_postcode"} & set(referral)
    review = FormSubmission.objects.get(case=case, form_key="review").answers
    assert review["recommendation"] == "continue" and "attendees" not in review
    assert case.attendance_weeks.get().note == ""
    assert case.commitments.get().text == ""
    assert case.outcome.reasons == ""
    # Nothing of the pupil is left in the history rows either.
    everything = json.dumps(
        [
            list(model.objects.filter(**{key: case.pk}).values())
            for model, key in (
                (Case.history.model, "id"),
                (FormSubmission.history.model, "case_id"),
                (FormSubmission, "case_id"),
                (case.commitments.model.history.model, "case_id"),
                (case.attendance_weeks.model.history.model, "case_id"),
                (case.sign_offs.model, "case_id"),
            )
        ],
        default=str,
    )
    for secret in ("Jayden", "Whitmore", "A123456789012", "NR2 3AB", "dentist", "2010-10-14"):
        assert secret not in everything, secret
    # The register counts the same moves, outcomes and groups.
    assert _register_counts(norfolk, admin) == counts
    # Open cases are never touched.
    still_open.refresh_from_db()
    assert still_open.pupil_name == "Jayden Whitmore" and still_open.anonymised_at is None

    lines = AuditEvent.objects.filter(council=norfolk.council, object_type="retention")
    assert [line.summary for line in lines.order_by("id")] == [
        "Retention run: 0 closed cases anonymised (closed before Mon 2 Dec 2024; kept 6 years)",
        "Retention run: 1 closed cases anonymised (closed before Tue 3 Dec 2024; kept 6 years)",
    ]
    # A second run finds nothing more to do, and says so.
    assert retention.retention_apply(today=date(2030, 12, 4))[0].anonymised == 0


def test_a_longer_period_keeps_the_case(norfolk: Place) -> None:
    case = _closed(norfolk)
    Council.objects.filter(pk=norfolk.council.pk).update(closed_case_retention_years=10)
    assert retention.retention_apply(today=date(2030, 12, 3))[0].anonymised == 0
    case.refresh_from_db()
    assert case.anonymised_at is None and case.upn == "A123456789012"


def test_the_daily_task_runs_through_the_task_backend(norfolk: Place) -> None:
    _closed(norfolk)
    result = retention.retention_run.enqueue()  # the test settings run tasks at once
    assert result.return_value == 0  # today (the real clock) is within six years of 2024


def _admin_client(council: Council) -> tuple[Client, User]:
    admin = person_with_role(role=Role.COUNCIL_ADMIN, council=council)
    client = Client()
    sign_in(client, admin)
    return client, admin


def test_a_council_admin_sets_the_period(norfolk: Place) -> None:
    client, _admin = _admin_client(norfolk.council)
    url = reverse("tenants:council_retention", args=["norfolk"])
    page = client.get(url)
    assert page.status_code == 200 and b'value="6"' in page.content
    refused = client.post(url, {"years": "0"})
    assert refused.status_code == 200
    assert "Number of years must be 1 or more" in refused.content.decode()
    assert client.post(url, {"years": "7"}).status_code == 302
    norfolk.council.refresh_from_db()
    assert norfolk.council.closed_case_retention_years == 7
    assert AuditEvent.objects.filter(
        council=norfolk.council,
        summary="Closed cases kept for 7 years after closure (was 6)",
    ).exists()
    # An officer, or another council's admin, gets 404.
    officer = Client()
    sign_in(officer, norfolk.officer)
    assert officer.get(url).status_code == 404
    other, _ = _admin_client(CouncilFactory())
    assert other.post(url, {"years": "1"}).status_code == 404
    norfolk.council.refresh_from_db()
    assert norfolk.council.closed_case_retention_years == 7


def test_subject_access_downloads_everything_held_on_the_pupil(norfolk: Place) -> None:
    case = _closed(norfolk)
    client, admin = _admin_client(norfolk.council)
    url = reverse("casework:subject_access", args=["norfolk"])
    assert client.get(url).status_code == 200
    response = client.post(url, {"upn": "a123456789012"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Cache-Control"] == "no-store"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = set(archive.namelist())
    assert "pupil.json" in names
    assert {
        f"records/{case.reference}-agreement-1.pdf",
        f"records/{case.reference}-review-1.pdf",
    } <= names
    held = json.loads(archive.read("pupil.json"))
    [data] = held["cases"]
    assert data["reference"] == case.reference and data["pupil_name"] == "Jayden Whitmore"
    assert {f["form_key"] for f in data["forms"]} >= {"referral", "agreement", "review"}
    assert data["attendance_weeks"][0]["note"] == "Two sessions missed: a dentist's appointment"
    assert data["commitments"][0]["text"] == "Jayden will attend every lesson"
    assert data["outcome"]["outcome_key"] == "on_roll_receiving"
    assert any("referral by" in line["summary"] for line in data["audit_log"])
    assert archive.read(f"records/{case.reference}-review-1.pdf").startswith(b"%PDF")
    assert AuditEvent.objects.filter(
        council=norfolk.council,
        actor=admin,
        object_id=str(case.pk),
        summary__contains="subject access request",
    ).exists()

    missing = client.post(url, {"upn": "Z999999999999"})
    assert "Norfolk County Council holds no case with this UPN" in missing.content.decode()


@pytest.mark.parametrize("who", ["officer", "other_admin"])
def test_subject_access_is_404_but_for_the_councils_admins(norfolk: Place, who: str) -> None:
    _closed(norfolk)
    client = Client()
    if who == "officer":
        sign_in(client, norfolk.officer)
    else:
        client, _ = _admin_client(CouncilFactory())
    url = reverse("casework:subject_access", args=["norfolk"])
    assert client.post(url, {"upn": "A123456789012"}).status_code == 404
    assert not AuditEvent.objects.filter(summary__contains="subject access request").exists()
