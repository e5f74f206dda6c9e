"""Recording the outcome, which closes the case."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from .. import access, contract, dates, forms, selectors, services, writes
from ._common import _choice_page_view, _person, _step_refused, _version, step_page


@login_required
def outcome(request: HttpRequest, case_id: int) -> HttpResponse:
    user = _person(request)
    case = access.access_case_by_id(user=user, case_id=case_id, for_change=True)
    protocol = case.protocol_version.load()
    refused = _step_refused(request, user, case, writes.Write.OUTCOME)
    if refused:
        return refused
    choices = [(o.key, o.label) for o in services.outcomes_allowed(case=case, protocol=protocol)]

    def act(key: str, decided_on: date, answers: dict[str, Any], version: int) -> None:
        services.outcome_record(
            case=case,
            outcome_key=key,
            decided_on=decided_on,
            reasons=str(answers.get(contract.DECISION_REASONS.key, "")),
            answers=answers,
            recorded_by=user,
            expected_version=version,
            request=request,
        )

    return _choice_page_view(
        request,
        case=case,
        protocol=protocol,
        form_key=contract.OUTCOME.key,
        choice_name="outcome_key",
        choice_label=_("What was decided?"),
        choices=choices,
        title=_("Record the outcome"),
        said=_("Outcome recorded"),
        act=act,
    )


@login_required
def outcome_told(request: HttpRequest, case_id: int) -> HttpResponse:
    """Record the day a parent or an agency (no Fairway account) was told of the outcome."""
    user = _person(request)
    case = access.access_case_by_id(user=user, case_id=case_id, for_change=True)
    protocol = case.protocol_version.load()
    refused = _step_refused(request, user, case, writes.Write.TOLD)
    if refused:
        return refused
    people = [
        (row.role_key, row.label)
        for row in selectors.outcome_people(case=case, protocol=protocol)
        if not row.emailed
    ]
    if not people:
        raise Http404(_("No one to record."))
    form = forms.ToldForm(
        request.POST or None,
        people=people,
        initial={"version": case.version, "role_key": request.GET.get("role")},
    )

    def save() -> str:
        services.outcome_told_record(
            case=case,
            role_key=form.cleaned_data["role_key"],
            told_on=form.cleaned_data["told_on"],
            recorded_by=user,
            expected_version=_version(form),
            request=request,
        )
        return _("Recorded: %(who)s told of the outcome on %(day)s") % {
            "who": dict(people)[form.cleaned_data["role_key"]],
            "day": dates.day_text(form.cleaned_data["told_on"]),
        }

    return step_page(
        request, case, form, context={"title": _("Record when they were told")}, save=save
    )
