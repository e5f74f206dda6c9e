"""Writes for case work (HackSoft services): one transaction each, keyword-only, audited.

Every service that changes a case locks its row, checks the version the person was looking at
(`expected_version`) and raises `ConcurrentEditError` with what changed in between instead of
overwriting it; then it bumps the version, re-dates the next deadline and writes the audit log.

A package by what staff do; this module offers every name the single module did."""

from ..models import CrossAuthorityRequest
from ._base import CaseworkError, Change, ConcurrentEditError, case_view_record, deadlines_refresh
from .case_forms import form_draft_start, form_page_save, form_submit
from .commitments import COMMITMENT_STAGES, commitment_add, commitment_change
from .cross_authority import (
    accepted_school_ids,
    request_accept,
    request_answer,
    request_ask,
    request_decline,
    request_email_text,
    request_question,
    request_withdraw,
)
from .direction import (
    attendance_record,
    case_end_early,
    case_event_record,
    deadlines_refresh_for_school,
    extension_grant,
    milestone_done_record,
    missing_sign_offs,
    sign_off_record,
)
from .fair_access import fair_access_publish, fair_access_refresh_all
from .other_council import (
    CalendarFileError,
    OtherCouncilAnswers,
    other_council_record_save,
)
from .outcome import outcome_record, outcome_told_record, outcomes_allowed
from .people import CASE_PERMISSIONS, case_person_add, case_person_remove, no_one_with_that_email
from .referral import (
    Referral,
    can_confirm_out_of_year_group,
    case_open,
    referral_draft_discard,
    referral_draft_save,
    referral_draft_start,
    referral_protocol,
    referral_submit,
)
from .versions import case_version_move

__all__ = [
    "CalendarFileError",
    "OtherCouncilAnswers",
    "other_council_record_save",
    "CASE_PERMISSIONS",
    "COMMITMENT_STAGES",
    "CaseworkError",
    "CrossAuthorityRequest",
    "Change",
    "ConcurrentEditError",
    "Referral",
    "attendance_record",
    "fair_access_publish",
    "fair_access_refresh_all",
    "case_version_move",
    "case_end_early",
    "case_event_record",
    "case_open",
    "case_person_add",
    "case_person_remove",
    "case_view_record",
    "commitment_add",
    "commitment_change",
    "deadlines_refresh",
    "deadlines_refresh_for_school",
    "extension_grant",
    "form_draft_start",
    "form_page_save",
    "form_submit",
    "milestone_done_record",
    "missing_sign_offs",
    "no_one_with_that_email",
    "outcome_record",
    "outcome_told_record",
    "outcomes_allowed",
    "referral_draft_discard",
    "referral_draft_save",
    "referral_draft_start",
    "referral_protocol",
    "referral_submit",
    "can_confirm_out_of_year_group",
    "sign_off_record",
    "accepted_school_ids",
    "request_accept",
    "request_answer",
    "request_ask",
    "request_decline",
    "request_email_text",
    "request_question",
    "request_withdraw",
]
