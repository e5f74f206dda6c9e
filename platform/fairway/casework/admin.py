"""Django admin for cases: for superusers, and the baseline changelist that bench/pages.py measures."""

from django.contrib import admin

from .models import Case


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin[Case]):
    list_display = ("id", "pupil_name", "home_school", "receiving_school", "stage", "next_due")
    list_filter = ("stage", "home_council")
    list_select_related = ("home_school", "receiving_school")
    ordering = ("next_due", "id")
    search_fields = ("upn",)
    raw_id_fields = ("home_school", "receiving_school", "protocol_version", "opened_by")
