from datetime import date

import pytest

from fairway.casework import services
from fairway.casework.models import Stage
from tenants.models import AuditEvent

from .conftest import REFERRAL, Place, open_case


def test_case_open_pins_the_protocol_in_force_on_the_referral_date(norfolk: Place) -> None:
    case = open_case(norfolk, referred_on=date(2024, 10, 1))
    assert case.protocol_version.reference == "norfolk-managed-moves@1"
    later = open_case(norfolk, referred_on=date(2026, 11, 2))
    assert later.protocol_version.reference == "norfolk-managed-moves@2"
    assert later.stage == Stage.REFERRAL
    assert later.pupil_name == "Jayden Whitmore"
    assert later.upn == "A123456789012"
    assert later.submissions.get(form_key="referral").is_submitted
    assert AuditEvent.objects.filter(
        object_type="case", object_id=str(later.pk), action=AuditEvent.Action.RECORD_CREATED
    ).exists()


def test_case_open_copies_the_route_flags(norfolk: Place) -> None:
    case = open_case(
        norfolk, ehcp=True, withdrawn_exclusion=True, exclusion_stands_if_move_fails=True
    )
    assert case.ehcp and case.withdrawn_exclusion and case.exclusion_stands_if_move_fails


def test_case_open_without_a_protocol_in_force_is_refused(norfolk: Place) -> None:
    with pytest.raises(services.CaseworkError):
        services.case_open(
            referral=services.Referral(
                home_school=norfolk.home, answers=REFERRAL, referred_on=date(2020, 1, 6)
            ),
            opened_by=norfolk.home_staff,
        )
