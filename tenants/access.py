"""Who may see and change what: one access function per object kind (Zulip's pattern).

Every view calls the access function for the object it shows *first*. Each function looks the
object up already scoped to the caller's councils, so an object of another council fails
exactly like an object that does not exist: ``Http404``, never a 403 that confirms it exists.
Each takes keyword-only arguments and a required ``for_change`` / ``for_admin`` flag with no
default, so every caller says whether it reads or changes.

API (other apps build on these; tenants never imports them back):

``memberships_for(user) -> tuple[Membership, ...]``
    The person's memberships with council, partnership and school loaded. Cached on the user
    object, so a request pays for one query however many checks it makes.
``council_ids_for(user, *, roles=None) -> frozenset[int]``
    Councils where the person holds any role (or one of ``roles``).
``admin_council_ids_for(user) -> frozenset[int]``
    Councils where the person is a council admin.
``roles_at(user, *, council_id) -> frozenset[Role]``
    The roles the person holds at one council (at the council itself or inside it).
``partnership_ids_for(user) -> frozenset[int]`` / ``school_ids_for(user) -> frozenset[int]``
    Partnerships and schools where the person holds a partnership or school role.
``needs_two_factor(user) -> bool``
    True when the person holds a council or partnership role.
``access_council_by_slug(*, user, slug, for_admin) -> Council``
``access_partnership_by_id(*, user, partnership_id, for_change) -> Partnership``
``access_school_by_id(*, user, school_id, for_change) -> School``
``access_person_by_id(*, user, person_id, for_admin) -> User``
    Each raises ``Http404`` for anything outside the caller's reach.

Rules. Reading a council, partnership or school needs any role in that council. Changing
needs the council admin role there. Reading a person needs a role in a council where the
person holds a role (or being that person); administering a person needs the council admin
role in such a council. Superusers get no bypass: children's records are seen only by the
people of their councils, and the superuser account is for Wagtail and Django admin.

Building on it (case work): a case belongs to a home council and, for a cross-authority
move, also to a receiving council. ``access_case_by_id`` filters cases with
``Q(home_council_id__in=council_ids_for(user)) | Q(receiving_council_id__in=...)`` plus the
role rules (school roles see their own schools' cases, guardian object permissions for the
people on a case) and raises ``Http404`` otherwise.
"""

from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.utils.translation import gettext as _

from .models import (
    COUNCIL_ROLES,
    TWO_FACTOR_ROLES,
    Council,
    Membership,
    Partnership,
    Role,
    School,
    User,
)

_CACHE_ATTR = "_fairway_memberships"

AnyUser = User | AnonymousUser


def memberships_for(user: AnyUser) -> tuple[Membership, ...]:
    if not user.is_authenticated or not user.is_active:
        return ()
    cached: tuple[Membership, ...] | None = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = tuple(
            Membership.objects.filter(user_id=user.pk).select_related(
                "council", "partnership", "school"
            )
        )
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_memberships(user: AnyUser) -> None:
    """Drop the cached memberships (after granting or revoking a role to this user object)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def council_ids_for(user: AnyUser, *, roles: Iterable[Role] | None = None) -> frozenset[int]:
    wanted = frozenset(roles) if roles is not None else None
    return frozenset(
        m.council_id for m in memberships_for(user) if wanted is None or m.role in wanted
    )


def councils_for(user: AnyUser) -> list[Council]:
    """The councils the person holds a role in, by name: from their memberships, no query more."""
    found = {m.council_id: m.council for m in memberships_for(user)}
    return sorted(found.values(), key=lambda council: (council.name, council.pk))


def admin_council_ids_for(user: AnyUser) -> frozenset[int]:
    return council_ids_for(user, roles=[Role.COUNCIL_ADMIN])


def roles_at(user: AnyUser, *, council_id: int) -> frozenset[Role]:
    return frozenset(Role(m.role) for m in memberships_for(user) if m.council_id == council_id)


def council_role_ids_for(user: AnyUser) -> frozenset[int]:
    """Councils where the person holds a council-wide role (admin, officer, inclusion adviser)."""
    return council_ids_for(user, roles=COUNCIL_ROLES)


def partnership_ids_for(user: AnyUser) -> frozenset[int]:
    return frozenset(m.partnership_id for m in memberships_for(user) if m.partnership_id)


def broker_council_ids_for(user: AnyUser) -> frozenset[int]:
    """Councils whose moves this person brokers through a partnership with no schools of its own
    (a council-wide Fair Access Panel): the moves come to it from every school of its council."""
    ids = partnership_ids_for(user)
    if not ids:
        return frozenset()
    return frozenset(
        Partnership.objects.filter(pk__in=ids, schools__isnull=True).values_list(
            "council_id", flat=True
        )
    )


def brokers_without_schools(partnership: Partnership) -> bool:
    """Whether a partnership brokers its council's moves without schools of its own."""
    return not partnership.schools.exists()


def school_ids_for(user: AnyUser) -> frozenset[int]:
    return frozenset(m.school_id for m in memberships_for(user) if m.school_id)


def needs_two_factor(user: AnyUser) -> bool:
    return any(m.role in TWO_FACTOR_ROLES for m in memberships_for(user))


def _not_found(kind: str) -> Http404:
    # The same message whether the object is missing or belongs to another council.
    return Http404(_("No %(kind)s found.") % {"kind": kind})


def access_council_by_slug(*, user: AnyUser, slug: str, for_admin: bool) -> Council:
    allowed = admin_council_ids_for(user) if for_admin else council_ids_for(user)
    council = Council.objects.filter(slug=slug, id__in=allowed).first()
    if council is None:
        raise _not_found(_("council"))
    return council


def access_partnership_by_id(
    *, user: AnyUser, partnership_id: int, for_change: bool
) -> Partnership:
    allowed = admin_council_ids_for(user) if for_change else council_ids_for(user)
    partnership = (
        Partnership.objects.select_related("council")
        .filter(id=partnership_id, council_id__in=allowed)
        .first()
    )
    if partnership is None:
        raise _not_found(_("partnership"))
    return partnership


def access_school_by_id(*, user: AnyUser, school_id: int, for_change: bool) -> School:
    allowed = admin_council_ids_for(user) if for_change else council_ids_for(user)
    school = (
        School.objects.select_related("council", "partnership", "trust")
        .filter(id=school_id, council_id__in=allowed)
        .first()
    )
    if school is None:
        raise _not_found(_("school"))
    return school


def access_person_by_id(*, user: AnyUser, person_id: int, for_admin: bool) -> User:
    if not for_admin and user.is_authenticated and user.pk == person_id and user.is_active:
        return user
    allowed = admin_council_ids_for(user) if for_admin else council_ids_for(user)
    person = (
        User.objects.filter(id=person_id, memberships__council_id__in=allowed).distinct().first()
    )
    if person is None:
        raise _not_found(_("person"))
    return person
