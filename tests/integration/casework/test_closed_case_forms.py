"""A closed case's forms are final: no service or form URL writes to them (issue 10).

On the demo, school staff rewrote the outcome and renamed the pupil in the referral of a closed
case by posting to its form pages; every form write now refuses a closed case in the service.
"""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from fairway.casework import services
from fairway.casework.models import Case, FormSubmission, Stage
from tests.factories import sign_in

from .conftest import Place, agree, fill, open_case


def _closed_case(place: Place) -> tuple[Case, FormSubmission]:
    case = agree(open_case(place), place, first_day=date(2026, 11, 16))
    Case.objects.filter(pk=case.pk).update(stage=Stage.CLOSED)
    agreement = FormSubmission.objects.get(case=case, form_key="agreement")
    return Case.objects.get(pk=case.pk), agreement


def test_no_form_draft_is_started_on_a_closed_case(norfolk: Place) -> None:
    case, _agreement = _closed_case(norfolk)
    before = FormSubmission.objects.filter(case=case).count()
    with pytest.raises(services.CaseworkError, match="case is closed"):
        services.form_draft_start(case=case, form_key="agreement", started_by=norfolk.home_staff)
    assert FormSubmission.objects.filter(case=case).count() == before


def test_a_closed_case_form_page_is_not_saved(norfolk: Place) -> None:
    case, agreement = _closed_case(norfolk)
    answers = dict(agreement.answers)
    with pytest.raises(services.CaseworkError, match="case is closed"):
        services.form_page_save(
            submission=agreement,
            page_answers=fill(case, "agreement", norfolk),
            page_fields=list(fill(case, "agreement", norfolk)),
            expected_version=agreement.version,
            saved_by=norfolk.home_staff,
        )
    stored = FormSubmission.objects.get(pk=agreement.pk)
    assert (stored.answers, stored.version) == (answers, agreement.version)


def test_a_closed_case_form_is_not_submitted_again(norfolk: Place) -> None:
    case, agreement = _closed_case(norfolk)
    with pytest.raises(services.CaseworkError, match="case is closed"):
        services.form_submit(
            submission=agreement,
            expected_version=agreement.version,
            submitted_by=norfolk.home_staff,
        )
    stored = Case.objects.get(pk=case.pk)
    assert (stored.version, stored.stage) == (case.version, Stage.CLOSED)


def test_posting_a_closed_case_form_shows_the_refusal(norfolk: Place, client: Client) -> None:
    case, agreement = _closed_case(norfolk)
    sign_in(client, norfolk.home_staff)
    refusal = "This case is closed, so its forms can no longer be changed."
    check = reverse(
        "casework:form_check",
        kwargs={"case_id": case.pk, "form_key": "agreement", "occurrence": agreement.occurrence},
    )
    # The page is not offered at all: the person is taken back to the case with the reason.
    response = client.post(check, {"version": agreement.version}, follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "casework:case_detail", kwargs={"case_id": case.pk}
    )
    assert refusal in response.text
    start = reverse("casework:form_start", kwargs={"case_id": case.pk, "form_key": "agreement"})
    response = client.post(start, follow=True)
    assert refusal in response.text
    assert FormSubmission.objects.get(pk=agreement.pk).version == agreement.version
