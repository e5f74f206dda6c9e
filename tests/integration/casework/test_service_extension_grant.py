"""services.extension_grant: the off-site direction is extended, with every approval the protocol lists.

Norfolk's first scheme (v1, a behaviour trial of 8 school weeks) allows an extension of up to 6
school weeks in all, approved by the parent, both schools and the Fair Access team. Norfolk's
DOWIMM (v2, from 5 November 2024) "usually" lasts up to 8 weeks: it may go on longer, with the
same approvals and a recorded reason, and no maximum is set.
"""

from datetime import date

import pytest

from fairway.casework import selectors, services
from fairway.casework.models import Case, CaseEvent, Extension
from tenants.models import AuditEvent, School

from .conftest import Place, agree, open_case
from .service_helpers import (
    audit_mark,
    audit_since,
    changed_by_someone_else,
    row_counts,
    school_of_another_council,
    started,
)

ALL_APPROVALS = ["parent", "home_school", "receiving_school", "fair_access_team"]
REFERRED_ON = date(2024, 9, 2)  # under Norfolk v1
FIRST_DAY = date(2024, 9, 16)


def _trial(place: Place, *, receiving: School | None = None) -> Case:
    case = started(place, referred_on=REFERRED_ON, first_day=FIRST_DAY, receiving=receiving)
    assert case.protocol_version.reference == "norfolk-managed-moves@1"
    return case


def _trial_end(case: Case) -> date:
    timeline = selectors.case_timeline(case=case, today=date(2024, 10, 14))
    return next(m for m in timeline.milestones if m.milestone == "trial_end").due


def _grant(case: Case, place: Place, **overrides: object) -> Extension:
    arguments: dict[str, object] = {
        "extension_key": "trial_extension",
        "school_weeks": 4,
        "approvals": ALL_APPROVALS,
        "reasons": "Illness with medical evidence",
        "granted_on": date(2024, 10, 14),
        "expected_version": Case.objects.get(pk=case.pk).version,
        **overrides,
    }
    return services.extension_grant(case=case, granted_by=place.officer, **arguments)


def test_an_extension_moves_the_end_of_the_trial(norfolk: Place) -> None:
    case = _trial(norfolk)
    end_before = _trial_end(case)
    mark = audit_mark()
    record = _grant(case, norfolk, reasons="  Illness with medical evidence ")
    stored = Extension.objects.get(pk=record.pk)
    assert (stored.extension_key, stored.school_weeks, stored.approvals) == (
        "trial_extension",
        4,
        ALL_APPROVALS,
    )
    assert (stored.reasons, stored.granted_on, stored.granted_by) == (
        "Illness with medical evidence",
        date(2024, 10, 14),
        norfolk.officer,
    )
    # Norfolk v1's "extension agreed by all parties" event is dated the day it was granted.
    assert CaseEvent.objects.get(case=case, event_key="extension_agreed").date == date(2024, 10, 14)
    after = Case.objects.get(pk=case.pk)
    end_after = _trial_end(after)
    assert end_after > end_before
    calendar = selectors.case_calendar(case=after)
    assert calendar.school_days_between(end_before, end_after) == 4 * 5
    summary = "Extension of the behaviour trial: 4 school weeks"
    assert (after.version, after.last_change) == (case.version + 1, summary)
    assert audit_since(mark, case) == [
        ("norfolk", AuditEvent.Action.RECORD_CHANGED, f"{case.reference}: {summary}")
    ]


def test_extensions_add_up_to_the_protocols_maximum(norfolk: Place) -> None:
    case = _trial(norfolk)
    _grant(case, norfolk, school_weeks=4)
    _grant(case, norfolk, school_weeks=2, granted_on=date(2024, 11, 4))
    assert sum(Extension.objects.filter(case=case).values_list("school_weeks", flat=True)) == 6
    before = row_counts()
    with pytest.raises(services.CaseworkError) as raised:
        _grant(case, norfolk, school_weeks=1)
    assert raised.value.message == (
        "The protocol allows up to 6 school weeks in all; 6 already granted."
    )
    assert raised.value.field == "school_weeks"
    assert row_counts() == before


