"""Council admin pages case work adds to the protocol pages: every form of a draft as staff will
see it, and moving chosen open cases to a newer version (preview first, then the move)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from fairway.errors import FairwayError
from protocols import selectors as protocol_selectors
from tenants import access as tenant_access

from .. import forms, selectors, services
from ._common import _person


@login_required
def draft_forms_preview(request: HttpRequest, council_slug: str, draft_id: int) -> HttpResponse:
    """Every page of every form of a draft, as case work renders it for staff (read-only)."""
    user = _person(request)
    council = tenant_access.access_council_by_slug(user=user, slug=council_slug, for_admin=True)
    draft = protocol_selectors.access_draft(council=council, draft_id=draft_id)
    protocol = protocol_selectors.draft_protocol(draft=draft)
    shown = []
    for form in protocol.forms if protocol is not None else ():
        pages = []
        for page in form.pages:
            page_form = forms.ProtocolPageForm(
                page=page,
                known={},
                schools=forms.SchoolScope(council=council),
                prefix=f"{form.key}-{page.key}",  # one page holds every form: ids stay unique
            )
            for field in page_form.fields.values():
                field.disabled = True
            pages.append((page, page_form))
        shown.append((form, pages))
    return render(
        request,
        "casework/draft_forms_preview.html",
        {"council": council, "section": "calendars", "draft": draft, "forms": shown},
    )


@login_required
def version_move(request: HttpRequest, council_slug: str, version_id: int) -> HttpResponse:
    """Choose open cases on earlier versions, see what would change for each, then move them."""
    user = _person(request)
    council = tenant_access.access_council_by_slug(user=user, slug=council_slug, for_admin=True)
    version = protocol_selectors.access_version(council=council, version_id=version_id)
    candidates = selectors.cases_to_move(to_version=version)
    by_id = {case.pk: case for case in candidates}
    if request.method == "POST":
        chosen = [by_id[i] for i in _ids(request.POST.getlist("case")) if i in by_id]
        moved, refused = [], []
        for case in chosen:
            seen = request.POST.get(f"version-{case.pk}")
            try:
                services.case_version_move(
                    case=case,
                    to_version=version,
                    expected_version=int(seen) if seen and seen.isdigit() else None,
                    moved_by=user,
                    request=request,
                )
            except FairwayError as error:
                refused.append(error.message)
            else:
                moved.append(case.reference)
        if moved:
            messages.success(
                request,
                _("Moved to version %(n)s: %(cases)s.")
                % {"n": version.version, "cases": ", ".join(moved)},
            )
        for reason in refused:
            messages.error(request, reason)
        if not chosen:
            messages.error(request, _("Choose the cases to move."))
        return redirect("casework:version_move", council_slug=council.slug, version_id=version.pk)
    chosen_ids = _ids(request.GET.getlist("case"))
    previews = [
        selectors.case_move_preview(case=by_id[i], to_version=version)
        for i in chosen_ids
        if i in by_id
    ]
    nothing_chosen = "case" not in request.GET and "preview" in request.GET
    return render(
        request,
        "casework/version_move.html",
        {
            "council": council,
            "section": "calendars",
            "version": version,
            "candidates": candidates,
            "chosen": set(chosen_ids),
            "previews": previews,
            "movable": [p for p in previews if p.fits],
            "error": _("Choose the cases to move.") if nothing_chosen else "",
        },
    )


def _ids(values: list[str]) -> list[int]:
    return [int(v) for v in values if v.isdigit()]
