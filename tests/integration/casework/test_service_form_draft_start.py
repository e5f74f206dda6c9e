"""services.form_draft_start: the draft to fill in for one of the case's protocol forms.

Starting a draft changes nothing anyone else sees: it takes no version, bumps none and writes no
audit line (the page saves and the submit do).
"""

from datetime import date

import pytest

from fairway.casework import services
from fairway.casework.models import FormSubmission

from .conftest import Place, fill, open_case, submit_form
from .service_helpers import row_counts, started


def test_a_new_draft_for_a_form_not_yet_started(norfolk: Place) -> None:
    case = open_case(norfolk)
    before = row_counts()
    draft = services.form_draft_start(
        case=case, form_key="agreement", started_by=norfolk.home_staff
    )
    assert (draft.form_key, draft.occurrence, draft.answers, draft.version) == (
        "agreement",
        1,
        {},
        1,
    )
    assert not draft.is_submitted
    after = row_counts()
    assert after.pop("casework.FormSubmission") == before.pop("casework.FormSubmission") + 1
    assert after.pop("casework.HistoricalFormSubmission") == (
        before.pop("casework.HistoricalFormSubmission") + 1
    )
    assert after == before  # no audit line, the case untouched


def test_the_open_draft_is_returned_again(norfolk: Place) -> None:
    case = open_case(norfolk)
    draft = services.form_draft_start(
        case=case, form_key="agreement", started_by=norfolk.home_staff
    )
    again = services.form_draft_start(case=case, form_key="agreement", started_by=norfolk.officer)
    assert again.pk == draft.pk
    assert FormSubmission.objects.filter(case=case, form_key="agreement").count() == 1


def test_a_submitted_form_that_does_not_repeat_is_returned_to_change(norfolk: Place) -> None:
    case = open_case(norfolk)
    case = submit_form(case, "agreement", fill(case, "agreement", norfolk), norfolk.home_staff)
    agreement = case.submissions.get(form_key="agreement")
    draft = services.form_draft_start(
        case=case, form_key="agreement", started_by=norfolk.home_staff
    )
    assert draft.pk == agreement.pk and draft.is_submitted
    assert FormSubmission.objects.filter(case=case).count() == 2  # the referral and the agreement


def test_the_referral_is_written_by_its_own_wizard_only(norfolk: Place) -> None:
    case = open_case(norfolk)
    with pytest.raises(services.CaseworkError, match="through its own step"):
        services.form_draft_start(case=case, form_key="referral", started_by=norfolk.home_staff)


def test_a_repeating_form_gets_the_next_occurrence_once_the_last_is_submitted(
    norfolk: Place,
) -> None:
    case = started(norfolk)
    review = {
        "held_on": "2026-12-11",
        "attendees": "Both schools, parent",
        "home_school_attended": True,
        "progress_against_targets": "Good",
        "recommendation": "continue",
        "outcome_shared_with_parents_on": "2026-12-11",
    }
    case = submit_form(case, "review", review, norfolk.receiving_staff)
    second = services.form_draft_start(
        case=case, form_key="review", started_by=norfolk.receiving_staff
    )
    assert (second.occurrence, second.is_submitted) == (2, False)
    # While review 2 is a draft, starting a review again goes back to it.
    again = services.form_draft_start(
        case=case, form_key="review", started_by=norfolk.receiving_staff
    )
    assert again.pk == second.pk
    assert list(
        FormSubmission.objects.filter(case=case, form_key="review").values_list(
            "occurrence", flat=True
        )
    ) == [1, 2]


def test_a_form_the_protocol_does_not_have_is_refused(southwark: Place) -> None:
    # No bundled protocol has a personal education plan form.
    case = open_case(southwark, referred_on=date(2026, 11, 2))
    before = row_counts()
    with pytest.raises(services.CaseworkError) as raised:
        services.form_draft_start(case=case, form_key="pep", started_by=southwark.home_staff)
    assert raised.value.message == "This protocol has no such form."
    assert raised.value.field is None
    assert row_counts() == before
