"""services.form_submit: a completed protocol form is submitted and the platform acts on it."""

from datetime import date
from typing import Any

import pytest

from fairway.casework import services
from fairway.casework.models import AttendanceWeek, Case, FormSubmission, Stage
from tenants.models import AuditEvent, User

from .conftest import Place, accept_request, fill, open_case, submit_form
from .service_helpers import audit_mark, audit_since, leicester_city_school, row_counts, started


def _saved_draft(case: Case, form_key: str, answers: dict[str, Any], by: User) -> FormSubmission:
    """A draft with every answer saved, ready for "check your answers"."""
    draft = services.form_draft_start(case=case, form_key=form_key, started_by=by)
    return services.form_page_save(
        submission=draft,
        page_answers=answers,
        page_fields=list(answers),
        expected_version=draft.version,
        saved_by=by,
    )


def test_the_agreement_names_the_receiving_school(norfolk: Place) -> None:
    case = open_case(norfolk)
    draft = _saved_draft(case, "agreement", fill(case, "agreement", norfolk), norfolk.home_staff)
    mark = audit_mark()
    submitted = services.form_submit(
        submission=draft, expected_version=draft.version, submitted_by=norfolk.home_staff
    )
    stored = FormSubmission.objects.get(pk=draft.pk)
    assert stored.is_submitted and stored.submitted_by == norfolk.home_staff
    assert submitted.version == stored.version == draft.version + 1
    after = Case.objects.get(pk=case.pk)
    assert after.receiving_school == norfolk.receiving
    assert after.receiving_council is None  # the same council: not a cross-authority move
    assert after.stage == Stage.AGREEMENT
    assert (after.version, after.last_change) == (case.version + 1, "DOWIMM agreement submitted")
    assert after.history.latest().history_user == norfolk.home_staff
    assert audit_since(mark, case) == [
        (
            "norfolk",
            AuditEvent.Action.RECORD_CHANGED,
            f"{case.reference}: DOWIMM agreement submitted",
        )
    ]


def test_submitting_a_submitted_form_again_records_a_change(norfolk: Place) -> None:
    case = open_case(norfolk)
    case = submit_form(case, "agreement", fill(case, "agreement", norfolk), norfolk.home_staff)
    case = submit_form(
        case,
        "agreement",
        {"why_this_school": "The parents asked for it"},
        norfolk.officer,
    )
    assert case.last_change == "DOWIMM agreement changed"
    assert case.stage == Stage.AGREEMENT
    agreement = case.submissions.get(form_key="agreement")
    assert agreement.submitted_by == norfolk.officer
    assert agreement.answers["why_this_school"] == "The parents asked for it"
    assert agreement.answers["targets"] == "Agreed."  # the other answers stay


def test_the_home_school_is_not_taken_as_the_receiving_school(norfolk: Place) -> None:
    case = open_case(norfolk)
    case = submit_form(
        case,
        "agreement",
        fill(case, "agreement", norfolk, receiving_school=norfolk.home.pk),
        norfolk.home_staff,
    )
    assert case.receiving_school is None and case.stage == Stage.REFERRAL


def test_the_notice_plans_the_first_day_until_the_direction_starts(norfolk: Place) -> None:
    case = open_case(norfolk)
    case = submit_form(case, "agreement", fill(case, "agreement", norfolk), norfolk.home_staff)
    notice = fill(case, "off_site_direction_notice", norfolk, first_day="2026-11-30")
    case = submit_form(case, "off_site_direction_notice", notice, norfolk.home_staff)
    assert case.start_date == date(2026, 11, 30)
    assert case.last_change == "Written notice of the off-site direction submitted"

    running = started(norfolk, first_day=date(2026, 11, 30))
    # Once the direction has started, the notice given for it is final: the first day stands.
    with pytest.raises(services.CaseworkError, match="cannot be changed once the off-site"):
        submit_form(
            running, "off_site_direction_notice", {"first_day": "2026-12-07"}, norfolk.home_staff
        )
    assert Case.objects.get(pk=running.pk).start_date == date(2026, 11, 30)


