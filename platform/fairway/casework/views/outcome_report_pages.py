"""The outcome report, beside the register: the same people, the same isolation."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from tenants import access as tenant_access
from tenants import services as tenant_services
from tenants.models import AuditEvent

from .. import forms, outcome_report, register
from ._common import _person


@login_required
def outcome_report_view(request: HttpRequest, council_slug: str) -> HttpResponse:
    user = _person(request)
    council = register.access_register_council(user=user, council_slug=council_slug)
    partnerships = register.register_partnerships(user=user, council=council)
    whole_council = council.pk in tenant_access.council_role_ids_for(user)
    today = timezone.localdate()
    form = forms.OutcomeReportForm(
        request.GET or None,
        partnerships=[(p.pk, p.name) for p in partnerships],
        whole_council=whole_council,
        routes=[(c.value, c.label) for c in outcome_report.route_choices(council=council)],
        default_dates=(date(register.academic_year_of(today), 9, 1), today),
    )
    context: dict[str, object] = {"council": council, "form": form, "section": "register"}
    if form.is_bound and not form.is_valid():
        return render(request, "casework/outcome_report.html", context, status=400)
    partnership_id, starts_on, ends_on, route = form.chosen()
    if not whole_council and partnership_id is None:
        return render(request, "casework/outcome_report.html", context)
    partnership = next((p for p in partnerships if p.pk == partnership_id), None)
    report = outcome_report.outcome_report_build(
        fetched_by=user,
        council=council,
        partnership=partnership,
        starts_on=starts_on,
        ends_on=ends_on,
        route_question=route,
    )
    tenant_services.audit_record(
        actor=user,
        council=council,
        action=AuditEvent.Action.RECORD_VIEWED,
        object_type="outcome_report",
        summary=_("Outcome report viewed (%(scope)s, %(starts)s to %(ends)s, %(count)s moves)")
        % {
            "scope": partnership.name if partnership else council.name,
            "starts": starts_on.isoformat(),
            "ends": ends_on.isoformat(),
            "count": report.moves,
        },
        request=request,
    )
    context["report"] = report
    return render(request, "casework/outcome_report.html", context)
