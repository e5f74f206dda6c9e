"""Scope each council's editors to their own site in Wagtail's admin.

Page permissions on a council's site root already stop editing elsewhere; the page chooser would
still list every council's pages, so it is narrowed to the sites the editor may work on.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from wagtail import hooks
from wagtail.models import GroupPagePermission, Page


def editable_roots_for(user: object) -> list[str]:
    """Tree paths of the pages the user's groups hold permissions on."""
    return sorted(
        set(
            GroupPagePermission.objects.filter(group__user=user).values_list(
                "page__path", flat=True
            )
        )
    )


@hooks.register("construct_page_chooser_queryset")
def limit_page_chooser_to_own_council(
    pages: QuerySet[Page], request: HttpRequest
) -> QuerySet[Page]:
    user = request.user
    if user.is_superuser:
        return pages
    scope = Q(pk__in=[])
    for path in editable_roots_for(user):
        scope |= Q(path__startswith=path)
    return pages.filter(scope)
