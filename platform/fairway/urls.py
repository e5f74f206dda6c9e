from django.contrib import admin
from django.urls import include, path
from two_factor.urls import urlpatterns as tf_urls
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # Sign-in and two-factor set-up (two_factor), then the council admin pages.
    path("", include(tf_urls)),
    path("", include("tenants.urls")),
    path("cases/", include("fairway.casework.urls")),
    # Wagtail serves the councils' guidance sites: keep it last.
    path("", include(wagtail_urls)),
]
