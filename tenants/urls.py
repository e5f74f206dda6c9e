from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import views

app_name = "tenants"

urlpatterns = [
    path("council/", views.council_index, name="council_index"),
    path("council/<slug:council_slug>/", views.council_home, name="council_home"),
    path("council/<slug:council_slug>/people/", views.people, name="people"),
    path("council/<slug:council_slug>/people/add/", views.membership_add, name="membership_add"),
    path(
        "council/<slug:council_slug>/people/<int:person_id>/",
        views.person_detail,
        name="person_detail",
    ),
    path(
        "council/<slug:council_slug>/people/<int:person_id>/unlock/",
        views.person_unlock,
        name="person_unlock",
    ),
    path(
        "council/<slug:council_slug>/memberships/<int:membership_id>/revoke/",
        views.membership_revoke,
        name="membership_revoke",
    ),
    path("council/<slug:council_slug>/schools/", views.schools, name="schools"),
    path(
        "council/<slug:council_slug>/schools/<int:school_id>/",
        views.school_edit,
        name="school_edit",
    ),
    path("council/<slug:council_slug>/partnerships/", views.partnerships, name="partnerships"),
    path(
        "council/<slug:council_slug>/partnerships/add/",
        views.partnership_add,
        name="partnership_add",
    ),
    path("council/<slug:council_slug>/audit/", views.audit, name="audit"),
    path(
        "council/<slug:council_slug>/retention/",
        views.council_retention,
        name="council_retention",
    ),
    path(
        "council/<slug:council_slug>/audit/export.<str:fmt>",
        views.audit_export,
        name="audit_export",
    ),
    path(
        "account/logout/",
        auth_views.LogoutView.as_view(next_page=reverse_lazy("tenants:signed_out")),
        name="logout",
    ),
    path("account/signed-out/", views.sign_out_done, name="signed_out"),
    path(
        "account/password-reset/",
        views.PasswordResetView.as_view(
            template_name="tenants/password_reset_form.html",
            email_template_name="tenants/emails/password_reset.txt",
            subject_template_name="tenants/emails/password_reset_subject.txt",
            success_url=reverse_lazy("tenants:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "account/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="tenants/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "account/password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="tenants/password_reset_confirm.html",
            success_url=reverse_lazy("tenants:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "account/password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="tenants/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
]
