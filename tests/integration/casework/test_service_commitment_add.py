"""services.commitment_add: a target for the pupil, or what one side or agency committed to.

Southwark's protocol names the supporting agency as a role of its own ("agency" kind), so a
commitment from it says which agency; the schools' commitments need no name.
"""

from datetime import date

import pytest

from fairway.casework import services
from fairway.casework.models import Case, Commitment, Stage
from tenants.models import AuditEvent

from .conftest import Place, accept_request, agree, fill, open_case, submit_form
from .service_helpers import audit_mark, audit_since, leicester_city_school, row_counts, started

AGREED_ON = date(2026, 11, 20)


@pytest.fixture
def agreed(southwark: Place) -> Case:
    case = agree(open_case(southwark), southwark, first_day=date(2026, 11, 30))
    assert case.stage == Stage.AGREEMENT
    return case


def _counts() -> dict[str, int]:
    return {
        **row_counts(),
        "commitments": Commitment.objects.count(),
        "commitment history": Commitment.history.count(),
    }


def _add(case: Case, place: Place, **overrides: object) -> Commitment:
    arguments: dict[str, object] = {
        "kind": "target",
        "role_key": "pupil",
        "text": "Attend every lesson on time",
        "agreed_on": AGREED_ON,
        "added_by": place.home_staff,
        "expected_version": Case.objects.get(pk=case.pk).version,
        **overrides,
    }
    return services.commitment_add(case=case, **arguments)


def test_a_target_for_the_pupil(southwark: Place, agreed: Case) -> None:
    mark = audit_mark()
    target = _add(
        agreed,
        southwark,
        text="  Attend every lesson on time ",
        agreed_with=" Both schools, the parents and the SEWO ",
    )
    stored = Commitment.objects.get(pk=target.pk)
    assert (stored.case, stored.kind, stored.role_key, stored.named) == (
        agreed,
        Commitment.Kind.TARGET,
        "pupil",
        "",
    )
    assert (stored.text, stored.agreed_on, stored.agreed_with) == (
        "Attend every lesson on time",
        AGREED_ON,
        "Both schools, the parents and the SEWO",
    )
    assert (stored.status, stored.version, stored.recorded_by) == (
        Commitment.Status.IN_PROGRESS,
        1,
        southwark.home_staff,
    )
    assert [r.history_user for r in stored.history.all()] == [southwark.home_staff]
    after = Case.objects.get(pk=agreed.pk)
    summary = "Target added: Attend every lesson on time"
    assert (after.version, after.last_change) == (agreed.version + 1, summary)
    assert after.history.latest().history_user == southwark.home_staff
    assert audit_since(mark, agreed) == [
        ("southwark", AuditEvent.Action.RECORD_CHANGED, f"{agreed.reference}: {summary}")
    ]


def test_an_agencys_commitment_names_the_agency(southwark: Place, agreed: Case) -> None:
    mark = audit_mark()
    commitment = _add(
        agreed,
        southwark,
        kind="commitment",
        role_key="supporting_agency",
        named=" CAMHS ",
        text="Weekly session with the pupil",
    )
    stored = Commitment.objects.get(pk=commitment.pk)
    assert (stored.kind, stored.role_key, stored.named) == (
        Commitment.Kind.COMMITMENT,
        "supporting_agency",
        "CAMHS",
    )
    summary = "Commitment added: Weekly session with the pupil"
    assert Case.objects.get(pk=agreed.pk).last_change == summary
    assert audit_since(mark, agreed) == [
        ("southwark", AuditEvent.Action.RECORD_CHANGED, f"{agreed.reference}: {summary}")
    ]


def test_a_schools_commitment_needs_no_name(southwark: Place, agreed: Case) -> None:
    commitment = _add(
        agreed, southwark, kind="commitment", role_key="receiving_school", text="A daily mentor"
    )
    assert Commitment.objects.get(pk=commitment.pk).named == ""


def test_the_log_line_keeps_the_first_120_characters(southwark: Place, agreed: Case) -> None:
    text = "Meet the learning mentor every morning " * 5
    target = _add(agreed, southwark, text=text)
    assert Commitment.objects.get(pk=target.pk).text == text.strip()
    after = Case.objects.get(pk=agreed.pk)
    assert after.last_change == f"Target added: {text.strip()[:120]}"


