"""The legal floor through case work: what the regulations require of a case's records and its
timeline (SI 2010/1156 as amended by SI 2012/2532; the DfE guidance on managed moves)."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from fairway.casework import selectors, services
from fairway.casework.models import Case, CaseEvent, Stage
from fairway.casework.services import CaseworkError
from fairway.casework.writes import RoleRefused

from .conftest import Place, agree, fill, open_case, submit_form
from .service_helpers import row_counts, started

FIRST_DAY = date(2026, 11, 30)


def _record(case: Case, key: str, day: date, by: object) -> Case:
    return services.case_event_record(
        case=case, event_key=key, day=day, recorded_by=by, expected_version=case.version
    )


def _requested(case: Case) -> tuple[list[str], dict[str, date]]:
    timeline = selectors.case_timeline(case=Case.objects.get(pk=case.pk))
    waived = [w.reason for w in timeline.waived if w.key == "parent_requested_review"]
    due = {m.key: m.due for m in timeline.milestones}
    return waived, due


def test_only_a_review_recorded_as_held_waives_a_parents_request(norfolk: Place) -> None:
    # Norfolk DOWIMM from Mon 30 Nov 2026: a fortnightly review is scheduled for Fri 11 Dec, but
    # none is recorded as held, so the parent's request of Mon 14 Dec is due (reg 4A(3), (4)).
    case = started(norfolk, first_day=FIRST_DAY)
    case = _record(case, "parent_review_request", date(2026, 12, 14), norfolk.home_staff)
    waived, due = _requested(case)
    assert waived == []
    # 10 school days after Mon 14 Dec: 15-18 Dec (4); Christmas; Tue 5 - Fri 8 Jan (8) (Mon 4 Jan
    # 2027 is an INSET day or holiday on the Norfolk calendar, so it is not counted), 11, 12 Jan.
    assert due["parent_requested_review"] > date(2026, 12, 14)
    # The review form's date of the review is a review held: it waives the request.
    submit_form(
        case, "review", fill(case, "review", norfolk, held_on="2026-12-11"), norfolk.receiving_staff
    )
    waived, due = _requested(case)
    assert waived == ["Review meeting held on Fri 11 Dec 2026"]
    assert "parent_requested_review" not in due


def test_a_review_held_event_recorded_on_its_own_waives_the_request(norfolk: Place) -> None:
    case = started(norfolk, first_day=FIRST_DAY)
    case = _record(case, "review_held", date(2026, 12, 4), norfolk.home_staff)
    case = _record(case, "parent_review_request", date(2026, 12, 14), norfolk.home_staff)
    assert _requested(case)[0] == ["Review meeting held on Fri 4 Dec 2026"]


def test_a_requested_review_marked_done_counts_as_held_for_a_later_request(norfolk: Place) -> None:
    case = started(norfolk, first_day=FIRST_DAY)
    case = _record(case, "parent_review_request", date(2026, 12, 1), norfolk.home_staff)
    case = services.milestone_done_record(
        case=case,
        milestone_key="parent_requested_review",
        done_on=date(2026, 12, 3),
        recorded_by=norfolk.home_staff,
        expected_version=case.version,
    )
    # A second request (the event keeps the latest date) a week after the review requested.
    case = _record(case, "parent_review_request", date(2026, 12, 10), norfolk.home_staff)
    assert _requested(case)[0] == ["Review meeting held on Thu 3 Dec 2026"]


def test_the_notice_for_a_pupil_with_an_ehc_plan_must_go_to_the_council(
    leicestershire: Place,
) -> None:
    case = open_case(leicestershire, ehcp=True)
    case = submit_form(
        case, "agreement", fill(case, "agreement", leicestershire), leicestershire.home_staff
    )
    answers = fill(
        case,
        "off_site_direction_notice",
        leicestershire,
        first_day=FIRST_DAY.isoformat(),
        council_notified=False,
    )
    before = row_counts()
    with pytest.raises(CaseworkError) as refused:
        submit_form(case, "off_site_direction_notice", answers, leicestershire.home_staff)
    assert refused.value.field == "council_notified"
    assert "EHC plan" in str(refused.value)
    assert (
        row_counts()["casework.FormSubmission"] == before["casework.FormSubmission"] + 1
    )  # the draft
    answers["council_notified"] = True
    submit_form(case, "off_site_direction_notice", answers, leicestershire.home_staff)


def test_without_an_ehc_plan_the_notice_need_not_go_to_the_council(leicestershire: Place) -> None:
    case = open_case(leicestershire)
    case = submit_form(
        case, "agreement", fill(case, "agreement", leicestershire), leicestershire.home_staff
    )
    submit_form(
        case,
        "off_site_direction_notice",
        fill(
            case,
            "off_site_direction_notice",
            leicestershire,
            first_day=FIRST_DAY.isoformat(),
            council_notified=False,
        ),
        leicestershire.home_staff,
    )


def test_a_reviews_outcome_goes_to_the_council_for_a_pupil_with_an_ehc_plan(
    leicestershire: Place,
) -> None:
    case = agree(open_case(leicestershire, ehcp=True), leicestershire, first_day=FIRST_DAY)
    case = _record(case, "start", FIRST_DAY, leicestershire.officer)
    answers = fill(case, "review", leicestershire)
    with pytest.raises(CaseworkError) as refused:
        submit_form(case, "review", answers, leicestershire.receiving_staff)
    assert refused.value.field == "outcome_sent_to_council_on"
    answers["outcome_sent_to_council_on"] = answers["held_on"]
    submit_form(case, "review", answers, leicestershire.receiving_staff)


def test_the_notice_follows_the_governing_boards_determination(norfolk: Place) -> None:
    case = open_case(norfolk)
    case = submit_form(case, "agreement", fill(case, "agreement", norfolk), norfolk.home_staff)
    case = _record(case, "direction_determined", date(2026, 11, 20), norfolk.home_staff)
    answers = fill(
        case,
        "off_site_direction_notice",
        norfolk,
        first_day=FIRST_DAY.isoformat(),
        notice_sent_on="2026-11-19",
    )
    with pytest.raises(CaseworkError) as refused:
        submit_form(case, "off_site_direction_notice", answers, norfolk.home_staff)
    assert refused.value.field == "notice_sent_on"
    assert "Fri 20 Nov 2026" in str(refused.value)
    answers["notice_sent_on"] = "2026-11-23"
    case = submit_form(case, "off_site_direction_notice", answers, norfolk.home_staff)
    # A determination after the notice was sent cannot be true either.
    with pytest.raises(CaseworkError) as refused:
        _record(case, "direction_determined", date(2026, 11, 24), norfolk.home_staff)
    assert "Mon 23 Nov 2026" in str(refused.value)


def test_the_determination_is_recorded_before_the_start_by_the_home_school(
    norfolk: Place,
) -> None:
    case = started(norfolk, first_day=FIRST_DAY)
    with pytest.raises(CaseworkError) as refused:
        _record(case, "direction_determined", date(2026, 11, 20), norfolk.home_staff)
    assert "before the off-site direction starts" in str(refused.value)
    fresh = open_case(norfolk)
    with pytest.raises(RoleRefused):
        _record(fresh, "direction_determined", date(2026, 11, 20), norfolk.receiving_staff)
    _record(fresh, "direction_determined", date(2026, 11, 20), norfolk.home_staff)


def test_the_roll_day_needs_the_admission_authoritys_consent_first(southwark: Place) -> None:
    case = started(southwark, first_day=FIRST_DAY)
    with pytest.raises(CaseworkError) as refused:
        _record(case, "joined_receiving_roll", date(2027, 3, 1), southwark.receiving_staff)
    assert "admission authority" in str(refused.value)
    case = _record(case, "admission_authority_consent", date(2027, 3, 2), southwark.receiving_staff)
    with pytest.raises(CaseworkError) as refused:
        _record(case, "joined_receiving_roll", date(2027, 3, 1), southwark.receiving_staff)
    assert "Tue 2 Mar 2027" in str(refused.value)
    # After the decision the case is closed; the roll day is still recorded on it.
    outcome = services.outcome_record(
        case=case,
        outcome_key="on_roll_receiving",
        decided_on=date(2027, 3, 3),
        reasons="Successful at week 12.",
        answers={},
        recorded_by=southwark.officer,
        expected_version=case.version,
    )
    case = Case.objects.get(pk=outcome.case_id)
    assert case.stage == Stage.CLOSED
    case = _record(case, "joined_receiving_roll", date(2027, 3, 8), southwark.receiving_staff)
    timeline = selectors.case_timeline(case=case)
    ended = next(m for m in timeline.milestones if m.milestone == "dual_registration_ended")
    assert (ended.due, ended.owner) == (date(2027, 3, 8), "home_school")


def test_a_suspension_at_the_receiving_school_prompts_the_heads_talk(southwark: Place) -> None:
    case = started(southwark, first_day=FIRST_DAY)
    case = _record(
        case, "receiving_school_suspension", date(2026, 12, 9), southwark.receiving_staff
    )
    timeline = selectors.case_timeline(case=case)
    talk = next(m for m in timeline.milestones if m.milestone == "viability_discussion")
    assert talk.due == date(2026, 12, 9)


def test_after_a_breakdown_the_home_school_records_where_the_pupil_is(southwark: Place) -> None:
    case = started(southwark, first_day=FIRST_DAY)
    early_end = services.case_end_early(
        case=case,
        end_rule_key="breakdown",
        decided_on=date(2026, 12, 9),
        reasons="Not working.",
        answers={"decided_on": "2026-12-09", "reasons": "Not working.", "evidence": "Log."},
        ended_by=southwark.receiving_staff,
        expected_version=case.version,
    )
    case = Case.objects.get(pk=early_end.case_id)
    timeline = selectors.case_timeline(case=case)
    row = next(m for m in timeline.milestones if m.milestone == "interim_arrangements")
    assert (row.due, row.status) == (date(2026, 12, 9), "due")
    submit_form(
        case,
        "interim_arrangements",
        {"where": "home_school", "from_date": "2026-12-10", "details": "Back in lessons."},
        southwark.home_staff,
    )
    timeline = selectors.case_timeline(case=Case.objects.get(pk=case.pk))
    row = next(m for m in timeline.milestones if m.milestone == "interim_arrangements")
    assert row.status == "done"


def test_the_case_page_offers_the_events_of_the_cases_stage(client: Client, norfolk: Place) -> None:
    case = open_case(norfolk)
    client.force_login(norfolk.home_staff)
    page = client.get(reverse("casework:case_detail", args=[case.pk])).content.decode()
    assert "?event=direction_determined" in page
    response = client.post(
        reverse("casework:event_record", args=[case.pk]),
        {
            "event_key": "direction_determined",
            "day_0": "20",
            "day_1": "11",
            "day_2": "2026",
            "version": case.version,
        },
    )
    assert response.status_code == 302
    assert CaseEvent.objects.get(case=case, event_key="direction_determined").date == date(
        2026, 11, 20
    )
    case = started(norfolk, first_day=FIRST_DAY)
    page = client.get(reverse("casework:case_detail", args=[case.pk])).content.decode()
    assert "?event=direction_determined" not in page
    assert "?event=review_held" in page
