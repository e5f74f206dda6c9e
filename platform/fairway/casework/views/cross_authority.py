"""Requests to another council: "Ask another council" from a case, "Requests from other councils",
and a request's page with its steps (accept, decline, a question, an answer, withdraw). A request
page shows no pupil's name to anyone: the other council has not taken on the case."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from fairway.errors import show_on_form
from protocols.models import ProtocolVersion
from tenants.models import Council, School

from .. import access, selectors, services, writes
from ..forms.cross_authority import (
    RequestAcceptForm,
    RequestAskForm,
    RequestDeclineForm,
    RequestTextForm,
    RequestWithdrawForm,
)
from ..models import CrossAuthorityRequest
from ._common import _person

RequestWrite = writes.RequestWrite


def _school_groups(case: Any) -> list[tuple[str, list[tuple[str, str]]]]:
    """Schools of the pupil's phase in the other councils on Fairway, grouped by council."""
    groups: list[tuple[str, list[tuple[str, str]]]] = []
    councils = [
        c
        for c in Council.objects.exclude(pk=case.home_council_id).order_by("name")
        if selectors.council_on_fairway(council=c)
    ]
    for council in councils:
        schools = School.objects.filter(council=council, phase=case.home_school.phase).order_by(
            "name"
        )
        if schools:
            groups.append(
                (council.name, [(str(s.pk), f"{s.name} ({s.postcode})") for s in schools])
            )
    return groups


def _protocol_options(case: Any, form_data: Any) -> list[ProtocolVersion]:
    """The case's protocol, and the chosen school's council's in force on the proposed day."""
    options = [case.protocol_version]
    school_id = (form_data or {}).get("school", "")
    school = School.objects.filter(pk=int(school_id)).first() if school_id.isdigit() else None
    if school is not None:
        options = selectors.protocol_choices(
            case=case, council=school.council, on=timezone.localdate()
        )
    else:
        for council in Council.objects.exclude(pk=case.home_council_id):
            for version in selectors.protocol_choices(
                case=case, council=council, on=timezone.localdate()
            ):
                if version not in options:
                    options.append(version)
    return options


@login_required
def request_new(request: HttpRequest, case_id: int) -> HttpResponse:
    """ "Ask another council": the case's home side proposes another council's school."""
    user = _person(request)
    case = access.access_case_by_id(user=user, case_id=case_id, for_change=True)
    if not selectors.may_ask(user=user, case=case):
        messages.error(
            request,
            _("Another council can be asked only before the agreement with a receiving school."),
        )
        return redirect("casework:case_detail", case_id=case.pk)
    protocols = _protocol_options(case, request.POST or None)
    form = RequestAskForm(
        request.POST or None,
        schools=_school_groups(case),
        protocols=[
            (str(p.pk), f"{p.council.name}: {p.title} (version {p.version})") for p in protocols
        ],
        initial={"proposed_protocol": str(case.protocol_version_id), "proposed_weeks": 8},
    )
    context: dict[str, Any] = {"case": case}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = services.request_ask(
                case=case,
                school=School.objects.select_related("council").get(pk=int(data["school"])),
                reasons_summary=data["reasons_summary"],
                proposed_start=data["proposed_start"],
                proposed_weeks=data["proposed_weeks"],
                proposed_protocol=ProtocolVersion.objects.get(pk=int(data["proposed_protocol"])),
                asked_by=user,
                http_request=request,
            )
        except services.CaseworkError as error:
            show_on_form(error, form=form, context=context)
        else:
            messages.success(
                request,
                _("Request %(ref)s sent to %(council)s.")
                % {"ref": made.reference, "council": made.other_council.name},
            )
            return redirect("casework:request_detail", request_id=made.pk)
    return render(request, "casework/request_new.html", {**context, "form": form})


@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    """Requests from other councils (to decide), and the requests the person's side sent."""
    user = _person(request)
    lists = selectors.request_lists(user=user)
    return render(
        request,
        "casework/request_list.html",
        {"received": lists.received, "sent": lists.sent, "section": "requests"},
    )


def _sides(user: Any, move_request: CrossAuthorityRequest) -> frozenset[str]:
    return writes.request_sides(user=user, request=move_request)


@login_required
def request_detail(request: HttpRequest, request_id: int) -> HttpResponse:
    user = _person(request)
    move_request = access.access_request_by_id(user=user, request_id=request_id)
    sides = _sides(user, move_request)
    return render(
        request,
        "casework/request_detail.html",
        {
            "move_request": move_request,
            "thread": list(move_request.messages.select_related("council", "written_by")),
            "home_side": "home" in sides,
            "other_side": "other" in sides,
            "section": "requests",
        },
    )


