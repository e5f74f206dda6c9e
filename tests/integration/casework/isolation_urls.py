"""Isolation-matrix registrations for the case-work URLs: a started case in each council."""

from datetime import date

from fairway.casework.models import (
    CalendarFeed,
    Case,
    Commitment,
    FormSubmission,
    ReferralDraft,
    Stage,
)
from protocols.bundled import CALENDARS_DIR, protocol_paths
from protocols.core.loader import load_protocol
from protocols.models import CouncilCalendar, ProtocolVersion, bundle_digest
from protocols.services import _bundle_files
from tenants.models import Role
from tests.isolation import CouncilWorld, register_setup, register_url, skip_name

PUPILS = {"council-a": "Amelia-Rose Thackeray", "council-b": "Bartholomew Quince"}


@register_setup
def add_case(world: CouncilWorld) -> None:
    path = next(p for p in protocol_paths() if p.name == "managed-moves-v1-behaviour-trial.yaml")
    main, files = _bundle_files(path, load_protocol(str(path)))
    version = ProtocolVersion.objects.create(
        council=world.council,
        slug=f"{world.council.slug}-managed-moves",
        version=1,
        title="Managed moves",
        effective_from=date(2024, 9, 1),
        main_file=main,
        files=files,
        digest=bundle_digest(files),
    )
    CouncilCalendar.objects.create(
        council=world.council,
        slug=f"{world.council.slug}-calendar",
        title="Term dates",
        yaml_text=(CALENDARS_DIR / "norfolk.yaml").read_text("utf-8"),
        first_day=date(2024, 9, 1),
        last_day=date(2027, 7, 31),
    )
    name = PUPILS.get(world.council.slug, f"Pupil of {world.council.name}")
    case = Case.objects.create(
        home_council=world.council,
        home_school=world.school,
        receiving_school=world.school,
        protocol_version=version,
        stage=Stage.OFF_SITE_DIRECTION,
        pupil_name=name,
        date_of_birth=date(2012, 5, 1),
        upn="A123456789012",
        year_group="year_9",
        referred_on=date(2026, 11, 2),
        start_date=date(2026, 11, 30),
    )
    FormSubmission.objects.create(case=case, form_key="review", occurrence=1, answers={})
    world.objects["case"] = case
    world.pupil_names.append(name)
    world.objects["commitment"] = Commitment.objects.create(
        case=case,
        kind="target",
        role_key="pupil",
        text="Attend every lesson",
        agreed_on=date(2026, 11, 30),
    )
    # An unfinished referral of another pupil, private to the school staff member who started it.
    draft_name = f"Draft {name}"
    world.objects["draft"] = ReferralDraft.objects.create(
        home_school=world.school,
        started_by=world.people[Role.SCHOOL_STAFF],
        answers={"pupil_name": draft_name},
    )
    world.pupil_names.append(draft_name)
    CalendarFeed.objects.create(
        user=world.people[Role.COUNCIL_OFFICER], token=f"token-{world.council.slug}-0123456789"
    )


def case(world: CouncilWorld) -> dict[str, object]:
    return {"case_id": world.objects["case"].pk}


for name in (
    "case_detail",
    "case_history",
    "school_search",
    "event_record",
    "attendance",
    "extension",
    "end_early",
    "outcome",
    "outcome_told",
):
    register_url(f"casework:{name}", case)
register_url("casework:form_start", lambda w: {**case(w), "form_key": "review"})
for name in ("form_check", "form_print"):
    register_url(f"casework:{name}", lambda w: {**case(w), "form_key": "review", "occurrence": 1})
register_url(
    "casework:form_page",
    lambda w: {**case(w), "form_key": "review", "occurrence": 1, "page_key": "meeting"},
)
register_url("casework:sign_off", lambda w: {**case(w), "sign_off_key": "trial_agreement"})
register_url("casework:milestone_done", lambda w: {**case(w), "milestone_key": "dual_registration"})
skip_name(
    "casework:calendar_feed",
    "the private iCalendar feed: its token is the credential, and it carries case references "
    "and milestones, never pupils' names (tests/integration/casework/test_calendar_feed.py)",
)
register_url("casework:form_pdf", lambda w: {**case(w), "form_key": "review", "occurrence": 1})

draft = lambda w: {"draft_id": w.objects["draft"].pk}  # noqa: E731
register_url("casework:referral_check", draft)
register_url("casework:referral_discard", draft)
register_url("casework:referral_page", lambda w: {**draft(w), "page_key": "pupil"})
for name in ("commitments", "commitment_add", "case_people"):
    register_url(f"casework:{name}", case)
