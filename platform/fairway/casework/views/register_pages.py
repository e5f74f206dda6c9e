"""The register of managed moves: the page, the partnership filter and the exports."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _

from tenants import access as tenant_access
from tenants import exports
from tenants import services as tenant_services
from tenants.models import AuditEvent, Council, User

from .. import forms, register
from ._common import _person


def _register_for(
    request: HttpRequest, user: User, council: Council
) -> tuple[forms.RegisterFilterForm, register.Register | None]:
    partnerships = register.register_partnerships(user=user, council=council)
    whole_council = council.pk in tenant_access.council_role_ids_for(user)
    versions = [v.load() for v in council.protocol_versions.all()]
    form = forms.RegisterFilterForm(
        request.GET or None,
        partnerships=[(p.pk, p.name) for p in partnerships],
        whole_council=whole_council,
        years=[
            (year, register.academic_year_label(year))
            for year in register.register_years(fetched_by=user, council=council)
        ],
        compare=[(c.value, c.label) for c in register.compare_choices(protocols=versions)],
    )
    if form.is_bound and not form.is_valid():
        return form, None
    partnership_id, year, compare = form.chosen()
    if not whole_council and partnership_id is None:
        return form, None  # a partnership officer whose partnerships have all gone
    return form, register.register_build(
        fetched_by=user,
        council=council,
        partnership=next((p for p in partnerships if p.pk == partnership_id), None),
        year=year,
        compare=compare,
        page_number=request.GET.get("page"),
    )


def _register_scope(built: register.Register) -> str:
    where = built.partnership.name if built.partnership else built.council.name
    return f"{where}, {built.year_label}"


@login_required
def register_index(request: HttpRequest) -> HttpResponse:
    """The register of the person's council, or a choice when they keep more than one."""
    councils = register.register_councils(user=_person(request))
    if not councils:
        raise Http404(_("No register found."))
    if len(councils) == 1:
        return redirect("casework:register", council_slug=councils[0].slug)
    return render(
        request, "casework/register_index.html", {"councils": councils, "section": "register"}
    )


@login_required
def register_view(request: HttpRequest, council_slug: str) -> HttpResponse:
    user = _person(request)
    council = register.access_register_council(user=user, council_slug=council_slug)
    form, built = _register_for(request, user, council)
    if built is not None:
        tenant_services.audit_record(
            actor=user,
            council=council,
            action=AuditEvent.Action.RECORD_VIEWED,
            object_type="register",
            summary=_("Register of managed moves viewed (%(scope)s, %(count)s moves)")
            % {"scope": _register_scope(built), "count": built.moves},
            request=request,
        )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "casework/register.html",
        {
            "council": council,
            "form": form,
            "register": built,
            "query": query.urlencode(),
            "section": "register",
        },
        status=200 if built is not None or not form.is_bound else 400,
    )


@login_required
def register_export(request: HttpRequest, council_slug: str, fmt: str) -> HttpResponse:
    user = _person(request)
    council = register.access_register_council(user=user, council_slug=council_slug)
    if fmt not in exports.FORMATS:
        raise Http404(_("No such export format."))
    form, built = _register_for(request, user, council)
    if built is None:
        return render(
            request,
            "casework/register.html",
            {"council": council, "form": form, "register": None, "section": "register"},
            status=400,
        )
    tenant_services.audit_record(
        actor=user,
        council=council,
        action=AuditEvent.Action.EXPORT,
        object_type="register",
        summary=_("Register of managed moves exported as %(fmt)s (%(scope)s, %(count)s moves)")
        % {"fmt": fmt.upper(), "scope": _register_scope(built), "count": built.moves},
        request=request,
    )
    sheets: list[exports.Sheet] = [
        (_("Register"), register.register_table(built, fetched_by=user)),
        (_("Demand per school"), register.demand_table(built)),
    ]
    slug = built.partnership.name if built.partnership else council.slug
    return exports.table_download(
        filename=f"fairway-register-{slugify(slug)}-{built.year_label.replace('/', '-')}",
        fmt=fmt,
        sheets=sheets,
    )
