"""services.outcome_record: the outcome closes the case; it is reported to whom the protocol names."""

from datetime import date

import pytest

from fairway.casework import services
from fairway.casework.models import Case, CaseEvent, Outcome, Stage
from tenants.models import AuditEvent

from .conftest import Place, agree, open_case
from .service_helpers import (
    audit_mark,
    audit_since,
    changed_by_someone_else,
    leicester_city_school,
    row_counts,
    started,
)

DECISION = {"decided_on": "2027-02-01", "decision_reasons": "x", "parents_told_on": "2027-02-01"}


def _record(case: Case, place: Place, outcome_key: str, **overrides: object) -> Outcome:
    arguments: dict[str, object] = {
        "decided_on": date(2027, 2, 1),
        "reasons": "The move succeeded",
        "answers": DECISION,
        "expected_version": Case.objects.get(pk=case.pk).version,
        **overrides,
    }
    return services.outcome_record(
        case=case, outcome_key=outcome_key, recorded_by=place.officer, **arguments
    )


def _ended_early(place: Place, rule: str) -> Case:
    case = started(place)
    services.case_end_early(
        case=case,
        end_rule_key=rule,
        decided_on=date(2027, 1, 13),
        reasons="It was not working",
        answers={},
        ended_by=place.officer,
        expected_version=case.version,
    )
    return Case.objects.get(pk=case.pk)


def test_a_successful_move_closes_the_case(norfolk: Place) -> None:
    case = started(norfolk)
    mark = audit_mark()
    record = _record(case, norfolk, "on_roll_receiving", reasons=" The move succeeded  ")
    stored = Outcome.objects.get(pk=record.pk)
    assert (stored.outcome_key, stored.decided_on, stored.reasons, stored.recorded_by) == (
        "on_roll_receiving",
        date(2027, 2, 1),
        "The move succeeded",
        norfolk.officer,
    )
    assert stored.reported_to == ["fair_access_team", "parent"]
    outcome_form = case.submissions.get(form_key="outcome")
    assert outcome_form.is_submitted and outcome_form.answers == DECISION
    assert CaseEvent.objects.get(case=case, event_key="outcome_decided").date == date(2027, 2, 1)
    after = Case.objects.get(pk=case.pk)
    assert (after.stage, after.outcome_key) == (Stage.CLOSED, "on_roll_receiving")
    summary = (
        "Outcome: Managed move to the receiving school's roll"
        " (report to Fair Access team (Norfolk County Council), Parent or carer (the pupil, once 18))"
    )
    assert (after.version, after.last_change) == (case.version + 1, summary)
    assert audit_since(mark, case) == [
        ("norfolk", AuditEvent.Action.RECORD_CHANGED, f"{case.reference}: {summary}")
    ]


def test_after_a_southwark_breakdown_the_withdrawn_exclusion_may_stand(southwark: Place) -> None:
    plain = _ended_early(southwark, "breakdown")
    # Only a withdrawn exclusion that was to stand if the move failed can take effect.
    with pytest.raises(services.CaseworkError) as refused:
        _record(plain, southwark, "permanently_excluded", answers={})
    assert refused.value.field == "outcome_key"
    case = _ended_early(southwark, "breakdown")
    Case.objects.filter(pk=case.pk).update(
        withdrawn_exclusion=True, exclusion_stands_if_move_fails=True
    )
    _record(case, southwark, "permanently_excluded", answers={})
    after = Case.objects.get(pk=case.pk)
    assert (after.stage, after.outcome_key) == (Stage.CLOSED, "permanently_excluded")
    assert after.outcome.reported_to == ["eit_manager", "parent"]


def test_a_cross_authority_outcome_is_logged_by_both_councils(leicestershire: Place) -> None:
    case = started(leicestershire, receiving=leicester_city_school())
    mark = audit_mark()
    _record(case, leicestershire, "on_roll_receiving")
    line = (
        f"{case.reference}: Outcome: Accepted on to the receiving school's roll (report to"
        " Local SEIP (Secondary Education and Inclusion Partnership),"
        " Leicestershire County Council, Parent or carer (the pupil, once 18))"
    )
    assert audit_since(mark, case) == [
        ("leicestershire", AuditEvent.Action.RECORD_CHANGED, line),
        ("leicester-city", AuditEvent.Action.RECORD_CHANGED, line),
    ]


def test_an_outcome_the_protocol_does_not_give_is_refused(norfolk: Place) -> None:
    case = started(norfolk)
    before = row_counts()
    with pytest.raises(services.CaseworkError) as raised:
        _record(case, norfolk, "permanently_excluded")  # Southwark's, not Norfolk's
    assert raised.value.message == "Choose an outcome the protocol gives."
    assert raised.value.field == "outcome_key"
    assert row_counts() == before


def test_an_outcome_waits_for_the_first_day_and_is_recorded_once(norfolk: Place) -> None:
    not_started = agree(open_case(norfolk), norfolk, first_day=date(2026, 11, 30))
    closed = started(norfolk)
    _record(closed, norfolk, "returned_home")
    for case in (not_started, closed):
        before = row_counts()
        with pytest.raises(services.CaseworkError) as raised:
            _record(case, norfolk, "on_roll_receiving")
        assert raised.value.message == (
            "An outcome is recorded once the off-site direction has started."
        )
        assert raised.value.field is None
        assert row_counts() == before


def test_after_an_early_end_the_pupil_returns_to_the_home_school(norfolk: Place) -> None:
    case = _ended_early(norfolk, "serious_breach")
    before = row_counts()
    with pytest.raises(services.CaseworkError) as raised:
        _record(case, norfolk, "on_roll_receiving")
    assert raised.value.message == "After an early end the pupil returns to the home school."
    assert raised.value.field == "outcome_key"
    assert row_counts() == before
    _record(case, norfolk, "returned_home")
    assert Case.objects.get(pk=case.pk).stage == Stage.CLOSED


def test_a_stale_version_is_refused_with_what_changed(norfolk: Place) -> None:
    case = started(norfolk)
    seen = case.version
    changed_by_someone_else(case, by=norfolk.home_staff)
    before = row_counts()
    with pytest.raises(services.ConcurrentEditError) as raised:
        _record(case, norfolk, "on_roll_receiving", expected_version=seen)
    assert [(c.who, c.what) for c in raised.value.changes] == [
        (str(norfolk.home_staff), "Parent's written request for a review: Tue 1 Dec 2026")
    ]
    assert row_counts() == before
    assert Case.objects.get(pk=case.pk).stage == Stage.OFF_SITE_DIRECTION
