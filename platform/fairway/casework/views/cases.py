"""My cases, the case page and its history."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from protocols.core.model import Milestone, Protocol
from tenants import access as tenant_access
from tenants.models import Partnership

from .. import access, contract, roles, selectors, services, writes
from ..models import Case, FormSubmission, Outcome, Stage
from ._common import _int, _person
from .referral import _protocols_in_force

PAGE_SIZE = 50


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    user = _person(request)
    council_ids = tenant_access.council_ids_for(user)
    # Only schools on cases the person can read: never a council's (or England's) whole list.
    schools = selectors.case_filter_schools(fetched_by=user)
    partnerships = Partnership.objects.filter(council_id__in=council_ids).order_by("name")
    filters = selectors.CaseFilters(
        school_id=_int(request.GET.get("school")),
        partnership_id=_int(request.GET.get("partnership")),
        stage=request.GET.get("stage", "") if request.GET.get("stage") in Stage.values else "",
        search=request.GET.get("q", "")[:100],
        include_view_only=request.GET.get("view_only") == "1",
        waiting_on_me=request.GET.get("mine") == "1",
    )
    cases = selectors.case_list(fetched_by=user, filters=filters)
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    # Each case's stage and next owner in its own protocol's words (protocols are cached).
    rows = []
    for case in page.object_list:
        protocol = case.protocol_version.load()
        owner = roles.label_of(protocol, case.next_due_owner) if case.next_due_owner else ""
        rows.append(
            {
                "case": case,
                "stage": selectors.protocol_stage_label(protocol=protocol, stage=case.stage),
                "owner": owner,
            }
        )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "casework/case_list.html",
        {
            "page": page,
            "rows": rows,
            "filters": filters,
            "query": query.urlencode(),
            "schools": schools,
            "partnerships": partnerships,
            "stages": selectors.stage_choices(protocols=_protocols_in_force(council_ids)),
            "today": timezone.localdate(),
            "can_refer": bool(tenant_access.school_ids_for(user))
            or bool(tenant_access.council_ids_for(user, roles=roles.CHANGE_COUNCIL_ROLES)),
        },
    )


def _case_for_page(case_id: int) -> Case:
    return (
        Case.objects.select_related(
            "home_council",
            "receiving_council",
            "home_school",
            "home_school__partnership",
            "receiving_school",
            "protocol_version",
        )
        .prefetch_related(
            "events",
            "extensions",
            "milestones_done",
            "attendance_weeks",
            "sign_offs",
            "commitments",
            Prefetch(
                "submissions", queryset=FormSubmission.objects.order_by("form_key", "occurrence")
            ),
        )
        .get(pk=case_id)
    )


def _milestone_write(milestone: Milestone) -> tuple[writes.Write, str | None]:
    """The write a timeline row's action makes: its form, attendance, the outcome, or "done"."""
    if milestone.form == contract.WEEKLY_ATTENDANCE.key:
        return writes.Write.ATTENDANCE, None
    if milestone.form == contract.OUTCOME.key:
        return writes.Write.OUTCOME, None
    if milestone.form == contract.EARLY_END.key:
        return writes.Write.END_EARLY, None
    if milestone.form:
        return writes.Write.FORM, milestone.form
    return writes.Write.MILESTONE, milestone.key


def _may(permits: writes.Permits, protocol: Protocol, case: Case) -> dict[str, Any]:
    """Which of the case page's actions this person may take now (their role and the case's
    stage): only those are offered."""

    def ok(write: writes.Write, key: str | None = None) -> bool:
        return permits.allows(protocol, write, key) and not writes.stage_refusal(
            case=case, protocol=protocol, write=write, key=key
        )

    extension = protocol.extensions[0].key if protocol.extensions else None
    return {
        "start": ok(writes.Write.EVENT, contract.START.key),
        "attendance": ok(writes.Write.ATTENDANCE),
        "extension": extension is not None and ok(writes.Write.EXTENSION, extension),
        "end_early": ok(writes.Write.END_EARLY),
        "outcome": ok(writes.Write.OUTCOME),
        "events": {e.key for e in protocol.events if ok(writes.Write.EVENT, e.key)},
        "milestones": {m.key for m in protocol.milestones if ok(*_milestone_write(m))},
    }


