"""The pupil's targets and each agency's commitments."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from protocols.core.model import Protocol

from .. import access, forms, selectors, services, writes
from ..models import Commitment
from ._common import _person, _render_step, _show_error, _step_refused, _version


def _commitment_roles(protocol: Protocol) -> list[tuple[str, str]]:
    return [(r.key, r.label) for r in protocol.roles]


@login_required
def commitments(request: HttpRequest, case_id: int) -> HttpResponse:
    """The case's targets and commitments, with every earlier wording (printable)."""
    user = _person(request)
    case = access.access_case_by_id(user=user, case_id=case_id, for_change=False)
    protocol = case.protocol_version.load()
    services.case_view_record(
        case=case, viewed_by=user, request=request, what=_("targets and commitments viewed")
    )
    return render(
        request,
        "casework/commitments.html",
        {
            "case": case,
            "protocol": protocol,
            "rows": selectors.commitment_rows(case=case, protocol=protocol),
            "can_change": access.can_change(user=user, case=case)
            and case.stage in services.COMMITMENT_STAGES,
            "guidance": next(
                (s.guidance for s in protocol.stages if s.key == "off_site_direction"), ""
            ),
        },
    )


@login_required
def commitment_add(request: HttpRequest, case_id: int) -> HttpResponse:
    user = _person(request)
    case = access.access_case_by_id(user=user, case_id=case_id, for_change=True)
    refused = _step_refused(request, user, case, writes.Write.COMMITMENT)
    if refused:
        return refused
    protocol = case.protocol_version.load()
    form = forms.CommitmentForm(
        request.POST or None,
        roles=_commitment_roles(protocol),
        initial={
            "version": case.version,
            "kind": request.GET.get("kind"),
            "agreed_on": timezone.localdate().isoformat(),
        },
    )
    context: dict[str, Any] = {"title": _("Add a target or commitment")}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.commitment_add(
                case=case,
                kind=data["kind"],
                role_key=data["role_key"],
                named=data.get("named") or "",
                text=data["text"],
                agreed_on=data["agreed_on"],
                agreed_with=data.get("agreed_with") or "",
                added_by=user,
                expected_version=_version(form),
                request=request,
            )
        except services.CaseworkError as error:
            _show_error(error, form=form, context=context, case=case)
        else:
            messages.success(
                request,
                _("Target added") if data["kind"] == "target" else _("Commitment added"),
            )
            return redirect("casework:commitments", case_id=case.pk)
    return _render_step(request, case, "casework/step.html", form, **context)


@login_required
def commitment_change(request: HttpRequest, case_id: int, commitment_id: int) -> HttpResponse:
    user = _person(request)
    case = access.access_case_by_id(user=user, case_id=case_id, for_change=True)
    commitment = Commitment.objects.filter(case=case, pk=commitment_id).first()
    if commitment is None:
        raise Http404(_("No target or commitment found."))
    refused = _step_refused(request, user, case, writes.Write.COMMITMENT)
    if refused:
        return refused
    form = forms.CommitmentChangeForm(
        request.POST or None,
        statuses=[(str(value), str(label)) for value, label in Commitment.Status.choices],
        initial={
            "version": commitment.version,
            "text": commitment.text,
            "status": commitment.status,
            "agreed_on": timezone.localdate().isoformat(),
            "agreed_with": commitment.agreed_with,
        },
    )
    context: dict[str, Any] = {
        "title": _("Change a target or commitment"),
        "guidance": [_("Now: %(text)s") % {"text": commitment.text}],
    }
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.commitment_change(
                commitment=commitment,
                text=data["text"],
                status=data["status"],
                agreed_on=data["agreed_on"],
                agreed_with=data.get("agreed_with") or "",
                reason=data["reason"],
                changed_by=user,
                expected_version=_version(form),
                request=request,
            )
        except services.CaseworkError as error:
            _show_error(
                error,
                form=form,
                context=context,
                case=case,
                current_version=lambda: Commitment.objects.get(pk=commitment.pk).version,
            )
        else:
            messages.success(request, _("Change saved: the earlier wording is kept in the history"))
            return redirect("casework:commitments", case_id=case.pk)
    return _render_step(request, case, "casework/step.html", form, **context)
