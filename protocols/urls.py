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
]
