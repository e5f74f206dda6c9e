from django.urls import path

from . import feeds, records, views

app_name = "casework"

urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("new/", views.case_new, name="case_new"),
    path("new/<int:draft_id>/check/", views.referral_check, name="referral_check"),
    path("new/<int:draft_id>/delete/", views.referral_discard, name="referral_discard"),
    path("new/<int:draft_id>/<slug:page_key>/", views.referral_page, name="referral_page"),
    path("register/", views.register_index, name="register_index"),
    path("register/<slug:council_slug>/", views.register_view, name="register"),
    path(
        "register/<slug:council_slug>/outcomes/",
        views.outcome_report_view,
        name="outcome_report",
    ),
    path(
        "subject-access/<slug:council_slug>/",
        views.subject_access_view,
        name="subject_access",
    ),
    path(
        "register/<slug:council_slug>/export/<str:fmt>/",
        views.register_export,
        name="register_export",
    ),
    path("requests/", views.request_list, name="request_list"),
    path("requests/<int:request_id>/", views.request_detail, name="request_detail"),
    path("requests/<int:request_id>/accept/", views.request_accept, name="request_accept"),
    path("requests/<int:request_id>/decline/", views.request_decline, name="request_decline"),
    path("requests/<int:request_id>/question/", views.request_question, name="request_question"),
    path("requests/<int:request_id>/answer/", views.request_answer, name="request_answer"),
    path("requests/<int:request_id>/withdraw/", views.request_withdraw, name="request_withdraw"),
    # Council admins: a protocol draft's forms as staff see them; moving open cases to a version.
    path(
        "protocols/<slug:council_slug>/drafts/<int:draft_id>/forms/",
        views.draft_forms_preview,
        name="draft_forms_preview",
    ),
    path(
        "protocols/<slug:council_slug>/versions/<int:version_id>/move/",
        views.version_move,
        name="version_move",
    ),
    path("calendar/", feeds.calendar_feed_manage, name="feed_settings"),
    path("calendar/<str:token>.ics", feeds.calendar_feed, name="calendar_feed"),
    path("<int:case_id>/", views.case_detail, name="case_detail"),
    path("<int:case_id>/ask-another-council/", views.request_new, name="request_new"),
    path("<int:case_id>/other-council/", views.other_council, name="other_council"),
    path("<int:case_id>/history/", views.case_history, name="case_history"),
    path("<int:case_id>/schools/", views.school_search, name="school_search"),
    path("<int:case_id>/forms/<slug:form_key>/", views.form_start, name="form_start"),
    path(
        "<int:case_id>/forms/<slug:form_key>/<int:occurrence>/check/",
        views.form_check,
        name="form_check",
    ),
    path(
        "<int:case_id>/forms/<slug:form_key>/<int:occurrence>/print/",
        views.form_print,
        name="form_print",
    ),
    path(
        "<int:case_id>/forms/<slug:form_key>/<int:occurrence>/pdf/",
        records.form_pdf,
        name="form_pdf",
    ),
    path(
        "<int:case_id>/forms/<slug:form_key>/<int:occurrence>/<slug:page_key>/",
        views.form_page,
        name="form_page",
    ),
    path("<int:case_id>/events/", views.event_record, name="event_record"),
    path("<int:case_id>/sign-offs/<slug:sign_off_key>/", views.sign_off, name="sign_off"),
    path("<int:case_id>/attendance/", views.attendance, name="attendance"),
    path("<int:case_id>/extension/", views.extension, name="extension"),
    path("<int:case_id>/end-early/", views.end_early, name="end_early"),
    path("<int:case_id>/outcome/", views.outcome, name="outcome"),
    path("<int:case_id>/outcome/told/", views.outcome_told, name="outcome_told"),
    path("<int:case_id>/targets/", views.commitments, name="commitments"),
    path("<int:case_id>/targets/add/", views.commitment_add, name="commitment_add"),
    path(
        "<int:case_id>/targets/<int:commitment_id>/",
        views.commitment_change,
        name="commitment_change",
    ),
    path("<int:case_id>/people/", views.case_people, name="case_people"),
    path(
        "<int:case_id>/people/<int:person_id>/remove/",
        views.case_person_remove,
        name="case_person_remove",
    ),
    path(
        "<int:case_id>/milestones/<str:milestone_key>/done/",
        views.milestone_done,
        name="milestone_done",
    ),
]
