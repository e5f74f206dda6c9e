"""Case work pages. Thin views: access function first, then form, then service or selector."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fairway.errors import show_on_form
from protocols.core.model import Form, FormPage, Milestone, Protocol
from tenants import access as tenant_access
from tenants import exports
from tenants import services as tenant_services
from tenants.models import AuditEvent, Council, Partnership, School, User

from . import access, contract, forms, register, roles, selectors, services, writes
from .models import Case, Commitment, FormSubmission, Outcome, ReferralDraft, Stage

PAGE_SIZE = 50


def _person(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # login_required ran first
    return request.user


def _conflict_context(error: services.ConcurrentEditError) -> dict[str, Any]:
    context: dict[str, Any] = {}
    show_on_form(error, form=None, context=context)
    return context


# ---------------------------------------------------------------------------------------------
# My cases


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    user = _person(request)
    council_ids = tenant_access.council_ids_for(user)
    # Only schools on cases the person can read: never a council's (or England's) whole list.
    schools = selectors.case_filter_schools(fetched_by=user)
    partnerships = Partnership.objects.filter(council_id__in=council_ids).order_by("name")
    filters = selectors.CaseFilters(
        school_id=_int(request.GET.get("school")),
        partnership_id=_int(request.GET.get("partnership")),
        stage=request.GET.get("stage", "") if request.GET.get("stage") in Stage.values else "",
        search=request.GET.get("q", "")[:100],
        include_view_only=request.GET.get("view_only") == "1",
        waiting_on_me=request.GET.get("mine") == "1",
    )
    cases = selectors.case_list(fetched_by=user, filters=filters)
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
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
            "stages": selectors.stage_choices(protocols=_protocols_in_force(council_ids)),
            "today": timezone.localdate(),
            "can_refer": bool(tenant_access.school_ids_for(user))
            or bool(tenant_access.council_ids_for(user, roles=roles.CHANGE_COUNCIL_ROLES)),
        },
    )


def _protocols_in_force(council_ids: frozenset[int]) -> list[Protocol]:
    in_force = (
        _protocol_in_force_today(council)
        for council in Council.objects.filter(pk__in=council_ids).order_by("name")
    )
    return [protocol for protocol in in_force if protocol is not None]


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


# ---------------------------------------------------------------------------------------------
# Referral


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
        if school is None:
            context["errors"] = True
        elif (protocol := _protocol_in_force_today(school.council)) is None:
            context["no_protocol"] = school
        else:
            draft = services.referral_draft_start(
                home_school=school, started_by=user, request=request
            )
            return redirect(
                "casework:referral_page",
                draft_id=draft.pk,
                page_key=protocol.form(contract.REFERRAL.key).pages[0].key,
            )
    return render(request, "casework/case_new_school.html", context)


def _draft_for(user: User, draft_id: int) -> ReferralDraft:
    """A referral draft is its author's alone; anyone else gets 404, like a missing one."""
    draft = (
        ReferralDraft.objects.select_related("home_school__council")
        .filter(pk=draft_id, started_by=user)
        .first()
    )
    if draft is None:
        raise Http404(_("No referral found."))
    return draft


def _draft_form(draft: ReferralDraft) -> tuple[Protocol, Form]:
    protocol = _protocol_in_force_today(draft.home_school.council)
    if protocol is None:
        raise Http404(_("No managed-move protocol is in force for this council today."))
    return protocol, protocol.form(contract.REFERRAL.key)


@login_required
def referral_page(request: HttpRequest, draft_id: int, page_key: str) -> HttpResponse:
    user = _person(request)
    draft = _draft_for(user, draft_id)
    protocol, form = _draft_form(draft)
    index = next((i for i, p in enumerate(form.pages) if p.key == page_key), None)
    if index is None:
        raise Http404(_("No page found."))
    page = form.pages[index]
    context: dict[str, Any] = {}
    if request.method == "POST":
        page_form = forms.ProtocolPageForm(
            request.POST, page=page, known=draft.answers, schools=_draft_schools(draft)
        )
        if page_form.is_valid():
            try:
                services.referral_draft_save(
                    draft=draft,
                    page_answers=page_form.answers_json,
                    page_fields=[f.key for f in page.fields],
                    expected_version=_int(request.POST.get("version")) or 0,
                    saved_by=user,
                )
            except services.ConcurrentEditError as error:
                draft.refresh_from_db()
                context.update(_conflict_context(error))
                page_form = forms.ProtocolPageForm(
                    page=page, known=draft.answers, schools=_draft_schools(draft)
                )
            else:
                following = form.pages[index + 1].key if index + 1 < len(form.pages) else None
                if following and "check" not in request.POST:
                    return redirect("casework:referral_page", draft_id=draft.pk, page_key=following)
                return redirect("casework:referral_check", draft_id=draft.pk)
    else:
        page_form = forms.ProtocolPageForm(
            page=page, known=draft.answers, schools=_draft_schools(draft)
        )
    back = (
        reverse(
            "casework:referral_page",
            kwargs={"draft_id": draft.pk, "page_key": form.pages[index - 1].key},
        )
        if index
        else reverse("casework:case_new")
    )
    return render(
        request,
        "casework/form_page.html",
        {
            "form": form,
            "page": page,
            "page_form": page_form,
            "version": draft.version,
            "caption": f"{draft.home_school.name} · {form.title}",
            "page_number": index + 1,
            "back": back,
            "returning": bool(request.GET.get("check")),
            **context,
        },
    )


