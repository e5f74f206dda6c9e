"""Recording the outcome, which closes the case."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from .. import access, contract, services, writes
from ._common import _choice_page_view, _person, _step_refused


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
