from datetime import date

from fairway.casework import services
from fairway.casework.models import Case
from protocols.models import SchoolClosure

from .conftest import Place
from .test_case_flow import _started


def test_a_closure_added_to_the_calendar_moves_the_next_deadline(norfolk: Place) -> None:
    case = _started(norfolk, first_day=date(2026, 11, 30))
    services.milestone_done_record(
        case=case,
        milestone_key="dual_registration",
        done_on=date(2026, 11, 30),
        recorded_by=norfolk.home_staff,
        expected_version=case.version,
    )
    before = Case.objects.get(pk=case.pk)
    assert before.next_due == date(2026, 12, 4)  # end of the first school week
    # School weeks are term weeks: an INSET day inside the week does not move its end, but one on
    # its Friday brings it back to the Thursday.
    SchoolClosure.objects.create(
        school=norfolk.home, name="INSET day", start=date(2026, 12, 4), end=date(2026, 12, 4)
    )
    assert Case.objects.get(pk=case.pk).next_due == date(2026, 12, 3)