@login_required
def referral_check(request: HttpRequest, draft_id: int) -> HttpResponse:
    user = _person(request)
    draft = _draft_for(user, draft_id)
    protocol, form = _draft_form(draft)
    extra: list[str] = []
    context: dict[str, Any] = {}
    if request.method == "POST":
        try:
            case = services.referral_submit(
                draft=draft,
                expected_version=_int(request.POST.get("version")) or 0,
                submitted_by=user,
                referred_on=timezone.localdate(),
                request=request,
            )
        except services.ConcurrentEditError as error:
            context.update(_conflict_context(error))
            draft.refresh_from_db()
        except services.CaseworkError as error:
            extra.append(error.message)
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


# ---------------------------------------------------------------------------------------------
# The case page


def _case_for_page(case_id: int) -> Case:
    return (
        Case.objects.select_related(
            "home_council",
            "receiving_council",
            "home_school",
            "home_school__partnership",
            "receiving_school",
            "protocol_version",
        )
        .prefetch_related(
            "events",
            "extensions",
            "milestones_done",
            "attendance_weeks",
            "sign_offs",
            "commitments",
            Prefetch(
                "submissions", queryset=FormSubmission.objects.order_by("form_key", "occurrence")
            ),
        )
        .get(pk=case_id)
    )


def _milestone_write(milestone: Milestone) -> tuple[writes.Write, str | None]:
    """The write a timeline row's action makes: its form, attendance, the outcome, or "done"."""
    if milestone.form == contract.WEEKLY_ATTENDANCE.key:
        return writes.Write.ATTENDANCE, None
    if milestone.form == contract.OUTCOME.key:
        return writes.Write.OUTCOME, None
    if milestone.form == contract.EARLY_END.key:
        return writes.Write.END_EARLY, None
    if milestone.form:
        return writes.Write.FORM, milestone.form
    return writes.Write.MILESTONE, milestone.key


def _may(permits: writes.Permits, protocol: Protocol, case: Case) -> dict[str, Any]:
    """Which of the case page's actions this person may take now (their role and the case's
    stage): only those are offered."""

    def ok(write: writes.Write, key: str | None = None) -> bool:
        return permits.allows(protocol, write, key) and not writes.stage_refusal(
            case=case, protocol=protocol, write=write, key=key
        )

    extension = protocol.extensions[0].key if protocol.extensions else None
    return {
        "start": ok(writes.Write.EVENT, contract.START.key),
        "attendance": ok(writes.Write.ATTENDANCE),
        "extension": extension is not None and ok(writes.Write.EXTENSION, extension),
        "end_early": ok(writes.Write.END_EARLY),
        "outcome": ok(writes.Write.OUTCOME),
        "events": {e.key for e in protocol.events if ok(writes.Write.EVENT, e.key)},
        "milestones": {m.key for m in protocol.milestones if ok(*_milestone_write(m))},
    }


