"""Reads for councils, partnerships, schools, people and the audit log (HackSoft selectors).

Each selector takes the person asking (`fetched_by`) and scopes its query to that person's
councils as well, so a view that forgets its access function still leaks nothing.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet

from . import access
from .models import AuditEvent, Council, Membership, Partnership, School, User


def council_list_for_admin(*, fetched_by: User) -> QuerySet[Council]:
    return Council.objects.filter(id__in=access.admin_council_ids_for(fetched_by))


def membership_list(*, fetched_by: User, council: Council) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(
            council=council, council_id__in=access.admin_council_ids_for(fetched_by)
        )
        .select_related("user", "council", "partnership", "school")
        .order_by("user__last_name", "user__first_name", "user__email", "role")
    )


def person_list(*, fetched_by: User, council: Council) -> QuerySet[User]:
    """People holding a role at the council, each with only that council's memberships."""
    memberships = Membership.objects.filter(council=council).select_related(
        "council", "partnership", "school"
    )
    return (
        User.objects.filter(
            memberships__council=council,
            memberships__council_id__in=access.admin_council_ids_for(fetched_by),
        )
        .distinct()
        .order_by("last_name", "first_name", "email")
        .prefetch_related(
            Prefetch("memberships", queryset=memberships, to_attr="council_memberships")
        )
    )


def partnership_list(*, fetched_by: User, council: Council) -> QuerySet[Partnership]:
    return (
        Partnership.objects.filter(
            council=council, council_id__in=access.council_ids_for(fetched_by)
        )
        .annotate(school_count=Count("schools"))
        .order_by("name")
    )


@dataclass(frozen=True)
class SchoolFilters:
    partnership_id: int | None = None
    phase: str = ""
    search: str = ""


def school_list(
    *, fetched_by: User, council: Council, filters: SchoolFilters | None = None
) -> QuerySet[School]:
    filters = filters or SchoolFilters()
    schools = School.objects.filter(
        council=council, council_id__in=access.council_ids_for(fetched_by)
    ).select_related("partnership", "trust")
    if filters.partnership_id:
        schools = schools.filter(partnership_id=filters.partnership_id)
    if filters.phase:
        schools = schools.filter(phase=filters.phase)
    if filters.search:
        term = filters.search.strip()
        by_name = Q(name__icontains=term)
        schools = schools.filter(by_name | Q(urn=int(term)) if term.isdigit() else by_name)
    return schools.order_by("name")


@dataclass(frozen=True)
class AuditFilters:
    action: str = ""
    person: str = ""  # part of an email address
    date_from: date | None = None
    date_to: date | None = None


def audit_event_list(
    *, fetched_by: User, council: Council, filters: AuditFilters | None = None
) -> QuerySet[AuditEvent]:
    filters = filters or AuditFilters()
    events = AuditEvent.objects.filter(
        council=council, council_id__in=access.admin_council_ids_for(fetched_by)
    ).select_related("actor_council", "council")
    if filters.action:
        events = events.filter(action=filters.action)
    if filters.person:
        events = events.filter(actor_email__icontains=filters.person.strip())
    if filters.date_from:
        events = events.filter(occurred_at__date__gte=filters.date_from)
    if filters.date_to:
        events = events.filter(occurred_at__date__lte=filters.date_to)
    return events.order_by("-occurred_at", "-id")
