"""The case's protocol forms (the agreement, the notice, reviews, attendance returns): start, one
page at a time, check, print; and the school search their school questions use."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from protocols.core.model import Form
from tenants.models import User

from .. import access, contract, forms, selectors, services, writes
from ..models import Case, FormSubmission
from ._common import (
    PageStep,
    _case_schools,
    _conflict_context,
    _int,
    _person,
    _protocol_form,
    _step_refused,
    protocol_page,
)


def _form_for_writing(
    request: HttpRequest, user: User, case: Case, form_key: str
) -> tuple[Form, HttpResponse | None]:
    """The form, if this person may write it at the case's stage; else 404 (not their role, or a
    form only its own step writes) or the way back to the case page with the reason."""
    _protocol, form = _protocol_form(case, form_key)
    if form_key in writes.OWN_STEP_FORMS:
        raise Http404(_("No form found."))
    return form, _step_refused(request, user, case, writes.Write.FORM, form_key)


def _submission(case: Case, form_key: str, occurrence: int) -> FormSubmission:
    submission = FormSubmission.objects.filter(
        case=case, form_key=form_key, occurrence=occurrence
    ).first()
    if submission is None:
        raise Http404(_("No form found."))
    return submission


@login_required
def school_search(request: HttpRequest, case_id: int) -> JsonResponse:
    """GET ?q=: up to 20 of the case's home council's schools of the pupil's phase (not the home
    school) by name, URN or postcode, nearest the pupil's home first (JSON)."""
    user = _person(request)
    case = access.access_case_by_id(user=user, case_id=case_id, for_change=True)
    schools = selectors.receiving_school_choices(case=case, query=request.GET.get("q", ""))
    return JsonResponse(
        {
            "results": [
                {
                    "id": school.pk,
                    "name": school.name,
                    "urn": school.urn,
                    # Fairway keeps no town for a school (the GIAS import reads no Town column):
                    # the postcode is what tells two schools of one name apart.
                    "town": "",
                    "postcode": school.postcode,
                }
                for school in schools
            ]
        }
    )


@login_required
def form_start(request: HttpRequest, case_id: int, form_key: str) -> HttpResponse:
    user = _person(request)
    case = access.access_case_by_id(user=user, case_id=case_id, for_change=True)
    form, refused = _form_for_writing(request, user, case, form_key)
    if refused:
        return refused
    try:
        submission = services.form_draft_start(case=case, form_key=form_key, started_by=user)
    except services.CaseworkError as error:
        messages.error(request, error.message)
        return redirect("casework:case_detail", case_id=case.pk)
    return redirect(
        "casework:form_page",
        case_id=case.pk,
        form_key=form_key,
        occurrence=submission.occurrence,
        page_key=form.pages[0].key,
    )


@login_required
def form_page(
    request: HttpRequest, case_id: int, form_key: str, occurrence: int, page_key: str
) -> HttpResponse:
    user = _person(request)
    case = access.access_case_by_id(user=user, case_id=case_id, for_change=True)
    form, refused = _form_for_writing(request, user, case, form_key)
    if refused:
        return refused
    submission = _submission(case, form_key, occurrence)

    def save(answers: dict[str, Any], fields: list[str], expected: int) -> None:
        services.form_page_save(
            submission=submission,
            page_answers=answers,
            page_fields=fields,
            expected_version=expected,
            saved_by=user,
            request=request,
        )

    def current() -> tuple[dict[str, Any], int]:
        submission.refresh_from_db()
        return submission.answers, submission.version

    where = {"case_id": case.pk, "form_key": form_key, "occurrence": occurrence}
    return protocol_page(
        request,
        PageStep(
            form=form,
            page_key=page_key,
            schools=_case_schools(case),
            save=save,
            current=current,
            page_url=lambda key: reverse("casework:form_page", kwargs={**where, "page_key": key}),
            check_url=reverse("casework:form_check", kwargs=where),
            first_back_url=reverse("casework:case_detail", kwargs={"case_id": case.pk}),
            context={"case": case, "submission": submission},
            suggested=_suggested(case, form_key),
        ),
    )


def _suggested(case: Case, form_key: str) -> dict[str, Any]:
    """What Fairway already knows for a case form: the notice's receiving school address (its
    name, the street address from GIAS or the council admin, and postcode; the council's name
    where no street address is held)."""
    school = case.receiving_school
    if form_key != contract.NOTICE.key or school is None:
        return {}
    lines = [school.name, *(school.address.splitlines() or [school.council.name]), school.postcode]
    return {contract.RECEIVING_SCHOOL_ADDRESS.key: "\n".join(line for line in lines if line)}


@login_required
def form_check(request: HttpRequest, case_id: int, form_key: str, occurrence: int) -> HttpResponse:
    user = _person(request)
    case = access.access_case_by_id(user=user, case_id=case_id, for_change=True)
    form, refused = _form_for_writing(request, user, case, form_key)
    if refused:
        return refused
    submission = _submission(case, form_key, occurrence)
    extra: list[str] = []
    context: dict[str, Any] = {}
    if request.method == "POST":
        try:
            services.form_submit(
                submission=submission,
                expected_version=_int(request.POST.get("version")) or 0,
                submitted_by=user,
                request=request,
            )
        except services.ConcurrentEditError as error:
            context.update(_conflict_context(error))
            submission.refresh_from_db()
        except services.CaseworkError as error:
            extra.append(error.message)
        else:
            messages.success(request, _("%(form)s saved") % {"form": form.title})
            return redirect("casework:case_detail", case_id=case.pk)
    else:
        extra = forms.form_problems(form=form, answers=submission.answers, case=case)
    return render(
        request,
        "casework/form_check.html",
        {
            "case": case,
            "form": form,
            "submission": submission,
            "rows": selectors.form_record(
                case=case,
                form_key=form_key,
                occurrence=occurrence,
                change=lambda page, definition: (
                    reverse(
                        "casework:form_page",
                        kwargs={
                            "case_id": case.pk,
                            "form_key": form_key,
                            "occurrence": occurrence,
                            "page_key": page.key,
                        },
                    )
                    + f"?check=1#id_{definition.key}"
                ),
            ).rows,
            "extra": extra,
            **context,
        },
    )


@login_required
def form_print(request: HttpRequest, case_id: int, form_key: str, occurrence: int) -> HttpResponse:
    """A printable record (the agreement, a review): the print stylesheet hides the page furniture."""
    user = _person(request)
    case = access.access_case_by_id(user=user, case_id=case_id, for_change=False)
    record = selectors.form_record(case=case, form_key=form_key, occurrence=occurrence)
    services.case_view_record(
        case=case,
        viewed_by=user,
        request=request,
        what=_("%(form)s printed") % {"form": record.form.title},
    )
    return render(
        request,
        "casework/form_print.html",
        {
            "case": case,
            "protocol": record.protocol,
            "form": record.form,
            "submission": record.submission,
            "rows": record.rows,
            "sign_offs": record.sign_offs,
        },
    )