def _task_list(protocol: Protocol, case: Case, permits: writes.Permits) -> list[dict[str, Any]]:
    submissions: dict[str, list[FormSubmission]] = {}
    for submission in case.submissions.all():
        submissions.setdefault(submission.form_key, []).append(submission)
    tasks = []
    for form in protocol.forms:
        if form.key in (
            contract.REFERRAL.key,
            contract.OUTCOME.key,
            contract.EARLY_END.key,
            contract.WEEKLY_ATTENDANCE.key,
        ):
            continue  # these have their own steps on the case page
        done = [s for s in submissions.get(form.key, []) if s.is_submitted]
        draft = any(not s.is_submitted for s in submissions.get(form.key, []))
        status = (
            "completed"
            if done and not form.repeats
            else ("in_progress" if draft else "not_started")
        )
        if form.repeats and done and not draft:
            status = "repeating"
        tasks.append(
            {
                "form": form,
                "status": status,
                "done": done,
                # Offered only to those whose role fills it in (the others see it and its status).
                "url": reverse(
                    "casework:form_start", kwargs={"case_id": case.pk, "form_key": form.key}
                )
                if permits.allows(protocol, writes.Write.FORM, form.key)
                and not writes.stage_refusal(
                    case=case, protocol=protocol, write=writes.Write.FORM, key=form.key
                )
                else "",
            }
        )
    return tasks


@login_required
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    user = _person(request)
    access.access_case_by_id(user=user, case_id=case_id, for_change=False)
    case = _case_for_page(case_id)
    protocol = case.protocol_version.load()
    timeline = selectors.case_timeline(case=case)
    attendance = selectors.attendance_summary(case=case, protocol=protocol)
    services.case_view_record(case=case, viewed_by=user, request=request)
    signed = {(s.sign_off_key, s.role_key): s for s in case.sign_offs.all()}
    permits = writes.permits_for(user=user, case=case)
    sign_offs = [
        {
            "sign_off": sign_off,
            "roles": [
                {
                    "key": role,
                    "label": roles.label_of(protocol, role),
                    "signed": signed.get((sign_off.key, role)),
                    "note": selectors.signature_note(
                        recorder=signed[(sign_off.key, role)].on_behalf_of,
                        role_label=roles.label_of(protocol, role),
                    )
                    if (sign_off.key, role) in signed
                    else "",
                    "may_record": permits.allows(protocol, writes.Write.SIGN_OFF, role),
                }
                for role in sign_off.roles
            ],
        }
        for sign_off in protocol.sign_offs
    ]
    routes = [route for route in protocol.routes if getattr(case, route.flag, False) is True]
    outcome_record = Outcome.objects.filter(case=case).first()
    return render(
        request,
        "casework/case_detail.html",
        {
            "case": case,
            "protocol": protocol,
            "timeline": timeline,
            "calendar_differences": selectors.calendar_differences(case=case, timeline=timeline),
            "attendance": attendance,
            "tasks": _task_list(protocol, case, permits),
            "may": _may(permits, protocol, case),
            "sign_offs": sign_offs,
            "routes": routes,
            "stage_label": selectors.protocol_stage_label(protocol=protocol, stage=case.stage),
            "commitments": selectors.commitment_rows(case=case, protocol=protocol),
            "can_change": access.can_change(user=user, case=case),
            "events": [e for e in protocol.events if e.key == contract.PARENT_REVIEW_REQUEST.key],
            "outcome": outcome_record,
            # Roles the decision still has to be emailed to (the worker has not run yet).
            "outcome_waiting": [roles.label_of(protocol, r) for r in outcome_record.reported_to]
            if outcome_record and not outcome_record.reports
            else [],
            "outcome_label": next(
                (o.label for o in protocol.outcomes if o.key == case.outcome_key), ""
            ),
            "today": timezone.localdate(),
            "school_options": selectors.school_options(case=case)
            if case.stage in (Stage.REFERRAL, Stage.AGREEMENT)
            else None,
            "school_names": _school_names(case),
            "print_links": [
                {
                    "title": protocol.form(s.form_key).title
                    + (f" {s.occurrence}" if protocol.form(s.form_key).repeats else ""),
                    "url": reverse("casework:form_print", args=[case.pk, s.form_key, s.occurrence]),
                }
                for s in case.submissions.all()
                if s.is_submitted
                and s.form_key not in (contract.REFERRAL.key, contract.WEEKLY_ATTENDANCE.key)
                and any(f.key == s.form_key for f in protocol.forms)
            ],
        },
    )


def _school_names(case: Case) -> dict[int, str]:
    names = {case.home_school_id: case.home_school.name}
    if case.receiving_school is not None:
        names[case.receiving_school.pk] = case.receiving_school.name
    return names


@login_required
def case_history(request: HttpRequest, case_id: int) -> HttpResponse:
    user = _person(request)
    case = access.access_case_by_id(user=user, case_id=case_id, for_change=False)
    events = selectors.case_history(fetched_by=user, case=case).select_related("actor")
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "casework/case_history.html", {"case": case, "page": page})


