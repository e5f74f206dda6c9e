from fairway.casework import access, demo, selectors
from fairway.casework.models import Case, Commitment, CrossAuthorityRequest, Stage
from protocols.services import bundled_load
from tenants import demo as tenants_demo
from tenants.models import User


def test_demo_has_every_stage_for_each_council_and_loads_twice(db: None) -> None:
    tenants_demo.load_demo()
    bundled_load()
    demo.load_demo()
    count = Case.objects.count()
    assert count == sum(len(specs) for specs in demo.CASES.values())
    for slug in ("norfolk", "leicestershire", "southwark"):
        stages = set(Case.objects.filter(home_council__slug=slug).values_list("stage", flat=True))
        assert {Stage.REFERRAL, Stage.AGREEMENT, Stage.OFF_SITE_DIRECTION, Stage.CLOSED} <= stages
    assert Case.objects.filter(stage=Stage.ENDED_EARLY).exists()
    cross = Case.objects.get(pupil_name="Deon Armitage")
    assert cross.is_cross_authority and cross.receiving_council.slug == "leicester-city"
    # It came through a request Leicester City accepted; two more wait or were declined.
    statuses = dict(CrossAuthorityRequest.objects.values_list("case__pupil_name", "status"))
    assert statuses == {
        "Deon Armitage": "accepted",
        "Tayla Bown": "pending",
        "Riley Sketchley": "declined",
        "Marcus Odhiambo": "pending",
    }
    # Leicester City has no protocol of its own: its move to a Leicestershire school is under
    # Leicestershire's, and waits for Leicestershire, which sees the request and not the pupil.
    city = Case.objects.get(pupil_name="Marcus Odhiambo")
    assert city.home_council.slug == "leicester-city"
    assert city.protocol_version.council.slug == "leicestershire"
    assert city.receiving_council is None
    leicestershire_officer = User.objects.get(email="officer@leicestershire.example")
    assert (
        not access.cases_for(user=leicestershire_officer, for_change=False)
        .filter(pk=city.pk)
        .exists()
    )
    asked = selectors.request_list(user=leicestershire_officer).get(case=city)
    assert asked.other_council.slug == "leicestershire"
    for name in ("Tayla Bown", "Riley Sketchley"):
        assert Case.objects.get(pupil_name=name).receiving_council is None
    # Southwark's move to a Lambeth school (not on Fairway) is Southwark's alone.
    lambeth = Case.objects.get(pupil_name="Jordan Mensah")
    assert lambeth.receiving_school.council.slug == "lambeth"
    assert lambeth.receiving_council is None and lambeth.stage == Stage.OFF_SITE_DIRECTION
    # Southwark's officer recorded Lambeth's contact and decisions; Lambeth's term dates are not
    # known, so the school's dates are on Southwark's calendar, marked provisional.
    recorded = lambeth.other_council_record
    assert recorded.contact_email == "fair-access@lambeth.example"
    assert (recorded.council_decision, recorded.school_decision) == ("agreed", "agreed")
    assert recorded.calendar_choice == "provisional"
    assert selectors.case_timeline(case=lambeth).receiving_provisional
    assert Case.objects.filter(extensions__isnull=False).exists()
    # Every agreed case has targets and commitments; some were changed at a review.
    for case in Case.objects.exclude(stage=Stage.REFERRAL):
        assert case.commitments.filter(kind="target").exists(), case
    assert Commitment.history.filter(change_reason__contains="first review").exists()
    adviser = User.objects.get(email="inclusion-adviser@norfolk.example")
    assert access.cases_for(user=adviser, for_change=True).count() == 1
    demo.load_demo()
    assert Case.objects.count() == count