def _task_list(protocol: Protocol, case: Case, permits: writes.Permits) -> list[dict[str, Any]]:
    submissions: dict[str, list[FormSubmission]] = {}
    for submission in case.submissions.all():
        submissions.setdefault(submission.form_key, []).append(submission)
    tasks = []
    for form in protocol.forms:
        if form.key in (
            contract.REFERRAL.key,
            contract.OUTCOME.key,
            contract.EARLY_END.key,
            contract.WEEKLY_ATTENDANCE.key,
        ):
            continue  # these have their own steps on the case page
        done = [s for s in submissions.get(form.key, []) if s.is_submitted]
        draft = any(not s.is_submitted for s in submissions.get(form.key, []))
        status = (
            "completed"
            if done and not form.repeats
            else ("in_progress" if draft else "not_started")
        )
        if form.repeats and done and not draft:
            status = "repeating"
        tasks.append(
            {
                "form": form,
                "status": status,
                "done": done,
                # Offered only to those whose role fills it in (the others see it and its status).
                "url": reverse(
                    "casework:form_start", kwargs={"case_id": case.pk, "form_key": form.key}
                )
                if permits.allows(protocol, writes.Write.FORM, form.key)
                and not writes.stage_refusal(
                    case=case, protocol=protocol, write=writes.Write.FORM, key=form.key
                )
                else "",
            }
        )
    return tasks


@login_required
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    user = _person(request)
    access.access_case_by_id(user=user, case_id=case_id, for_change=False)
    case = _case_for_page(case_id)
    protocol = case.protocol_version.load()
    timeline = selectors.case_timeline(case=case)
    attendance = selectors.attendance_summary(case=case, protocol=protocol)
    services.case_view_record(case=case, viewed_by=user, request=request)
    signed = {(s.sign_off_key, s.role_key): s for s in case.sign_offs.all()}
    permits = writes.permits_for(user=user, case=case)
    sign_offs = [
        {
            "sign_off": sign_off,
            "roles": [
                {
                    "key": role,
                    "label": roles.label_of(protocol, role),
                    "signed": signed.get((sign_off.key, role)),
                    "note": selectors.signature_note(
                        recorder=signed[(sign_off.key, role)].on_behalf_of,
                        role_label=roles.label_of(protocol, role),
                    )
                    if (sign_off.key, role) in signed
                    else "",
                    "may_record": permits.allows(protocol, writes.Write.SIGN_OFF, role),
                }
                for role in sign_off.roles
            ],
        }
        for sign_off in protocol.sign_offs
    ]
    routes = [route for route in protocol.routes if getattr(case, route.flag, False) is True]
    outcome_record = Outcome.objects.filter(case=case).first()
    return render(
        request,
        "casework/case_detail.html",
        {
            "case": case,
            "protocol": protocol,
            "timeline": timeline,
            "calendar_differences": selectors.calendar_differences(case=case, timeline=timeline),
            "attendance": attendance,
            "tasks": _task_list(protocol, case, permits),
            "may": _may(permits, protocol, case),
            "sign_offs": sign_offs,
            "routes": routes,
            "stage_label": selectors.protocol_stage_label(protocol=protocol, stage=case.stage),
            "commitments": selectors.commitment_rows(case=case, protocol=protocol),
            "can_change": access.can_change(user=user, case=case),
            "events": [e for e in protocol.events if e.key == contract.PARENT_REVIEW_REQUEST.key],
            "outcome": outcome_record,
            # Roles the decision still has to be emailed to (the worker has not run yet).
            "outcome_waiting": [roles.label_of(protocol, r) for r in outcome_record.reported_to]
            if outcome_record and not outcome_record.reports
            else [],
            "outcome_label": next(
                (o.label for o in protocol.outcomes if o.key == case.outcome_key), ""
            ),
            "today": timezone.localdate(),
            "school_options": selectors.school_options(case=case)
            if case.stage in (Stage.REFERRAL, Stage.AGREEMENT)
            else None,
            "school_names": _school_names(case),
            "print_links": [
                {
                    "title": protocol.form(s.form_key).title
                    + (f" {s.occurrence}" if protocol.form(s.form_key).repeats else ""),
                    "url": reverse("casework:form_print", args=[case.pk, s.form_key, s.occurrence]),
                }
                for s in case.submissions.all()
                if s.is_submitted
                and s.form_key not in (contract.REFERRAL.key, contract.WEEKLY_ATTENDANCE.key)
                and any(f.key == s.form_key for f in protocol.forms)
            ],
        },
    )


def _school_names(case: Case) -> dict[int, str]:
    names = {case.home_school_id: case.home_school.name}
    if case.receiving_school is not None:
        names[case.receiving_school.pk] = case.receiving_school.name
    return names


@login_required
def case_history(request: HttpRequest, case_id: int) -> HttpResponse:
    user = _person(request)
    case = access.access_case_by_id(user=user, case_id=case_id, for_change=False)
    events = selectors.case_history(fetched_by=user, case=case).select_related("actor")
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "casework/case_history.html", {"case": case, "page": page})
