"""Council admin pages: people, schools, partnerships and the audit log of one council.

Thin views: access function first, then form, then service or selector.
"""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordResetForm
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fairway.errors import FairwayError, show_as_message, show_on_form

from . import access, exports, lockout, menu, selectors, services
from .forms import (
    AuditFilterForm,
    CouncilRetentionForm,
    MembershipAddForm,
    PartnershipAddForm,
    SchoolEditForm,
    SchoolFilterForm,
)
from .models import AuditEvent, Membership, Partnership, Role, School, User

PAGE_SIZE = 50


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # login_required ran first
    return request.user


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset page, with no email sent once an email or address asked too often.

    Held back or not, the answer is the same redirect to "Check your email", so the page tells
    nobody whether an address has an account or has been asked for before.
    """

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        if services.password_reset_request(email=form.cleaned_data["email"], request=self.request):
            return super().form_valid(form)
        return HttpResponseRedirect(self.get_success_url())


@login_required
def council_index(request: HttpRequest) -> HttpResponse:
    councils = list(selectors.council_list_for_admin(fetched_by=_user(request)))
    if not councils:
        raise Http404(_("No council found."))
    if len(councils) == 1:
        return redirect("tenants:council_home", council_slug=councils[0].slug)
    return render(request, "tenants/council_index.html", {"councils": councils})


@login_required
def council_home(request: HttpRequest, council_slug: str) -> HttpResponse:
    user = _user(request)
    council = access.access_council_by_slug(user=user, slug=council_slug, for_admin=True)
    links = menu.council_links(user=user, council=council)
    return render(request, "tenants/council_home.html", {"council": council, "links": links})


@login_required
def people(request: HttpRequest, council_slug: str) -> HttpResponse:
    user = _user(request)
    council = access.access_council_by_slug(user=user, slug=council_slug, for_admin=True)
    page = Paginator(selectors.person_list(fetched_by=user, council=council), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    usernames = {person.pk: lockout.username_of(person) for person in page}
    locked = lockout.locked_out_usernames(usernames=[u for u in usernames.values() if u])
    return render(
        request,
        "tenants/people.html",
        {
            "section": "people",
            "council": council,
            "page": page,
            "locked_out_ids": {pk for pk, username in usernames.items() if username in locked},
        },
    )


def _membership_in(council_id: int, person: User) -> list[Membership]:
    return list(
        Membership.objects.filter(council_id=council_id, user=person).select_related(
            "partnership", "school"
        )
    )


@login_required
def person_detail(request: HttpRequest, council_slug: str, person_id: int) -> HttpResponse:
    user = _user(request)
    council = access.access_council_by_slug(user=user, slug=council_slug, for_admin=True)
    person = access.access_person_by_id(user=user, person_id=person_id, for_admin=True)
    memberships = _membership_in(council.pk, person)
    if not memberships:
        raise Http404(_("No person found."))
    return render(
        request,
        "tenants/person_detail.html",
        {"section": "people", "council": council, "person": person, "memberships": memberships},
    )


@login_required
def membership_add(request: HttpRequest, council_slug: str) -> HttpResponse:
    user = _user(request)
    council = access.access_council_by_slug(user=user, slug=council_slug, for_admin=True)
    form = MembershipAddForm(request.POST or None, council=council)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person, created = services.person_add_with_role(
                added_by=user,
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                role=Role(data["role"]),
                council=council,
                partnership=data["partnership"],
                school=data["school"],
                request=request,
            )
        except FairwayError as error:
            show_on_form(error, form=form, context={})
        else:
            if created:
                # After the transaction: the person gets a link to set their own password.
                services.person_invite(
                    person=person, invited_by=user, council=council, request=request
                )
            messages.success(
                request,
                _("%(person)s is now %(role)s.")
                % {"person": person.email, "role": Role(data["role"]).label},
            )
            return redirect("tenants:person_detail", council_slug=council.slug, person_id=person.pk)
    return render(
        request,
        "tenants/membership_add.html",
        {"section": "people", "council": council, "form": form},
    )


@require_POST
@login_required
def person_unlock(request: HttpRequest, council_slug: str, person_id: int) -> HttpResponse:
    user = _user(request)
    council = access.access_council_by_slug(user=user, slug=council_slug, for_admin=True)
    person = access.access_person_by_id(user=user, person_id=person_id, for_admin=True)
    if not _membership_in(council.pk, person):
        raise Http404(_("No person found."))
    try:
        services.person_unlock(unlocked_by=user, person=person, council=council, request=request)
    except FairwayError as error:
        show_as_message(request, error)
    else:
        messages.success(request, _("%(person)s can sign in again.") % {"person": person.email})
    return redirect("tenants:people", council_slug=council.slug)


@require_POST
@login_required
def membership_revoke(request: HttpRequest, council_slug: str, membership_id: int) -> HttpResponse:
    user = _user(request)
    council = access.access_council_by_slug(user=user, slug=council_slug, for_admin=True)
    membership = (
        Membership.objects.select_related("user", "council", "partnership", "school")
        .filter(pk=membership_id, council=council)
        .first()
    )
    if membership is None:
        raise Http404(_("No membership found."))
    person = membership.user
    try:
        services.membership_revoke(revoked_by=user, membership=membership, request=request)
    except FairwayError as error:
        show_as_message(request, error)
    else:
        messages.success(
            request,
            _("%(person)s is no longer %(role)s.")
            % {"person": person.email, "role": membership.get_role_display()},
        )
    if Membership.objects.filter(council=council, user=person).exists():
        return redirect("tenants:person_detail", council_slug=council.slug, person_id=person.pk)
    return redirect("tenants:people", council_slug=council.slug)


@login_required
def schools(request: HttpRequest, council_slug: str) -> HttpResponse:
    user = _user(request)
    council = access.access_council_by_slug(user=user, slug=council_slug, for_admin=True)
    form = SchoolFilterForm(request.GET or None, council=council)
    filters = selectors.SchoolFilters()
    if form.is_valid():
        partnership = form.cleaned_data["partnership"]
        filters = selectors.SchoolFilters(
            partnership_id=partnership.pk if partnership else None,
            phase=form.cleaned_data["phase"],
            search=form.cleaned_data["search"],
        )
    page = Paginator(
        selectors.school_list(fetched_by=user, council=council, filters=filters), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "tenants/schools.html",
        {"section": "schools", "council": council, "form": form, "page": page},
    )


@login_required
def school_edit(request: HttpRequest, council_slug: str, school_id: int) -> HttpResponse:
    user = _user(request)
    council = access.access_council_by_slug(user=user, slug=council_slug, for_admin=True)
    school = access.access_school_by_id(user=user, school_id=school_id, for_change=True)
    if school.council_id != council.pk:
        raise Http404(_("No school found."))
    initial = {
        "name": school.name,
        "phase": school.phase,
        "kind": school.kind,
        "partnership": school.partnership_id,
        "trust": school.trust_id,
        "address": school.address,
        "postcode": school.postcode,
        "number_on_roll": school.number_on_roll,
    }
    form = SchoolEditForm(request.POST or None, initial=initial, council=council)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.school_update(
                changed_by=user,
                school=school,
                changes=services.SchoolChanges(
                    name=data["name"],
                    phase=School.Phase(data["phase"]),
                    kind=School.Kind(data["kind"]),
                    partnership=data["partnership"],
                    trust=data["trust"],
                    postcode=data["postcode"],
                    number_on_roll=data["number_on_roll"],
                    latitude=school.latitude,
                    longitude=school.longitude,
                    address=data["address"].strip(),
                ),
                request=request,
            )
        except FairwayError as error:
            show_on_form(error, form=form, context={})
        else:
            messages.success(request, _("%(school)s has been updated.") % {"school": school.name})
            return redirect("tenants:schools", council_slug=council.slug)
    return render(
        request,
        "tenants/school_edit.html",
        {"section": "schools", "council": council, "school": school, "form": form},
    )


@login_required
def partnerships(request: HttpRequest, council_slug: str) -> HttpResponse:
    user = _user(request)
    council = access.access_council_by_slug(user=user, slug=council_slug, for_admin=True)
    rows = selectors.partnership_list(fetched_by=user, council=council)
    return render(
        request,
        "tenants/partnerships.html",
        {"section": "partnerships", "council": council, "partnerships": rows},
    )


@login_required
def partnership_add(request: HttpRequest, council_slug: str) -> HttpResponse:
    user = _user(request)
    council = access.access_council_by_slug(user=user, slug=council_slug, for_admin=True)
    form = PartnershipAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            partnership = services.partnership_create(
                created_by=user,
                council=council,
                name=form.cleaned_data["name"],
                kind=Partnership.Kind(form.cleaned_data["kind"]),
                request=request,
            )
        except FairwayError as error:
            show_on_form(error, form=form, context={})
        else:
            messages.success(request, _("%(name)s has been added.") % {"name": partnership.name})
            return redirect("tenants:partnerships", council_slug=council.slug)
    return render(
        request,
        "tenants/partnership_add.html",
        {"section": "partnerships", "council": council, "form": form},
    )


def _audit_filters(form: AuditFilterForm) -> selectors.AuditFilters:
    if not form.is_valid():
        return selectors.AuditFilters()
    data = form.cleaned_data
    return selectors.AuditFilters(
        action=data["action"],
        person=data["person"],
        date_from=data["date_from"],
        date_to=data["date_to"],
    )


@login_required
def audit(request: HttpRequest, council_slug: str) -> HttpResponse:
    user = _user(request)
    council = access.access_council_by_slug(user=user, slug=council_slug, for_admin=True)
    form = AuditFilterForm(request.GET or None)
    events = selectors.audit_event_list(
        fetched_by=user, council=council, filters=_audit_filters(form)
    )
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "tenants/audit.html",
        {
            "section": "audit",
            "council": council,
            "form": form,
            "page": page,
            "query": query.urlencode(),
        },
    )


EXPORT_HEADER = [
    "occurred_at",
    "action",
    "actor_email",
    "from_council",
    "object_type",
    "object_id",
    "summary",
    "ip_address",
]


@login_required
def audit_export(request: HttpRequest, council_slug: str, fmt: str) -> HttpResponse:
    user = _user(request)
    council = access.access_council_by_slug(user=user, slug=council_slug, for_admin=True)
    if fmt not in exports.FORMATS:
        raise Http404(_("No such export format."))
    form = AuditFilterForm(request.GET or None)
    events = selectors.audit_event_list(
        fetched_by=user, council=council, filters=_audit_filters(form)
    )
    rows = [
        [
            timezone.localtime(e.occurred_at).isoformat(timespec="seconds"),
            e.action,
            e.actor_email,
            e.actor_council.name if e.actor_council else "",
            e.object_type,
            e.object_id,
            e.summary,
            e.ip_address or "",
        ]
        for e in events.iterator(chunk_size=2000)
    ]
    services.audit_record(
        actor=user,
        council=council,
        action=AuditEvent.Action.EXPORT,
        object_type="audit_log",
        summary=_("Audit log exported as %(fmt)s (%(count)s rows, filters: %(query)s)")
        % {"fmt": fmt.upper(), "count": len(rows), "query": request.GET.urlencode() or "-"},
        request=request,
    )
    stamp = timezone.localdate().isoformat()
    return exports.table_download(
        filename=f"fairway-audit-{council.slug}-{stamp}",
        fmt=fmt,
        sheets=[(_("Audit log"), [EXPORT_HEADER, *rows])],
    )


def sign_out_done(request: HttpRequest) -> HttpResponse:
    return render(request, "tenants/signed_out.html")


@login_required
def council_retention(request: HttpRequest, council_slug: str) -> HttpResponse:
    """A council admin sets how long closed cases keep the pupil's details."""
    user = _user(request)
    council = access.access_council_by_slug(user=user, slug=council_slug, for_admin=True)
    form = CouncilRetentionForm(
        request.POST or None, initial={"years": council.closed_case_retention_years}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.council_retention_set(
                council=council,
                years=form.cleaned_data["years"],
                changed_by=user,
                request=request,
            )
        except FairwayError as error:
            show_on_form(error, form=form, context={})
        else:
            messages.success(
                request,
                _("Closed cases are now kept for %(years)s years after they close.")
                % {"years": council.closed_case_retention_years},
            )
            return redirect("tenants:council_home", council_slug=council.slug)
    return render(request, "tenants/council_retention.html", {"council": council, "form": form})
