"""Publishing a council's Fair Access figures on its guidance site, and the nightly refresh.

Case work counts and suppresses the figures (`casework.fair_access`) and hands cms the result as
plain data; cms stores and renders it and never reads a case.
"""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from cms import services as cms_services
from cms.models import FairAccessData, FairAccessDataPage
from tenants import access as tenant_access
from tenants import services as tenant_services
from tenants.models import AuditEvent, Council, User

from .. import fair_access
from ._base import CaseworkError


@transaction.atomic
def fair_access_publish(
    *,
    council: Council,
    published_by: User,
    route_question: str = "",
    request: HttpRequest | None = None,
) -> FairAccessDataPage | None:
    """Count the council's figures now and publish them (first time, or again with another route
    question). Only a council admin of `council` may; it goes in the council's audit log."""
    if council.pk not in tenant_access.admin_council_ids_for(published_by):
        raise CaseworkError(
            _("Only a council admin of %(council)s can publish its figures.")
            % {"council": council.name}
        )
    choices = {c.value: c for c in fair_access.route_choices(council=council)}
    if route_question and route_question not in choices:
        raise CaseworkError(
            _("Select a question of the council's protocol from the list"), field="route"
        )
    figures = fair_access.fair_access_snapshot(council=council, route_question=route_question)
    page = cms_services.fair_access_data_publish(
        council=council, figures=figures, now=timezone.now()
    )
    tenant_services.audit_record(
        actor=published_by,
        council=council,
        action=AuditEvent.Action.RECORD_CHANGED,
        object_type="fair_access_data",
        summary=_("Fair Access figures published (%(years)s academic years; route: %(route)s)")
        % {
            "years": len(figures["years"]),
            "route": choices[route_question].label if route_question else _("not shown"),
        },
        request=request,
    )
    return page


def fair_access_refresh_all() -> int:
    """Re-count the figures of every council that has published them (the nightly task), with
    the route question its council admin chose; returns how many councils were refreshed."""
    refreshed = 0
    for data in FairAccessData.objects.select_related("council"):
        figures = fair_access.fair_access_snapshot(
            council=data.council, route_question=str(data.figures.get("route_question", ""))
        )
        with transaction.atomic():
            refreshed += cms_services.fair_access_data_refresh(
                council=data.council, figures=figures, now=timezone.now()
            )
    return refreshed
