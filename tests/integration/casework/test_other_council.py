"""A move to a school of a council not on Fairway: the home council's officer records that council's
contact and decisions and the receiving school's calendar; the timeline counts the receiving
school's milestones on that calendar."""

from __future__ import annotations

import html
from datetime import date
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fairway.casework import retention, selectors, services, writes
from fairway.casework.models import Case, OtherCouncilRecord
from fairway.casework.subject_access import _case_data
from protocols.core.timeline import compute_timeline
from protocols.models import CouncilCalendar
from tenants.models import AuditEvent, Council, Role, School
from tests.factories import SchoolFactory, person_with_role, sign_in

from .conftest import Place, open_case
from .service_helpers import home_calendar_timeline
from .test_case_flow import _started

UPLOAD = (Path(__file__).parent / "data" / "uppingham-vale-calendar.yaml").read_text("utf-8")
Answers = services.OtherCouncilAnswers


def rutland_school() -> School:
    rutland = Council.objects.create(name="Rutland County Council", slug="rutland")
    return SchoolFactory(council=rutland, name="Uppingham Vale School")


def started_off_fairway(place: Place, school: School, first_day: date = date(2026, 11, 30)) -> Case:
    """Agreed, signed and started, with no request: the school's council is not on Fairway."""
    return _started(place, first_day=first_day, receiving=school, off_fairway=True)


def record(case: Case, place: Place, **answers: object) -> OtherCouncilRecord:
    existing = OtherCouncilRecord.objects.filter(case=case).first()
    return services.other_council_record_save(
        case=case,
        answers=Answers(**answers),  # type: ignore[arg-type]
        recorded_by=place.officer,
        expected_version=existing.version if existing else 0,
    )


@pytest.fixture
def off_fairway(norfolk: Place) -> tuple[Place, Case]:
    return norfolk, started_off_fairway(norfolk, rutland_school())


def test_without_a_calendar_the_receiving_dates_are_marked_provisional(
    off_fairway: tuple[Place, Case], client: Client
) -> None:
    place, case = off_fairway
    timeline = selectors.case_timeline(case=case)
    at_receiving = [m for m in timeline.milestones if m.at_receiving]
    assert at_receiving, "the protocol has milestones at the receiving school"
    assert timeline.receiving_provisional
    assert "(provisional for Uppingham Vale School)" in at_receiving[0].calendar_title
    sign_in(client, place.officer)
    page = html.unescape(client.get(reverse("casework:case_detail", args=[case.pk])).text)
    assert "The dates at Uppingham Vale School come from a provisional calendar" in page
    assert "Record Rutland County Council's contact, decisions and term dates" in page


def test_the_officer_records_contact_decisions_and_a_picked_calendar(
    off_fairway: tuple[Place, Case], client: Client
) -> None:
    place, case = off_fairway
    norfolk_calendar = CouncilCalendar.objects.get(council=place.council)
    sign_in(client, place.officer)
    url = reverse("casework:other_council", args=[case.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "version": 0,
            "contact_name": "Priya Shah",
            "contact_role": "Inclusion Officer",
            "contact_email": "priya.shah@rutland.example",
            "contact_phone": "01572 000000",
            "council_decision": "agreed",
            "council_decided_on_0": "20",
            "council_decided_on_1": "11",
            "council_decided_on_2": "2026",
            "school_decision": "agreed",
            "school_decided_on_0": "23",
            "school_decided_on_1": "11",
            "school_decided_on_2": "2026",
            "notes": "Agreed by phone; a place in Year 9 from Monday 30 November.",
            "calendar_choice": "picked",
            "picked_calendar": str(norfolk_calendar.pk),
        },
    )
    assert response.status_code == 302, response.text
    saved = OtherCouncilRecord.objects.get(case=case)
    assert (saved.contact_name, saved.council_decision, saved.council_decided_on) == (
        "Priya Shah",
        "agreed",
        date(2026, 11, 20),
    )
    assert saved.picked_calendar == norfolk_calendar and saved.recorded_by == place.officer
    page = html.unescape(client.get(reverse("casework:case_detail", args=[case.pk])).text)
    assert "Rutland County Council (not on Fairway)" in page
    assert "priya.shah@rutland.example" in page
    assert "Agreed on Fri 20 Nov 2026" in page and "Agreed on Mon 23 Nov 2026" in page
    # Norfolk's calendar stands for the school now (no longer the home calendar as a stand-in).
    assert "(provisional for Uppingham Vale School)" not in page
    assert "Receiving school's calendar: Norfolk County Council term dates" in page
    # One line in the home council's audit log, with the case; the history keeps who did it.
    line = AuditEvent.objects.filter(
        council=place.council, object_type="case", summary__contains="Recorded Rutland"
    ).get()
    assert "Recorded Rutland County Council (not on Fairway)" in line.summary
    assert "agreed on Fri 20 Nov 2026" in line.summary
    assert saved.history.latest().history_user == place.officer


