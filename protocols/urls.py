from django.urls import path

from . import views

app_name = "protocols"

urlpatterns = [
    path("council/<slug:council_slug>/calendars/", views.calendars, name="calendars"),
    path(
        "council/<slug:council_slug>/calendars/<slug:calendar_slug>/replace/",
        views.calendar_replace,
        name="calendar_replace",
    ),
    path("council/<slug:council_slug>/protocols/", views.protocols, name="protocols"),
    path(
        "council/<slug:council_slug>/protocols/<slug:protocol_slug>/draft/",
        views.draft_start,
        name="draft_start",
    ),
    path(
        "council/<slug:council_slug>/protocols/drafts/<int:draft_id>/",
        views.draft,
        name="draft",
    ),
    path(
        "council/<slug:council_slug>/protocols/drafts/<int:draft_id>/preview/",
        views.draft_preview,
        name="draft_preview",
    ),
    path(
        "council/<slug:council_slug>/protocols/drafts/<int:draft_id>/approve/",
        views.draft_approve,
        name="draft_approve",
    ),
    path(
        "council/<slug:council_slug>/protocols/drafts/<int:draft_id>/publish/",
        views.draft_publish,
        name="draft_publish",
    ),
]
