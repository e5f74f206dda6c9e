from django.contrib import admin
from django.urls import include, path
from two_factor.urls import urlpatterns as tf_urls
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from . import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # Sign-in and two-factor set-up (two_factor), then the council admin pages.
    path("", include(tf_urls)),
    path("", include("tenants.urls")),
    path("", include("protocols.urls")),
    path("cases/", include("fairway.casework.urls")),
    # Case work's page in the council admin area: preview and publish the Fair Access figures.
    path(
        "council/<slug:council_slug>/fair-access-data/",
        include("fairway.casework.council_urls"),
    ),
    path("", include("cms.urls")),  # a protocol draft's guidance preview (council admins)
    # One sitemap per guidance site (Wagtail answers for the site the host name selects).
    path("sitemap.xml", sitemap, name="sitemap"),
    # Wagtail serves the councils' guidance sites: keep it last.
    path("", include(wagtail_urls)),
]