register_url(
    "casework:commitment_change",
    lambda w: {**case(w), "commitment_id": w.objects["commitment"].pk},
)
register_url(
    "casework:case_person_remove",
    lambda w: {**case(w), "person_id": w.people[Role.SCHOOL_STAFF].pk},
)
register_url("casework:register", lambda w: {"council_slug": w.council.slug})
register_url("casework:subject_access", lambda w: {"council_slug": w.council.slug})
register_url("casework:register_export", lambda w: {"council_slug": w.council.slug, "fmt": "csv"})
register_url("fair_access:manage", lambda w: {"council_slug": w.council.slug})
register_url("casework:outcome_report", lambda w: {"council_slug": w.council.slug})


@register_setup
def add_request(world: CouncilWorld) -> None:
    """A request from the council's case to a neighbouring council: the other matrix council is a
    third council to it, and must not learn that it exists."""
    from fairway.casework.models import CrossAuthorityRequest
    from tenants.models import Council
    from tests.factories import SchoolFactory, person_with_role

    neighbour = Council.objects.create(
        name=f"Neighbour of {world.council.name}", slug=f"{world.council.slug}-neighbour"
    )
    school = SchoolFactory(council=neighbour, name=f"{neighbour.name} Academy")
    person_with_role(role=Role.COUNCIL_OFFICER, council=neighbour)
    case = world.objects["case"]
    world.objects["request"] = CrossAuthorityRequest.objects.create(
        case=case,
        home_council=world.council,
        other_council=neighbour,
        proposed_school=school,
        year_group="year_9",
        phase="secondary",
        reasons_summary=f"Reasons of {world.council.name}",
        proposed_start=date(2027, 1, 11),
        proposed_weeks=8,
        proposed_protocol=case.protocol_version,
    )
    # And one the neighbour asks of this council (its officers accept, decline or ask).
    neighbours_name = f"Pupil of {neighbour.name}"
    theirs = Case.objects.create(
        home_council=neighbour,
        home_school=school,
        protocol_version=case.protocol_version,
        pupil_name=neighbours_name,
        date_of_birth=date(2012, 5, 1),
        upn="A123456789013",
        year_group="year_9",
        referred_on=date(2026, 11, 2),
    )
    world.pupil_names.append(neighbours_name)
    world.objects["request_in"] = CrossAuthorityRequest.objects.create(
        case=theirs,
        home_council=neighbour,
        other_council=world.council,
        proposed_school=world.school,
        year_group="year_9",
        phase="secondary",
        reasons_summary=f"Reasons of {neighbour.name}",
        proposed_start=date(2027, 1, 11),
        proposed_weeks=8,
        proposed_protocol=case.protocol_version,
    )


def move_request(world: CouncilWorld) -> dict[str, object]:
    return {"request_id": world.objects["request"].pk}


def request_in(world: CouncilWorld) -> dict[str, object]:
    return {"request_id": world.objects["request_in"].pk}


for name in ("request_detail", "request_answer", "request_withdraw"):
    register_url(f"casework:{name}", move_request)
for name in ("request_accept", "request_decline", "request_question"):
    register_url(f"casework:{name}", request_in)
register_url("casework:request_new", case)


@register_setup
def add_off_fairway_move(world: CouncilWorld) -> None:
    """A move to a school of a council not on Fairway (no one works there): the home council
    records that council's contact, decisions and calendar itself."""
    from tenants.models import Council
    from tests.factories import SchoolFactory

    elsewhere = Council.objects.create(
        name=f"Off Fairway near {world.council.name}", slug=f"{world.council.slug}-off-fairway"
    )
    school = SchoolFactory(council=elsewhere, name=f"{elsewhere.name} School")
    case = world.objects["case"]
    name = f"Off-Fairway pupil of {world.council.name}"
    world.objects["off_fairway_case"] = Case.objects.create(
        home_council=world.council,
        home_school=world.school,
        receiving_school=school,
        protocol_version=case.protocol_version,
        stage=Stage.OFF_SITE_DIRECTION,
        pupil_name=name,
        date_of_birth=date(2012, 5, 1),
        upn="A123456789014",
        year_group="year_9",
        referred_on=date(2026, 11, 2),
        start_date=date(2026, 11, 30),
    )
    world.pupil_names.append(name)


register_url("casework:other_council", lambda w: {"case_id": w.objects["off_fairway_case"].pk})
