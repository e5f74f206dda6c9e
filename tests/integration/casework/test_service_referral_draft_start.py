"""services.referral_draft_start: a referral is started for a home school, private to its author."""

from fairway.casework import services
from fairway.casework.models import Case, ReferralDraft
from tenants.models import AuditEvent

from .conftest import Place
from .service_helpers import audit_mark


def test_a_draft_is_started_empty_and_logged_by_the_home_council(norfolk: Place) -> None:
    mark = audit_mark()
    draft = services.referral_draft_start(home_school=norfolk.home, started_by=norfolk.home_staff)
    stored = ReferralDraft.objects.get(pk=draft.pk)
    assert (stored.home_school, stored.started_by) == (norfolk.home, norfolk.home_staff)
    assert (stored.answers, stored.version) == ({}, 1)
    assert not Case.objects.exists()  # nothing is a case until the referral is made
    assert list(
        AuditEvent.objects.filter(pk__gt=mark).values_list(
            "council__slug", "actor", "action", "object_type", "object_id", "summary"
        )
    ) == [
        (
            "norfolk",
            norfolk.home_staff.pk,
            AuditEvent.Action.RECORD_CREATED,
            "referral_draft",
            str(draft.pk),
            "Referral started by Norfolk County Council High School",
        )
    ]


def test_each_start_is_a_new_draft(norfolk: Place) -> None:
    first = services.referral_draft_start(home_school=norfolk.home, started_by=norfolk.home_staff)
    second = services.referral_draft_start(home_school=norfolk.home, started_by=norfolk.home_staff)
    assert first.pk != second.pk
    assert ReferralDraft.objects.filter(started_by=norfolk.home_staff).count() == 2
