"""One answer to "who holds protocol role X on this case": reminders, outcome emails and writes
all ask `casework.roles`, so they cannot disagree."""

from datetime import date

from fairway.casework import roles
from fairway.casework.tasks import reminder_recipients
from tenants.models import Role
from tests.factories import person_with_role

from .conftest import Place, agree, open_case
from .service_helpers import leicester_city_school, started


def test_each_kind_is_held_by_the_people_of_that_side(leicestershire: Place) -> None:
    case = agree(open_case(leicestershire), leicestershire, first_day=date(2026, 11, 30))
    seip = person_with_role(
        role=Role.PARTNERSHIP_OFFICER,
        council=leicestershire.council,
        partnership=leicestershire.partnership,
    )
    admin = person_with_role(role=Role.COUNCIL_ADMIN, council=leicestershire.council)
    adviser = person_with_role(role=Role.INCLUSION_ADVISER, council=leicestershire.council)
    assert roles.holder_emails(case=case, kind="home_school") == [leicestershire.home_staff.email]
    assert roles.holder_emails(case=case, kind="receiving_school") == [
        leicestershire.receiving_staff.email
    ]
    assert roles.holder_emails(case=case, kind="partnership") == [seip.email]
    # Council: those who run cases (admins and officers), not an adviser who was not added.
    council = roles.holder_emails(case=case, kind="council")
    assert sorted(council) == sorted([leicestershire.officer.email, admin.email])
    assert adviser.email not in council
    assert roles.holder_emails(case=case, kind="family") == []
    # The same answer from the person's side.
    assert roles.kinds_held(user=seip, case=case) == frozenset({"partnership"})
    assert roles.kinds_held(user=leicestershire.home_staff, case=case) == frozenset({"home_school"})


def test_a_partnership_milestone_reminds_the_partnership(leicestershire: Place) -> None:
    """The Partnership Register entry is the SEIP's: its reminder goes to the SEIP's officers
    (it went to the council's officers when reminders had their own copy of "who")."""
    case = started(leicestershire)
    seip = person_with_role(
        role=Role.PARTNERSHIP_OFFICER,
        council=leicestershire.council,
        partnership=leicestershire.partnership,
    )
    assert reminder_recipients(case=case, owner="seip") == [seip.email]


def test_reminders_and_outcome_emails_reach_both_councils_of_a_cross_authority_move(
    leicestershire: Place,
) -> None:
    """Both councils run a cross-authority move: a council-owned reminder reaches both, as the
    outcome email does (reminders used to go to the home council only)."""
    case = started(leicestershire, receiving=leicester_city_school())
    city_officer = person_with_role(role=Role.COUNCIL_OFFICER, council=case.receiving_council)
    to = reminder_recipients(case=case, owner="local_authority")
    assert leicestershire.officer.email in to and city_officer.email in to
    assert to == roles.holder_emails(case=case, kind="council")


def test_a_school_with_nobody_in_fairway_leaves_the_reminder_to_the_council(
    norfolk: Place,
) -> None:
    case = started(norfolk)
    norfolk.home_staff.is_active = False
    norfolk.home_staff.save()
    assert reminder_recipients(case=case, owner="home_school") == [norfolk.officer.email]


def test_a_review_reminds_the_home_school_whose_duty_it_is_and_the_school_that_hosts_it(
    norfolk: Place,
) -> None:
    """Reg 4: the review is the home school board's duty; the meeting is at the receiving school,
    so its staff hear too."""
    case = started(norfolk)
    to = reminder_recipients(case=case, owner="home_school", held_at="receiving_school")
    assert to == [norfolk.home_staff.email, norfolk.receiving_staff.email]
    assert reminder_recipients(case=case, owner="home_school") == [norfolk.home_staff.email]
