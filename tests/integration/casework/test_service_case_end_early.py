"""services.case_end_early: the off-site direction ends early under one of the protocol's rules.

Southwark's breakdown procedure has follow-ups dated from the head's decision (the same-day letter,
the home school's planning meeting within five school days, the report before it). In Norfolk's
first scheme, significant illness with medical evidence extends the trial instead of ending it.
"""

from datetime import date

import pytest

from fairway.casework import selectors, services
from fairway.casework.models import Case, CaseEvent, EarlyEnd, Stage
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

BREAKDOWN = "The move is not working (breakdown procedure)"
LETTER = {"decided_on": "2027-01-13", "reasons": "Repeated serious incidents", "evidence": "Log"}


def _end(case: Case, place: Place, end_rule_key: str, **overrides: object) -> EarlyEnd:
    arguments: dict[str, object] = {
        "decided_on": date(2027, 1, 13),
        "reasons": "Repeated serious incidents",
        "answers": LETTER,
        "expected_version": Case.objects.get(pk=case.pk).version,
        **overrides,
    }
    return services.case_end_early(
        case=case,
        end_rule_key=end_rule_key,
        ended_by=place.officer,
        **arguments,
    )


def test_a_southwark_breakdown_dates_its_follow_ups(southwark: Place) -> None:
    case = started(southwark)
    mark = audit_mark()
    record = _end(case, southwark, "breakdown", reasons="  Repeated serious incidents ")
    stored = EarlyEnd.objects.get(pk=record.pk)
    assert (stored.end_rule_key, stored.decided_on, stored.reasons, stored.recorded_by) == (
        "breakdown",
        date(2027, 1, 13),
        "Repeated serious incidents",
        southwark.officer,
    )
    # The early-end form is stored as submitted: it is the same-day letter.
    letter = case.submissions.get(form_key="early_end")
    assert letter.is_submitted and letter.answers == LETTER
    # The rule's own event and the common one are both dated the decision.
    assert set(
        CaseEvent.objects.filter(case=case, date=date(2027, 1, 13)).values_list(
            "event_key", flat=True
        )
    ) == {"breakdown_decided", "trial_ended_early"}
    after = Case.objects.get(pk=case.pk)
    assert after.stage == Stage.ENDED_EARLY
    timeline = selectors.case_timeline(case=after, today=date(2027, 1, 14))
    meeting = next(m for m in timeline.milestones if m.milestone == "education_plan_meeting")
    assert meeting.due > date(2027, 1, 13)
    # The stored deadline was re-dated with the follow-ups on the timeline.
    assert after.next_due == min(m.due for m in timeline.milestones if m.is_open)
    summary = f"Ended early: {BREAKDOWN}"
    assert (after.version, after.last_change) == (case.version + 1, summary)
    assert audit_since(mark, case) == [
        ("southwark", AuditEvent.Action.RECORD_CHANGED, f"{case.reference}: {summary}")
    ]


def test_a_norfolk_serious_breach_ends_the_trial(norfolk: Place) -> None:
    case = started(norfolk)
    _end(case, norfolk, "serious_breach", decided_on=date(2026, 12, 9), answers={})
    after = Case.objects.get(pk=case.pk)
    assert after.stage == Stage.ENDED_EARLY
    assert after.last_change == "Ended early: Serious behaviour breach"
    assert list(
        CaseEvent.objects.filter(case=case, date=date(2026, 12, 9)).values_list(
            "event_key", flat=True
        )
    ) == ["trial_ended_early"]


def test_a_cross_authority_early_end_is_logged_by_both_councils(leicestershire: Place) -> None:
    case = started(leicestershire, receiving=leicester_city_school())
    mark = audit_mark()
    _end(case, leicestershire, "originating_school_decision", decided_on=date(2026, 12, 9))
    line = (
        f"{case.reference}: Ended early: The originating school decides to end the trial (it"
        " keeps final responsibility for decisions about the child's roll)"
    )
    assert audit_since(mark, case) == [
        ("leicestershire", AuditEvent.Action.RECORD_CHANGED, line),
        ("leicester-city", AuditEvent.Action.RECORD_CHANGED, line),
    ]


def test_a_reason_the_protocol_does_not_give_is_refused(southwark: Place) -> None:
    case = started(southwark)
    before = row_counts()
    with pytest.raises(services.CaseworkError) as raised:
        _end(case, southwark, "serious_breach")  # Norfolk's rule, not Southwark's
    assert raised.value.message == "Choose a reason the protocol gives."
    assert raised.value.field == "end_rule_key"
    assert row_counts() == before


def test_illness_under_norfolk_v1_extends_the_trial_instead(norfolk: Place) -> None:
    case = started(norfolk, referred_on=date(2024, 9, 2), first_day=date(2024, 9, 16))
    before = row_counts()
    with pytest.raises(services.CaseworkError) as raised:
        _end(case, norfolk, "illness_with_medical_evidence", decided_on=date(2024, 10, 14))
    assert raised.value.message == (
        "Under this protocol, Significant illness or injury with medical evidence extends"
        " the off-site direction instead of ending it."
    )
    assert raised.value.field == "end_rule_key"
    assert row_counts() == before


def test_only_a_direction_in_progress_ends_early(southwark: Place) -> None:
    not_started = agree(open_case(southwark), southwark, first_day=date(2026, 11, 30))
    ended = started(southwark)
    _end(ended, southwark, "breakdown")
    for case in (not_started, ended):
        before = row_counts()
        with pytest.raises(services.CaseworkError) as raised:
            _end(case, southwark, "breakdown")
        assert raised.value.message == "Only an off-site direction in progress can end early."
        assert raised.value.field is None
        assert row_counts() == before


def test_a_stale_version_is_refused_with_what_changed(southwark: Place) -> None:
    case = started(southwark)
    seen = case.version
    changed_by_someone_else(case, by=southwark.home_staff)
    before = row_counts()
    with pytest.raises(services.ConcurrentEditError) as raised:
        _end(case, southwark, "breakdown", expected_version=seen)
    assert [(c.who, c.what) for c in raised.value.changes] == [
        (str(southwark.home_staff), "Parent's written request for a review: Tue 1 Dec 2026")
    ]
    assert row_counts() == before
    assert Case.objects.get(pk=case.pk).stage == Stage.OFF_SITE_DIRECTION
