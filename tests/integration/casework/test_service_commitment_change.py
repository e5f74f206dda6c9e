"""services.commitment_change: a target or commitment changed between reviews, or marked as met.

Every change is kept in the commitment's history; the version checked is the commitment's own.
"""

from collections.abc import Callable
from datetime import date

import pytest

from fairway.casework import services
from fairway.casework.models import Case, Commitment, Stage
from tenants.models import AuditEvent

from .conftest import Place, accept_request, agree, fill, open_case, submit_form
from .service_helpers import audit_mark, audit_since, leicester_city_school, row_counts, started

OLD_WORDING = "No more than two behaviour points a week"
NEW_WORDING = "No more than one behaviour point a week"
REASON = "Agreed at the week 4 review: progress is good"


def _counts() -> dict[str, int]:
    return {
        **row_counts(),
        "commitments": Commitment.objects.count(),
        "commitment history": Commitment.history.count(),
    }


def _target(case: Case, place: Place) -> Commitment:
    return services.commitment_add(
        case=case,
        kind="target",
        role_key="pupil",
        text=OLD_WORDING,
        agreed_on=date(2026, 11, 20),
        agreed_with="Both schools and the parents",
        added_by=place.home_staff,
        expected_version=case.version,
    )


def _change(commitment: Commitment, place: Place, **overrides: object) -> Commitment:
    arguments: dict[str, object] = {
        "text": NEW_WORDING,
        "status": "in_progress",
        "agreed_on": date(2026, 12, 18),
        "agreed_with": "Receiving school, home school, parents, EIT manager",
        "reason": REASON,
        "changed_by": place.receiving_staff,
        "expected_version": Commitment.objects.get(pk=commitment.pk).version,
        **overrides,
    }
    return services.commitment_change(commitment=commitment, **arguments)


@pytest.fixture
def agreed(southwark: Place) -> Case:
    return agree(open_case(southwark), southwark, first_day=date(2026, 11, 30))


@pytest.fixture
def target(southwark: Place, agreed: Case) -> Commitment:
    return _target(agreed, southwark)


def _unchanged(commitment: Commitment) -> None:
    stored = Commitment.objects.get(pk=commitment.pk)
    assert (stored.text, stored.status, stored.version, stored.change_reason) == (
        commitment.text,
        commitment.status,
        commitment.version,
        commitment.change_reason,
    )


def test_changed_between_reviews_and_the_old_wording_kept(
    southwark: Place, agreed: Case, target: Commitment
) -> None:
    case_version = Case.objects.get(pk=agreed.pk).version
    mark = audit_mark()
    changed = _change(target, southwark, text=f"  {NEW_WORDING} ", reason=f" {REASON} ")
    stored = Commitment.objects.get(pk=target.pk)
    assert (stored.text, stored.status, stored.agreed_on, stored.agreed_with) == (
        NEW_WORDING,
        Commitment.Status.IN_PROGRESS,
        date(2026, 12, 18),
        "Receiving school, home school, parents, EIT manager",
    )
    assert (stored.change_reason, stored.recorded_by) == (REASON, southwark.receiving_staff)
    assert changed.version == stored.version == target.version + 1
    history = stored.history.order_by("history_date")
    assert [(r.text, r.version, r.history_user) for r in history] == [
        (OLD_WORDING, 1, southwark.home_staff),
        (NEW_WORDING, 2, southwark.receiving_staff),
    ]
    after = Case.objects.get(pk=agreed.pk)
    summary = f"Target changed (In progress): {REASON}"
    assert (after.version, after.last_change) == (case_version + 1, summary)
    assert audit_since(mark, agreed) == [
        ("southwark", AuditEvent.Action.RECORD_CHANGED, f"{agreed.reference}: {summary}")
    ]


def test_a_commitment_marked_as_met(southwark: Place, agreed: Case) -> None:
    commitment = services.commitment_add(
        case=agreed,
        kind="commitment",
        role_key="supporting_agency",
        named="Youth offending team",
        text="Fortnightly mentoring",
        agreed_on=date(2026, 11, 20),
        added_by=southwark.home_staff,
        expected_version=agreed.version,
    )
    _change(commitment, southwark, text="Fortnightly mentoring", status="met", reason="Done")
    stored = Commitment.objects.get(pk=commitment.pk)
    assert (stored.status, stored.is_current, stored.named) == (
        Commitment.Status.MET,
        False,
        "Youth offending team",
    )
    assert Case.objects.get(pk=agreed.pk).last_change == "Commitment changed (Met): Done"


def test_changed_during_the_off_site_direction(southwark: Place) -> None:
    case = started(southwark)
    target = _target(case, southwark)
    _change(target, southwark)
    assert Commitment.objects.get(pk=target.pk).text == NEW_WORDING


