"""My cases, the case page and its history."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from tenants import access as tenant_access
from tenants.models import Partnership, School

from .. import access, roles, selectors, services
from ..models import Stage
from ._common import _int, _person
from .referral import _protocols_in_force

PAGE_SIZE = 50


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    user = _person(request)
    council_ids = tenant_access.council_ids_for(user)
    # Only schools on cases the person can read: never a council's (or England's) whole list.
    schools = list(selectors.case_filter_schools(fetched_by=user))
    partnerships = selectors.case_filter_partnerships(fetched_by=user, schools=schools)
    search = request.GET.get("q", "")[:100]
    status = request.GET.get("status", "")
    if status not in ("open", "closed", "all"):
        # A search with no status chosen looks through closed cases too: a closed case's pupil
        # is still found.
        status = "all" if search.strip() else "open"
    filters = selectors.CaseFilters(
        school_id=_int(request.GET.get("school")),
        partnership_id=_int(request.GET.get("partnership")),
        stage=request.GET.get("stage", "") if request.GET.get("stage") in Stage.values else "",
        search=search,
        status=status,
        include_view_only=request.GET.get("view_only") == "1",
        waiting_on_me=request.GET.get("mine") == "1",
    )
    # Only what a row shows (the list is the page staff open most; a case has thirty columns).
    # A column left out here and read by the template would cost a query a row: the query
    # count test at N and 2N cases catches it.
    cases = selectors.case_list(fetched_by=user, filters=filters).only(*_ROW_FIELDS)
    paginator = Paginator(cases, PAGE_SIZE)
    # Counted from indexes (the list's own .count() would read every case in the person's reach).
    paginator.count = selectors.case_list_count(fetched_by=user, filters=filters)
    page = paginator.get_page(request.GET.get("page"))
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
    # A search that finds nothing in the cases shown says how many match in the others, so a
    # closed case's pupil is never "not there".
    elsewhere = 0
    if not rows and filters.search.strip() and filters.status != "all" and not filters.stage:
        elsewhere = selectors.case_list(
            fetched_by=user, filters=dataclasses.replace(filters, status="all")
        ).count()
    everywhere = request.GET.copy()
    everywhere["status"] = "all"
    everywhere.pop("page", None)
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
            "school_options": _options(schools, chosen=filters.school_id),
            "partnership_options": _options(partnerships, chosen=filters.partnership_id),
            "elsewhere": elsewhere,
            "everywhere_query": everywhere.urlencode(),
            "statuses": [
                ("open", _("Open")),
                ("closed", _("Closed")),
                ("all", _("All")),
            ],
            "stages": selectors.stage_choices(protocols=_protocols_in_force(council_ids)),
            "today": timezone.localdate(),
            "can_refer": bool(tenant_access.school_ids_for(user))
            or bool(tenant_access.council_ids_for(user, roles=roles.CHANGE_COUNCIL_ROLES)),
        },
    )


_ROW_FIELDS = (
    "pupil_name",
    "year_group",
    "stage",
    "next_due",
    "next_due_label",
    "next_due_owner",
    "home_council_id",
    "receiving_council_id",
    "home_school__name",
    "receiving_school__name",
    "protocol_version__digest",
    "protocol_version__main_file",
)


def _options(items: Iterable[School | Partnership], *, chosen: int | None) -> SafeString:
    """A filter's <option>s, built here rather than by a template loop: a council's list holds
    hundreds of schools, and My cases is the page staff open most."""
    return mark_safe(  # noqa: S308 (ids are integers; names are escaped)
        "".join(
            f'<option value="{int(item.pk)}"{" selected" if item.pk == chosen else ""}>'
            f"{escape(item.name)}</option>"
            for item in items
        )
    )


@login_required
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    user = _person(request)
    case = access.access_case_by_id(user=user, case_id=case_id, for_change=False)
    services.case_view_record(case=case, viewed_by=user, request=request)
    return render(
        request, "casework/case_detail.html", selectors.case_page(case=case, viewed_by=user)
    )


@login_required
def case_history(request: HttpRequest, case_id: int) -> HttpResponse:
    user = _person(request)
    case = access.access_case_by_id(user=user, case_id=case_id, for_change=False)
    events = selectors.case_history(fetched_by=user, case=case).select_related("actor")
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "casework/case_history.html", {"case": case, "page": page})
