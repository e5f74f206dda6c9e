"""The guidance sites' sitemap, and a protocol draft's guidance pages as the public will see
them, for its council's admins only.

Nothing is published: the sections are rendered from the draft's protocol with the council
site's look, under a banner saying it is a preview. The pages go live when the version is
published (on its effective date, through Wagtail's scheduled publishing).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from cms.models import CouncilHomePage, ProtocolGuidancePage
from cms.selectors import guidance_preview_view
from protocols import selectors as protocol_selectors
from tenants import access
from tenants.models import User


def guidance_sitemap(request: HttpRequest) -> HttpResponse:
    """The sitemap of the guidance site the host name selects. A host that selects no site (and
    no default site is set) has no sitemap: 404, where Wagtail's own view would fail with 500."""
    from wagtail.contrib.sitemaps.views import sitemap
    from wagtail.models import Site

    if Site.find_for_request(request) is None:
        raise Http404
    response: HttpResponse = sitemap(request)
    return response


# "step-by-step" -> "step_by_step"; the overview has no path of its own.
SECTION_BY_PATH = {
    sub_path.rstrip("/") or "overview": name for name, sub_path, _t in ProtocolGuidancePage.SECTIONS
}
TEMPLATES = {name: template for name, _p, template in ProtocolGuidancePage.SECTIONS}


@login_required
def draft_guidance_preview(
    request: HttpRequest, council_slug: str, draft_id: int, section: str = "overview"
) -> HttpResponse:
    assert isinstance(request.user, User)
    council = access.access_council_by_slug(user=request.user, slug=council_slug, for_admin=True)
    draft = protocol_selectors.access_draft(council=council, draft_id=draft_id)
    name = SECTION_BY_PATH.get(section)
    if name is None:
        raise Http404("No such section.")
    protocol = protocol_selectors.draft_protocol(draft=draft)
    if protocol is None:
        raise Http404("The draft has problems, so it has no guidance to preview.")
    base = reverse("cms:draft_guidance_preview", args=[council.slug, draft.pk])
    view = guidance_preview_view(
        council_home=CouncilHomePage.objects.filter(council=council).first(),
        protocol=protocol,
        previous=draft.based_on,
        section=name,
        base_url=base,
    )
    context = {
        "page": {"title": protocol.title},
        "view": view,
        "council_home": view.council_home,
        "council": council,  # named in the text when the council has no guidance site yet
        "preview_back": reverse("protocols:draft_preview", args=[council.slug, draft.pk]),
    }
    return render(request, TEMPLATES[name], context)
