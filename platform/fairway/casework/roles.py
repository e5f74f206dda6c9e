"""Who holds a protocol role on a case: the one answer, for access, writes, reminders and emails.

A protocol names roles by key (`fair_access_team`, `seip`, `home_school`) and gives each a kind:
`home_school`, `receiving_school`, `council`, `partnership`, `family` or `agency`. In Fairway a
kind is held by memberships:

- home_school / receiving_school: head teachers and school staff of that school of the case;
- partnership: partnership officers of either school's partnership;
- council: council admins and officers of the case's councils (the home council and, for a
  cross-authority move, the receiving council);
- family and agency: nobody (parents and agencies have no accounts; they are told outside
  Fairway, and what they sign is recorded on their behalf).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from protocols.core.model import Protocol
from tenants import access as tenant_access
from tenants.models import COUNCIL_ROLES, SCHOOL_ROLES, Membership, Role, User

from .models import Case

# Council staff who run cases (an inclusion adviser works on the cases they are added to).
CHANGE_COUNCIL_ROLES = frozenset({Role.COUNCIL_ADMIN, Role.COUNCIL_OFFICER})

HOME_SCHOOL = "home_school"
RECEIVING_SCHOOL = "receiving_school"
COUNCIL = "council"
PARTNERSHIP = "partnership"
# Kinds with people in Fairway (the others have no accounts).
IN_FAIRWAY = frozenset({HOME_SCHOOL, RECEIVING_SCHOOL, COUNCIL, PARTNERSHIP})


def kind_of(protocol: Protocol, role_key: str) -> str:
    """The kind of one of the protocol's roles; a key that is itself a kind stands for it."""
    role = next((r for r in protocol.roles if r.key == role_key), None)
    return role.kind if role is not None else role_key


def kinds_of(protocol: Protocol, role_keys: Iterable[str | None]) -> frozenset[str]:
    return frozenset(kind_of(protocol, key) for key in role_keys if key is not None)


def label_of(protocol: Protocol, role_key: str) -> str:
    """A role's label; a role the protocol does not name (kept from an older version) shows its
    key."""
    return next((r.label for r in protocol.roles if r.key == role_key), role_key)


def _case_council_ids(case: Case) -> list[int]:
    return [c for c in (case.home_council_id, case.receiving_council_id) if c]


def _partnership_ids(case: Case) -> list[int]:
    return [
        school.partnership_id
        for school in (case.home_school, case.receiving_school)
        if school is not None and school.partnership_id
    ]


def holders(*, case: Case, kind: str) -> QuerySet[Membership]:
    """The active memberships that hold a protocol role of this kind on this case."""
    active = Membership.objects.filter(user__is_active=True)
    if kind == HOME_SCHOOL:
        return active.filter(school_id=case.home_school_id, role__in=sorted(SCHOOL_ROLES))
    if kind == RECEIVING_SCHOOL:
        if case.receiving_school_id is None:
            return active.none()
        return active.filter(school_id=case.receiving_school_id, role__in=sorted(SCHOOL_ROLES))
    if kind == PARTNERSHIP:
        return (
            active.filter(role=Role.PARTNERSHIP_OFFICER)
            .filter(
                Q(partnership_id__in=_partnership_ids(case))
                | Q(
                    partnership__council_id__in=_case_council_ids(case),
                    partnership__schools__isnull=True,
                )
            )
            .distinct()
        )
    if kind == COUNCIL:
        return active.filter(
            council_id__in=_case_council_ids(case), role__in=sorted(CHANGE_COUNCIL_ROLES)
        )
    return active.none()


def holder_emails(*, case: Case, kind: str) -> list[str]:
    return sorted(set(holders(case=case, kind=kind).values_list("user__email", flat=True)))


def kinds_held(*, user: tenant_access.AnyUser, case: Case) -> frozenset[str]:
    """The protocol role kinds a person acts in on this case (for writes: what they may record).

    Council staff of any council role act for the council here; whether they may change the case
    at all (an inclusion adviser only when added to it) is the access functions' question."""
    kinds: set[str] = set()
    school_ids = tenant_access.school_ids_for(user)
    if case.home_school_id in school_ids:
        kinds.add(HOME_SCHOOL)
    if case.receiving_school_id and case.receiving_school_id in school_ids:
        kinds.add(RECEIVING_SCHOOL)
    if tenant_access.council_ids_for(user, roles=COUNCIL_ROLES) & set(_case_council_ids(case)):
        kinds.add(COUNCIL)
    if tenant_access.partnership_ids_for(user) & set(_partnership_ids(case)):
        kinds.add(PARTNERSHIP)
    elif tenant_access.broker_council_ids_for(user) & set(_case_council_ids(case)):
        kinds.add(PARTNERSHIP)  # a Fair Access Panel without schools brokers its council's moves
    return frozenset(kinds)


def waiting_on(user: User) -> Q:
    """The same answer as a filter on Case: cases whose next milestone's owner is a role this
    person holds on it (their school, their council, their partnership)."""
    school_ids = tenant_access.school_ids_for(user)
    council_ids = tenant_access.council_ids_for(user, roles=CHANGE_COUNCIL_ROLES)
    partnership_ids = tenant_access.partnership_ids_for(user)
    mine = Q(pk__in=[])
    if school_ids:
        mine |= Q(next_due_owner_kind=HOME_SCHOOL, home_school_id__in=school_ids)
        mine |= Q(next_due_owner_kind=RECEIVING_SCHOOL, receiving_school_id__in=school_ids)
    if council_ids:
        mine |= Q(next_due_owner_kind=COUNCIL) & (
            Q(home_council_id__in=council_ids) | Q(receiving_council_id__in=council_ids)
        )
    if partnership_ids:
        brokered = tenant_access.broker_council_ids_for(user)
        mine |= Q(next_due_owner_kind=PARTNERSHIP) & (
            Q(home_school__partnership_id__in=partnership_ids)
            | Q(receiving_school__partnership_id__in=partnership_ids)
            | Q(home_council_id__in=brokered)
            | Q(receiving_council_id__in=brokered)
        )
    return mine