def test_an_uploaded_calendar_gives_the_receiving_school_its_own_dates(
    off_fairway: tuple[Place, Case],
) -> None:
    place, case = off_fairway
    home_only = home_calendar_timeline(case, today=date(2026, 12, 1))
    record(
        case,
        place,
        calendar_choice="uploaded",
        calendar_text=UPLOAD,
        calendar_file_name="uppingham-vale.yaml",
    )
    timeline = selectors.case_timeline(case=case)
    assert timeline.receiving_calendar_title == "Uppingham Vale School term dates 2026/27"
    assert not timeline.receiving_provisional
    uploaded = selectors.uploaded_calendar_load(text=UPLOAD, file_name="u.yaml")
    protocol = case.protocol_version.load()
    expected = compute_timeline(
        protocol=protocol,
        calendar=selectors.case_calendar(case=case),
        start=date(2026, 11, 30),
        receiving_calendar=uploaded.with_closures([], slug=f"{uploaded.slug}+x"),
    )
    expected_due = {m.key: m.due for m in expected.milestones}
    before = {m.key: m.due for m in home_only.milestones}
    moved = 0
    for row in timeline.milestones:
        assert row.due == expected_due[row.key], row.key
        if row.at_receiving:
            assert row.calendar_title == "Uppingham Vale School term dates 2026/27"
            moved += row.due != before[row.key]
        else:
            # What happens at the home school stays on its calendar.
            assert row.due == before[row.key], row.key
            assert row.calendar_title == home_only.calendar_title
    assert moved, "the school's later spring term moves some of its dates"


