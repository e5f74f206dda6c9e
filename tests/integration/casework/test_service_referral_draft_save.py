"""services.referral_draft_save: one page of the referral is stored in its author's draft."""

import pytest

from fairway.casework import services
from fairway.casework.models import Case, ReferralDraft
from tenants.models import AuditEvent

from .conftest import Place

PUPIL = {
    "pupil_name": "Ruby Ellingham",
    "date_of_birth": "2012-10-14",
    "upn": "A123456789012",
    "year_group": "year_9",
    "home_postcode": "NR2 3AB",
}
PUPIL_FIELDS = list(PUPIL)
ROUTES_FIELDS = ["ehcp", "looked_after", "withdrawn_exclusion", "exclusion_stands_if_move_fails"]


def _started(place: Place) -> ReferralDraft:
    return services.referral_draft_start(home_school=place.home, started_by=place.home_staff)


def _save(
    draft: ReferralDraft, place: Place, answers: dict[str, object], fields: list[str]
) -> ReferralDraft:
    return services.referral_draft_save(
        draft=draft,
        page_answers=answers,
        page_fields=fields,
        expected_version=ReferralDraft.objects.get(pk=draft.pk).version,
        saved_by=place.home_staff,
    )


def test_a_page_is_stored_and_the_version_moves_on(norfolk: Place) -> None:
    draft = _started(norfolk)
    audit_lines = AuditEvent.objects.count()
    saved = services.referral_draft_save(
        draft=draft,
        page_answers=PUPIL,
        page_fields=PUPIL_FIELDS,
        expected_version=1,
        saved_by=norfolk.home_staff,
    )
    stored = ReferralDraft.objects.get(pk=draft.pk)
    assert stored.answers == PUPIL
    assert saved.version == stored.version == 2
    # The answers are private to their author until the referral is made: no case, no log line.
    assert not Case.objects.exists()
    assert AuditEvent.objects.count() == audit_lines


def test_the_pages_fields_are_replaced_and_the_other_pages_kept(norfolk: Place) -> None:
    draft = _started(norfolk)
    _save(draft, norfolk, PUPIL, PUPIL_FIELDS)
    routes = {
        "ehcp": False,
        "looked_after": False,
        "withdrawn_exclusion": True,
        "exclusion_stands_if_move_fails": True,
    }
    _save(draft, norfolk, routes, ROUTES_FIELDS)
    # The page again: the exclusion was not withdrawn, so its follow-up is hidden and sent empty.
    _save(
        draft,
        norfolk,
        {"ehcp": True, "looked_after": False, "withdrawn_exclusion": False},
        ROUTES_FIELDS,
    )
    stored = ReferralDraft.objects.get(pk=draft.pk)
    assert stored.answers == {
        **PUPIL,
        "ehcp": True,
        "looked_after": False,
        "withdrawn_exclusion": False,
    }
    assert stored.version == 4


def test_an_optional_answer_left_empty_is_removed(norfolk: Place) -> None:
    draft = _started(norfolk)
    reasons_fields = ["reasons", "interventions_tried", "parent_views", "pupil_views"]
    _save(
        draft,
        norfolk,
        {"reasons": "Disruption", "interventions_tried": "Mentoring", "parent_views": "Worried"},
        reasons_fields,
    )
    _save(
        draft,
        norfolk,
        {"reasons": "Disruption", "interventions_tried": "Mentoring"},
        reasons_fields,
    )
    assert ReferralDraft.objects.get(pk=draft.pk).answers == {
        "reasons": "Disruption",
        "interventions_tried": "Mentoring",
    }


def test_a_stale_version_is_refused_and_the_other_tabs_answers_stay(norfolk: Place) -> None:
    draft = _started(norfolk)
    # The same person has the first page open in two tabs; the first tab saves.
    _save(draft, norfolk, PUPIL, PUPIL_FIELDS)
    stored = ReferralDraft.objects.get(pk=draft.pk)
    audit_lines = AuditEvent.objects.count()
    with pytest.raises(services.ConcurrentEditError) as raised:
        services.referral_draft_save(
            draft=draft,
            page_answers={**PUPIL, "pupil_name": "Ruby Ellingham-Shaw"},
            page_fields=PUPIL_FIELDS,
            expected_version=1,
            saved_by=norfolk.home_staff,
        )
    assert raised.value.message == "Someone else changed this case while you were working on it."
    assert [(c.who, c.when, c.what) for c in raised.value.changes] == [
        (str(norfolk.home_staff), stored.updated_at, "Referral changed")
    ]
    after = ReferralDraft.objects.get(pk=draft.pk)
    assert (after.answers, after.version, after.updated_at) == (
        PUPIL,
        stored.version,
        stored.updated_at,
    )
    assert AuditEvent.objects.count() == audit_lines


def test_a_primary_year_group_is_refused_on_its_field_under_a_secondary_protocol(
    leicestershire: Place,
) -> None:
    draft = _started(leicestershire)
    with pytest.raises(services.CaseworkError) as refused:
        _save(draft, leicestershire, {**PUPIL, "year_group": "year_4"}, PUPIL_FIELDS)
    assert refused.value.field == "year_group"
    assert "is for secondary schools (Year 7 to Year 13)" in refused.value.message
    assert ReferralDraft.objects.get(pk=draft.pk).answers == {}
