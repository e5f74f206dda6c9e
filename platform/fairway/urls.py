from django.contrib import admin
from django.urls import include, path
from two_factor.urls import urlpatterns as tf_urls
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.auth import require_admin_access
from wagtail.documents import urls as wagtaildocs_urls

from cms import admin_reports
from cms.views import guidance_sitemap

from . import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("django-admin/", admin.site.urls),
    # Four of Wagtail's reports narrowed to the editor's own council site (cms/admin_reports.py):
    # the same addresses, answered before Wagtail's admin.
    path(
        "admin/reports/page-types-usage/",
        require_admin_access(admin_reports.CouncilPageTypesUsageReportView.as_view()),
    ),
    path(
        "admin/reports/page-types-usage/results/",
        require_admin_access(
            admin_reports.CouncilPageTypesUsageReportView.as_view(results_only=True)
        ),
    ),
    path(
        "admin/reports/site-history/",
        require_admin_access(admin_reports.CouncilLogEntriesView.as_view()),
    ),
    path(
        "admin/reports/site-history/results/",
        require_admin_access(admin_reports.CouncilLogEntriesView.as_view(results_only=True)),
    ),
    path(
        "admin/reports/workflow/", require_admin_access(admin_reports.CouncilWorkflowView.as_view())
    ),
    path(
        "admin/reports/workflow/results/",
        require_admin_access(admin_reports.CouncilWorkflowView.as_view(results_only=True)),
    ),
    path(
        "admin/reports/workflow_tasks/",
        require_admin_access(admin_reports.CouncilWorkflowTasksView.as_view()),
    ),
    path(
        "admin/reports/workflow_tasks/results/",
        require_admin_access(admin_reports.CouncilWorkflowTasksView.as_view(results_only=True)),
    ),
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
    path("sitemap.xml", guidance_sitemap, name="sitemap"),
    # Wagtail serves the councils' guidance sites: keep it last.
    path("", include(wagtail_urls)),
]

# A 503 page while the database is out of reach, else the usual 500 page; never a traceback.
handler500 = "fairway.views.server_error"
