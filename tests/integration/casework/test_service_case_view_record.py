"""case_view_record: every view of a pupil's record is logged, in both councils' logs when shared."""

from fairway.casework import services
from tenants.models import AuditEvent

from .conftest import Place, open_case
from .service_helpers import audit_mark, audit_since, leicester_city_school, started


def test_a_view_is_logged_with_what_was_seen(norfolk: Place) -> None:
    case = open_case(norfolk)
    mark = audit_mark()
    services.case_view_record(case=case, viewed_by=norfolk.home_staff, what="review 1 printed")
    assert audit_since(mark, case) == [
        ("norfolk", AuditEvent.Action.RECORD_VIEWED, f"{case.reference}: review 1 printed")
    ]


def test_a_shared_case_is_logged_in_both_councils(leicestershire: Place) -> None:
    case = started(leicestershire, receiving=leicester_city_school())
    mark = audit_mark()
    services.case_view_record(case=case, viewed_by=leicestershire.officer)
    line = (AuditEvent.Action.RECORD_VIEWED, f"{case.reference}: case page viewed")
    assert sorted(audit_since(mark, case)) == [("leicester-city", *line), ("leicestershire", *line)]
