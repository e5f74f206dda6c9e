"""The home school's referral: a draft, one protocol page at a time, then "check your answers"."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from protocols.core.model import Form, Protocol
from tenants import access as tenant_access
from tenants.models import Council, School, User

from .. import contract, forms, roles, selectors, services
from ..models import ReferralDraft
from ._common import PageStep, _conflict_context, _draft_schools, _int, _person, protocol_page


def _protocols_in_force(council_ids: frozenset[int]) -> list[Protocol]:
    in_force = (
        _protocol_in_force_today(council)
        for council in Council.objects.filter(pk__in=council_ids).order_by("name")
    )
    return [protocol for protocol in in_force if protocol is not None]


def _referral_schools(user: User) -> list[School]:
    """Schools the person may refer from: their own, or any school of their council (officers)."""
    councils = tenant_access.council_ids_for(user, roles=roles.CHANGE_COUNCIL_ROLES)
    own = tenant_access.school_ids_for(user)
    return list(
        School.objects.filter(Q(pk__in=own) | Q(council_id__in=councils))
        .select_related("council")
        .order_by("name")
    )


def _protocol_in_force_today(council: Council) -> Protocol | None:
    """The council's protocol in force today (a new referral is asked its referral form)."""
    from protocols.selectors import NoProtocolInForce, protocol_version_in_force

    try:
        return protocol_version_in_force(council=council, on=timezone.localdate()).load()
    except NoProtocolInForce:
        return None


def _drafts_of(user: User) -> list[ReferralDraft]:
    return list(ReferralDraft.objects.filter(started_by=user).select_related("home_school")[:20])


@login_required
def case_new(request: HttpRequest) -> HttpResponse:
    """Start a referral: which school refers (when the person has several), then page by page."""
    user = _person(request)
    schools = _referral_schools(user)
    if not schools:
        raise Http404(_("No school found."))
    context: dict[str, Any] = {"schools": schools, "drafts": _drafts_of(user)}
    if request.method == "POST":
        chosen = _int(request.POST.get("home_school"))
        if chosen is None and len(schools) == 1:
            chosen = schools[0].pk
        school = next((s for s in schools if s.pk == chosen), None)
        governing = _governing_choice(request, school)
        if school is None:
            context["errors"] = True
        elif governing is None and _protocol_in_force_today(school.council) is None:
            # No protocol of its own: a move to another council's school may run under that
            # council's, which it accepts or declines before anything of the pupil is shared.
            context["no_protocol"] = school
            context["governing_councils"] = _governing_councils(school)
            context["governing_error"] = "governing_asked" in request.POST
        else:
            try:
                draft = services.referral_draft_start(
                    home_school=school,
                    started_by=user,
                    governing_council=governing,
                    request=request,
                )
            except services.CaseworkError as error:
                context["no_protocol"] = school
                context["governing_councils"] = _governing_councils(school)
                context["governing_message"] = str(error)
                return render(request, "casework/case_new_school.html", context)
            _protocol, form = _draft_form(draft)  # the draft's protocol, as its pages find it
            return redirect("casework:referral_page", draft_id=draft.pk, page_key=form.pages[0].key)
    return render(request, "casework/case_new_school.html", context)


def _governing_councils(school: School) -> list[Council]:
    return selectors.governing_council_choices(
        home_council_id=school.council_id, on=timezone.localdate()
    )


def _governing_choice(request: HttpRequest, school: School | None) -> Council | None:
    chosen = _int(request.POST.get("governing_council"))
    if school is None or chosen is None:
        return None
    return next((c for c in _governing_councils(school) if c.pk == chosen), None)


def _draft_for(user: User, draft_id: int) -> ReferralDraft:
    """A referral draft is its author's alone; anyone else gets 404, like a missing one."""
    draft = (
        ReferralDraft.objects.select_related("home_school__council", "governing_council")
        .filter(pk=draft_id, started_by=user)
        .first()
    )
    if draft is None:
        raise Http404(_("No referral found."))
    return draft


