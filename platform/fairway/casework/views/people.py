"""Who can see a case: named people added to it, and removing them."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tenants.models import User

from .. import access, forms, selectors, services
from ._common import _person


@login_required
def case_people(request: HttpRequest, case_id: int) -> HttpResponse:
    user = _person(request)
    case = access.access_case_by_id(user=user, case_id=case_id, for_change=False)
    may_manage = access.can_manage_people(user=user, case=case)
    form = forms.CasePersonForm(request.POST or None) if may_manage else None
    context: dict[str, Any] = {}
    if request.method == "POST":
        if form is None:
            raise Http404(_("No case found."))
        if form.is_valid():
            person = User.objects.filter(email__iexact=form.cleaned_data["email"]).first()
            if person is None:
                form.add_error("email", services.no_one_with_that_email(case))
            else:
                try:
                    services.case_person_add(
                        case=case,
                        person=person,
                        access_level=form.cleaned_data["access_level"],
                        added_by=user,
                        request=request,
                    )
                except services.CaseworkError as error:
                    form.add_error(
                        error.field if error.field in form.fields else None, error.message
                    )
                else:
                    messages.success(
                        request,
                        _("%(person)s has been added to the case.")
                        % {"person": person.get_full_name() or person.email},
                    )
                    return redirect("casework:case_people", case_id=case.pk)
    return render(
        request,
        "casework/case_people.html",
        {
            "case": case,
            "people": selectors.case_people(case=case),
            "form": form,
            "may_manage": may_manage,
            **context,
        },
    )


@login_required
@require_POST
def case_person_remove(request: HttpRequest, case_id: int, person_id: int) -> HttpResponse:
    user = _person(request)
    case = access.access_case_by_id(user=user, case_id=case_id, for_change=False)
    if not access.can_manage_people(user=user, case=case):
        raise Http404(_("No case found."))
    # Only someone added to this case by name can be removed from it.
    person = User.objects.filter(
        pk=person_id, caseuserobjectpermission__content_object=case
    ).first()
    if person is None:
        raise Http404(_("No person found."))
    services.case_person_remove(case=case, person=person, removed_by=user, request=request)
    messages.success(
        request,
        _("%(person)s no longer has access to this case.")
        % {"person": person.get_full_name() or person.email},
    )
    return redirect("casework:case_people", case_id=case.pk)
