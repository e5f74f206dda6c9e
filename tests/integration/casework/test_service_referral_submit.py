"""services.referral_submit: a completed referral draft becomes a case, and the draft goes.

Norfolk's first scheme (v1) is in force until 4 November 2024, the DOWIMM (v2) from 5 November 2024.
"""

from datetime import date

import pytest

from fairway.casework import services
from fairway.casework.models import Case, FormSubmission, ReferralDraft, Stage
from tenants.models import AuditEvent

from .conftest import REFERRAL, Place, year_9_born
from .service_helpers import audit_mark, audit_since, row_counts

REFERRED_ON = date(2026, 11, 2)


def _counts() -> dict[str, int]:
    return {**row_counts(), "referral drafts": ReferralDraft.objects.count()}


def _completed(place: Place, **answers: object) -> ReferralDraft:
    """A draft with every page saved (`answers` change or, as None, leave out the referral's)."""
    wanted = {key: value for key, value in {**REFERRAL, **answers}.items() if value is not None}
    draft = services.referral_draft_start(home_school=place.home, started_by=place.home_staff)
    return services.referral_draft_save(
        draft=draft,
        page_answers=wanted,
        page_fields=list(wanted),
        expected_version=draft.version,
        saved_by=place.home_staff,
    )


def _submit(draft: ReferralDraft, place: Place, *, referred_on: date = REFERRED_ON) -> Case:
    return services.referral_submit(
        draft=draft,
        expected_version=draft.version,
        submitted_by=place.home_staff,
        referred_on=referred_on,
    )


def _unchanged(draft: ReferralDraft) -> None:
    stored = ReferralDraft.objects.get(pk=draft.pk)
    assert (stored.answers, stored.version) == (draft.answers, draft.version)


def test_the_referral_opens_a_case_and_the_draft_goes(norfolk: Place) -> None:
    draft = _completed(norfolk, upn="a123456789012", home_postcode="nr2 3ab")
    mark = audit_mark()
    case = _submit(draft, norfolk)
    stored = Case.objects.get(pk=case.pk)
    assert (stored.home_council, stored.home_school) == (norfolk.council, norfolk.home)
    assert (stored.stage, stored.referred_on, stored.opened_by) == (
        Stage.REFERRAL,
        REFERRED_ON,
        norfolk.home_staff,
    )
    assert (stored.pupil_name, stored.date_of_birth, stored.upn, stored.home_postcode) == (
        "Jayden Whitmore",
        date(2012, 10, 14),
        "A123456789012",
        "NR2 3AB",
    )
    referral = FormSubmission.objects.get(case=case, form_key="referral")
    assert referral.answers == draft.answers
    assert (referral.is_submitted, referral.submitted_by) == (True, norfolk.home_staff)
    assert not ReferralDraft.objects.filter(pk=draft.pk).exists()
    assert audit_since(mark, case) == [
        (
            "norfolk",
            AuditEvent.Action.RECORD_CREATED,
            f"{case.reference}: referral by Norfolk County Council High School"
            " under norfolk-managed-moves@2",
        )
    ]
    # The draft's removal is part of making the referral, not a line of its own.
    assert not AuditEvent.objects.filter(pk__gt=mark, object_type="referral_draft").exists()


@pytest.mark.parametrize(
    ("referred_on", "reference"),
    [
        (date(2024, 9, 2), "norfolk-managed-moves@1"),
        (date(2024, 11, 4), "norfolk-managed-moves@1"),
        (date(2024, 11, 5), "norfolk-managed-moves@2"),
        (date(2026, 11, 2), "norfolk-managed-moves@2"),
    ],
)
def test_the_protocol_in_force_on_the_referral_day_is_pinned(
    norfolk: Place, referred_on: date, reference: str
) -> None:
    draft = _completed(norfolk, date_of_birth=year_9_born(referred_on))
    case = _submit(draft, norfolk, referred_on=referred_on)
    assert Case.objects.get(pk=case.pk).protocol_version.reference == reference


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"reasons": None}, "Enter reasons for the referral"),
        # Several missing: the first in the form's order is the one given.
        ({"reasons": None, "upn": None}, "Enter unique pupil number (UPN)"),
        ({"reasons": "", "looked_after": None}, "Enter reasons for the referral"),
        (
            {"withdrawn_exclusion": True},
            "Select an answer: Has the head teacher stated that the permanent exclusion takes"
            " effect if the move fails?",
        ),
    ],
)
def test_a_required_answer_missing_is_refused(
    norfolk: Place, answers: dict[str, object], message: str
) -> None:
    draft = _completed(norfolk, **answers)
    before = _counts()
    with pytest.raises(services.CaseworkError) as raised:
        _submit(draft, norfolk)
    assert (raised.value.message, raised.value.field) == (message, None)
    assert _counts() == before
    _unchanged(draft)


def test_an_answer_hidden_by_its_condition_is_not_required(norfolk: Place) -> None:
    # Not a withdrawn exclusion: whether it stands if the move fails is not asked.
    case = _submit(_completed(norfolk, withdrawn_exclusion=False), norfolk)
    assert Case.objects.get(pk=case.pk).exclusion_stands_if_move_fails is None


def test_no_protocol_in_force_leaves_the_draft(norfolk: Place) -> None:
    draft = _completed(norfolk)
    before = _counts()
    with pytest.raises(services.CaseworkError) as raised:
        _submit(draft, norfolk, referred_on=date(2023, 8, 31))  # before Norfolk's first scheme
    assert raised.value.message == (
        "Norfolk County Council has no managed-move protocol in force on Thu 31 Aug 2023."
    )
    assert raised.value.field is None
    assert _counts() == before
    _unchanged(draft)


def test_a_date_of_birth_that_is_no_date_leaves_the_draft(norfolk: Place) -> None:
    draft = _completed(norfolk, date_of_birth="14/03/2012")  # answered, so the form check passes
    before = _counts()
    with pytest.raises(services.CaseworkError) as raised:
        _submit(draft, norfolk)
    assert (raised.value.message, raised.value.field) == (
        "Enter the pupil's date of birth.",
        "date_of_birth",
    )
    assert _counts() == before
    _unchanged(draft)


def test_the_case_is_not_kept_if_the_draft_cannot_be_removed(
    norfolk: Place, monkeypatch: pytest.MonkeyPatch
) -> None:
    draft = _completed(norfolk)
    before = _counts()

    def refuse(self: ReferralDraft, *args: object, **kwargs: object) -> None:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(ReferralDraft, "delete", refuse)
    with pytest.raises(RuntimeError):
        _submit(draft, norfolk)
    # One transaction: the case, its referral form and its log line were undone with it.
    assert _counts() == before
    _unchanged(draft)


def test_a_stale_version_is_refused(norfolk: Place) -> None:
    draft = _completed(norfolk)
    seen = draft.version
    # Another tab changed an answer after this one showed "check your answers".
    changed = services.referral_draft_save(
        draft=draft,
        page_answers={"pupil_name": "Jayden Whitmore-Hale"},
        page_fields=["pupil_name"],
        expected_version=seen,
        saved_by=norfolk.home_staff,
    )
    before = _counts()
    with pytest.raises(services.ConcurrentEditError) as raised:
        services.referral_submit(
            draft=draft,
            expected_version=seen,
            submitted_by=norfolk.home_staff,
            referred_on=REFERRED_ON,
        )
    assert [c.what for c in raised.value.changes] == ["Referral changed"]
    assert _counts() == before
    _unchanged(changed)
