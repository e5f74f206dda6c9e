"""The case pages through the test client: every page renders, bad input gets the error summary."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from fairway.casework.models import Stage
from tests.factories import sign_in

from .conftest import Place, agree, open_case


@pytest.fixture
def client_for(client: Client):  # type: ignore[no-untyped-def]
    def _sign_in(user):  # type: ignore[no-untyped-def]
        sign_in(client, user)
        return client

    return _sign_in


def test_form_pages_check_your_answers_and_submit(norfolk: Place, client_for) -> None:  # type: ignore[no-untyped-def]
    case = open_case(norfolk)
    client = client_for(norfolk.home_staff)
    start = client.get(reverse("casework:form_start", args=[case.pk, "off_site_direction_notice"]))
    assert start.status_code == 302
    page_url = start["Location"]
    page = client.get(page_url)
    assert page.status_code == 200
    version = page.context["submission"].version
    bad = client.post(page_url, {"version": version, "first_day_0": "40"})
    assert b"govuk-error-summary" in bad.content
    ok = client.post(
        page_url,
        {
            "version": version,
            "receiving_school_address": "1 School Lane",
            "report_to": "Ms Patel",
            "first_day_0": "30",
            "first_day_1": "11",
            "first_day_2": "2026",
            "number_of_days": "40",
            "reasons_and_objectives": "A fresh start",
            "session_times": "8.40 to 3.10",
            "council_notified": "no",
            "notice_sent_on_0": "20",
            "notice_sent_on_1": "11",
            "notice_sent_on_2": "2026",
        },
    )
    assert ok.status_code == 302
    check = client.get(ok["Location"])
    assert check.status_code == 200
    assert b"Check your answers" in check.content
    assert b"Mon 30 Nov 2026" in check.content
    done = client.post(ok["Location"], {"version": check.context["submission"].version})
    assert done.status_code == 302
    case.refresh_from_db()
    assert case.start_date == date(2026, 11, 30)
    printable = client.get(
        reverse("casework:form_print", args=[case.pk, "off_site_direction_notice", 1])
    )
    assert printable.status_code == 200


def test_a_second_editor_is_told_what_changed(norfolk: Place, client_for) -> None:  # type: ignore[no-untyped-def]
    case = open_case(norfolk)
    client = client_for(norfolk.home_staff)
    start = client.get(reverse("casework:form_start", args=[case.pk, "off_site_direction_notice"]))
    page_url = start["Location"]
    version = client.get(page_url).context["submission"].version
    data = {
        "version": version,
        "receiving_school_address": "1 School Lane",
        "report_to": "Ms Patel",
        "first_day_0": "30",
        "first_day_1": "11",
        "first_day_2": "2026",
        "number_of_days": "40",
        "reasons_and_objectives": "A fresh start",
        "session_times": "8.40 to 3.10",
        "council_notified": "no",
        "notice_sent_on_0": "20",
        "notice_sent_on_1": "11",
        "notice_sent_on_2": "2026",
    }
    assert client.post(page_url, data).status_code == 302
    second = client.post(page_url, {**data, "report_to": "Mr Jones"})
    assert second.status_code == 200
    assert b"Someone else changed this case" in second.content
    submission = case.submissions.get(form_key="off_site_direction_notice")
    assert submission.answers["report_to"] == "Ms Patel"


def test_steps_render_and_bad_input_shows_the_summary(norfolk: Place, client_for) -> None:  # type: ignore[no-untyped-def]
    case = agree(open_case(norfolk), norfolk, first_day=date(2026, 11, 30))
    client = client_for(norfolk.officer)
    event_url = reverse("casework:event_record", args=[case.pk])
    assert client.get(event_url + "?event=start").status_code == 200
    bad = client.post(event_url, {"version": case.version, "event_key": "start", "day_0": "x"})
    assert bad.status_code == 200 and b"govuk-error-summary" in bad.content
    ok = client.post(
        event_url,
        {
            "version": case.version,
            "event_key": "start",
            "day_0": "30",
            "day_1": "11",
            "day_2": "2026",
        },
    )
    assert ok.status_code == 302
    case.refresh_from_db()
    assert case.stage == Stage.OFF_SITE_DIRECTION
    attendance_url = reverse("casework:attendance", args=[case.pk])
    bad = client.post(
        attendance_url,
        {
            "version": case.version,
            "week_beginning_0": "30",
            "week_beginning_1": "11",
            "week_beginning_2": "2026",
            "sessions_possible": "10",
            "sessions_attended": "12",
        },
    )
    assert b"govuk-error-summary" in bad.content
    for name in ("end_early", "outcome", "case_history", "case_detail"):
        assert client.get(reverse(f"casework:{name}", args=[case.pk])).status_code == 200
    # Norfolk v2's DOWIMM can go past its usual 8 weeks with agreement and a recorded reason.
    assert client.get(reverse("casework:extension", args=[case.pk])).status_code == 200
    bad = client.post(reverse("casework:outcome", args=[case.pk]), {"version": case.version})
    assert bad.status_code == 200 and b"govuk-error-summary" in bad.content
    assert client.get(reverse("casework:case_list")).status_code == 200


def test_a_change_from_check_your_answers_goes_back_there(norfolk: Place, client_for) -> None:  # type: ignore[no-untyped-def]
    case = open_case(norfolk)
    client = client_for(norfolk.home_staff)
    start = client.get(reverse("casework:form_start", args=[case.pk, "off_site_direction_notice"]))
    submission = case.submissions.get(form_key="off_site_direction_notice")
    check_url = reverse(
        "casework:form_check", args=[case.pk, "off_site_direction_notice", submission.occurrence]
    )
    check = client.get(check_url).content.decode()
    change = start["Location"] + "?check=1#id_report_to"
    assert f'href="{change}"' in check
    page = client.get(start["Location"] + "?check=1")
    assert b"Save and go back to check your answers" in page.content
    back = client.post(
        start["Location"] + "?check=1",
        {
            "version": page.context["submission"].version,
            "receiving_school_address": "1 School Lane",
            "report_to": "Ms Patel",
            "first_day_0": "30",
            "first_day_1": "11",
            "first_day_2": "2026",
            "number_of_days": "40",
            "reasons_and_objectives": "A fresh start",
            "session_times": "8.40 to 3.10",
            "council_notified": "no",
            "notice_sent_on_0": "20",
            "notice_sent_on_1": "11",
            "notice_sent_on_2": "2026",
            "check": "1",
        },
    )
    assert back.status_code == 302 and back["Location"] == check_url


def test_the_case_page_says_where_each_step_comes_from(norfolk: Place, client_for) -> None:  # type: ignore[no-untyped-def]
    case = agree(open_case(norfolk), norfolk, first_day=date(2026, 11, 30))
    page = client_for(norfolk.home_staff).get(reverse("casework:case_detail", args=[case.pk]))
    text = page.content.decode()
    assert "Where these steps come from" in text
    assert (
        'href="https://www.schools.norfolk.gov.uk/article/76504/'
        'What-happens-during-an-off-site-direction"' in text
    )
    # The Fair Access team's 5 school days for the outcome data: no source gives them.
    assert "local practice, to be confirmed by the council" in text
