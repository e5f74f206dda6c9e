"""Reads for requests to another council (cross-authority moves): which councils are on Fairway,
the requests a person sees, who may work on an accepted one, the protocols a request may propose."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from protocols.models import ProtocolVersion
from protocols.selectors import NoProtocolInForce, protocol_version_in_force, versions_in_force
from tenants import access as tenant_access
from tenants.models import Council, Membership, Role, School, User

from .. import access
from ..models import Case, CrossAuthorityRequest
from ..roles import CHANGE_COUNCIL_ROLES


def _deciders() -> QuerySet[Membership]:
    """Who can take a decision on a request for their council: active admins and officers."""
    return Membership.objects.filter(role__in=sorted(CHANGE_COUNCIL_ROLES), user__is_active=True)


def council_on_fairway(*, council: Council) -> bool:
    """A council is on Fairway when someone there can take a decision on a request: an active
    council admin or officer. A council without one (its schools come from the GIAS import) has
    a move recorded by the home council alone."""
    return _deciders().filter(council=council).exists()


def governing_council_choices(*, home_council_id: int, on: date) -> list[Council]:
    """The councils whose protocol a council with none of its own may refer a move under: those
    on Fairway (council_on_fairway) with a version in force on `on`, the home council excepted;
    one query however many councils there are."""
    return list(
        Council.objects.exclude(pk=home_council_id)
        .filter(pk__in=versions_in_force(on=on).values("council_id"))
        .filter(pk__in=_deciders().values("council_id"))
        .order_by("name")
    )


def request_list(*, user: User) -> QuerySet[CrossAuthorityRequest]:
    """Every request the person may read, newest first, with what the list shows (fixed query
    count whatever the number of rows)."""
    return access.requests_for(user=user).select_related(
        "home_council", "other_council", "proposed_school", "case__home_school", "lead"
    )


@dataclass(frozen=True)
class RequestLists:
    received: tuple[CrossAuthorityRequest, ...]  # asked of the person's council or partnership
    sent: tuple[CrossAuthorityRequest, ...]  # asked by the person's side


def request_lists(*, user: User) -> RequestLists:
    councils = tenant_access.council_ids_for(user)
    partnerships = tenant_access.partnership_ids_for(user)
    received, sent = [], []
    for item in request_list(user=user):
        school = item.proposed_school
        if item.other_council_id in councils or (
            school.partnership_id and school.partnership_id in partnerships
        ):
            received.append(item)
        else:
            sent.append(item)
    return RequestLists(received=tuple(received), sent=tuple(sent))


def case_requests(*, case: Case) -> list[CrossAuthorityRequest]:
    """A case's requests, for its own page (read only by those who may read the case)."""
    return list(
        case.cross_authority_requests.select_related("other_council", "proposed_school").all()
    )


def lead_choices(*, move_request: CrossAuthorityRequest) -> QuerySet[User]:
    """Who may work on an accepted request: the asked council's admins and officers, and the
    officers of the proposed school's partnership."""
    people = Membership.objects.filter(user__is_active=True, council=move_request.other_council)
    chosen = people.filter(role__in=sorted(CHANGE_COUNCIL_ROLES))
    partnership_id = move_request.proposed_school.partnership_id
    ids = set(chosen.values_list("user_id", flat=True))
    if partnership_id:
        ids |= set(
            people.filter(role=Role.PARTNERSHIP_OFFICER, partnership_id=partnership_id).values_list(
                "user_id", flat=True
            )
        )
    return User.objects.filter(pk__in=ids).order_by("first_name", "last_name", "email")


def protocol_choices(*, case: Case, council: Council, on: date) -> list[ProtocolVersion]:
    """The protocols a request may propose: the case's own (the home council's, pinned) and the
    asked council's version in force on the proposed first day, if it has one on Fairway."""
    choices = [case.protocol_version]
    try:
        theirs = protocol_version_in_force(council=council, on=on)
    except NoProtocolInForce:
        return choices
    if theirs.pk != case.protocol_version_id:
        choices.append(theirs)
    return choices


def may_ask(*, user: User, case: Case) -> bool:
    """Whether "Ask another council" is offered on this case to this person."""
    from ..models import Stage

    if case.stage not in (Stage.REFERRAL, Stage.AGREEMENT) or case.is_cross_authority:
        return False
    councils = tenant_access.council_ids_for(user, roles=CHANGE_COUNCIL_ROLES)
    home = case.home_school
    return bool(
        case.home_council_id in councils
        or home.pk in tenant_access.school_ids_for(user)
        or (home.partnership_id and home.partnership_id in tenant_access.partnership_ids_for(user))
    )


__all__ = [
    "RequestLists",
    "case_requests",
    "council_on_fairway",
    "lead_choices",
    "may_ask",
    "protocol_choices",
    "request_list",
    "request_lists",
]


def receiving_school_choices(*, case: Case, query: str, limit: int = 20) -> list[School]:
    """The receiving-school choice: the home council's schools of the pupil's phase, the home
    school left out, nearest the pupil's home first (a URN typed in full first of all); with
    nothing typed, the nearest. Another council's school is asked for with a request instead."""
    from ..postcodes import distance_km, postcode_location
    from .cases import school_search

    schools = School.objects.filter(
        council_id=case.home_council_id, phase=case.home_school.phase
    ).exclude(pk=case.home_school_id)
    term = " ".join(query.split())
    if term:
        matched = {s.pk for s in school_search(council_ids=[case.home_council_id], query=term)}
        schools = schools.filter(pk__in=matched)
    home = postcode_location(case.home_postcode)
    found = list(schools.select_related("council"))

    def nearest(school: School) -> tuple[int, float, str]:
        exact = 0 if term.isdigit() and str(school.urn) == term else 1
        if home is None or school.latitude is None or school.longitude is None:
            return exact, float("inf"), school.name
        where = (float(school.latitude), float(school.longitude))
        return exact, distance_km(home, where), school.name

    return sorted(found, key=nearest)[:limit]
