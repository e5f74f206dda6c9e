from fairway.casework import demo
from fairway.casework.models import Case, Stage
from protocols.services import bundled_load
from tenants import demo as tenants_demo


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
    assert Case.objects.filter(extensions__isnull=False).exists()
    demo.load_demo()
    assert Case.objects.count() == count
