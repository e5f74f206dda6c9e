"""Council pages for term calendars and protocol versions.

Any role in a council may read them; only its council admins may replace a calendar (a
provisional one by the council's published dates). Access function first, then form, then service.
"""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from fairway.errors import FairwayError, show_as_message, show_on_form
from protocols import hooks, selectors, services
from protocols.core.calendar import pupil_days_by_year
from protocols.core.changes import describe_changes
from protocols.core.problems import CalendarError, DefinitionError
from protocols.core.timeline import TimelineError, compute_timeline
from protocols.core.words import day_in_words
from protocols.forms import CalendarReplaceForm, DraftForm, PreviewStartForm, PublishForm
from protocols.models import CouncilCalendar, ProtocolDraft, ProtocolVersion
from protocols.services import CalendarCouncilMismatch, council_calendar_replace
from tenants import access
from tenants.models import AuditEvent, Council, User
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


# -- protocol versions and drafts (council admins only) -------------------------------------


def _admin_council(request: HttpRequest, council_slug: str) -> tuple[User, Council]:
    user = _user(request)
    return user, access.access_council_by_slug(user=user, slug=council_slug, for_admin=True)


@login_required
def protocols(request: HttpRequest, council_slug: str) -> HttpResponse:
    """Each protocol's versions (in force, superseded, not yet), open cases on each, its drafts."""
    user, council = _admin_council(request, council_slug)
    today = timezone.localdate()
    by_slug = selectors.protocol_versions_by_slug(council=council)
    counts = hooks.open_case_counts([v for vs in by_slug.values() for v in vs])
    drafts = selectors.protocol_drafts(council=council)
    groups = []
    for slug, versions in by_slug.items():
        groups.append(
            {
                "slug": slug,
                "title": versions[0].title,
                "open_draft": next((d for d in drafts if d.slug == slug and d.is_open), None),
                "versions": [
                    {
                        "version": v,
                        "status": selectors.version_status(version=v, today=today),
                        "open_cases": None if counts is None else counts.get(v.pk, 0),
                        "actions": hooks.version_action_links(version=v, council_slug=council.slug)
                        if v is versions[0] and len(versions) > 1
                        else [],
                    }
                    for v in versions
                ],
            }
        )
    return render(
        request,
        "protocols/protocols.html",
        {
            "council": council,
            "section": "calendars",
            "groups": groups,
            "drafts": drafts,
            "counts_known": counts is not None,
        },
    )


@login_required
@require_POST
def draft_start(request: HttpRequest, council_slug: str, protocol_slug: str) -> HttpResponse:
    user, council = _admin_council(request, council_slug)
    if not ProtocolVersion.objects.filter(council=council, slug=protocol_slug).exists():
        raise Http404(_("No protocol found."))
    try:
        draft = services.protocol_draft_start(
            council=council, slug=protocol_slug, by=user, request=request
        )
    except FairwayError as error:
        show_as_message(request, error)
        return redirect("protocols:protocols", council_slug=council.slug)
    return redirect("protocols:draft", council_slug=council.slug, draft_id=draft.pk)


def _draft_context(
    council: Council, draft: ProtocolDraft, user: User, **extra: object
) -> dict[str, object]:
    problems = draft.problems or []
    return {
        "council": council,
        "section": "calendars",
        "draft": draft,
        "problems": problems,
        "problems_data": [
            {"line": p["line"], "column": p["column"], "text": _problem_text(p)}
            for p in problems
            if p["path"] == draft.main_file
        ],
        "is_drafter": user.pk in services.draft_writers(draft),
        "publish_form": extra.pop("publish_form", None) or PublishForm(),
        **extra,
    }


def _problem_text(problem: dict[str, object]) -> str:
    return f"{problem['path']}:{problem['line']}:{problem['column']}: {problem['message']}"


@login_required
def draft(request: HttpRequest, council_slug: str, draft_id: int) -> HttpResponse:
    """The editor: save and check (problems beside their lines), then preview, approve, publish."""
    user, council = _admin_council(request, council_slug)
    record = selectors.access_draft(council=council, draft_id=draft_id)
    if request.method == "POST":
        form = DraftForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                check = services.protocol_draft_save(
                    draft=record, yaml_text=form.cleaned_data["yaml_text"], by=user, request=request
                )
            except FairwayError as error:
                show_as_message(request, error)
                return redirect("protocols:draft", council_slug=council.slug, draft_id=record.pk)
            if check.ok:
                messages.success(request, _("Saved. The draft has no problems: preview it next."))
            else:
                messages.error(
                    request,
                    ngettext(
                        "Saved, with %(n)s problem. Correct it before the draft can go further.",
                        "Saved, with %(n)s problems. Correct them before the draft can go further.",
                        len(check.problems),
                    )
                    % {"n": len(check.problems)},
                )
            return redirect("protocols:draft", council_slug=council.slug, draft_id=record.pk)
    else:
        form = DraftForm(initial={"yaml_text": record.yaml_text})
    return _editor_page(request, _draft_context(council, record, user, form=form))


