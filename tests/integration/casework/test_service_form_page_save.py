"""services.form_page_save: one page of a protocol form's answers, checked against the draft's version.

A page save changes the draft (its own version), not the case: the case's version and stored
deadline stay as they were until the form is submitted.
"""

from datetime import date

import pytest

from fairway.casework import services
from fairway.casework.models import Case, FormSubmission
from tenants.models import AuditEvent, Role
from tests.factories import person_with_role

from .conftest import Place, open_case
from .service_helpers import audit_mark, audit_since, leicester_city_school, row_counts, started


def _draft(case: Case, place: Place, form_key: str = "agreement") -> FormSubmission:
    return services.form_draft_start(case=case, form_key=form_key, started_by=place.home_staff)


def test_a_page_is_stored_on_the_draft(norfolk: Place) -> None:
    case = open_case(norfolk)
    draft = _draft(case, norfolk)
    mark = audit_mark()
    saved = services.form_page_save(
        submission=draft,
        page_answers={"inclusion_adviser_planned": True, "receiving_school": norfolk.receiving.pk},
        page_fields=["inclusion_adviser_planned", "receiving_school"],
        expected_version=draft.version,
        saved_by=norfolk.home_staff,
    )
    stored = FormSubmission.objects.get(pk=draft.pk)
    assert stored.answers == {
        "inclusion_adviser_planned": True,
        "receiving_school": norfolk.receiving.pk,
    }
    assert saved.version == stored.version == 2
    assert not stored.is_submitted
    assert stored.history.latest().history_user == norfolk.home_staff
    assert audit_since(mark, case) == [
        (
            "norfolk",
            AuditEvent.Action.RECORD_CHANGED,
            f"{case.reference}: answers saved to agreement 1",
        )
    ]
    # The case itself is unchanged until the form is submitted.
    after = Case.objects.get(pk=case.pk)
    assert (after.version, after.receiving_school) == (case.version, None)


def test_answers_to_questions_a_condition_now_hides_are_removed(norfolk: Place) -> None:
    # Norfolk's DOWIMM agreement asks for the transport request only when transport is needed.
    case = open_case(norfolk)
    draft = _draft(case, norfolk)
    draft = services.form_page_save(
        submission=draft,
        page_answers={"targets": "Attend every lesson"},
        page_fields=["targets", "transition_support", "risk_assessment", "joint_meeting_on"],
        expected_version=draft.version,
        saved_by=norfolk.home_staff,
    )
    transport_page = ["transport_needed", "transport_request", "travel_plan_recommended"]
    draft = services.form_page_save(
        submission=draft,
        page_answers={"transport_needed": True, "transport_request": "A taxi from home"},
        page_fields=transport_page,
        expected_version=draft.version,
        saved_by=norfolk.home_staff,
    )
    draft = services.form_page_save(
        submission=draft,
        page_answers={"transport_needed": False},
        page_fields=transport_page,
        expected_version=draft.version,
        saved_by=norfolk.home_staff,
    )
    assert FormSubmission.objects.get(pk=draft.pk).answers == {
        "targets": "Attend every lesson",  # another page's answers stay
        "transport_needed": False,
    }


def test_a_stale_version_is_refused_with_who_changed_the_answers(norfolk: Place) -> None:
    case = open_case(norfolk)
    draft = _draft(case, norfolk)
    seen = draft.version
    services.form_page_save(
        submission=draft,
        page_answers={"why_this_school": "Closest to home"},
        page_fields=["why_this_school"],
        expected_version=seen,
        saved_by=norfolk.home_staff,
    )
    before = row_counts()
    with pytest.raises(services.ConcurrentEditError) as raised:
        services.form_page_save(
            submission=draft,
            page_answers={"why_this_school": "Parents' preference"},
            page_fields=["why_this_school"],
            expected_version=seen,
            saved_by=norfolk.officer,
        )
    assert raised.value.message == "Someone else changed this case while you were working on it."
    assert [(c.who, c.what) for c in raised.value.changes] == [
        (str(norfolk.home_staff), "Changed answers to agreement")
    ]
    assert row_counts() == before
    stored = FormSubmission.objects.get(pk=draft.pk)
    assert (stored.version, stored.answers) == (seen + 1, {"why_this_school": "Closest to home"})


def test_on_a_cross_authority_case_both_councils_logs_show_the_page_save(
    leicestershire: Place,
) -> None:
    # Each council's log shows everything done with a case it shares, drafts included.
    city_school = leicester_city_school()
    city_staff = person_with_role(
        role=Role.SCHOOL_STAFF, council=city_school.council, school=city_school
    )
    case = started(leicestershire, receiving=city_school)
    draft = services.form_draft_start(case=case, form_key="review", started_by=city_staff)
    mark = audit_mark()
    services.form_page_save(
        submission=draft,
        page_answers={"held_on": date(2026, 12, 11).isoformat()},
        page_fields=["held_on", "attendees", "home_school_attended"],
        expected_version=draft.version,
        saved_by=city_staff,
    )
    line = (AuditEvent.Action.RECORD_CHANGED, f"{case.reference}: answers saved to review 1")
    assert sorted(audit_since(mark, case)) == [("leicester-city", *line), ("leicestershire", *line)]
    for event in AuditEvent.objects.filter(pk__gt=mark):
        assert (event.actor, event.actor_council) == (city_staff, city_school.council)
