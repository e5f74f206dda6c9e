from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from fairway.casework.register import register_council_ids
from tenants import access as tenant_access
from tenants.models import User

# The council pages' sections: the staff header marks "Council admin" (or the calendars) current.
_COUNCIL_SECTIONS = {"people", "schools", "partnerships", "audit", "council"}


@dataclass(frozen=True)
class StaffLink:
    label: str
    url: str
    sections: frozenset[str]


def staff_links(user: User) -> list[StaffLink]:
    """The one staff header's links for this person: case work, the register if they keep one,
    the calendar feed, each of their councils' calendars, and council admin for admins."""
    links = [
        StaffLink(_("My cases"), reverse("casework:case_list"), frozenset({"cases"})),
        StaffLink(_("New referral"), reverse("casework:case_new"), frozenset({"new"})),
    ]
    if register_council_ids(user=user):
        links.append(
            StaffLink(
                _("Register of moves"),
                reverse("casework:register_index"),
                frozenset({"register"}),
            )
        )
        # Council and partnership staff decide requests from other councils (cross-authority).
        links.append(
            StaffLink(
                _("Requests from other councils"),
                reverse("casework:request_list"),
                frozenset({"requests"}),
            )
        )
    links.append(
        StaffLink(_("Calendar feed"), reverse("casework:feed_settings"), frozenset({"calendar"}))
    )
    admin = tenant_access.admin_council_ids_for(user)
    councils = tenant_access.councils_for(user)
    several = len(councils) > 1
    for council in councils:
        links.append(
            StaffLink(
                _("Term dates and protocols (%(council)s)") % {"council": council.name}
                if several
                else _("Term dates and protocols"),
                reverse("protocols:calendars", args=[council.slug]),
                frozenset({"calendars"}),
            )
        )
        if council.pk in admin:
            links.append(
                StaffLink(
                    _("Council admin (%(council)s)") % {"council": council.name}
                    if several
                    else _("Council admin"),
                    reverse("tenants:council_home", args=[council.slug]),
                    frozenset(_COUNCIL_SECTIONS),
                )
            )
    return links


def fairway(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)

    def keeps_register() -> bool:
        # Called only by templates that show the case-work menu; memberships are cached per request.
        return isinstance(user, User) and bool(register_council_ids(user=user))

    def links() -> list[StaffLink]:
        # Called only by the staff header, which only signed-in people see.
        return staff_links(user) if isinstance(user, User) and user.is_authenticated else []

    return {
        "FAIRWAY_SERVICE_NAME": getattr(settings, "FAIRWAY_SERVICE_NAME", "Fairway"),
        "keeps_register": keeps_register,
        "staff_links": links,
    }
