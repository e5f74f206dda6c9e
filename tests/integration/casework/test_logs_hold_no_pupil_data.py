"""The logs of a whole case, pages and background tasks included, are JSON lines that never hold
the pupil's name, date of birth or UPN."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from fairway.casework import services, tasks
from fairway.casework.models import Case, Stage
from fairway.logs import JsonFormatter
from tenants.models import Role
from tests.factories import CouncilFactory, person_with_role, sign_in

from .conftest import Place, submit_form
from .service_helpers import started

PUPIL = "Oluwaseun Fairbrother-Quigley"
UPN = "K801234567890"


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    """Every record the configured loggers let through, formatted as production writes it."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield stream
    finally:
        root.removeHandler(handler)


def test_a_whole_case_logs_no_pupil_data(norfolk: Place, log_lines: io.StringIO) -> None:
    case = started(norfolk)
    Case.objects.filter(pk=case.pk).update(pupil_name=PUPIL, upn=UPN)
    case.refresh_from_db()
    born = case.date_of_birth
    services.attendance_record(
        case=case,
        week_beginning=date(2026, 11, 30),
        sessions_possible=10,
        sessions_attended=9,
        recorded_by=norfolk.receiving_staff,
        expected_version=case.version,
    )
    case.refresh_from_db()
    case = submit_form(
        case,
        "review",
        {
            "held_on": "2026-12-04",
            "attendees": f"Both schools and {PUPIL}'s parent",
            "home_school_attended": True,
            "progress_against_targets": "Good",
            "recommendation": "continue",
            "outcome_shared_with_parents_on": "2026-12-04",
        },
        norfolk.receiving_staff,
    )
    client = Client()
    sign_in(client, norfolk.officer)
    pages = [
        reverse("casework:case_list") + f"?q={PUPIL}",
        reverse("casework:case_list") + f"?q={UPN}",
        reverse("casework:case_detail", args=[case.pk]),
        reverse("casework:form_pdf", args=[case.pk, "review", 1]),
    ]
    for url in pages:
        assert client.get(url).status_code == 200
    stranger = Client()
    sign_in(stranger, person_with_role(role=Role.COUNCIL_OFFICER, council=CouncilFactory()))
    assert stranger.get(f"/cases/?q={PUPIL}").status_code == 200
    assert stranger.get(reverse("casework:case_detail", args=[case.pk])).status_code == 404
    tasks.reminders_due(today=date(2026, 12, 7))
    services.outcome_record(
        case=case,
        outcome_key=case.protocol_version.load().outcomes[0].key,
        decided_on=date(2027, 1, 29),
        reasons=f"{PUPIL} settled well",
        answers={},
        recorded_by=norfolk.officer,
        expected_version=case.version,
    )
    assert Case.objects.get(pk=case.pk).stage == Stage.CLOSED

    lines = log_lines.getvalue().splitlines()
    records = [json.loads(line) for line in lines]  # every line is one JSON object
    requests = [r["http"] for r in records if r["logger"] == "fairway.request"]
    assert {r["path"] for r in requests} >= {"/cases/", f"/cases/{case.pk}/"}
    assert {r["status"] for r in requests} >= {200, 404}
    text = log_lines.getvalue()
    for secret in (
        PUPIL,
        *PUPIL.split(),
        UPN,
        born.isoformat(),
        born.strftime("%d/%m/%Y"),
        born.strftime("%-d %B %Y"),
    ):
        assert secret not in text, secret
