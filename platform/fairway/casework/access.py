"""Who may see and change which cases (Zulip's pattern: the query itself is scoped).

Reading a case: council staff (admin, officer, inclusion adviser) of its home council or, for a
cross-authority move, of its receiving council; partnership officers of a partnership that either
school belongs to; head teachers and school staff of either school; anyone given the guardian
object permission ``view_case`` on it. Changing needs the same places, except that inclusion
advisers change only cases they were added to (``change_case``). A case outside a person's reach
answers ``Http404``, exactly like a case that does not exist.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from tenants import access as tenant_access
from tenants.models import COUNCIL_ROLES, User

from .models import Case, CaseUserObjectPermission, CrossAuthorityRequest
from .roles import CHANGE_COUNCIL_ROLES

AnyUser = tenant_access.AnyUser


def case_scope(*, user: AnyUser, for_change: bool, grants_listed: bool = False) -> Q:
    """A filter on Case for the cases `user` may read (or change). Empty Q() is never returned.

    `grants_listed` reads the cases the person was named on first (one small query) and puts
    their ids in the filter: PostgreSQL can then answer every branch from an index (a bitmap
    OR), where the named-people subquery inside the OR makes it scan the whole table. Worth it
    for a count over a council's cases (My cases); a filter on one case does not need it."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    return council_scope(
        council_ids=scope_council_ids(user=user, for_change=for_change)
    ) | scope_beyond_councils(user=user, for_change=for_change, grants_listed=grants_listed)


def scope_council_ids(*, user: AnyUser, for_change: bool) -> set[int]:
    """The councils whose every case `user` reaches: through a council role, or as an officer of
    a partnership with no schools of its own (a council-wide Fair Access Panel), which brokers
    the moves of its whole council."""
    if not user.is_authenticated or not user.is_active:
        return set()
    roles = COUNCIL_ROLES if not for_change else CHANGE_COUNCIL_ROLES
    council_ids = set(tenant_access.council_ids_for(user, roles=roles))
    if tenant_access.partnership_ids_for(user):
        council_ids |= tenant_access.broker_council_ids_for(user)
    return council_ids


def council_scope(*, council_ids: set[int]) -> Q:
    """The cases of these councils: their own, and the moves into them they accepted."""
    if not council_ids:
        return Q(pk__in=[])
    return Q(home_council_id__in=council_ids) | Q(receiving_council_id__in=council_ids)


