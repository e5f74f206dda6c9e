"""Council pages for term calendars and protocol versions.

Any role in a council may read them; only its council admins may replace a calendar (a
provisional one by the council's published dates). Access function first, then form, then service.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from protocols.core.calendar import pupil_days_by_year
from protocols.core.changes import describe_changes
from protocols.core.problems import DefinitionError
from protocols.forms import CalendarReplaceForm
from protocols.models import CouncilCalendar, ProtocolVersion
from protocols.services import CalendarCouncilMismatch, council_calendar_replace
from tenants import access
from tenants.models import AuditEvent, User
from tenants.services import audit_record


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # login_required ran first
    return request.user


@login_required
def calendars(request: HttpRequest, council_slug: str) -> HttpResponse:
    user = _user(request)
    council = access.access_council_by_slug(user=user, slug=council_slug, for_admin=False)
    is_admin = council.pk in access.admin_council_ids_for(user)
    rows = []
    for record in CouncilCalendar.objects.filter(council=council):
        calendar = record.load()
        rows.append(
            {
                "record": record,
                "calendar": calendar,
                "pupil_days": sorted(pupil_days_by_year(calendar).items()),
            }
        )
    versions = list(ProtocolVersion.objects.filter(council=council).order_by("slug", "version"))
    changes = {}
    for earlier, later in zip(versions, versions[1:], strict=False):
        if earlier.slug == later.slug:
            changes[later.pk] = describe_changes(earlier.load(), later.load())
    return render(
        request,
        "protocols/calendars.html",
        {
            "council": council,
            "section": "calendars",
            "rows": rows,
            "versions": [(v, changes.get(v.pk, [])) for v in versions],
            "is_admin": is_admin,
        },
    )


@login_required
def calendar_replace(request: HttpRequest, council_slug: str, calendar_slug: str) -> HttpResponse:
    user = _user(request)
    council = access.access_council_by_slug(user=user, slug=council_slug, for_admin=True)
    record = CouncilCalendar.objects.filter(council=council, slug=calendar_slug).first()
    if record is None:
        raise Http404(_("No calendar found."))
    problems: list[str] = []
    if request.method == "POST":
        form = CalendarReplaceForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                council_calendar_replace(record=record, yaml_text=form.cleaned_data["yaml_text"])
            except DefinitionError as exc:
                # Shown as line:column: message, pointing into the text the admin gave.
                problems = [
                    f"{p.location.line}:{p.location.column}: {p.message}" for p in exc.problems
                ]
                form.add_error("yaml_text", _("The calendar has problems; nothing was changed."))
            except CalendarCouncilMismatch as exc:
                form.add_error("yaml_text", str(exc))
            else:
                audit_record(
                    actor=user,
                    council=council,
                    action=AuditEvent.Action.RECORD_CHANGED,
                    object_type="calendar",
                    object_id=record.pk,
                    summary=f"Replaced the school calendar {record.slug}",
                    request=request,
                )
                messages.success(
                    request, _("The calendar was replaced. Case deadlines now use the new dates.")
                )
                return redirect("protocols:calendars", council_slug=council.slug)
    else:
        form = CalendarReplaceForm(initial={"yaml_text": record.yaml_text})
    return render(
        request,
        "protocols/calendar_replace.html",
        {
            "council": council,
            "section": "calendars",
            "record": record,
            "form": form,
            "problems": problems,
        },
    )
