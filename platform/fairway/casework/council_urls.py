"""Case-work pages in the council admin area (/council/<council>/...), in their own namespace."""

from django.urls import path

from .views import fair_access_pages

app_name = "fair_access"

urlpatterns = [
    path("", fair_access_pages.fair_access_manage, name="manage"),
]
