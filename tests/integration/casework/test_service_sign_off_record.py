"""services.sign_off_record: one role's signature on one of the protocol's sign-offs."""

from datetime import date

import pytest

from fairway.casework import services
from fairway.casework.models import Case, SignOff
from tenants.models import AuditEvent, School

from .conftest import Place, accept_request, fill, open_case, submit_form
from .service_helpers import (
    audit_mark,
    audit_since,
    changed_by_someone_else,
    leicester_city_school,
    row_counts,
)


def _agreed(place: Place, **answers: object) -> Case:
    """The agreement form submitted, nobody signed yet."""
    case = open_case(place)
    school = School.objects.get(pk=answers.get("receiving_school", place.receiving.pk))
    if school.council_id != case.home_council_id:
        accept_request(case, place, school=school)  # another council's school: asked and accepted
        case.refresh_from_db()
    return submit_form(
        case, "agreement", fill(case, "agreement", place, **answers), place.home_staff
    )


def test_a_parents_paper_signature_is_recorded(norfolk: Place) -> None:
    case = _agreed(norfolk)
    mark = audit_mark()
    record = services.sign_off_record(
        case=case,
        sign_off_key="trial_agreement",
        role_key="parent",
        signed_by_name="  Dana Whitmore ",
        signed_on=date(2026, 11, 20),
        recorded_by=norfolk.home_staff,
        expected_version=case.version,
    )
    stored = SignOff.objects.get(pk=record.pk)
    assert (stored.case, stored.sign_off_key, stored.role_key) == (
        case,
        "trial_agreement",
        "parent",
    )
    assert (stored.signed_by_name, stored.signed_by, stored.on_behalf_of, stored.signed_on) == (
        "Dana Whitmore",
        norfolk.home_staff,
        norfolk.home_staff.get_full_name(),  # the school recorded the parent's paper signature
        date(2026, 11, 20),
    )
    after = Case.objects.get(pk=case.pk)
    assert after.version == case.version + 1
    assert after.last_change == "DOWIMM agreement: signed for Parent or carer (the pupil, once 18)"
    assert audit_since(mark, case) == [
        (
            "norfolk",
            AuditEvent.Action.RECORD_CHANGED,
            f"{case.reference}: DOWIMM agreement: signed for Parent or carer (the pupil, once 18)",
        )
    ]


def test_signing_again_for_a_role_replaces_the_signature(southwark: Place) -> None:
    case = _agreed(southwark)
    for name in ("Head of the home school", "Acting head of the home school"):
        services.sign_off_record(
            case=case,
            sign_off_key="managed_move_agreement",
            role_key="home_school",
            signed_by_name=name,
            signed_on=date(2026, 11, 20),
            recorded_by=southwark.home_staff,
            expected_version=Case.objects.get(pk=case.pk).version,
        )
    assert list(SignOff.objects.filter(case=case).values_list("signed_by_name", flat=True)) == [
        "Acting head of the home school"
    ]


def test_a_cross_authority_signature_is_logged_by_both_councils(leicestershire: Place) -> None:
    case = _agreed(leicestershire, receiving_school=leicester_city_school().pk)
    mark = audit_mark()
    services.sign_off_record(
        case=case,
        sign_off_key="trial_agreement",
        role_key="receiving_school",
        signed_by_name="Head of Braunstone Frith",
        signed_on=date(2026, 11, 20),
        recorded_by=leicestershire.officer,
        expected_version=case.version,
    )
    line = f"{case.reference}: Agreement to the trial managed move: signed for Receiving school"
    assert audit_since(mark, case) == [
        ("leicestershire", AuditEvent.Action.RECORD_CHANGED, line),
        ("leicester-city", AuditEvent.Action.RECORD_CHANGED, line),
    ]


@pytest.mark.parametrize(
    ("sign_off_key", "role_key", "name", "message", "field"),
    [
        ("placement_agreement", "parent", "A", "This protocol has no such sign-off.", None),
        # Southwark's agreement is signed by both heads and the parents, not the council.
        ("managed_move_agreement", "eit_manager", "A", "That role does not sign this.", "role_key"),
        (
            "managed_move_agreement",
            "parent",
            "   ",
            "Enter the name of the person who signed.",
            "signed_by_name",
        ),
    ],
)
def test_a_signature_the_protocol_does_not_ask_for_is_refused(
    southwark: Place,
    sign_off_key: str,
    role_key: str,
    name: str,
    message: str,
    field: str | None,
) -> None:
    case = _agreed(southwark)
    before = row_counts()
    with pytest.raises(services.CaseworkError) as raised:
        services.sign_off_record(
            case=case,
            sign_off_key=sign_off_key,
            role_key=role_key,
            signed_by_name=name,
            signed_on=date(2026, 11, 20),
            recorded_by=southwark.officer,
            expected_version=case.version,
        )
    assert (raised.value.message, raised.value.field) == (message, field)
    assert row_counts() == before


def test_the_agreement_is_signed_only_once_its_form_is_submitted(norfolk: Place) -> None:
    case = open_case(norfolk)
    services.form_draft_start(case=case, form_key="agreement", started_by=norfolk.home_staff)
    before = row_counts()
    with pytest.raises(services.CaseworkError) as raised:
        services.sign_off_record(
            case=case,
            sign_off_key="trial_agreement",
            role_key="parent",
            signed_by_name="Dana Whitmore",
            signed_on=date(2026, 11, 20),
            recorded_by=norfolk.home_staff,
            expected_version=case.version,
        )
    assert raised.value.message == "Complete the DOWIMM agreement before it is signed."
    assert raised.value.field is None
    assert row_counts() == before


def test_a_stale_version_is_refused_with_what_changed(norfolk: Place) -> None:
    case = _agreed(norfolk)
    seen = case.version
    changed_by_someone_else(case, by=norfolk.officer)
    before = row_counts()
    with pytest.raises(services.ConcurrentEditError) as raised:
        services.sign_off_record(
            case=case,
            sign_off_key="trial_agreement",
            role_key="parent",
            signed_by_name="Dana Whitmore",
            signed_on=date(2026, 11, 20),
            recorded_by=norfolk.home_staff,
            expected_version=seen,
        )
    assert [(c.who, c.what) for c in raised.value.changes] == [
        (str(norfolk.officer), "Parent's written request for a review: Tue 1 Dec 2026")
    ]
    assert row_counts() == before