# ---------------------------------------------------------------------------------------------
# Protocol forms, one page at a time, then "check your answers"


def _protocol_form(case: Case, form_key: str) -> tuple[Protocol, Form]:
    protocol = case.protocol_version.load()
    try:
        return protocol, protocol.form(form_key)
    except StopIteration:
        raise Http404(_("No form found.")) from None


def _step_refused(
    request: HttpRequest, user: User, case: Case, write: writes.Write, key: str | None = None
) -> HttpResponse | None:
    """Asked before a step's page is shown or saved (the services ask again as they write): 404
    if the person does not hold the role for it, else the way back to the case with the reason
    when the case's stage does not allow it, else None."""
    protocol = case.protocol_version.load()
    refusal = writes.refusal(user=user, case=case, protocol=protocol, write=write, key=key)
    if refusal:
        messages.error(request, refusal)
        return redirect("casework:case_detail", case_id=case.pk)
    return None


def _form_for_writing(
    request: HttpRequest, user: User, case: Case, form_key: str
) -> tuple[Form, HttpResponse | None]:
    """The form, if this person may write it at the case's stage; else 404 (not their role, or a
    form only its own step writes) or the way back to the case page with the reason."""
    _protocol, form = _protocol_form(case, form_key)
    if form_key in writes.OWN_STEP_FORMS:
        raise Http404(_("No form found."))
    return form, _step_refused(request, user, case, writes.Write.FORM, form_key)


def _answers_they_saved(
    form: Form, page: FormPage, theirs: dict[str, Any], yours: dict[str, Any]
) -> list[selectors.AnswerRow]:
    """After a conflict on a form page: what the other person saved that differs from yours."""
    return [
        row
        for row in selectors.answer_rows(form=form, answers=theirs)
        if row.page.key == page.key
        and theirs.get(row.definition.key) != yours.get(row.definition.key)
    ]


def _submission(case: Case, form_key: str, occurrence: int) -> FormSubmission:
    submission = FormSubmission.objects.filter(
        case=case, form_key=form_key, occurrence=occurrence
    ).first()
    if submission is None:
        raise Http404(_("No form found."))
    return submission


# ---------------------------------------------------------------------------------------------
# School search: the school questions of a case's forms ask for one of its home council's schools


def _case_schools(case: Case) -> forms.SchoolScope:
    """A case form's school questions offer the home council's schools; one elsewhere becomes the
    receiving school only through a cross-authority request."""
    return forms.SchoolScope(
        council=case.home_council,
        search_url=reverse("casework:school_search", kwargs={"case_id": case.pk}),
    )


def _draft_schools(draft: ReferralDraft) -> forms.SchoolScope:
    # A referral is not a case yet: no search URL, the text box is resolved on the server.
    return forms.SchoolScope(council=draft.home_school.council)


@login_required
def school_search(request: HttpRequest, case_id: int) -> JsonResponse:
    """GET ?q=: up to 20 of the case's home council's schools by name, URN or postcode (JSON)."""
    user = _person(request)
    case = access.access_case_by_id(user=user, case_id=case_id, for_change=True)
    schools = selectors.school_search(
        council_ids=[case.home_council_id], query=request.GET.get("q", "")
    )
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
    index = next((i for i, p in enumerate(form.pages) if p.key == page_key), None)
    if index is None:
        raise Http404(_("No page found."))
    page = form.pages[index]
    context: dict[str, Any] = {}
    if request.method == "POST":
        page_form = forms.ProtocolPageForm(
            request.POST, page=page, known=submission.answers, schools=_case_schools(case)
        )
        expected = _int(request.POST.get("version"))
        if page_form.is_valid():
            try:
                services.form_page_save(
                    submission=submission,
                    page_answers=page_form.answers_json,
                    page_fields=[f.key for f in page.fields],
                    expected_version=expected or 0,
                    saved_by=user,
                    request=request,
                )
            except services.ConcurrentEditError as error:
                # The person's answers stay on the page (saving again puts them over the other
                # person's, knowingly); what the other person saved is shown beside them.
                submission.refresh_from_db()
                context.update(_conflict_context(error))
                context["conflict_keeps_yours"] = True
                context["theirs"] = _answers_they_saved(
                    form, page, submission.answers, page_form.answers_json
                )
            except services.CaseworkError as error:
                field = error.field if error.field in page_form.fields else None
                page_form.add_error(field, error.message)
            else:
                following = form.pages[index + 1].key if index + 1 < len(form.pages) else None
                if following and "check" not in request.POST:
                    return redirect(
                        "casework:form_page",
                        case_id=case.pk,
                        form_key=form_key,
                        occurrence=occurrence,
                        page_key=following,
                    )
                return redirect(
                    "casework:form_check", case_id=case.pk, form_key=form_key, occurrence=occurrence
                )
    else:
        page_form = forms.ProtocolPageForm(
            page=page, known=submission.answers, schools=_case_schools(case)
        )
    back = (
        reverse(
            "casework:form_page",
            kwargs={
                "case_id": case.pk,
                "form_key": form_key,
                "occurrence": occurrence,
                "page_key": form.pages[index - 1].key,
            },
        )
        if index
        else reverse("casework:case_detail", kwargs={"case_id": case.pk})
    )
    return render(
        request,
        "casework/form_page.html",
        {
            "case": case,
            "form": form,
            "page": page,
            "page_form": page_form,
            "submission": submission,
            "page_number": index + 1,
            "returning": bool(request.GET.get("check")),
            "back": back,
            **context,
        },
    )


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