def _draft_form(draft: ReferralDraft) -> tuple[Protocol, Form]:
    from protocols.selectors import NoProtocolInForce

    try:
        version = services.referral_protocol(
            home_school=draft.home_school,
            governing_council=draft.governing_council,
            on=timezone.localdate(),
        )
    except NoProtocolInForce as error:
        raise Http404(_("No managed-move protocol is in force for this council today.")) from error
    protocol = version.load()
    return protocol, protocol.form(contract.REFERRAL.key)


@login_required
def referral_page(request: HttpRequest, draft_id: int, page_key: str) -> HttpResponse:
    user = _person(request)
    draft = _draft_for(user, draft_id)
    _protocol, form = _draft_form(draft)

    def save(answers: dict[str, Any], fields: list[str], expected: int) -> None:
        services.referral_draft_save(
            draft=draft,
            page_answers=answers,
            page_fields=fields,
            expected_version=expected,
            saved_by=user,
        )

    def current() -> tuple[dict[str, Any], int]:
        draft.refresh_from_db()
        return draft.answers, draft.version

    return protocol_page(
        request,
        PageStep(
            form=form,
            page_key=page_key,
            schools=_draft_schools(draft),
            save=save,
            current=current,
            page_url=lambda key: reverse(
                "casework:referral_page", kwargs={"draft_id": draft.pk, "page_key": key}
            ),
            check_url=reverse("casework:referral_check", kwargs={"draft_id": draft.pk}),
            first_back_url=reverse("casework:case_new"),
            context={"caption": f"{draft.home_school.name} · {form.title}"},
        ),
    )


@login_required
def referral_check(request: HttpRequest, draft_id: int) -> HttpResponse:
    user = _person(request)
    draft = _draft_for(user, draft_id)
    protocol, form = _draft_form(draft)
    extra: list[str] = []
    context: dict[str, Any] = {}
    if request.method == "POST":
        confirmed = request.POST.get("out_of_year_group_confirmed") == "yes"
        try:
            case = services.referral_submit(
                draft=draft,
                expected_version=_int(request.POST.get("version")) or 0,
                submitted_by=user,
                referred_on=timezone.localdate(),
                out_of_year_group_confirmed=confirmed,
                request=request,
            )
        except services.ConcurrentEditError as error:
            context.update(_conflict_context(error))
            draft.refresh_from_db()
        except services.CaseworkError as error:
            extra.append(error.message)
            # A date of birth outside the year group: the officer who may vouch for it is asked
            # here, on the page where the referral is made, rather than sent elsewhere.
            if error.field == contract.DATE_OF_BIRTH.key and (
                services.can_confirm_out_of_year_group(person=user, school=draft.home_school)
            ):
                context["confirm_out_of_year_group"] = True
        else:
            messages.success(request, _("Referral made: %(ref)s") % {"ref": case.reference})
            return redirect("casework:case_detail", case_id=case.pk)
    else:
        extra = forms.form_problems(form=form, answers=draft.answers)
    rows = selectors.answer_rows(
        form=form,
        answers=draft.answers,
        change=lambda page, definition: (
            reverse("casework:referral_page", kwargs={"draft_id": draft.pk, "page_key": page.key})
            + f"?check=1#id_{definition.key}"
        ),
    )
    return render(
        request,
        "casework/form_check.html",
        {
            "form": form,
            "rows": rows,
            "extra": extra,
            "version": draft.version,
            "caption": f"{draft.home_school.name} · {protocol.title}",
            "submit_label": _("Make the referral"),
            "discard_url": reverse("casework:referral_discard", kwargs={"draft_id": draft.pk}),
            **context,
        },
    )


@login_required
@require_POST
def referral_discard(request: HttpRequest, draft_id: int) -> HttpResponse:
    user = _person(request)
    draft = _draft_for(user, draft_id)
    services.referral_draft_discard(draft=draft, discarded_by=user, request=request)
    messages.success(request, _("The unfinished referral has been deleted."))
    return redirect("casework:case_new")
