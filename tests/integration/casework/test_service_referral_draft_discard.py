"""services.referral_draft_discard: an unfinished referral is deleted by its author."""

from fairway.casework import services
from fairway.casework.models import Case, ReferralDraft
from tenants.models import AuditEvent

from .conftest import REFERRAL, Place
from .service_helpers import audit_mark


def _draft(place: Place) -> ReferralDraft:
    draft = services.referral_draft_start(home_school=place.home, started_by=place.home_staff)
    return services.referral_draft_save(
        draft=draft,
        page_answers=REFERRAL,
        page_fields=list(REFERRAL),
        expected_version=draft.version,
        saved_by=place.home_staff,
    )


def test_the_draft_is_deleted_and_logged_by_the_home_council(norfolk: Place) -> None:
    draft, kept = _draft(norfolk), _draft(norfolk)
    draft_id = draft.pk
    mark = audit_mark()
    services.referral_draft_discard(draft=draft, discarded_by=norfolk.home_staff)
    assert list(ReferralDraft.objects.values_list("pk", flat=True)) == [kept.pk]
    assert not Case.objects.exists()
    assert list(
        AuditEvent.objects.filter(pk__gt=mark).values_list(
            "council__slug", "actor", "action", "object_type", "object_id", "summary"
        )
    ) == [
        (
            "norfolk",
            norfolk.home_staff.pk,
            AuditEvent.Action.RECORD_CHANGED,
            "referral_draft",
            str(draft_id),
            "Unfinished referral deleted",
        )
    ]