def test_added_during_the_off_site_direction(southwark: Place) -> None:
    case = started(southwark)
    assert case.stage == Stage.OFF_SITE_DIRECTION
    target = _add(case, southwark, added_by=southwark.receiving_staff, agreed_on=date(2026, 12, 18))
    assert Commitment.objects.get(pk=target.pk).recorded_by == southwark.receiving_staff


def test_not_before_the_agreement(southwark: Place) -> None:
    case = open_case(southwark)
    before = _counts()
    with pytest.raises(services.CaseworkError) as raised:
        _add(case, southwark)
    assert raised.value.message == (
        "Targets and commitments can be added or changed from the agreement until the off-site direction ends."
    )
    assert raised.value.field is None
    assert _counts() == before


@pytest.mark.parametrize("stage", [Stage.REFERRAL, Stage.ENDED_EARLY, Stage.CLOSED])
def test_only_in_the_agreement_and_off_site_direction_stages(
    southwark: Place, agreed: Case, stage: Stage
) -> None:
    # The stage alone decides; set it directly rather than running each ending.
    Case.objects.filter(pk=agreed.pk).update(stage=stage)
    before = _counts()
    with pytest.raises(services.CaseworkError) as raised:
        _add(agreed, southwark)
    assert raised.value.message == (
        "Targets and commitments can be added or changed from the agreement until the off-site direction ends."
    )
    assert raised.value.field is None
    assert _counts() == before
    assert Case.objects.get(pk=agreed.pk).version == agreed.version


@pytest.mark.parametrize(
    ("overrides", "message", "field"),
    [
        ({"kind": "wish"}, "Select a target or a commitment.", "kind"),
        ({"role_key": "home_school"}, "A target is for the pupil.", "role_key"),
        (
            {"kind": "commitment", "role_key": "nobody"},
            "Select who made the commitment, from the roles the protocol names.",
            "role_key",
        ),
        # "pupil" is where a target belongs, not one of the protocol's roles.
        (
            {"kind": "commitment", "role_key": "pupil"},
            "Select who made the commitment, from the roles the protocol names.",
            "role_key",
        ),
        (
            {"kind": "commitment", "role_key": "supporting_agency", "named": "  "},
            "Enter the name of the agency or person, for example CAMHS or the youth worker",
            "named",
        ),
        (
            {"kind": "commitment", "role_key": "virtual_school"},
            "Enter the name of the agency or person, for example CAMHS or the youth worker",
            "named",
        ),
        (
            {"kind": "commitment", "role_key": "receiving_school", "text": " "},
            "Enter the target or commitment.",
            "text",
        ),
        ({"text": ""}, "Enter the target or commitment.", "text"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(
    southwark: Place,
    agreed: Case,
    overrides: dict[str, object],
    message: str,
    field: str,
) -> None:
    before = _counts()
    with pytest.raises(services.CaseworkError) as raised:
        _add(agreed, southwark, **overrides)
    assert (raised.value.message, raised.value.field) == (message, field)
    assert _counts() == before
    assert Case.objects.get(pk=agreed.pk).version == agreed.version


def test_a_stale_version_is_refused_with_what_changed(southwark: Place, agreed: Case) -> None:
    seen = agreed.version
    # Two people at the initial meeting's notes: the receiving school saves first.
    _add(agreed, southwark, added_by=southwark.receiving_staff, text="Wear the school uniform")
    before = _counts()
    with pytest.raises(services.ConcurrentEditError) as raised:
        _add(agreed, southwark, expected_version=seen)
    assert [(c.who, c.what) for c in raised.value.changes] == [
        (str(southwark.receiving_staff), "Target added: Wear the school uniform")
    ]
    assert _counts() == before
    assert list(Commitment.objects.values_list("text", flat=True)) == ["Wear the school uniform"]


def test_a_cross_authority_case_is_logged_by_both_councils(leicestershire: Place) -> None:
    city_school = leicester_city_school()
    case = open_case(leicestershire)
    accept_request(case, leicestershire, school=city_school)
    case = submit_form(
        case,
        "agreement",
        fill(case, "agreement", leicestershire, receiving_school=city_school.pk),
        leicestershire.home_staff,
    )
    assert case.is_cross_authority and case.stage == Stage.AGREEMENT
    mark = audit_mark()
    _add(case, leicestershire)
    line = f"{case.reference}: Target added: Attend every lesson on time"
    assert audit_since(mark, case) == [
        ("leicestershire", AuditEvent.Action.RECORD_CHANGED, line),
        ("leicester-city", AuditEvent.Action.RECORD_CHANGED, line),
    ]
