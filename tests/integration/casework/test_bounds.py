"""Nothing unbounded: typed text has a length limit and dates a sane range, in forms and services;
case pages are never stored by the browser."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from fairway.casework import bounds, services
from fairway.casework.forms import AttendanceForm, EventForm, django_field
from fairway.casework.models import AttendanceWeek, Case
from fairway.casework.services import CaseworkError
from protocols.core.model import FormField
from tests.factories import sign_in

from .conftest import Place, agree, open_case
from .service_helpers import started


def test_the_limits_read_as_gov_uk_messages() -> None:
    assert bounds.length_message(label="Notes", limit=10_000) == (
        "Notes must be 10,000 characters or fewer"
    )
    assert bounds.date_message(label="Week beginning", today=date(2026, 12, 2)) == (
        "Week beginning must be between Mon 1 Jan 1990 and Sun 2 Dec 2029"
    )
    assert bounds.latest_date(today=date(2028, 2, 29)) == date(2031, 3, 1)


def test_an_attendance_note_of_100000_characters_is_refused_by_the_service(
    norfolk: Place,
) -> None:
    case = started(norfolk, first_day=date(2026, 11, 30))
    with pytest.raises(CaseworkError) as refused:
        services.attendance_record(
            case=case,
            week_beginning=date(2026, 11, 30),
            sessions_possible=10,
            sessions_attended=10,
            recorded_by=norfolk.receiving_staff,
            expected_version=case.version,
            note="x" * 100_000,
        )
    assert refused.value.field == "note"
    assert "10,000 characters or fewer" in refused.value.message
    assert not AttendanceWeek.objects.filter(case=case).exists()


def test_attendance_for_the_year_1000_is_refused_by_the_service(norfolk: Place) -> None:
    case = started(norfolk, first_day=date(2026, 11, 30))
    with pytest.raises(CaseworkError) as refused:
        services.attendance_record(
            case=case,
            week_beginning=date(1000, 1, 6),
            sessions_possible=10,
            sessions_attended=10,
            recorded_by=norfolk.receiving_staff,
            expected_version=case.version,
        )
    assert refused.value.field == "week_beginning"
    assert refused.value.message.startswith("Week beginning must be between Mon 1 Jan 1990")


def test_event_note_and_commitment_text_are_bounded_in_services(norfolk: Place) -> None:
    case = agree(open_case(norfolk), norfolk, first_day=date(2026, 11, 30))
    with pytest.raises(CaseworkError) as refused:
        services.case_event_record(
            case=case,
            event_key="start",
            day=date(2026, 11, 30),
            recorded_by=norfolk.officer,
            expected_version=case.version,
            note="x" * (bounds.LONG_TEXT + 1),
        )
    assert refused.value.field == "note"
    with pytest.raises(CaseworkError) as refused:
        services.commitment_add(
            case=case,
            kind="target",
            role_key="pupil",
            text="x" * (bounds.LONG_TEXT + 1),
            agreed_on=date(2026, 11, 30),
            added_by=norfolk.officer,
            expected_version=case.version,
        )
    assert refused.value.field == "text"
    with pytest.raises(CaseworkError) as refused:
        services.sign_off_record(
            case=case,
            sign_off_key="agreement",
            role_key="parent",
            signed_by_name="A Parent",
            signed_on=date(9999, 12, 31),
            recorded_by=norfolk.officer,
            expected_version=case.version,
        )
    assert refused.value.field == "signed_on"


def test_protocol_form_answers_are_bounded_in_the_service(norfolk: Place) -> None:
    case = open_case(norfolk)
    submission = services.form_draft_start(
        case=case, form_key="off_site_direction_notice", started_by=norfolk.home_staff
    )
    with pytest.raises(CaseworkError) as refused:
        services.form_page_save(
            submission=submission,
            page_answers={"report_to": "x" * 100_000},
            page_fields=["report_to"],
            expected_version=submission.version,
            saved_by=norfolk.home_staff,
        )
    assert refused.value.field == "report_to"
    # The message names the question as the form asks it, not the protocol's key.
    label = case.protocol_version.load().form("off_site_direction_notice")
    label = next(d.label for d in label.fields if d.key == "report_to")
    assert refused.value.message == bounds.length_message(label=label, limit=bounds.LONG_TEXT)


def test_protocol_text_fields_say_their_limit() -> None:
    notes = django_field(FormField(key="notes", label="Notes", type="textarea"))
    assert notes.max_length == 10_000  # type: ignore[attr-defined]
    assert notes.clean("x" * 10_000) == "x" * 10_000
    with pytest.raises(Exception, match="Notes must be 10,000 characters or fewer"):
        notes.clean("x" * 10_001)
    name = django_field(FormField(key="name", label="Name", type="text", max_length=5_000))
    assert name.max_length == 500  # type: ignore[attr-defined]


def test_forms_refuse_a_long_note_and_a_date_out_of_range() -> None:
    form = AttendanceForm(
        data={
            "version": 1,
            "week_beginning_0": "6",
            "week_beginning_1": "1",
            "week_beginning_2": "1000",
            "sessions_possible": "10",
            "sessions_attended": "10",
            "note": "x" * 100_000,
        }
    )
    assert not form.is_valid()
    assert form.errors["note"] == [
        "Reasons for any absence and other issues must be 10,000 characters or fewer"
    ]
    assert form.errors["week_beginning"][0].startswith(
        "Week beginning must be between Mon 1 Jan 1990 and "
    )
    event = EventForm(
        data={"version": 1, "event_key": "start", "day_0": "31", "day_1": "12", "day_2": "9999"},
        events=[("start", "Start")],
    )
    assert not event.is_valid()
    assert event.errors["day"][0].startswith("Date must be between Mon 1 Jan 1990 and ")


def test_case_pages_are_sent_no_store(norfolk: Place, client: Client) -> None:
    case = open_case(norfolk)
    sign_in(client, norfolk.officer)
    for url in (
        reverse("casework:case_list"),
        reverse("casework:case_detail", args=[case.pk]),
        reverse("casework:case_history", args=[case.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
    assert Case.objects.filter(pk=case.pk).exists()


def test_a_signed_out_case_url_is_no_store_too(client: Client, db: None) -> None:
    response = client.get("/cases/")
    assert "no-store" in response["Cache-Control"]
