"""Moving open cases to a newer protocol version: the preview per case, the move, the refusal."""

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fairway.casework import selectors, services, writes
from fairway.casework.models import Case, Stage
from protocols import services as protocol_services
from protocols.models import ProtocolVersion
from tenants.models import AuditEvent, Role, User
from tests.factories import CouncilFactory, person_with_role, sign_in

from .conftest import Place, fill, open_case, submit_form

SLUG = "norfolk-managed-moves"
NEW_QUESTION = '          - {key: transport_agreed, type: yes_no, label: "Was transport agreed?", required: true}\n'


def publish_v3(place: Place) -> tuple[ProtocolVersion, User]:
    """Version 3: the DOWIMM ends at week 6, and the agreement asks one more required question."""
    drafter = person_with_role(role=Role.COUNCIL_ADMIN, council=place.council)
    approver = person_with_role(role=Role.COUNCIL_ADMIN, council=place.council)
    draft = protocol_services.protocol_draft_start(council=place.council, slug=SLUG, by=drafter)
    text = draft.yaml_text.replace(
        "due: end of school week 8 from start", "due: end of school week 6 from start"
    ).replace("          - {key: targets,", NEW_QUESTION + "          - {key: targets,")
    assert protocol_services.protocol_draft_save(draft=draft, yaml_text=text, by=drafter).ok
    protocol_services.protocol_draft_approve(draft=draft, by=approver)
    version = protocol_services.protocol_draft_publish(
        draft=draft, effective_from=timezone.localdate() + timedelta(days=1), by=drafter
    )
    return version, drafter


def started(case: Case, day: date) -> Case:
    # Set up directly: the steps to a started case are other services' tests.
    Case.objects.filter(pk=case.pk).update(start_date=day, stage=Stage.OFF_SITE_DIRECTION)
    return Case.objects.get(pk=case.pk)


def test_open_cases_stay_on_their_version_and_are_counted(norfolk: Place) -> None:
    case = open_case(norfolk)
    v2 = case.protocol_version
    v3, _admin = publish_v3(norfolk)
    assert Case.objects.get(pk=case.pk).protocol_version == v2
    counts = selectors.open_case_counts([v2, v3])
    assert counts == {v2.pk: 1, v3.pk: 0}


def test_a_move_lists_every_deadline_that_moves_and_then_moves(norfolk: Place) -> None:
    case = started(open_case(norfolk), date(2027, 1, 11))
    v3, admin = publish_v3(norfolk)
    preview = selectors.case_move_preview(case=case, to_version=v3)
    assert preview.fits, preview.misfits
    labels = {d.label for d in preview.deadlines}
    assert (
        "End of the DOWIMM's usual length (8 weeks; longer only with a recorded reason and agreement)"
        in labels
    )
    end = next(d for d in preview.deadlines if d.label.startswith("End of the DOWIMM"))
    assert end.before is not None and end.after is not None and end.after < end.before
    # Reviews and weekly notes after the new end are no longer steps.
    assert any(d.after is None for d in preview.deadlines)

    moved = services.case_version_move(
        case=case, to_version=v3, expected_version=case.version, moved_by=admin
    )
    assert moved.protocol_version == v3
    line = AuditEvent.objects.filter(object_type="case", object_id=str(case.pk)).latest("pk")
    assert "moved from version 2 to version 3" in line.summary
    assert "End of the DOWIMM" in line.summary


def test_a_case_whose_answers_do_not_fit_is_refused_with_the_reason(norfolk: Place) -> None:
    case = open_case(norfolk)
    case = submit_form(case, "agreement", fill(case, "agreement", norfolk), norfolk.home_staff)
    v2 = case.protocol_version
    v3, admin = publish_v3(norfolk)
    preview = selectors.case_move_preview(case=case, to_version=v3)
    assert not preview.fits
    assert any("Was transport agreed?" in m for m in preview.misfits), preview.misfits
    with pytest.raises(services.CaseworkError, match="cannot move to version 3"):
        services.case_version_move(
            case=case, to_version=v3, expected_version=case.version, moved_by=admin
        )
    assert Case.objects.get(pk=case.pk).protocol_version == v2


def test_only_a_council_admin_moves_and_never_a_closed_case(norfolk: Place) -> None:
    case = open_case(norfolk)
    v3, admin = publish_v3(norfolk)
    with pytest.raises(writes.RoleRefused):
        services.case_version_move(
            case=case, to_version=v3, expected_version=None, moved_by=norfolk.officer
        )
    Case.objects.filter(pk=case.pk).update(stage=Stage.CLOSED)
    with pytest.raises(services.CaseworkError, match="closed"):
        services.case_version_move(
            case=Case.objects.get(pk=case.pk), to_version=v3, expected_version=None, moved_by=admin
        )


def test_the_move_page_previews_then_moves(norfolk: Place) -> None:
    fits = started(open_case(norfolk), date(2027, 1, 11))
    misfit = open_case(norfolk)
    misfit = submit_form(
        misfit, "agreement", fill(misfit, "agreement", norfolk), norfolk.home_staff
    )
    v3, admin = publish_v3(norfolk)
    client = Client()
    sign_in(client, admin)
    protocols_page = client.get(reverse("protocols:protocols", args=["norfolk"]))
    assert b'data-open-cases="2">2<' in protocols_page.content
    url = reverse("casework:version_move", args=["norfolk", v3.pk])
    assert url.encode() in protocols_page.content
    page = client.get(url, {"preview": "1", "case": [fits.pk, misfit.pk]})
    assert page.status_code == 200
    assert b"Cannot move" in page.content and b"Can move" in page.content
    assert b"Move 1 case to version 3" in page.content
    response = client.post(
        url, {"case": [fits.pk, misfit.pk], f"version-{fits.pk}": fits.version}, follow=True
    )
    assert Case.objects.get(pk=fits.pk).protocol_version == v3
    assert Case.objects.get(pk=misfit.pk).protocol_version.version == 2
    assert b"cannot move to version 3" in response.content
    # Another council's admin: 404.
    other = person_with_role(role=Role.COUNCIL_ADMIN, council=CouncilFactory(slug="elsewhere"))
    client = Client()
    sign_in(client, other)
    assert client.get(url).status_code == 404


def test_a_drafts_forms_as_staff_will_see_them(norfolk: Place) -> None:
    admin = person_with_role(role=Role.COUNCIL_ADMIN, council=norfolk.council)
    draft = protocol_services.protocol_draft_start(council=norfolk.council, slug=SLUG, by=admin)
    client = Client()
    sign_in(client, admin)
    page = client.get(reverse("casework:draft_forms_preview", args=["norfolk", draft.pk]))
    assert page.status_code == 200
    assert b"Did an Inclusion Adviser plan this DOWIMM with the school?" in page.content
    assert b"disabled" in page.content