# ---------------------------------------------------------------------------------------------
# Steps that are not protocol forms: events, sign-offs, attendance, extension, early end, outcome


def _render_step(
    request: HttpRequest, case: Case, template: str, form: Any, **context: Any
) -> HttpResponse:
    return render(request, template, {"case": case, "step_form": form, **context})


def _show_error(
    error: services.CaseworkError,
    *,
    form: Any,
    context: dict[str, Any],
    case: Case,
    current_version: Callable[[], int] | None = None,
) -> None:
    """A refused step: someone else's change (shown, with the person's answers kept on the page
    at the current version: the case's unless the record has its own), or a problem beside its
    field, or in the summary."""
    if isinstance(error, services.ConcurrentEditError):
        if current_version is None:
            _with_current_version(form, case)
        else:
            _with_version(form, current_version())
    show_on_form(error, form=form, context=context)


def _with_current_version(form: Any, case: Case) -> None:
    """After a conflict, the person's answers stay on the page with the case's current version."""
    _with_version(form, Case.objects.get(pk=case.pk).version)


def _with_version(form: Any, version: int) -> None:
    data = form.data.copy()
    data["version"] = str(version)
    form.data = data


def _version(form: Any) -> int:
    return int(form.cleaned_data.get("version") or 0)


@login_required
def event_record(request: HttpRequest, case_id: int) -> HttpResponse:
    user = _person(request)
    case = access.access_case_by_id(user=user, case_id=case_id, for_change=True)
    protocol = case.protocol_version.load()
    refused = _step_refused(request, user, case, writes.Write.EVENT)
    if refused:
        return refused
    permits = writes.permits_for(user=user, case=case)
    choices = (
        [
            (
                contract.START.key,
                _("First day at the receiving school (the off-site direction starts)"),
            )
        ]
        if case.stage == Stage.AGREEMENT
        else []
    )
    choices += [
        (e.key, e.label) for e in protocol.events if e.key == contract.PARENT_REVIEW_REQUEST.key
    ]
    choices = [c for c in choices if permits.allows(protocol, writes.Write.EVENT, c[0])]
    if not choices:
        raise writes.RoleRefused(_("No case found."))
    initial = {"version": case.version, "event_key": request.GET.get("event")}
    if case.start_date and case.stage == Stage.AGREEMENT:
        initial["day"] = case.start_date.isoformat()
    form = forms.EventForm(request.POST or None, events=choices, initial=initial)
    context: dict[str, Any] = {"title": _("Record what happened")}
    if request.method == "POST" and form.is_valid():
        try:
            services.case_event_record(
                case=case,
                event_key=form.cleaned_data["event_key"],
                day=form.cleaned_data["day"],
                note=form.cleaned_data.get("note") or "",
                recorded_by=user,
                expected_version=_version(form),
                request=request,
            )
        except services.CaseworkError as error:
            _show_error(error, form=form, context=context, case=case)
        else:
            return redirect("casework:case_detail", case_id=case.pk)
    return _render_step(request, case, "casework/step.html", form, **context)