def test_the_case_page_reads_the_record_and_the_upload_once(
    off_fairway: tuple[Place, Case], client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The timeline, the calendar differences and the panel each need them: one read, one parse."""
    place, case = off_fairway
    record(
        case, place, calendar_choice="uploaded", calendar_text=UPLOAD, calendar_file_name="u.yaml"
    )
    from fairway.casework.selectors import other_council

    parsed: list[str] = []
    load = other_council.uploaded_calendar_load

    def counted(*, text: str, file_name: str):  # type: ignore[no-untyped-def]
        parsed.append(file_name)
        return load(text=text, file_name=file_name)

    monkeypatch.setattr(other_council, "uploaded_calendar_load", counted)
    sign_in(client, place.officer)
    with CaptureQueriesContext(connection) as captured:
        page = html.unescape(client.get(reverse("casework:case_detail", args=[case.pk])).text)
    assert "Uppingham Vale School term dates 2026/27" in page
    assert parsed == ["u.yaml"]
    reads = [
        q for q in captured.captured_queries if 'FROM "casework_othercouncilrecord"' in q["sql"]
    ]
    assert len(reads) == 1


def test_a_calendar_file_with_a_mistake_names_its_line_and_column(
    off_fairway: tuple[Place, Case], client: Client
) -> None:
    place, case = off_fairway
    sign_in(client, place.officer)
    bad = UPLOAD.replace("2026-12-18", "2026-12-32")
    response = client.post(
        reverse("casework:other_council", args=[case.pk]),
        {
            "version": 0,
            "calendar_choice": "uploaded",
            "calendar_file": SimpleUploadedFile("uppingham-vale.yaml", bad.encode()),
        },
    )
    assert response.status_code == 200
    text = html.unescape(response.text)
    assert "uppingham-vale.yaml:10:49: terms[0].end: '2026-12-32' is not a real date" in text
    assert "The calendar file has problems, so nothing was saved." in text
    assert not OtherCouncilRecord.objects.filter(case=case).exists()


def test_a_provisional_choice_is_marked_wherever_its_dates_appear(
    off_fairway: tuple[Place, Case], client: Client
) -> None:
    place, case = off_fairway
    record(case, place, calendar_choice="provisional")
    timeline = selectors.case_timeline(case=case)
    assert timeline.receiving_provisional
    assert "chose" in timeline.receiving_provisional_reason
    sign_in(client, place.officer)
    page = html.unescape(client.get(reverse("casework:case_detail", args=[case.pk])).text)
    assert "The dates at Uppingham Vale School come from a provisional calendar" in page
    assert (
        "Receiving school's calendar: " in page
        and "(provisional for Uppingham Vale School)" in page
    )


def test_decisions_need_their_dates_and_a_picked_calendar_its_choice(
    off_fairway: tuple[Place, Case],
) -> None:
    place, case = off_fairway
    with pytest.raises(
        services.CaseworkError, match="Enter the date Rutland County Council decided"
    ):
        record(case, place, council_decision="agreed")
    with pytest.raises(services.CaseworkError, match="Choose a calendar"):
        record(case, place, calendar_choice="picked")
    assert not OtherCouncilRecord.objects.filter(case=case).exists()


def test_who_may_record_it(off_fairway: tuple[Place, Case], client: Client) -> None:
    """The home council's officers (and its partnership's): school staff, another council's
    people and a case of a council on Fairway get 404."""
    place, case = off_fairway
    url = reverse("casework:other_council", args=[case.pk])
    allowed = {
        "officer": place.officer,
        "partnership officer": person_with_role(
            role=Role.PARTNERSHIP_OFFICER, council=place.council, partnership=place.partnership
        ),
    }
    refused = {
        "home school staff": place.home_staff,
        "another council's officer": person_with_role(
            role=Role.COUNCIL_OFFICER, council=Council.objects.create(name="Elsewhere", slug="x")
        ),
    }
    for who, person in allowed.items():
        sign_in(client, person)
        assert client.get(url).status_code == 200, who
    for who, person in refused.items():
        sign_in(client, person)
        assert client.get(url).status_code == 404, who
        assert client.post(url, {"version": 0}).status_code == 404, who
    with pytest.raises(writes.RoleRefused):  # the write rule itself, not only the page
        services.other_council_record_save(
            case=case, answers=Answers(), recorded_by=place.home_staff, expected_version=0
        )
    # A move inside the council has no such page.
    sign_in(client, place.officer)
    inside = open_case(place)
    assert client.get(reverse("casework:other_council", args=[inside.pk])).status_code == 404


def test_a_stale_version_is_refused(off_fairway: tuple[Place, Case]) -> None:
    place, case = off_fairway
    record(case, place, contact_name="Priya Shah")
    with pytest.raises(services.CaseworkError, match="Someone else changed this record"):
        services.other_council_record_save(
            case=case,
            answers=Answers(contact_name="Someone"),
            recorded_by=place.officer,
            expected_version=0,
        )


def test_subject_access_and_retention(off_fairway: tuple[Place, Case]) -> None:
    place, case = off_fairway
    record(
        case,
        place,
        contact_name="Priya Shah",
        notes="The pupil's aunt lives nearby.",
        council_decision="agreed",
        council_decided_on=date(2026, 11, 20),
    )
    data = _case_data(Case.objects.get(pk=case.pk))
    assert data["other_council_record"]["contact_name"] == "Priya Shah"
    assert data["other_council_record"]["council_decided_on"] == date(2026, 11, 20)
    Case.objects.filter(pk=case.pk).update(stage="closed")
    retention.case_anonymise(case=Case.objects.get(pk=case.pk), now=case.created_at)
    kept = OtherCouncilRecord.objects.get(case=case)
    assert (kept.notes, kept.contact_name) == ("", "")
    assert (kept.council_decision, kept.council_decided_on) == ("agreed", date(2026, 11, 20))
    assert not kept.history.exclude(notes="").exists()


def test_the_record_is_in_the_home_councils_backup(off_fairway: tuple[Place, Case]) -> None:
    from fairway.backup import council_rows

    place, case = off_fairway
    saved = record(
        case,
        place,
        contact_name="Priya Shah",
        calendar_choice="picked",
        picked_calendar=CouncilCalendar.objects.get(council=place.council),
    )
    rows = council_rows(place.council)
    assert list(rows[OtherCouncilRecord].values_list("pk", flat=True)) == [saved.pk]
    assert rows[OtherCouncilRecord.history.model].count() == 1