@pytest.mark.parametrize(
    ("overrides", "message", "field"),
    [
        ({"status": "done"}, "Select the status.", "status"),
        ({"text": "  "}, "Enter the target or commitment.", "text"),
        ({"reason": ""}, "Enter why it is changing.", "reason"),
        ({"reason": " \n "}, "Enter why it is changing.", "reason"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(
    southwark: Place,
    agreed: Case,
    target: Commitment,
    overrides: dict[str, object],
    message: str,
    field: str,
) -> None:
    case_version = Case.objects.get(pk=agreed.pk).version
    before = _counts()
    with pytest.raises(services.CaseworkError) as raised:
        _change(target, southwark, **overrides)
    assert (raised.value.message, raised.value.field) == (message, field)
    assert _counts() == before
    _unchanged(target)
    assert Case.objects.get(pk=agreed.pk).version == case_version


def _ended_early(case: Case, place: Place) -> None:
    services.case_end_early(
        case=case,
        end_rule_key="breakdown",
        decided_on=date(2027, 1, 11),
        reasons="The move is not working",
        answers={},
        ended_by=place.receiving_staff,
        expected_version=case.version,
    )


def _closed(case: Case, place: Place) -> None:
    services.outcome_record(
        case=case,
        outcome_key="on_roll_receiving",
        decided_on=date(2027, 2, 22),
        reasons="Successful at week 12",
        answers={},
        recorded_by=place.officer,
        expected_version=case.version,
    )


@pytest.mark.parametrize(
    ("end", "stage"), [(_ended_early, Stage.ENDED_EARLY), (_closed, Stage.CLOSED)]
)
def test_refused_once_the_off_site_direction_is_over(
    southwark: Place, end: Callable[[Case, Place], None], stage: Stage
) -> None:
    case = started(southwark)
    target = _target(case, southwark)
    end(Case.objects.get(pk=case.pk), southwark)
    case = Case.objects.get(pk=case.pk)
    assert case.stage == stage
    before = _counts()
    with pytest.raises(services.CaseworkError) as raised:
        _change(target, southwark)
    assert raised.value.message == (
        "Targets and commitments can be added or changed from the agreement until the off-site "
        "direction ends."
    )
    assert raised.value.field is None
    assert _counts() == before
    _unchanged(target)
    assert Case.objects.get(pk=case.pk).version == case.version


def test_a_stale_version_is_refused_with_who_changed_it_and_why(
    southwark: Place, agreed: Case, target: Commitment
) -> None:
    _change(target, southwark)
    changed = Commitment.objects.get(pk=target.pk)
    before = _counts()
    # The home school, still looking at the old wording, is told instead of overwriting it.
    with pytest.raises(services.ConcurrentEditError) as raised:
        _change(
            target,
            southwark,
            text="Something else",
            status="met",
            reason="Met",
            changed_by=southwark.home_staff,
            expected_version=target.version,
        )
    assert [(c.who, c.what) for c in raised.value.changes] == [
        (str(southwark.receiving_staff), REASON)
    ]
    assert _counts() == before
    _unchanged(changed)


def test_other_changes_to_the_case_do_not_make_the_commitment_stale(
    southwark: Place, agreed: Case, target: Commitment
) -> None:
    agreed.refresh_from_db()
    # Someone adds a commitment: the case's version moves on, the target's does not.
    services.commitment_add(
        case=agreed,
        kind="commitment",
        role_key="receiving_school",
        text="A daily check-in with the mentor",
        agreed_on=date(2026, 11, 20),
        added_by=southwark.receiving_staff,
        expected_version=agreed.version,
    )
    _change(target, southwark, expected_version=target.version)
    assert Commitment.objects.get(pk=target.pk).text == NEW_WORDING


def test_a_cross_authority_case_is_logged_by_both_councils(leicestershire: Place) -> None:
    city_school = leicester_city_school()
    case = open_case(leicestershire)
    accept_request(case, leicestershire, school=city_school)
    case = submit_form(
        case,
        "agreement",
        fill(case, "agreement", leicestershire, receiving_school=city_school.pk),
        leicestershire.home_staff,
    )
    assert case.is_cross_authority
    target = _target(case, leicestershire)
    mark = audit_mark()
    _change(target, leicestershire, status="partly_met", changed_by=leicestershire.home_staff)
    line = f"{case.reference}: Target changed (Partly met): {REASON}"
    assert audit_since(mark, case) == [
        ("leicestershire", AuditEvent.Action.RECORD_CHANGED, line),
        ("leicester-city", AuditEvent.Action.RECORD_CHANGED, line),
    ]


def test_left_out_it_is_still_agreed_with_the_same_people(southwark: Place, agreed: Case) -> None:
    target = _target(agreed, southwark)
    arguments = {
        "text": NEW_WORDING,
        "status": "partly_met",
        "agreed_on": date(2026, 12, 18),
        "reason": REASON,
        "changed_by": southwark.receiving_staff,
        "expected_version": target.version,
    }
    services.commitment_change(commitment=target, **arguments)  # type: ignore[arg-type]
    assert Commitment.objects.get(pk=target.pk).agreed_with == "Both schools and the parents"