@login_required
def sign_off(request: HttpRequest, case_id: int, sign_off_key: str) -> HttpResponse:
    user = _person(request)
    case = access.access_case_by_id(user=user, case_id=case_id, for_change=True)
    protocol = case.protocol_version.load()
    definition = next((s for s in protocol.sign_offs if s.key == sign_off_key), None)
    if definition is None:
        raise Http404(_("No sign-off found."))
    # Only the roles this person signs for, or may record on someone's behalf; asking for another
    # role's page answers 404 before anything about the case's stage is said.
    permits = writes.permits_for(user=user, case=case)
    signable = [
        (r, roles.label_of(protocol, r))
        for r in definition.roles
        if permits.allows(protocol, writes.Write.SIGN_OFF, r)
    ]
    asked_for = request.POST.get("role_key") or request.GET.get("role")
    if not signable or (asked_for in definition.roles and asked_for not in dict(signable)):
        raise writes.RoleRefused(_("No case found."))
    refused = _step_refused(request, user, case, writes.Write.SIGN_OFF, signable[0][0])
    if refused:
        return refused
    stage_refusal = writes.sign_off_stage_refusal(case=case, sign_off=definition)
    if stage_refusal:
        messages.error(request, stage_refusal)
        return redirect("casework:case_detail", case_id=case.pk)
    initial = {
        "version": case.version,
        "role_key": request.GET.get("role"),
        "signed_on": timezone.localdate().isoformat(),
    }
    form = forms.SignOffForm(request.POST or None, roles=signable, initial=initial)
    context: dict[str, Any] = {"title": definition.label}
    if request.method == "POST" and form.is_valid():
        try:
            services.sign_off_record(
                case=case,
                sign_off_key=sign_off_key,
                role_key=form.cleaned_data["role_key"],
                signed_by_name=form.cleaned_data["signed_by_name"],
                signed_on=form.cleaned_data["signed_on"],
                recorded_by=user,
                expected_version=_version(form),
                request=request,
            )
        except services.CaseworkError as error:
            _show_error(error, form=form, context=context, case=case)
        else:
            return redirect("casework:case_detail", case_id=case.pk)
    return _render_step(request, case, "casework/step.html", form, **context)


@login_required
def attendance(request: HttpRequest, case_id: int) -> HttpResponse:
    user = _person(request)
    case = access.access_case_by_id(user=user, case_id=case_id, for_change=True)
    refused = _step_refused(request, user, case, writes.Write.ATTENDANCE)
    if refused:
        return refused
    form = forms.AttendanceForm(
        request.POST or None, initial={"version": case.version, "sessions_possible": 10}
    )
    context: dict[str, Any] = {"title": _("Record a week's attendance")}
    if request.method == "POST" and form.is_valid():
        try:
            services.attendance_record(
                case=case,
                week_beginning=form.cleaned_data["week_beginning"],
                sessions_possible=form.cleaned_data["sessions_possible"],
                sessions_attended=form.cleaned_data["sessions_attended"],
                note=form.cleaned_data.get("note") or "",
                recorded_by=user,
                expected_version=_version(form),
                request=request,
            )
        except services.CaseworkError as error:
            _show_error(error, form=form, context=context, case=case)
        else:
            return redirect("casework:case_detail", case_id=case.pk)
    return _render_step(request, case, "casework/step.html", form, **context)


@login_required
def extension(request: HttpRequest, case_id: int) -> HttpResponse:
    user = _person(request)
    case = access.access_case_by_id(user=user, case_id=case_id, for_change=True)
    protocol = case.protocol_version.load()
    if not protocol.extensions:
        raise Http404(_("This protocol has no extensions."))
    refused = _step_refused(request, user, case, writes.Write.EXTENSION, protocol.extensions[0].key)
    if refused:
        return refused
    extensions = [
        (e.key, f"{e.label} ({_('up to %(n)s school weeks') % {'n': e.up_to_school_weeks}})")
        for e in protocol.extensions
    ]
    role_keys: list[str] = []
    for e in protocol.extensions:
        role_keys += [r for r in e.approvals if r not in role_keys]
    approving = [(r, roles.label_of(protocol, r)) for r in role_keys]
    initial = {"version": case.version, "granted_on": timezone.localdate().isoformat()}
    if len(extensions) == 1:
        initial["extension_key"] = extensions[0][0]
    form = forms.ExtensionForm(
        request.POST or None, extensions=extensions, roles=approving, initial=initial
    )
    context: dict[str, Any] = {
        "title": _("Extend the off-site direction"),
        "guidance": [e.when for e in protocol.extensions if e.when],
    }
    if request.method == "POST" and form.is_valid():
        try:
            services.extension_grant(
                case=case,
                extension_key=form.cleaned_data["extension_key"],
                school_weeks=form.cleaned_data["school_weeks"],
                approvals=form.cleaned_data.get("approvals") or [],
                reasons=form.cleaned_data["reasons"],
                granted_on=form.cleaned_data["granted_on"],
                granted_by=user,
                expected_version=_version(form),
                request=request,
            )
        except services.CaseworkError as error:
            _show_error(error, form=form, context=context, case=case)
        else:
            messages.success(request, _("Extension granted; the timeline has been re-dated."))
            return redirect("casework:case_detail", case_id=case.pk)
    return _render_step(request, case, "casework/step.html", form, **context)


