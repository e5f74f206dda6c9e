"""Two people on one form page: the second person's typed answers are kept beside what changed."""

from django.test import Client
from django.urls import reverse

from fairway.casework import services
from fairway.casework.models import FormSubmission
from tenants.models import Role
from tests.factories import person_with_role, sign_in

from .conftest import Place
from .service_helpers import started

OTHER_ANSWERS = {
    "recommendation": "continue",
    "outcome_shared_with_parents_on_0": "11",
    "outcome_shared_with_parents_on_1": "12",
    "outcome_shared_with_parents_on_2": "2026",
}


def test_the_second_persons_answers_stay_on_the_page(norfolk: Place, client: Client) -> None:
    case = started(norfolk)
    draft = services.form_draft_start(
        case=case, form_key="review", started_by=norfolk.receiving_staff
    )
    opened_at = draft.version
    # The first person saves the progress page while the second still has it open.
    colleague = person_with_role(
        role=Role.SCHOOL_STAFF, council=norfolk.council, school=norfolk.receiving
    )
    services.form_page_save(
        submission=draft,
        page_answers={"progress_against_targets": "Settled well in maths."},
        page_fields=["progress_against_targets"],
        expected_version=opened_at,
        saved_by=colleague,
    )
    sign_in(client, norfolk.receiving_staff)
    url = reverse(
        "casework:form_page",
        kwargs={
            "case_id": case.pk,
            "form_key": "review",
            "occurrence": draft.occurrence,
            "page_key": "progress",
        },
    )
    typed = "Two detentions this week; reading is improving."
    response = client.post(
        url,
        {"version": opened_at, "progress_against_targets": typed, **OTHER_ANSWERS},
    )
    assert response.status_code == 200
    text = response.content.decode()
    # Theirs is shown, yours is still in the box, and nothing of theirs was overwritten.
    assert "What they saved on this page:" in text
    assert "Settled well in maths." in text
    assert f"{typed}</textarea>" in text
    stored = FormSubmission.objects.get(pk=draft.pk)
    assert stored.answers["progress_against_targets"] == "Settled well in maths."
    # Saving again (at the version now shown) puts the second person's answers in place.
    current = stored.version
    assert f'name="version" value="{current}"' in text
    client.post(
        url,
        {"version": current, "progress_against_targets": typed, **OTHER_ANSWERS},
    )
    assert FormSubmission.objects.get(pk=draft.pk).answers["progress_against_targets"] == typed
