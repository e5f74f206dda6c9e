"""services.case_open: the home school's referral opens a case under the protocol in force.

Opening creates the case, so there is no version to be stale (no ConcurrentEditError) and no
receiving council yet: the line goes to the home council's log only.
"""

from datetime import date

import pytest

from fairway.casework import services
from fairway.casework.models import Case, CaseEvent, FormSubmission, Stage
from tenants.models import AuditEvent

from .conftest import REFERRAL, Place, open_case
from .service_helpers import audit_mark, audit_since, row_counts


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


def test_case_open_stores_the_referral(norfolk: Place) -> None:
    mark = audit_mark()
    case = open_case(
        norfolk, pupil_name="  Jayden Whitmore ", upn="a123456789012", home_postcode=" nr2 3ab"
    )
    case = Case.objects.get(pk=case.pk)
    assert case.home_council == norfolk.council
    assert case.home_school == norfolk.home
    assert case.receiving_school is None and case.receiving_council is None
    assert (case.pupil_name, case.upn, case.home_postcode) == (
        "Jayden Whitmore",
        "A123456789012",
        "NR2 3AB",
    )
    assert case.date_of_birth == date(2012, 10, 14)
    assert case.year_group == "year_9"
    assert case.referred_on == date(2026, 11, 2)
    assert case.opened_by == norfolk.home_staff
    assert (case.version, case.last_change) == (1, "Referral made")
    # The referral form is stored as submitted, with every answer as given.
    referral = FormSubmission.objects.get(case=case)
    assert (referral.form_key, referral.occurrence) == ("referral", 1)
    assert referral.submitted_by == norfolk.home_staff and referral.is_submitted
    assert referral.answers["reasons"] == REFERRAL["reasons"]
    # The legal floor's "referral" event is dated the referral day.
    event = CaseEvent.objects.get(case=case)
    assert (event.event_key, event.date, event.recorded_by) == (
        "referral",
        date(2026, 11, 2),
        norfolk.home_staff,
    )
    assert case.history.get().history_user == norfolk.home_staff
    assert audit_since(mark, case) == [
        (
            "norfolk",
            AuditEvent.Action.RECORD_CREATED,
            f"{case.reference}: referral by Norfolk County Council High School"
            " under norfolk-managed-moves@2",
        )
    ]


def test_case_open_copies_the_route_flags(norfolk: Place) -> None:
    case = open_case(
        norfolk, ehcp=True, withdrawn_exclusion=True, exclusion_stands_if_move_fails=True
    )
    assert case.ehcp and case.withdrawn_exclusion and case.exclusion_stands_if_move_fails


def test_case_open_takes_only_a_yes_as_yes(norfolk: Place) -> None:
    case = open_case(
        norfolk,
        ehcp="yes",
        looked_after=True,
        withdrawn_exclusion=False,
        exclusion_stands_if_move_fails=True,
    )
    assert not case.ehcp and case.looked_after and not case.withdrawn_exclusion
    # Whether the exclusion stands is only asked when the exclusion was withdrawn.
    assert case.exclusion_stands_if_move_fails is None


def test_case_open_without_a_protocol_in_force_is_refused(norfolk: Place) -> None:
    before = row_counts()
    with pytest.raises(services.CaseworkError) as raised:
        services.case_open(
            referral=services.Referral(
                home_school=norfolk.home, answers=REFERRAL, referred_on=date(2020, 1, 6)
            ),
            opened_by=norfolk.home_staff,
        )
    assert raised.value.message == (
        "Norfolk County Council has no managed-move protocol in force on Mon 6 Jan 2020."
    )
    assert raised.value.field is None
    assert row_counts() == before


@pytest.mark.parametrize("date_of_birth", [None, "", "14/03/2012", "2012-02-30"])
def test_case_open_without_a_valid_date_of_birth_is_refused(
    norfolk: Place, date_of_birth: object
) -> None:
    before = row_counts()
    with pytest.raises(services.CaseworkError) as raised:
        open_case(norfolk, date_of_birth=date_of_birth)
    assert raised.value.message == "Enter the pupil's date of birth."
    assert raised.value.field == "date_of_birth"
    assert row_counts() == before


def test_a_primary_pupil_cannot_be_referred_under_a_secondary_protocol(
    leicestershire: Place,
) -> None:
    # Leicestershire's protocol is for secondary schools (`phases: [secondary]` in its YAML).
    before = row_counts()
    with pytest.raises(services.CaseworkError) as refused:
        open_case(leicestershire, year_group="year_5", date_of_birth="2016-10-14")
    assert refused.value.field == "year_group"
    assert refused.value.message == (
        "Managed Move Protocol - Secondary Schools (Leicestershire SEIPs) is for secondary "
        "schools (Year 7 to Year 13), so a pupil in Year 5 cannot be referred under it. Ask the "
        "council how to support a primary pupil"
    )
    assert row_counts() == before
    # A secondary pupil is referred as usual, and a protocol without phases takes any pupil.
    assert open_case(leicestershire).year_group == "year_9"


def test_a_protocol_without_phases_takes_a_primary_pupil(norfolk: Place) -> None:
    case = open_case(norfolk, year_group="year_5", date_of_birth="2016-10-14")
    assert case.year_group == "year_5"