def _choice_page_view(
    request: HttpRequest,
    *,
    case: Case,
    protocol: Protocol,
    form_key: str,
    choice_name: str,
    choice_label: str,
    choices: list[tuple[str, str]],
    title: str,
    act: Any,
) -> HttpResponse:
    definition = protocol.form(form_key) if any(f.key == form_key for f in protocol.forms) else None
    from protocols.core.model import FormPage

    page = definition.pages[0] if definition else FormPage(key="main", title=title, fields=())
    form = forms.ChoiceAndPageForm(
        request.POST or None,
        page=page,
        choice_name=choice_name,
        choice_label=choice_label,
        choices=choices,
        initial={"version": case.version},
    )
    context: dict[str, Any] = {"title": title}
    if request.method == "POST" and form.is_valid():
        answers = form.answers_json
        decided_on = forms._parse_iso(answers.get(contract.DECIDED_ON.key)) or timezone.localdate()
        try:
            act(
                form.cleaned_data[choice_name],
                decided_on,
                answers,
                int(form.cleaned_data["version"]),
            )
        except services.CaseworkError as error:
            _show_error(error, form=form, context=context, case=case)
        else:
            return redirect("casework:case_detail", case_id=case.pk)
    return _render_step(request, case, "casework/step.html", form, **context)


@login_required
def end_early(request: HttpRequest, case_id: int) -> HttpResponse:
    user = _person(request)
    case = access.access_case_by_id(user=user, case_id=case_id, for_change=True)
    protocol = case.protocol_version.load()
    refused = _step_refused(request, user, case, writes.Write.END_EARLY)
    if refused:
        return refused
    choices = [(r.key, r.label) for r in protocol.end_rules if r.effect == "ends_trial"]

    def act(key: str, decided_on: date, answers: dict[str, Any], version: int) -> None:
        services.case_end_early(
            case=case,
            end_rule_key=key,
            decided_on=decided_on,
            reasons=str(answers.get(contract.EARLY_END_REASONS.key, "")),
            answers=answers,
            ended_by=user,
            expected_version=version,
            request=request,
        )

    return _choice_page_view(
        request,
        case=case,
        protocol=protocol,
        form_key=contract.EARLY_END.key,
        choice_name="end_rule_key",
        choice_label=_("Why is the off-site direction ending?"),
        choices=choices,
        title=_("End the off-site direction early"),
        act=act,
    )


@login_required
def outcome(request: HttpRequest, case_id: int) -> HttpResponse:
    user = _person(request)
    case = access.access_case_by_id(user=user, case_id=case_id, for_change=True)
    protocol = case.protocol_version.load()
    refused = _step_refused(request, user, case, writes.Write.OUTCOME)
    if refused:
        return refused
    choices = [(o.key, o.label) for o in protocol.outcomes]

    def act(key: str, decided_on: date, answers: dict[str, Any], version: int) -> None:
        services.outcome_record(
            case=case,
            outcome_key=key,
            decided_on=decided_on,
            reasons=str(answers.get(contract.DECISION_REASONS.key, "")),
            answers=answers,
            recorded_by=user,
            expected_version=version,
            request=request,
        )

    return _choice_page_view(
        request,
        case=case,
        protocol=protocol,
        form_key=contract.OUTCOME.key,
        choice_name="outcome_key",
        choice_label=_("What was decided?"),
        choices=choices,
        title=_("Record the outcome"),
        act=act,
    )


@login_required
@require_POST
def milestone_done(request: HttpRequest, case_id: int, milestone_key: str) -> HttpResponse:
    user = _person(request)
    case = access.access_case_by_id(user=user, case_id=case_id, for_change=True)
    try:
        services.milestone_done_record(
            case=case,
            milestone_key=milestone_key,
            done_on=timezone.localdate(),
            recorded_by=user,
            expected_version=_int(request.POST.get("version")) or 0,
            request=request,
        )
    except services.ConcurrentEditError:
        messages.error(
            request, _("Someone else changed this case; check the timeline and try again.")
        )
    except services.CaseworkError as error:
        messages.error(request, error.message)
    return redirect(reverse("casework:case_detail", kwargs={"case_id": case.pk}) + "#timeline")