def test_weekly_attendance_is_stored_for_its_monday(norfolk: Place) -> None:
    case = started(norfolk)
    case = submit_form(
        case,
        "weekly_attendance",
        {
            "week_beginning": "2026-12-02",  # a Wednesday
            "sessions_possible": 10,
            "sessions_attended": 7,
            "absence_reasons": "Dentist",
            "issues": "Late twice",
        },
        norfolk.receiving_staff,
    )
    week = AttendanceWeek.objects.get(case=case)
    assert week.week_beginning == date(2026, 11, 30)
    assert (week.sessions_possible, week.sessions_attended) == (10, 7)
    assert week.note == "Dentist\nLate twice"
    assert week.recorded_by == norfolk.receiving_staff
    assert case.last_change == "Weekly attendance at the receiving school 1 submitted"


def test_a_cross_authority_agreement_is_logged_by_both_councils(leicestershire: Place) -> None:
    city_school = leicester_city_school()
    case = open_case(leicestershire)
    accept_request(case, leicestershire, school=city_school)
    draft = _saved_draft(
        case,
        "agreement",
        fill(case, "agreement", leicestershire, receiving_school=city_school.pk),
        leicestershire.home_staff,
    )
    mark = audit_mark()
    services.form_submit(
        submission=draft, expected_version=draft.version, submitted_by=leicestershire.home_staff
    )
    case = Case.objects.get(pk=case.pk)
    assert case.receiving_school == city_school
    assert case.receiving_council == city_school.council and case.is_cross_authority
    title = case.protocol_version.load().form("agreement").title
    line = f"{case.reference}: {title} submitted"
    assert audit_since(mark, case) == [
        ("leicestershire", AuditEvent.Action.RECORD_CHANGED, line),
        ("leicester-city", AuditEvent.Action.RECORD_CHANGED, line),
    ]


def test_a_form_with_a_required_answer_missing_is_refused(norfolk: Place) -> None:
    case = open_case(norfolk)
    answers = fill(case, "agreement", norfolk)
    del answers["why_this_school"]
    draft = _saved_draft(case, "agreement", answers, norfolk.home_staff)
    before = row_counts()
    with pytest.raises(services.CaseworkError) as raised:
        services.form_submit(
            submission=draft, expected_version=draft.version, submitted_by=norfolk.home_staff
        )
    assert raised.value.message == "Enter why this school"
    assert raised.value.field is None
    assert row_counts() == before
    assert not FormSubmission.objects.get(pk=draft.pk).is_submitted
    assert Case.objects.get(pk=case.pk).version == case.version


def test_more_sessions_attended_than_possible_leaves_the_form_unsubmitted(
    norfolk: Place,
) -> None:
    case = started(norfolk)
    draft = _saved_draft(
        case,
        "weekly_attendance",
        {"week_beginning": "2026-11-30", "sessions_possible": 6, "sessions_attended": 8},
        norfolk.receiving_staff,
    )
    before = row_counts()
    with pytest.raises(services.CaseworkError) as raised:
        services.form_submit(
            submission=draft, expected_version=draft.version, submitted_by=norfolk.receiving_staff
        )
    assert raised.value.message == "Sessions attended cannot be more than the sessions possible."
    assert raised.value.field == "sessions_attended"
    # The submission was saved before the attendance was checked: the transaction undid it.
    assert row_counts() == before
    stored = FormSubmission.objects.get(pk=draft.pk)
    assert (stored.is_submitted, stored.version) == (False, draft.version)


def test_a_stale_version_is_refused_with_who_changed_the_answers(norfolk: Place) -> None:
    case = open_case(norfolk)
    draft = _saved_draft(case, "agreement", fill(case, "agreement", norfolk), norfolk.home_staff)
    # Two people on "check your answers": the home school submits first.
    services.form_submit(
        submission=draft, expected_version=draft.version, submitted_by=norfolk.home_staff
    )
    before = row_counts()
    with pytest.raises(services.ConcurrentEditError) as raised:
        services.form_submit(
            submission=draft, expected_version=draft.version, submitted_by=norfolk.officer
        )
    assert [(c.who, c.what) for c in raised.value.changes] == [
        (str(norfolk.home_staff), "Changed answers to agreement")
    ]
    assert row_counts() == before
    assert FormSubmission.objects.get(pk=draft.pk).submitted_by == norfolk.home_staff
