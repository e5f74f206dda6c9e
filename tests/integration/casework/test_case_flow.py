"""A whole case through the services: referral, agreement, trial, extension, outcome."""

from datetime import date

from fairway.casework import selectors, services
from fairway.casework.models import Case, Stage
from fairway.casework.selectors import Status
from tenants.models import School

from .conftest import Place, agree, open_case, submit_form


def test_agreement_sets_the_receiving_school_and_the_planned_first_day(norfolk: Place) -> None:
    case = agree(open_case(norfolk), norfolk, first_day=date(2026, 11, 30))
    assert case.receiving_school == norfolk.receiving
    assert case.receiving_council is None  # same council
    assert case.stage == Stage.AGREEMENT
    assert case.start_date == date(2026, 11, 30)
    timeline = selectors.case_timeline(case=case, today=date(2026, 11, 23))
    notice = next(m for m in timeline.milestones if m.milestone == "written_notice")
    assert notice.status == Status.DONE
    assert case.next_due is not None


def _started(
    place: Place,
    *,
    first_day: date,
    referred_on: date = date(2026, 11, 2),
    receiving: School | None = None,
    off_fairway: bool = False,
) -> Case:
    """A case opened, agreed (conftest.agree) and started on `first_day`."""
    case = agree(
        open_case(place, referred_on=referred_on),
        place,
        first_day=first_day,
        receiving=receiving,
        off_fairway=off_fairway,
    )
    services.case_event_record(
        case=case,
        event_key="start",
        day=first_day,
        recorded_by=place.officer,
        expected_version=case.version,
    )
    return Case.objects.get(pk=case.pk)


def test_full_norfolk_v1_case_with_an_extension(norfolk: Place) -> None:
    case = _started(norfolk, first_day=date(2024, 9, 16), referred_on=date(2024, 9, 2))
    assert case.protocol_version.reference == "norfolk-managed-moves@1"
    assert case.stage == Stage.OFF_SITE_DIRECTION
    before = selectors.case_timeline(case=case, today=date(2024, 9, 16))
    trial_end = next(m for m in before.milestones if m.milestone == "trial_end").due
    services.attendance_record(
        case=case,
        week_beginning=date(2024, 9, 18),  # stored as the Monday
        sessions_possible=10,
        sessions_attended=8,
        recorded_by=norfolk.receiving_staff,
        expected_version=case.version,
    )
    case.refresh_from_db()
    submit_form(
        case,
        "review",
        {
            "held_on": "2024-09-27",
            "attendees": "Both schools, parent",
            "home_school_attended": True,
            "progress_against_targets": "Good",
            "recommendation": "continue",
            "outcome_shared_with_parents_on": "2024-09-27",
        },
        norfolk.receiving_staff,
    )
    case.refresh_from_db()
    services.extension_grant(
        case=case,
        extension_key="trial_extension",
        school_weeks=4,
        approvals=["parent", "home_school", "receiving_school", "fair_access_team"],
        reasons="Illness with medical evidence",
        granted_on=date(2024, 10, 14),
        granted_by=norfolk.officer,
        expected_version=case.version,
    )
    case.refresh_from_db()
    after = selectors.case_timeline(case=case, today=date(2024, 10, 14))
    new_end = next(m for m in after.milestones if m.milestone == "trial_end").due
    assert new_end > trial_end
    first_review = next(m for m in after.milestones if m.key == "review.1")
    assert first_review.status == Status.DONE
    summary = selectors.attendance_summary(case=case, protocol=case.protocol_version.load())
    assert summary.rate == 80.0 and summary.persistently_absent
    services.outcome_record(
        case=case,
        outcome_key="on_roll_receiving",
        decided_on=date(2024, 12, 2),
        reasons="The trial succeeded",
        answers={
            "decided_on": "2024-12-02",
            "decision_reasons": "x",
            "parents_told_on": "2024-12-02",
        },
        recorded_by=norfolk.officer,
        expected_version=case.version,
    )
    case.refresh_from_db()
    assert case.stage == Stage.CLOSED
    assert case.outcome.reported_to == ["fair_access_team", "parent"]


def test_southwark_breakdown_dates_the_follow_ups(southwark: Place) -> None:
    case = _started(southwark, first_day=date(2026, 11, 30))
    services.case_end_early(
        case=case,
        end_rule_key="breakdown",
        decided_on=date(2027, 1, 13),
        reasons="Repeated serious incidents",
        answers={"decided_on": "2027-01-13", "reasons": "x", "evidence": "Incident log"},
        ended_by=southwark.officer,
        expected_version=case.version,
    )
    case = Case.objects.get(pk=case.pk)
    assert case.stage == Stage.ENDED_EARLY
    timeline = selectors.case_timeline(case=case, today=date(2027, 1, 14))
    by_key = {m.milestone: m for m in timeline.milestones}
    assert by_key["breakdown_letter"].due == date(2027, 1, 13)
    assert by_key["breakdown_letter"].status == Status.DONE  # the early-end form is the letter
    meeting = by_key["education_plan_meeting"]
    assert meeting.status == Status.DUE and meeting.due > date(2027, 1, 13)
    # The trial's later reviews are no longer on the timeline.
    assert not [
        m for m in timeline.milestones if m.milestone == "review" and m.due > date(2027, 1, 13)
    ]
    services.outcome_record(
        case=case,
        outcome_key="returned_home",
        decided_on=date(2027, 1, 20),
        reasons="Back to the home school",
        answers={},
        recorded_by=southwark.officer,
        expected_version=case.version,
    )
    assert Case.objects.get(pk=case.pk).stage == Stage.CLOSED
