"""A council admin downloads everything held on one pupil (a subject access request)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tenants import access as tenant_access

from .. import services, subject_access
from ._common import _person


class SubjectAccessForm(forms.Form):
    upn = forms.CharField(
        label=gettext_lazy("Pupil's UPN (unique pupil number)"),
        help_text=gettext_lazy("13 characters, for example A123456789012"),
        max_length=13,
        error_messages={"required": gettext_lazy("Enter the pupil's UPN")},
    )


@login_required
def subject_access_view(request: HttpRequest, council_slug: str) -> HttpResponse:
    user = _person(request)
    council = tenant_access.access_council_by_slug(user=user, slug=council_slug, for_admin=True)
    form = SubjectAccessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        upn = form.cleaned_data["upn"]
        cases = subject_access.pupil_cases(council=council, upn=upn)
        if not cases:
            form.add_error(
                "upn",
                _("%(council)s holds no case with this UPN") % {"council": council.name},
            )
        else:
            archive = subject_access.pupil_archive(council=council, upn=upn, cases=cases)
            for case in cases:
                services.case_view_record(
                    case=case,
                    viewed_by=user,
                    request=request,
                    what=_("Everything held on the pupil downloaded (subject access request)"),
                )
            response = HttpResponse(archive, content_type="application/zip")
            response["Content-Disposition"] = content_disposition_header(
                as_attachment=True,
                filename=f"subject-access-{council.slug}-{timezone.localdate():%Y-%m-%d}.zip",
            )
            response["Cache-Control"] = "no-store"
            return response
    return render(request, "casework/subject_access.html", {"council": council, "form": form})
