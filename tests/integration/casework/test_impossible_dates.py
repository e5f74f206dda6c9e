"""Dates that cannot be true are refused (issue 12 part 5), one test per rule (casework.dates).

Each refusal is a CaseworkError on the field the form asks the date in, naming the date. The
case-work tests count 31 Aug 2027 as today (conftest); a test about "the future" or "a week that
has not ended" fixes its own today.
"""

from datetime import date

import pytest

from fairway.casework import dates, services
from fairway.casework.models import Case

from .conftest import REFERRAL, Place, agree, fill, open_case, submit_form
from .service_helpers import started

FIRST_DAY = date(2026, 11, 30)  # Mon; the referral is Mon 2 Nov 2026


def _today(monkeypatch: pytest.MonkeyPatch, day: date) -> None:
    monkeypatch.setattr(dates, "current_day", lambda: day)


def test_the_first_day_must_be_a_school_day_of_the_home_school(norfolk: Place) -> None:
    case = agree(open_case(norfolk), norfolk, first_day=FIRST_DAY)
    with pytest.raises(services.CaseworkError) as refused:
        services.case_event_record(
            case=case,
            event_key="start",
            day=date(2026, 11, 28),
            recorded_by=norfolk.officer,
            expected_version=case.version,
        )
    assert refused.value.field == "day"
    assert refused.value.message == (
        "The first day must be a school day: Sat 28 Nov 2026 is not a school day at "
        "Norfolk County Council High School"
    )
    assert Case.objects.get(pk=case.pk).stage == case.stage


def test_the_first_day_is_at_least_two_school_days_after_the_notice(norfolk: Place) -> None:
    case = open_case(norfolk)
    case = submit_form(case, "agreement", fill(case, "agreement", norfolk), norfolk.home_staff)
    answers = fill(
        case,
        "off_site_direction_notice",
        norfolk,
        first_day="2026-11-30",
        notice_sent_on="2026-11-27",  # Fri: Mon 30 Nov is the next school day
    )
    submission = services.form_draft_start(
        case=case, form_key="off_site_direction_notice", started_by=norfolk.home_staff
    )
    with pytest.raises(services.CaseworkError) as refused:
        services.form_page_save(
            submission=submission,
            page_answers=answers,
            page_fields=list(answers),
            expected_version=submission.version,
            saved_by=norfolk.home_staff,
        )
    assert refused.value.field == "first_day"
    assert refused.value.message == (
        "The first day must be at least 2 school days after the notice was sent on "
        "Fri 27 Nov 2026: Mon 30 Nov 2026 is too soon"
    )


def test_nothing_is_dated_before_the_referral(norfolk: Place) -> None:
    case = open_case(norfolk)
    case = submit_form(case, "agreement", fill(case, "agreement", norfolk), norfolk.home_staff)
    sign_off = case.protocol_version.load().sign_offs[0]
    with pytest.raises(services.CaseworkError) as refused:
        services.sign_off_record(
            case=case,
            sign_off_key=sign_off.key,
            role_key=sign_off.roles[0],
            signed_by_name="A Signer",
            signed_on=date(2026, 10, 30),
            recorded_by=norfolk.officer,
            expected_version=case.version,
        )
    assert refused.value.field == "signed_on"
    assert refused.value.message == (
        "The date signed must be on or after the referral, Mon 2 Nov 2026"
    )


def test_a_step_of_the_direction_is_not_before_the_first_day(southwark: Place) -> None:
    case = started(southwark, first_day=FIRST_DAY)
    with pytest.raises(services.CaseworkError) as refused:
        services.case_end_early(
            case=case,
            end_rule_key="breakdown",
            decided_on=date(2026, 11, 26),
            reasons="Repeated serious incidents",
            answers={"decided_on": "2026-11-26", "reasons": "Repeated serious incidents"},
            ended_by=southwark.officer,
            expected_version=case.version,
        )
    assert refused.value.field == "decided_on"
    assert refused.value.message == (
        "The date of the early end must be on or after the first day, Mon 30 Nov 2026"
    )


