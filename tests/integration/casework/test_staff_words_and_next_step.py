"""What staff see on a case: rules in plain words, dates as "Fri 22 May 2026", a banner after
each step, GOV.UK messages, done reviews staying done after an early end, one next step, the
term weeks offered for attendance, outcomes that fit the case, the notice's address filled in."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from fairway.casework import selectors, services
from fairway.casework.models import Case
from tests.factories import sign_in

from .conftest import Place, fill, submit_form
from .service_helpers import started


def _page(client: Client, case: Case) -> str:
    return client.get(reverse("casework:case_detail", args=[case.pk])).content.decode()


def test_the_timeline_says_each_rule_in_plain_words_and_dates_in_full(norfolk: Place) -> None:
    case = started(norfolk)
    client = Client()
    sign_in(client, norfolk.officer)
    page = _page(client, case)
    assert "every week until the end of the trial" in page
    assert "every 2 school weeks until the end of the trial" in page
    for syntax in ("school weeks from start", "until trial_end", "outcome_decided", ">2026-1"):
        assert syntax not in page
    assert "Fri 4 Dec 2026" in page  # the first week's attendance return
    # Dated when something happens: the parent's request, in words.
    assert "within 10 school days of the parent&#x27;s written request for a review" in page


def test_a_review_held_stays_done_after_an_early_end(norfolk: Place) -> None:
    case = started(norfolk)  # DOWIMM: reviews every 2 school weeks from Mon 30 Nov 2026
    case = submit_form(
        case, "review", fill(case, "review", norfolk, held_on="2026-12-03"), norfolk.receiving_staff
    )
    services.case_end_early(
        case=case,
        end_rule_key="serious_breach",
        decided_on=date(2026, 12, 7),
        reasons="A serious incident",
        answers={"decided_on": "2026-12-07", "reasons": "A serious incident", "evidence": "Log"},
        ended_by=norfolk.officer,
        expected_version=Case.objects.get(pk=case.pk).version,
    )
    timeline = selectors.case_timeline(case=Case.objects.get(pk=case.pk))
    review = next(m for m in timeline.milestones if m.key == "review.1")
    assert (review.status, review.done_on) == ("done", date(2026, 12, 3))
    assert "review.1" not in {w.key for w in timeline.waived}
    # What was never due is "not needed", with the reason in words.
    later = next(w for w in timeline.waived if w.key == "review.2")
    assert later.reason == "the trial ended early on Mon 7 Dec 2026"


def test_the_attendance_form_offers_the_ended_term_weeks_and_says_what_it_saved(
    norfolk: Place, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = started(norfolk)  # first day Mon 30 Nov 2026
    weeks = selectors.attendance_weeks_offered(case=case, today=date(2027, 1, 6))
    # 30 Nov, 7 Dec, 14 Dec; the Christmas holiday weeks are not term weeks; 4 Jan is not over.
    assert [w for w, _recorded in weeks] == [
        date(2026, 12, 14),
        date(2026, 12, 7),
        date(2026, 11, 30),
    ]
    monkeypatch.setattr("fairway.casework.dates.current_day", lambda: date(2027, 1, 6))
    client = Client()
    sign_in(client, norfolk.receiving_staff)
    url = reverse("casework:attendance", args=[case.pk])
    form = client.get(url).content.decode()
    assert "week beginning Mon 7 Dec 2026" in form and "Mon 4 Jan 2027" not in form
    too_many = client.post(
        url,
        {
            "version": case.version,
            "week_beginning": "2026-12-07",
            "sessions_possible": 10,
            "sessions_attended": 11,
        },
    ).content.decode()
    assert "Sessions attended must be 10 or fewer" in too_many
    assert "<title>Error:" in too_many
    saved = client.post(
        url,
        {
            "version": case.version,
            "week_beginning": "2026-12-07",
            "sessions_possible": 10,
            "sessions_attended": 9,
        },
        follow=True,
    ).content.decode()
    assert "govuk-notification-banner--success" in saved
    assert "Attendance recorded for the week beginning Mon 7 Dec 2026: 9 of 10 sessions" in saved


def test_the_next_step_names_what_who_and_when_with_the_link(norfolk: Place) -> None:
    case = started(norfolk)
    client = Client()
    sign_in(client, norfolk.officer)
    page = _page(client, case)
    panel = page[page.index('id="next-step"') :]
    panel = panel[: panel.index("</div>\n</div>")]
    # The earliest open step: dual registration on the first day, the home school's, with no
    # form: it is marked done on the timeline.
    assert "Pupil dual registered at the receiving school" in panel
    assert "Mon 30 Nov 2026" in panel
    assert "Mark it as done in the timeline" in panel
    # Receiving staff see the step but are not offered it.
    receiving = Client()
    sign_in(receiving, norfolk.receiving_staff)
    theirs = _page(receiving, case).split('id="next-step"')[1]
    assert "Your role does not do this step" in theirs
    # DOWIMM's 8 weeks are a usual length: going past them is its extension, offered here.
    assert reverse("casework:extension", args=[case.pk]) in page


def test_a_step_the_protocol_does_not_have_is_not_offered(southwark: Place) -> None:
    case = started(southwark)
    client = Client()
    sign_in(client, southwark.officer)
    # Southwark's 12 weeks have no extension: nothing offers it and its URL is not found.
    assert reverse("casework:extension", args=[case.pk]) not in _page(client, case)
    assert client.get(reverse("casework:extension", args=[case.pk])).status_code == 404


def test_the_next_step_before_the_start_is_the_agreement(norfolk: Place) -> None:
    from .conftest import open_case

    case = open_case(norfolk)
    client = Client()
    sign_in(client, norfolk.home_staff)
    panel = _page(client, case).split('id="next-step"')[1]
    assert "Managed move agreement" in panel or "agreement" in panel.lower()
    assert "Home school" in panel or "home school" in panel.lower()


def test_an_early_end_leaves_only_outcomes_that_fit(norfolk: Place) -> None:
    case = started(norfolk)
    services.case_end_early(
        case=case,
        end_rule_key="persistent_absence",
        decided_on=date(2026, 12, 7),
        reasons="Attendance fell below 90%",
        answers={"decided_on": "2026-12-07", "reasons": "Attendance", "evidence": "Log"},
        ended_by=norfolk.officer,
        expected_version=Case.objects.get(pk=case.pk).version,
    )
    case = Case.objects.get(pk=case.pk)
    offered = [
        o.key for o in services.outcomes_allowed(case=case, protocol=case.protocol_version.load())
    ]
    assert offered == ["returned_home"]


def test_a_withdrawn_exclusion_that_stands_offers_it_as_an_outcome(southwark: Place) -> None:
    plain = started(southwark)
    protocol = plain.protocol_version.load()
    assert "permanently_excluded" not in [
        o.key for o in services.outcomes_allowed(case=plain, protocol=protocol)
    ]
    plain.withdrawn_exclusion, plain.exclusion_stands_if_move_fails = True, True
    assert "permanently_excluded" in [
        o.key for o in services.outcomes_allowed(case=plain, protocol=protocol)
    ]


def test_the_notice_form_fills_in_the_receiving_school(norfolk: Place) -> None:
    from .conftest import open_case

    norfolk.receiving.address = "Yarmouth Road\nNorwich"
    norfolk.receiving.postcode = "NR7 0EB"
    norfolk.receiving.save()
    case = open_case(norfolk)
    case = submit_form(case, "agreement", fill(case, "agreement", norfolk), norfolk.home_staff)
    client = Client()
    sign_in(client, norfolk.home_staff)
    start = client.get(
        reverse("casework:form_start", args=[case.pk, "off_site_direction_notice"]), follow=True
    ).content.decode()
    assert "receiving_school_address" in start
    # Its name, street address and postcode, one a line, ready to check and send.
    assert f"{norfolk.receiving.name}\nYarmouth Road\nNorwich\nNR7 0EB" in start
