"""The off-site direction's steps: the first day and other events, sign-offs, attendance, an
extension, ending early, marking a milestone done."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import access, contract, dates, forms, roles, selectors, services, writes
from ..models import Stage
from ._common import (
    _choice_page_view,
    _int,
    _person,
    _step_refused,
    _version,
    step_page,
)


@login_required
def event_record(request: HttpRequest, case_id: int) -> HttpResponse:
    user = _person(request)
    case = access.access_case_by_id(user=user, case_id=case_id, for_change=True)
    protocol = case.protocol_version.load()
    # The event asked for, when it is one of the case page's: its stage decides (an event after
    # the decision is recorded on a closed case too).
    asked = request.POST.get("event_key") or request.GET.get("event")
    offered = {e.key for e in selectors.recordable_events(protocol=protocol)}
    refused = _step_refused(
        request, user, case, writes.Write.EVENT, asked if asked in offered else None
    )
    if refused:
        return refused
    permits = writes.permits_for(user=user, case=case)
    choices = (
        [
            (
                contract.START.key,
                _("First day at the receiving school (the off-site direction starts)"),
            )
        ]
        if case.stage == Stage.AGREEMENT
        else []
    )
    choices += [(e.key, e.label) for e in selectors.recordable_events(protocol=protocol)]
    choices = [
        c
        for c in choices
        if permits.allows(protocol, writes.Write.EVENT, c[0])
        and not writes.stage_refusal(
            case=case, protocol=protocol, write=writes.Write.EVENT, key=c[0]
        )
    ]
    if not choices:
        raise writes.RoleRefused(_("No case found."))
    initial = {"version": case.version, "event_key": request.GET.get("event")}
    if case.start_date and case.stage == Stage.AGREEMENT:
        initial["day"] = case.start_date.isoformat()
    form = forms.EventForm(request.POST or None, events=choices, initial=initial)

    def save() -> str:
        services.case_event_record(
            case=case,
            event_key=form.cleaned_data["event_key"],
            day=form.cleaned_data["day"],
            note=form.cleaned_data.get("note") or "",
            recorded_by=user,
            expected_version=_version(form),
            request=request,
        )
        return _("Recorded: %(what)s on %(day)s") % {
            "what": dict(choices).get(form.cleaned_data["event_key"], ""),
            "day": dates.day_text(form.cleaned_data["day"]),
        }

    return step_page(request, case, form, context={"title": _("Record what happened")}, save=save)


@login_required
def sign_off(request: HttpRequest, case_id: int, sign_off_key: str) -> HttpResponse:
    user = _person(request)
    case = access.access_case_by_id(user=user, case_id=case_id, for_change=True)
    protocol = case.protocol_version.load()
    definition = next((s for s in protocol.sign_offs if s.key == sign_off_key), None)
    if definition is None:
        raise Http404(_("No sign-off found."))
    # Only the roles this person signs for, or may record on someone's behalf; asking for another
    # role's page answers 404 before anything about the case's stage is said.
    permits = writes.permits_for(user=user, case=case)
    signable = [
        (r, roles.label_of(protocol, r))
        for r in definition.roles
        if permits.allows(protocol, writes.Write.SIGN_OFF, r)
    ]
    asked_for = request.POST.get("role_key") or request.GET.get("role")
    if not signable or (asked_for in definition.roles and asked_for not in dict(signable)):
        raise writes.RoleRefused(_("No case found."))
    refused = _step_refused(request, user, case, writes.Write.SIGN_OFF, signable[0][0])
    if refused:
        return refused
    stage_refusal = writes.sign_off_stage_refusal(case=case, sign_off=definition)
    if stage_refusal:
        messages.error(request, stage_refusal)
        return redirect("casework:case_detail", case_id=case.pk)
    initial = {
        "version": case.version,
        "role_key": request.GET.get("role"),
        "signed_on": timezone.localdate().isoformat(),
    }
    form = forms.SignOffForm(request.POST or None, roles=signable, initial=initial)

    def save() -> str:
        services.sign_off_record(
            case=case,
            sign_off_key=sign_off_key,
            role_key=form.cleaned_data["role_key"],
            signed_by_name=form.cleaned_data["signed_by_name"],
            signed_on=form.cleaned_data["signed_on"],
            recorded_by=user,
            expected_version=_version(form),
            request=request,
        )
        return _("%(label)s: signed by %(name)s for %(role)s on %(day)s") % {
            "label": definition.label,
            "name": form.cleaned_data["signed_by_name"],
            "role": roles.label_of(protocol, form.cleaned_data["role_key"]),
            "day": dates.day_text(form.cleaned_data["signed_on"]),
        }

    return step_page(request, case, form, context={"title": definition.label}, save=save)


@login_required
def attendance(request: HttpRequest, case_id: int) -> HttpResponse:
    user = _person(request)
    case = access.access_case_by_id(user=user, case_id=case_id, for_change=True)
    refused = _step_refused(request, user, case, writes.Write.ATTENDANCE)
    if refused:
        return refused
    weeks = selectors.attendance_weeks_offered(case=case, today=dates.current_day())
    form = forms.AttendanceForm(
        request.POST or None,
        weeks=weeks,
        initial={"version": case.version, "sessions_possible": 10},
    )

    def save() -> str:
        services.attendance_record(
            case=case,
            week_beginning=form.cleaned_data["week_beginning"],
            sessions_possible=form.cleaned_data["sessions_possible"],
            sessions_attended=form.cleaned_data["sessions_attended"],
            note=form.cleaned_data.get("note") or "",
            recorded_by=user,
            expected_version=_version(form),
            request=request,
        )
        return _("Attendance recorded for the week beginning %(day)s: %(a)s of %(p)s sessions") % {
            "day": dates.day_text(form.cleaned_data["week_beginning"]),
            "a": form.cleaned_data["sessions_attended"],
            "p": form.cleaned_data["sessions_possible"],
        }

    context: dict[str, Any] = {"title": _("Record a week's attendance")}
    if not weeks:
        context["guidance"] = [
            _("No week of the off-site direction has ended yet: come back after its first Friday.")
        ]
    return step_page(request, case, form, context=context, save=save)


@login_required
def extension(request: HttpRequest, case_id: int) -> HttpResponse:
    user = _person(request)
    case = access.access_case_by_id(user=user, case_id=case_id, for_change=True)
    protocol = case.protocol_version.load()
    if not protocol.extensions:
        raise Http404(_("This protocol has no extensions."))
    refused = _step_refused(request, user, case, writes.Write.EXTENSION, protocol.extensions[0].key)
    if refused:
        return refused
    extensions = [
        (
            e.key,
            f"{e.label} ({_('up to %(n)s school weeks') % {'n': e.up_to_school_weeks}})"
            if e.up_to_school_weeks is not None
            else f"{e.label} ({_('no maximum: give the reason')})",
        )
        for e in protocol.extensions
    ]
    role_keys: list[str] = []
    for e in protocol.extensions:
        role_keys += [r for r in e.approvals if r not in role_keys]
    approving = [(r, roles.label_of(protocol, r)) for r in role_keys]
    initial = {"version": case.version, "granted_on": timezone.localdate().isoformat()}
    if len(extensions) == 1:
        initial["extension_key"] = extensions[0][0]
    form = forms.ExtensionForm(
        request.POST or None, extensions=extensions, roles=approving, initial=initial
    )

    def save() -> None:  # the banner says what `success` says
        services.extension_grant(
            case=case,
            extension_key=form.cleaned_data["extension_key"],
            school_weeks=form.cleaned_data["school_weeks"],
            approvals=form.cleaned_data.get("approvals") or [],
            reasons=form.cleaned_data["reasons"],
            granted_on=form.cleaned_data["granted_on"],
            granted_by=user,
            expected_version=_version(form),
            request=request,
        )

    return step_page(
        request,
        case,
        form,
        context={
            "title": _("Extend the off-site direction"),
            "guidance": [e.when for e in protocol.extensions if e.when],
        },
        save=save,
        success=_("Extension granted; the timeline has been re-dated."),
    )


@login_required
def end_early(request: HttpRequest, case_id: int) -> HttpResponse:
    user = _person(request)
    case = access.access_case_by_id(user=user, case_id=case_id, for_change=True)
    protocol = case.protocol_version.load()
    refused = _step_refused(request, user, case, writes.Write.END_EARLY)
    if refused:
        return refused
    choices = [(r.key, r.label) for r in protocol.end_rules if r.effect == "ends_trial"]

    def act(key: str, decided_on: date, answers: dict[str, Any], version: int) -> None:
        services.case_end_early(
            case=case,
            end_rule_key=key,
            decided_on=decided_on,
            reasons=str(answers.get(contract.EARLY_END_REASONS.key, "")),
            answers=answers,
            ended_by=user,
            expected_version=version,
            request=request,
        )

    return _choice_page_view(
        request,
        case=case,
        protocol=protocol,
        form_key=contract.EARLY_END.key,
        choice_name="end_rule_key",
        choice_label=_("Why is the off-site direction ending?"),
        choices=choices,
        title=_("End the off-site direction early"),
        said=_("The off-site direction has ended early"),
        act=act,
    )


@login_required
@require_POST
def milestone_done(request: HttpRequest, case_id: int, milestone_key: str) -> HttpResponse:
    user = _person(request)
    case = access.access_case_by_id(user=user, case_id=case_id, for_change=True)
    try:
        services.milestone_done_record(
            case=case,
            milestone_key=milestone_key,
            done_on=timezone.localdate(),
            recorded_by=user,
            expected_version=_int(request.POST.get("version")) or 0,
            request=request,
        )
        protocol = case.protocol_version.load()
        base_key = milestone_key.split(".")[0]
        label = next((m.label for m in protocol.milestones if m.key == base_key), milestone_key)
        messages.success(request, _("Marked as done: %(label)s") % {"label": label})
    except services.ConcurrentEditError:
        messages.error(
            request, _("Someone else changed this case; check the timeline and try again.")
        )
    except services.CaseworkError as error:
        messages.error(request, error.message)
    return redirect(reverse("casework:case_detail", kwargs={"case_id": case.pk}) + "#timeline")