# Fairway's policy (fairway/middleware.py, which protocols does not import) with one change: the
# page's own styles and those CodeMirror adds as it starts carry this response's nonce.
EDITOR_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'nonce-{nonce}'; "
    "script-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def _editor_page(
    request: HttpRequest, context: dict[str, object], status: int = 200
) -> HttpResponse:
    nonce = secrets.token_urlsafe(16)
    form = context.get("form")
    if isinstance(form, DraftForm):
        form.fields["yaml_text"].widget.attrs["data-nonce"] = nonce
    response = render(
        request, "protocols/draft.html", {**context, "csp_nonce": nonce}, status=status
    )
    response["Content-Security-Policy"] = EDITOR_POLICY.format(nonce=nonce)
    return response


@login_required
def draft_preview(request: HttpRequest, council_slug: str, draft_id: int) -> HttpResponse:
    """What the draft would do, before anything is published: the timeline for a start date on
    the council's calendar, the forms, and what changed against the version it started from."""
    user, council = _admin_council(request, council_slug)
    record = selectors.access_draft(council=council, draft_id=draft_id)
    protocol = selectors.draft_protocol(draft=record)
    context: dict[str, object] = {
        "council": council,
        "section": "calendars",
        "draft": record,
        "protocol": protocol,
        "links": hooks.draft_preview_links(draft=record),
    }
    if protocol is None:
        return render(request, "protocols/draft_preview.html", context)
    previous = record.based_on
    context["changes"] = describe_changes(previous.load(), protocol)
    context["previous"] = previous
    context["forms"] = protocol.forms
    form = PreviewStartForm(request.GET if "start_0" in request.GET else None)
    context["start_form"] = form
    try:
        calendar = selectors.council_calendar(council=council).load()
    except CouncilCalendar.DoesNotExist:
        context["calendar_missing"] = True
        return render(request, "protocols/draft_preview.html", context)
    context["calendar"] = calendar
    start = form.cleaned_data["start"] if form.is_bound and form.is_valid() else None
    if start is None and not form.is_bound:
        # The first Monday that is a school day from today: a usual start, easy to change.
        today = timezone.localdate()
        start = next(
            (d for d in calendar.school_days() if d >= today and d.weekday() == 0),
            None,
        )
    if start is not None:
        try:
            timeline = compute_timeline(protocol=protocol, calendar=calendar, start=start)
        except (CalendarError, TimelineError) as error:
            context["timeline_problem"] = str(error)
        else:
            roles = {r.key: r.label for r in protocol.roles}
            context["start"] = start
            context["timeline"] = [
                {"label": m.label, "due": m.due, "owner": roles.get(m.owner or "", "")}
                for m in timeline.milestones
            ]
            context["pending"] = timeline.pending
    return render(request, "protocols/draft_preview.html", context)


@login_required
@require_POST
def draft_approve(request: HttpRequest, council_slug: str, draft_id: int) -> HttpResponse:
    user, council = _admin_council(request, council_slug)
    record = selectors.access_draft(council=council, draft_id=draft_id)
    try:
        services.protocol_draft_approve(draft=record, by=user, request=request)
    except FairwayError as error:
        show_as_message(request, error)
    else:
        messages.success(request, _("Approved. It can now be published."))
    return redirect("protocols:draft", council_slug=council.slug, draft_id=record.pk)


@login_required
@require_POST
def draft_publish(request: HttpRequest, council_slug: str, draft_id: int) -> HttpResponse:
    user, council = _admin_council(request, council_slug)
    record = selectors.access_draft(council=council, draft_id=draft_id)
    form = PublishForm(request.POST)
    if form.is_valid():
        try:
            version = services.protocol_draft_publish(
                draft=record,
                effective_from=form.cleaned_data["effective_from"],
                by=user,
                request=request,
            )
        except FairwayError as error:
            context = _draft_context(
                council, record, user, form=DraftForm(initial={"yaml_text": record.yaml_text})
            )
            show_on_form(error, form=form, context=context)
            context["publish_form"] = form
            return _editor_page(request, context, status=400)
        messages.success(
            request,
            _("Version %(n)s is published. It takes effect on %(day)s.")
            % {"n": version.version, "day": day_in_words(version.effective_from)},
        )
        return redirect("protocols:protocols", council_slug=council.slug)
    context = _draft_context(
        council,
        record,
        user,
        form=DraftForm(initial={"yaml_text": record.yaml_text}),
        publish_form=form,
    )
    return _editor_page(request, context, status=400)
