"""Case work pages. Thin views: access function first, then form, then service or selector.

A package by what staff do; this module offers every name the single module did."""

from .case_forms import form_check, form_page, form_print, form_start, school_search
from .cases import PAGE_SIZE, case_detail, case_history, case_list
from .commitments import commitment_add, commitment_change, commitments
from .cross_authority import (
    request_accept,
    request_answer,
    request_decline,
    request_detail,
    request_list,
    request_new,
    request_question,
    request_withdraw,
)
from .direction import attendance, end_early, event_record, extension, milestone_done, sign_off
from .other_council import other_council
from .outcome import outcome, outcome_told
from .outcome_report_pages import outcome_report_view
from .people import case_people, case_person_remove
from .referral import case_new, referral_check, referral_discard, referral_page
from .register_pages import register_export, register_index, register_view
from .subject_access import subject_access_view
from .versions import draft_forms_preview, version_move

__all__ = [
    "PAGE_SIZE",
    "draft_forms_preview",
    "version_move",
    "attendance",
    "case_detail",
    "case_history",
    "case_list",
    "case_new",
    "case_people",
    "case_person_remove",
    "commitment_add",
    "commitment_change",
    "commitments",
    "end_early",
    "event_record",
    "extension",
    "form_check",
    "form_page",
    "form_print",
    "form_start",
    "milestone_done",
    "other_council",
    "outcome",
    "outcome_report_view",
    "outcome_told",
    "referral_check",
    "referral_discard",
    "referral_page",
    "register_export",
    "register_index",
    "register_view",
    "school_search",
    "subject_access_view",
    "sign_off",
    "request_accept",
    "request_answer",
    "request_decline",
    "request_detail",
    "request_list",
    "request_new",
    "request_question",
    "request_withdraw",
]