def _step(
    request: HttpRequest,
    request_id: int,
    *,
    write: RequestWrite,
    title: str,
    make_form: Callable[[CrossAuthorityRequest], Any],
    act: Callable[[CrossAuthorityRequest, Any], object],
    success: str,
    button: str,
) -> HttpResponse:
    """One step on a request: the write rule first (404 when the person is on the wrong side; back
    to the request with the reason when it is no longer waiting), then the form and the service."""
    user = _person(request)
    move_request = access.access_request_by_id(user=user, request_id=request_id)
    refusal = writes.request_refusal(user=user, request=move_request, write=write)
    if refusal:
        messages.error(request, refusal)
        return redirect("casework:request_detail", request_id=move_request.pk)
    form = make_form(move_request)
    context: dict[str, Any] = {}
    if request.method == "POST" and form.is_valid():
        try:
            act(move_request, form.cleaned_data)
        except services.CaseworkError as error:
            show_on_form(error, form=form, context=context)
        else:
            messages.success(request, success % {"ref": move_request.reference})
            return redirect("casework:request_detail", request_id=move_request.pk)
    return render(
        request,
        "casework/request_step.html",
        {
            **context,
            "move_request": move_request,
            "step_form": form,
            "title": title,
            "button": button,
            "section": "requests",
        },
    )


@login_required
def request_accept(request: HttpRequest, request_id: int) -> HttpResponse:
    user = _person(request)

    def make(move_request: CrossAuthorityRequest) -> Any:
        leads = selectors.lead_choices(move_request=move_request)
        return RequestAcceptForm(
            request.POST or None,
            leads=[(str(p.pk), p.get_full_name() or p.email) for p in leads],
            initial={"version": move_request.version, "lead": str(user.pk)},
        )

    def act(move_request: CrossAuthorityRequest, data: Any) -> None:
        lead = selectors.lead_choices(move_request=move_request).get(pk=int(data["lead"]))
        services.request_accept(
            move_request=move_request,
            lead=lead,
            accepted_by=user,
            expected_version=data["version"],
            http_request=request,
        )

    return _step(
        request,
        request_id,
        write=RequestWrite.ACCEPT,
        title=_("Accept the request"),
        make_form=make,
        act=act,
        success=_("You accepted request %(ref)s: the case is now shared with your council."),
        button=_("Accept and take on the move"),
    )


@login_required
def request_decline(request: HttpRequest, request_id: int) -> HttpResponse:
    user = _person(request)

    def act(move_request: CrossAuthorityRequest, data: Any) -> None:
        services.request_decline(
            move_request=move_request,
            reason=data["reason"],
            declined_by=user,
            expected_version=data["version"],
            http_request=request,
        )

    return _step(
        request,
        request_id,
        write=RequestWrite.DECLINE,
        title=_("Decline the request"),
        make_form=lambda r: RequestDeclineForm(
            request.POST or None, initial={"version": r.version}
        ),
        act=act,
        success=_("You declined request %(ref)s. The home council has been told."),
        button=_("Decline the request"),
    )


@login_required
def request_question(request: HttpRequest, request_id: int) -> HttpResponse:
    user = _person(request)
    return _step(
        request,
        request_id,
        write=RequestWrite.QUESTION,
        title=_("Ask the home council a question"),
        make_form=lambda r: RequestTextForm(
            request.POST or None,
            label=_("Your question"),
            hint=_("The home council answers it here; the request waits for your decision."),
            missing=_("Enter your question"),
        ),
        act=lambda r, data: services.request_question(
            move_request=r, text=data["text"], asked_by=user, http_request=request
        ),
        success=_("Your question on request %(ref)s has been sent."),
        button=_("Send the question"),
    )


@login_required
def request_answer(request: HttpRequest, request_id: int) -> HttpResponse:
    user = _person(request)
    return _step(
        request,
        request_id,
        write=RequestWrite.ANSWER,
        title=_("Answer the other council's question"),
        make_form=lambda r: RequestTextForm(
            request.POST or None,
            label=_("Your answer"),
            hint=_(
                "The other council reads this. Do not name the pupil or give their date of "
                "birth, UPN or address."
            ),
            missing=_("Enter your answer"),
        ),
        act=lambda r, data: services.request_answer(
            move_request=r, text=data["text"], answered_by=user, http_request=request
        ),
        success=_("Your answer on request %(ref)s has been sent."),
        button=_("Send the answer"),
    )


@login_required
def request_withdraw(request: HttpRequest, request_id: int) -> HttpResponse:
    user = _person(request)

    def act(move_request: CrossAuthorityRequest, data: Any) -> None:
        services.request_withdraw(
            move_request=move_request,
            withdrawn_by=user,
            expected_version=data["version"],
            http_request=request,
        )

    return _step(
        request,
        request_id,
        write=RequestWrite.WITHDRAW,
        title=_("Withdraw the request"),
        make_form=lambda r: RequestWithdrawForm(
            request.POST or None, initial={"version": r.version}
        ),
        act=act,
        success=_("You withdrew request %(ref)s. The other council has been told."),
        button=_("Withdraw the request"),
    )
