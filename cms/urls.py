from django.urls import path

from . import views

app_name = "cms"

urlpatterns = [
    path(
        "council/<slug:council_slug>/protocols/drafts/<int:draft_id>/guidance/",
        views.draft_guidance_preview,
        name="draft_guidance_preview",
    ),
    path(
        "council/<slug:council_slug>/protocols/drafts/<int:draft_id>/guidance/<slug:section>/",
        views.draft_guidance_preview,
        name="draft_guidance_preview_section",
    ),
]