def test_a_cross_authority_extension_is_logged_by_both_councils(norfolk: Place) -> None:
    suffolk_school = school_of_another_council(
        slug="suffolk", name="Suffolk County Council", school="Bungay High School"
    )
    case = _trial(norfolk, receiving=suffolk_school)
    assert case.is_cross_authority
    mark = audit_mark()
    _grant(case, norfolk)
    line = f"{case.reference}: Extension of the behaviour trial: 4 school weeks"
    assert audit_since(mark, case) == [
        ("norfolk", AuditEvent.Action.RECORD_CHANGED, line),
        ("suffolk", AuditEvent.Action.RECORD_CHANGED, line),
    ]


@pytest.mark.parametrize(
    ("overrides", "message", "field"),
    [
        (
            {"approvals": ["parent"]},
            "The protocol needs the approval of: Home school, Receiving school,"
            " Fair Access team (Norfolk County Council).",
            "approvals",
        ),
        (
            {"school_weeks": 0},
            "The protocol allows up to 6 school weeks in all; 0 already granted.",
            "school_weeks",
        ),
        (
            {"school_weeks": 7},
            "The protocol allows up to 6 school weeks in all; 0 already granted.",
            "school_weeks",
        ),
        ({"reasons": "  "}, "Enter the reasons for the extension.", "reasons"),
        ({"extension_key": "review_extension"}, "This protocol allows no such extension.", None),
    ],
)
def test_an_extension_outside_the_protocol_is_refused(
    norfolk: Place, overrides: dict[str, object], message: str, field: str | None
) -> None:
    case = _trial(norfolk)
    before = row_counts()
    with pytest.raises(services.CaseworkError) as raised:
        _grant(case, norfolk, **overrides)
    assert (raised.value.message, raised.value.field) == (message, field)
    assert row_counts() == before


def test_only_a_trial_in_progress_is_extended(norfolk: Place) -> None:
    case = agree(open_case(norfolk, referred_on=REFERRED_ON), norfolk, first_day=FIRST_DAY)
    before = row_counts()
    with pytest.raises(services.CaseworkError) as raised:
        _grant(case, norfolk)
    assert raised.value.message == "Only an off-site direction in progress can be extended."
    assert raised.value.field is None
    assert row_counts() == before


def test_a_stale_version_is_refused_with_what_changed(norfolk: Place) -> None:
    case = _trial(norfolk)
    seen = case.version
    changed_by_someone_else(case, by=norfolk.home_staff, day=date(2024, 10, 1))
    before = row_counts()
    with pytest.raises(services.ConcurrentEditError) as raised:
        _grant(case, norfolk, expected_version=seen)
    assert [(c.who, c.what) for c in raised.value.changes] == [
        (str(norfolk.home_staff), "Parent's written request for a review: Tue 1 Oct 2024")
    ]
    assert row_counts() == before


def test_a_dowimm_goes_past_its_usual_eight_weeks_with_agreement_and_a_reason(
    norfolk: Place,
) -> None:
    case = started(norfolk, referred_on=date(2026, 11, 2), first_day=date(2026, 11, 30))
    assert case.protocol_version.reference == "norfolk-managed-moves@2"
    arguments: dict[str, object] = {
        "extension_key": "trial_extension",
        "approvals": ALL_APPROVALS,
        "granted_on": date(2027, 1, 11),
        "granted_by": norfolk.officer,
    }
    # The reason is recorded: without one it is refused on its field.
    with pytest.raises(services.CaseworkError) as refused:
        services.extension_grant(
            case=case,
            school_weeks=2,
            reasons=" ",
            expected_version=Case.objects.get(pk=case.pk).version,
            **arguments,  # type: ignore[arg-type]
        )
    assert refused.value.field == "reasons"
    # No maximum: 10 school weeks more than the usual 8 is allowed with everyone's agreement.
    record = services.extension_grant(
        case=case,
        school_weeks=10,
        reasons="Significant illness in January, with a GP's letter",
        expected_version=Case.objects.get(pk=case.pk).version,
        **arguments,  # type: ignore[arg-type]
    )
    assert record.school_weeks == 10
