"""The council admin's Fair Access data page: preview the figures, choose the route question,
publish them on the council's guidance site (then the nightly task keeps them up to date)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cms.models import FairAccessData, FairAccessDataPage
from cms.selectors import figure_years
from fairway.errors import FairwayError, show_on_form
from tenants import access as tenant_access

from .. import fair_access, forms, services
from ._common import _person


@login_required
@require_http_methods(["GET", "POST"])
def fair_access_manage(request: HttpRequest, council_slug: str) -> HttpResponse:
    user = _person(request)
    council = tenant_access.access_council_by_slug(user=user, slug=council_slug, for_admin=True)
    published = FairAccessData.objects.filter(council=council).first()
    initial = str(published.figures.get("route_question", "")) if published else ""
    routes = [(c.value, c.label) for c in fair_access.route_choices(council=council)]
    data = request.POST if request.method == "POST" else (request.GET or None)
    form = forms.FairAccessPublishForm(data, routes=routes, initial_route=initial)
    context: dict[str, object] = {"council": council, "form": form, "section": "fair_access"}
    if form.is_bound and not form.is_valid():
        return render(request, "casework/fair_access_manage.html", context, status=400)
    if request.method == "POST":
        try:
            page = services.fair_access_publish(
                council=council, published_by=user, route_question=form.chosen(), request=request
            )
        except FairwayError as error:
            show_on_form(error, form=form, context=context)
            return render(request, "casework/fair_access_manage.html", context, status=400)
        messages.success(
            request,
            _("The figures are published on the council's guidance site.")
            if page
            else _(
                "The figures are published. The council has no guidance site yet, so no page "
                "shows them until it has one."
            ),
        )
        return redirect("fair_access:manage", council_slug=council.slug)
    snapshot = fair_access.fair_access_snapshot(council=council, route_question=form.chosen())
    context.update(
        years=figure_years(figures=snapshot),
        published=published,
        page=FairAccessDataPage.objects.live()
        .filter(path__startswith=council.guidance_home.path)
        .first()
        if hasattr(council, "guidance_home")
        else None,
    )
    return render(request, "casework/fair_access_manage.html", context)