def test_a_review_answer_is_not_before_the_first_day(norfolk: Place) -> None:
    case = started(norfolk, first_day=FIRST_DAY)
    answers = fill(case, "review", norfolk, held_on="2026-11-20")
    submission = services.form_draft_start(
        case=case, form_key="review", started_by=norfolk.receiving_staff
    )
    with pytest.raises(services.CaseworkError) as refused:
        services.form_page_save(
            submission=submission,
            page_answers=answers,
            page_fields=list(answers),
            expected_version=submission.version,
            saved_by=norfolk.receiving_staff,
        )
    assert refused.value.field == "held_on"
    assert refused.value.message == (
        "The date of the review must be on or after the first day, Mon 30 Nov 2026"
    )


def test_what_has_happened_is_not_in_the_future(
    norfolk: Place, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = started(norfolk, first_day=FIRST_DAY)
    _today(monkeypatch, date(2026, 12, 4))
    with pytest.raises(services.CaseworkError) as refused:
        services.outcome_record(
            case=case,
            outcome_key="on_roll_receiving",
            decided_on=date(2027, 1, 4),
            reasons="The move succeeded",
            answers={},
            recorded_by=norfolk.officer,
            expected_version=case.version,
        )
    assert refused.value.field == "decided_on"
    assert refused.value.message == (
        "The date of the decision must be today or in the past: Mon 4 Jan 2027 is in the future"
    )


def test_attendance_is_only_for_a_week_that_has_ended(
    norfolk: Place, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = started(norfolk, first_day=FIRST_DAY)
    _today(monkeypatch, date(2026, 12, 4))  # the Friday of the first week: not yet ended
    with pytest.raises(services.CaseworkError) as refused:
        services.attendance_record(
            case=case,
            week_beginning=date(2026, 11, 30),
            sessions_possible=10,
            sessions_attended=10,
            recorded_by=norfolk.receiving_staff,
            expected_version=case.version,
        )
    assert refused.value.field == "week_beginning"
    assert refused.value.message == (
        "Attendance can only be recorded for a week that has ended: the week beginning "
        "Mon 30 Nov 2026 ends on Fri 4 Dec 2026"
    )
    _today(monkeypatch, date(2026, 12, 5))
    services.attendance_record(
        case=case,
        week_beginning=date(2026, 11, 30),
        sessions_possible=10,
        sessions_attended=10,
        recorded_by=norfolk.receiving_staff,
        expected_version=case.version,
    )


def test_a_date_of_birth_fits_the_year_group(norfolk: Place) -> None:
    with pytest.raises(services.CaseworkError) as refused:
        open_case(norfolk, date_of_birth="2030-01-10", year_group="year_9")
    assert refused.value.field == "date_of_birth"
    assert refused.value.message.startswith(
        "The date of birth must fit the year group: a pupil in Year 9 in 2026/27 was born between "
        "Sat 1 Sep 2012 and Sat 31 Aug 2013, not on Thu 10 Jan 2030."
    )
    assert not Case.objects.exists()


def test_a_council_officer_confirms_a_pupil_out_of_their_year_group(norfolk: Place) -> None:
    referral = services.Referral(
        home_school=norfolk.home,
        answers={**REFERRAL, "date_of_birth": "2013-10-14", "year_group": "year_9"},
        referred_on=date(2026, 11, 2),
    )
    with pytest.raises(services.CaseworkError) as refused:
        services.case_open(
            referral=referral, opened_by=norfolk.home_staff, out_of_year_group_confirmed=True
        )
    assert refused.value.field == "year_group"
    case = services.case_open(
        referral=referral, opened_by=norfolk.officer, out_of_year_group_confirmed=True
    )
    assert case.date_of_birth == date(2013, 10, 14)
