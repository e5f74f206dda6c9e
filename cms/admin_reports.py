"""Wagtail's admin reports, narrowed to the council sites an editor works on.

Wagtail scopes its locked-pages and aging-pages reports, and the rows of its workflow reports, by
page permissions already; the workflow reports' filters still list every council's workflows,
tasks and requesters, and two reports are not scoped at all: "Page types usage" counts every site's pages and names the last page edited
anywhere (titles and edit times of another council's pages), and "Site history" lists every log
entry whose model the editor has any permission for (another council's images and documents).
These views answer the same URLs (fairway/urls.py puts them before Wagtail's admin) and show a
council's editors only what lies under their own site roots; superusers see everything.
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, OuterRef, Q, Subquery, Value
from django.db.models import IntegerField as DbIntegerField
from wagtail.admin.views.reports.audit_logging import LogEntriesView
from wagtail.admin.views.reports.page_types_usage import (
    PageTypesUsageReportFilterSet,
    PageTypesUsageReportView,
)
from wagtail.admin.views.reports.workflows import (
    WorkflowReportFilterSet,
    WorkflowTasksReportFilterSet,
    WorkflowTasksView,
    WorkflowView,
)
from wagtail.log_actions import registry as log_action_registry
from wagtail.models import Page, PageLogEntry, Site

from .wagtail_hooks import editable_roots_for


def _under(roots: list[str], field: str) -> Q:
    scope = Q(pk__in=[])
    for path in roots:
        scope |= Q(**{f"{field}__startswith": path})
    return scope


class CouncilPageTypesUsageFilterSet(PageTypesUsageReportFilterSet):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        if user is None or user.is_superuser or "site" not in self.filters:
            return
        roots = editable_roots_for(user)
        self.filters["site"].extra["choices"] = [
            (site.root_page.path, str(site))
            for site in Site.objects.select_related("root_page")
            if any(site.root_page.path.startswith(root) for root in roots)
        ]


class CouncilPageTypesUsageReportView(PageTypesUsageReportView):
    filterset_class = CouncilPageTypesUsageFilterSet

    def get_queryset(self) -> Any:
        user = self.request.user
        if user.is_superuser:
            return super().get_queryset()
        self.queryset = ContentType.objects.filter(model__in=self.page_models)
        queryset = self.filter_queryset(self.queryset)
        roots = editable_roots_for(user)
        # A site filter naming another council's site is not among the choices, so the form is
        # invalid and the editor's own roots stay.
        chosen = (
            getattr(self.filters.form, "cleaned_data", {}).get("site") if self.filters else None
        )
        if chosen and any(chosen.startswith(root) for root in roots):
            roots = [chosen]
        latest = (
            Page.objects.filter(_under(roots, "path"), content_type=OuterRef("pk"))
            .order_by(F("latest_revision_created_at").desc(nulls_last=True), "title", "-pk")
            .values("pk")[:1]
        )
        return queryset.annotate(
            count=Count("pages", filter=_under(roots, "pages__path")),
            last_edited_page_id=Subquery(latest),
        ).order_by("-count", "app_label", "model")


class CouncilLogEntriesView(LogEntriesView):
    """Site history: an editor sees the history of the pages under their own site roots only."""

    def get_filtered_queryset(self) -> Any:
        user = self.request.user
        if user.is_superuser:
            return super().get_filtered_queryset()
        self.log_models = list(log_action_registry.get_log_entry_models())
        index = self.log_models.index(PageLogEntry) if PageLogEntry in self.log_models else 0
        pages = (
            PageLogEntry.objects.viewable_by_user(user)
            .filter(_under(editable_roots_for(user), "page__path"))
            .values("pk", "timestamp")
            .annotate(log_model_index=Value(index, output_field=DbIntegerField()))
        )
        return self.filter_queryset(pages).order_by("-timestamp")


def _narrow_workflow_filters(filterset: Any) -> None:
    """The workflow reports' filter choices (workflows, tasks, who asked) of the editor's own
    council only: Wagtail lists every council's workflow and task names and requesters."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from wagtail.models import Task, Workflow

    user = getattr(filterset.request, "user", None)
    if user is None or user.is_superuser:
        return
    roots = editable_roots_for(user)
    workflows = Workflow.objects.filter(_under(roots, "workflow_pages__page__path")).distinct()
    groups = Group.objects.filter(_under(roots, "page_permissions__page__path"))
    narrowed = {
        "workflow": workflows,
        "task": Task.objects.filter(workflow_tasks__workflow__in=workflows).distinct(),
        "requested_by": get_user_model().objects.filter(groups__in=groups).distinct(),
    }
    for name, queryset in narrowed.items():
        if name in filterset.filters:
            filterset.filters[name].extra["queryset"] = queryset
            filterset.filters[name].queryset = queryset


class CouncilWorkflowReportFilterSet(WorkflowReportFilterSet):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _narrow_workflow_filters(self)


class CouncilWorkflowTasksReportFilterSet(WorkflowTasksReportFilterSet):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _narrow_workflow_filters(self)


class CouncilWorkflowView(WorkflowView):
    filterset_class = CouncilWorkflowReportFilterSet


class CouncilWorkflowTasksView(WorkflowTasksView):
    filterset_class = CouncilWorkflowTasksReportFilterSet