# ---------------------------------------------------------------------------------------------
# Targets and commitments


def _commitment_roles(protocol: Protocol) -> list[tuple[str, str]]:
    return [(r.key, r.label) for r in protocol.roles]


@login_required
def commitments(request: HttpRequest, case_id: int) -> HttpResponse:
    """The case's targets and commitments, with every earlier wording (printable)."""
    user = _person(request)
    case = access.access_case_by_id(user=user, case_id=case_id, for_change=False)
    protocol = case.protocol_version.load()
    services.case_view_record(
        case=case, viewed_by=user, request=request, what=_("targets and commitments viewed")
    )
    return render(
        request,
        "casework/commitments.html",
        {
            "case": case,
            "protocol": protocol,
            "rows": selectors.commitment_rows(case=case, protocol=protocol),
            "can_change": access.can_change(user=user, case=case)
            and case.stage in services.COMMITMENT_STAGES,
            "guidance": next(
                (s.guidance for s in protocol.stages if s.key == "off_site_direction"), ""
            ),
        },
    )


@login_required
def commitment_add(request: HttpRequest, case_id: int) -> HttpResponse:
    user = _person(request)
    case = access.access_case_by_id(user=user, case_id=case_id, for_change=True)
    refused = _step_refused(request, user, case, writes.Write.COMMITMENT)
    if refused:
        return refused
    protocol = case.protocol_version.load()
    form = forms.CommitmentForm(
        request.POST or None,
        roles=_commitment_roles(protocol),
        initial={
            "version": case.version,
            "kind": request.GET.get("kind"),
            "agreed_on": timezone.localdate().isoformat(),
        },
    )
    context: dict[str, Any] = {"title": _("Add a target or commitment")}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.commitment_add(
                case=case,
                kind=data["kind"],
                role_key=data["role_key"],
                named=data.get("named") or "",
                text=data["text"],
                agreed_on=data["agreed_on"],
                agreed_with=data.get("agreed_with") or "",
                added_by=user,
                expected_version=_version(form),
                request=request,
            )
        except services.CaseworkError as error:
            _show_error(error, form=form, context=context, case=case)
        else:
            messages.success(
                request,
                _("Target added") if data["kind"] == "target" else _("Commitment added"),
            )
            return redirect("casework:commitments", case_id=case.pk)
    return _render_step(request, case, "casework/step.html", form, **context)


@login_required
def commitment_change(request: HttpRequest, case_id: int, commitment_id: int) -> HttpResponse:
    user = _person(request)
    case = access.access_case_by_id(user=user, case_id=case_id, for_change=True)
    commitment = Commitment.objects.filter(case=case, pk=commitment_id).first()
    if commitment is None:
        raise Http404(_("No target or commitment found."))
    refused = _step_refused(request, user, case, writes.Write.COMMITMENT)
    if refused:
        return refused
    form = forms.CommitmentChangeForm(
        request.POST or None,
        statuses=[(str(value), str(label)) for value, label in Commitment.Status.choices],
        initial={
            "version": commitment.version,
            "text": commitment.text,
            "status": commitment.status,
            "agreed_on": timezone.localdate().isoformat(),
            "agreed_with": commitment.agreed_with,
        },
    )
    context: dict[str, Any] = {
        "title": _("Change a target or commitment"),
        "guidance": [_("Now: %(text)s") % {"text": commitment.text}],
    }
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.commitment_change(
                commitment=commitment,
                text=data["text"],
                status=data["status"],
                agreed_on=data["agreed_on"],
                agreed_with=data.get("agreed_with") or "",
                reason=data["reason"],
                changed_by=user,
                expected_version=_version(form),
                request=request,
            )
        except services.CaseworkError as error:
            _show_error(
                error,
                form=form,
                context=context,
                case=case,
                current_version=lambda: Commitment.objects.get(pk=commitment.pk).version,
            )
        else:
            messages.success(request, _("Change saved: the earlier wording is kept in the history"))
            return redirect("casework:commitments", case_id=case.pk)
    return _render_step(request, case, "casework/step.html", form, **context)


# ---------------------------------------------------------------------------------------------
# Named people on a case


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


# ---------------------------------------------------------------------------------------------
# Register of managed moves


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
