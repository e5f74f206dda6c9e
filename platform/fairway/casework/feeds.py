"""A private iCalendar feed of a person's case deadlines, at a revocable token URL.

Calendar apps cannot sign in, so the token is the credential: it is long and random, shown
only to its owner, and revoking it (which makes a new one) stops the old address at once.
The feed carries case references and milestone names, never a pupil's name.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from tenants.models import User

from . import selectors
from .models import CalendarFeed


@transaction.atomic
def calendar_feed_renew(*, user: User) -> CalendarFeed:
    """Give the person a new feed address; the old one stops working."""
    feed, _created = CalendarFeed.objects.select_for_update().get_or_create(
        user=user, defaults={"token": CalendarFeed.new_token()}
    )
    if not _created:
        feed.token = CalendarFeed.new_token()
        feed.created_at = timezone.now()
        feed.save(update_fields=["token", "created_at"])
    return feed


@transaction.atomic
def calendar_feed_revoke(*, user: User) -> None:
    CalendarFeed.objects.filter(user=user).delete()


def calendar_for(*, user: User, base_url: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Fairway//Case deadlines//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _("Fairway case deadlines"))
    cases = selectors.case_list(fetched_by=user, filters=selectors.CaseFilters())
    stamp = timezone.now()
    for case in cases.prefetch_related(
        "events", "extensions", "milestones_done", "submissions", "attendance_weeks"
    ):
        timeline = selectors.case_timeline(case=case)
        for milestone in timeline.milestones:
            if not milestone.is_open:
                continue
            event = Event()
            event.add("uid", f"case-{case.pk}-{milestone.key}@fairway")
            event.add("dtstamp", stamp)
            event.add("dtstart", milestone.due)
            event.add("dtend", milestone.due + timedelta(days=1))
            event.add("summary", f"{case.reference}: {milestone.label}")
            event.add(
                "url", base_url + reverse("casework:case_detail", kwargs={"case_id": case.pk})
            )
            calendar.add_component(event)
    return bytes(calendar.to_ical())


def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        raise Http404(_("No calendar found."))
    body = calendar_for(user=feed.user, base_url=request.build_absolute_uri("/").rstrip("/"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def calendar_feed_manage(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            calendar_feed_revoke(user=user)
            messages.success(request, _("Your calendar address has been turned off."))
        else:
            calendar_feed_renew(user=user)
            messages.success(
                request, _("You have a new calendar address; the old one no longer works.")
            )
        return redirect("casework:feed_settings")
    feed = CalendarFeed.objects.filter(user=user).first()
    url = (
        request.build_absolute_uri(reverse("casework:calendar_feed", kwargs={"token": feed.token}))
        if feed
        else ""
    )
    return render(request, "casework/calendar_feed.html", {"feed": feed, "url": url})