def scope_beyond_councils(*, user: AnyUser, for_change: bool, grants_listed: bool) -> Q:
    """`case_scope` less its councils' part: the cases of the person's partnerships and schools,
    and those they were named on. Small sets, beside a council's."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    partnership_ids = tenant_access.partnership_ids_for(user)
    school_ids = tenant_access.school_ids_for(user)
    scope = Q(pk__in=[])
    if partnership_ids:
        scope |= Q(home_school__partnership_id__in=partnership_ids) | Q(
            receiving_school__partnership_id__in=partnership_ids
        )
    if school_ids:
        scope |= Q(home_school_id__in=school_ids) | Q(receiving_school_id__in=school_ids)
    codename = "change_case" if for_change else "view_case"
    # Named people added to a case (guardian's direct foreign-key permission table).
    granted = CaseUserObjectPermission.objects.filter(
        user_id=user.pk, permission__codename=codename
    ).values("content_object_id")
    if grants_listed:
        scope |= Q(pk__in=[row["content_object_id"] for row in granted])
    else:
        scope |= Q(pk__in=granted)
    return scope


def cases_for(*, user: AnyUser, for_change: bool, grants_listed: bool = False) -> QuerySet[Case]:
    return Case.objects.filter(
        case_scope(user=user, for_change=for_change, grants_listed=grants_listed)
    )


# The case page's relations, loaded with the case by the access check (the page needs them all).
CASE_RELATIONS = (
    "home_council",
    "receiving_council",
    "home_school",
    "home_school__partnership",
    "receiving_school",
    "receiving_school__partnership",
    "protocol_version",
)


def access_case_by_id(*, user: AnyUser, case_id: int, for_change: bool) -> Case:
    """The case, if `user` may read it (or change it); Http404 otherwise. First line of every view.

    The case is fetched by its key and `case_scope`'s rule answered on it in Python, so the
    check is one indexed lookup (and one more, on the named-people table, only for someone who
    reaches the case by no role). The protocol version's YAML is not pulled: a parsed version is
    cached per process (`ProtocolVersion.load`)."""
    case = (
        Case.objects.select_related(*CASE_RELATIONS)
        .defer("protocol_version__files")
        .filter(pk=case_id)
        .first()
    )
    if case is None or not reaches(user=user, case=case, for_change=for_change):
        raise Http404(_("No case found."))
    return case


def reaches(*, user: AnyUser, case: Case, for_change: bool) -> bool:
    """`case_scope`'s rule for one loaded case: whether `user` may read (or change) it."""
    if not user.is_authenticated or not user.is_active:
        return False
    roles = COUNCIL_ROLES if not for_change else CHANGE_COUNCIL_ROLES
    councils = {case.home_council_id, case.receiving_council_id}
    if tenant_access.council_ids_for(user, roles=roles) & councils:
        return True
    partnership_ids = tenant_access.partnership_ids_for(user)
    if partnership_ids:
        partnerships = {case.home_school.partnership_id}
        if case.receiving_school_id is not None:
            partnerships.add(case.receiving_school.partnership_id)  # type: ignore[union-attr]
        if partnership_ids & partnerships:
            return True
        if tenant_access.broker_council_ids_for(user) & councils:
            return True
    if tenant_access.school_ids_for(user) & {case.home_school_id, case.receiving_school_id}:
        return True
    codename = "change_case" if for_change else "view_case"
    return CaseUserObjectPermission.objects.filter(
        user_id=user.pk, permission__codename=codename, content_object_id=case.pk
    ).exists()


def can_change(*, user: AnyUser, case: Case) -> bool:
    return reaches(user=user, case=case, for_change=True)


def can_manage_people(*, user: AnyUser, case: Case) -> bool:
    """Adding a named person to a case is for the case's councils' admins and officers."""
    council_ids = tenant_access.council_ids_for(user, roles=CHANGE_COUNCIL_ROLES)
    return bool(council_ids & {case.home_council_id, case.receiving_council_id})


def is_person(user: AnyUser) -> User:
    assert isinstance(user, User)
    return user


def request_scope(*, user: AnyUser) -> Q:
    """A filter on CrossAuthorityRequest for the requests a person may read: the home council's
    staff and the home school's side, the council asked and the proposed school's partnership.
    A third council matches nothing: it does not learn that a request exists."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    council_ids = tenant_access.council_ids_for(user, roles=COUNCIL_ROLES)
    partnership_ids = tenant_access.partnership_ids_for(user)
    school_ids = tenant_access.school_ids_for(user)
    scope = Q(pk__in=[])
    if council_ids:
        scope |= Q(home_council_id__in=council_ids) | Q(other_council_id__in=council_ids)
    if partnership_ids:
        scope |= Q(case__home_school__partnership_id__in=partnership_ids) | Q(
            proposed_school__partnership_id__in=partnership_ids
        )
    if school_ids:
        scope |= Q(case__home_school_id__in=school_ids)
    return scope


def requests_for(*, user: AnyUser) -> QuerySet[CrossAuthorityRequest]:
    return CrossAuthorityRequest.objects.filter(request_scope(user=user))


def access_request_by_id(*, user: AnyUser, request_id: int) -> CrossAuthorityRequest:
    """The request, if `user` may read it; Http404 otherwise (like one that does not exist)."""
    found = (
        requests_for(user=user)
        .select_related(
            "case__home_school",
            "home_council",
            "other_council",
            "proposed_school",
            "proposed_protocol",
            "lead",
        )
        .filter(pk=request_id)
        .first()
    )
    if found is None:
        raise Http404(_("No request found."))
    return found
