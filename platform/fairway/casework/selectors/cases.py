"""Finding cases: My cases with its filters and stages, a case's history, and the school search."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models import Case as DbCase
from django.db.models import F, IntegerField, Q, QuerySet, Value, When

from protocols.core.model import Protocol
from tenants import access as tenant_access
from tenants.models import AuditEvent, Partnership, School, User

from .. import access, contract, roles
from ..models import (
    OPEN_STAGES,
    Case,
    Stage,
)
from ._sql import column, table


@dataclass(frozen=True)
class CaseFilters:
    school_id: int | None = None
    partnership_id: int | None = None
    stage: str = ""
    include_closed: bool = False  # kept for callers: the same as status="all"
    search: str = ""
    # "open" (the default), "closed" or "all"; a stage chosen overrides it.
    status: str = "open"
    # "My cases" lists what the person can act on; they may widen it to what they can only read.
    include_view_only: bool = False
    waiting_on_me: bool = False


# The platform's lifecycle stage of a case and the protocol stage that names it in the council's
# own words (Norfolk v1 "Behaviour trial", v2 "Off-site direction (DOWIMM)").
PROTOCOL_STAGE_OF = {
    Stage.REFERRAL: contract.REFERRAL_STAGE.key,
    Stage.AGREEMENT: contract.AGREEMENT_STAGE.key,
    Stage.OFF_SITE_DIRECTION: contract.OFF_SITE_DIRECTION_STAGE.key,
    Stage.ENDED_EARLY: contract.BREAKDOWN_STAGE.key,
    Stage.CLOSED: contract.OUTCOME_STAGE.key,
}


def protocol_stage_label(*, protocol: Protocol, stage: str) -> str:
    """The case's stage as its protocol names it (the platform's name if the protocol has none)."""
    key = PROTOCOL_STAGE_OF.get(Stage(stage), stage)
    label = next((s.label for s in protocol.stages if s.key == key), None)
    return label or str(Stage(stage).label)


def stage_choices(*, protocols: Iterable[Protocol]) -> list[tuple[str, str]]:
    """Stage filter options in the protocols' own words; where councils differ, both names show."""
    choices = []
    for stage in Stage:
        labels = list(
            dict.fromkeys(protocol_stage_label(protocol=p, stage=stage) for p in protocols)
        )
        choices.append((str(stage.value), " / ".join(labels) or str(stage.label)))
    return choices


_REFERENCE = re.compile(r"^(?:mm-?)?0*(\d{1,9})$", re.IGNORECASE)


def case_list(*, fetched_by: User, filters: CaseFilters) -> QuerySet[Case]:
    """Cases the person can act on, by next deadline (overdue first: the earliest dates lead)."""
    # The named-people grants listed first: the page's count then reads indexes, not every case.
    cases = access.cases_for(
        user=fetched_by, for_change=not filters.include_view_only, grants_listed=True
    ).filter(_filtered(fetched_by=fetched_by, filters=filters))
    # Not each row's protocol YAML: parsed versions are cached per process by id and digest.
    return (
        cases.select_related("home_council", "home_school", "receiving_school", "protocol_version")
        .defer("protocol_version__files")
        .order_by(F("next_due").asc(nulls_last=True), "pk")
    )


def case_list_count(*, fetched_by: User, filters: CaseFilters) -> int:
    """How many cases `case_list` gives, counted as two disjoint parts: the cases of the person's
    councils (`home_council`), then the others they reach (moves into their councils, their
    partnerships' and schools', those they were named on). The first is a count of one index
    (PostgreSQL answers it from the index alone once the table is vacuumed, 19 -> 3 ms for a
    council's 27,000 open cases), where the scope's OR needs every case's row."""
    for_change = not filters.include_view_only
    councils = access.scope_council_ids(user=fetched_by, for_change=for_change)
    cases = Case.objects.filter(_filtered(fetched_by=fetched_by, filters=filters))
    theirs = cases.filter(home_council_id__in=councils).count() if councils else 0
    others = (
        cases.exclude(home_council_id__in=councils)
        .filter(
            Q(receiving_council_id__in=councils)
            | access.scope_beyond_councils(
                user=fetched_by, for_change=for_change, grants_listed=True
            )
        )
        .count()
    )
    return theirs + others


def _filtered(*, fetched_by: User, filters: CaseFilters) -> Q:
    """My cases' filters (not the person's reach: `access.case_scope`)."""
    chosen = Q()
    if filters.stage:
        chosen &= Q(stage=filters.stage)
    elif filters.status == "closed":
        chosen &= Q(stage=Stage.CLOSED)
    elif filters.status != "all" and not filters.include_closed:
        chosen &= Q(stage__in=OPEN_STAGES)
    if filters.school_id:
        chosen &= Q(home_school_id=filters.school_id) | Q(receiving_school_id=filters.school_id)
    if filters.partnership_id:
        chosen &= Q(home_school__partnership_id=filters.partnership_id) | Q(
            receiving_school__partnership_id=filters.partnership_id
        )
    if filters.waiting_on_me:
        chosen &= roles.waiting_on(fetched_by)
    if filters.search:
        term = filters.search.strip()
        found = Q(pupil_name__icontains=term) | Q(upn__iexact=term)
        reference = _REFERENCE.match(term)
        if reference:  # "MM-000123", "mm123" or "123"
            found |= Q(pk=int(reference.group(1)))
        chosen &= found
    return chosen


def case_filter_schools(*, fetched_by: User) -> QuerySet[School]:
    """The case list's school filter: schools that are the home or receiving school of a case the
    person can read. Never a council's whole list: a council officer's council may hold
    hundreds of schools, and England 223,574.

    A council's cases are many (tens of thousands over ten years) but their schools few: those
    are found by stepping through an index from one school to the next (`_schools_of_councils`),
    not by reading every case. The rest of the person's reach (their partnerships, schools, the
    cases they were named on, moves into their council) is small and read directly."""
    councils = access.scope_council_ids(user=fetched_by, for_change=False)
    school_ids = _schools_of_councils(council_ids=councils)
    others = Case.objects.filter(
        access.scope_beyond_councils(user=fetched_by, for_change=False, grants_listed=True)
        | Q(receiving_council_id__in=councils)
    )
    for home_school_id, receiving_school_id in (
        others.values_list("home_school_id", "receiving_school_id").order_by().distinct()
    ):
        school_ids.add(home_school_id)
        if receiving_school_id is not None:
            school_ids.add(receiving_school_id)
    return School.objects.filter(pk__in=school_ids).order_by("name", "pk")


def _schools_of_councils(*, council_ids: Iterable[int]) -> set[int]:
    """The home and receiving schools of the cases of these councils (`home_council`), one index
    probe per school found: an emulated skip scan (a recursive query asking each time for the
    smallest school id above the last one), on the (home_council, school) indexes."""
    cases = table(Case)
    council = column(Case, "home_council")
    found: set[int] = set()
    with connection.cursor() as cursor:
        for field in ("home_school", "receiving_school"):
            school = column(Case, field)
            for council_id in council_ids:
                cursor.execute(
                    f"""
                    WITH RECURSIVE step(school_id) AS (
                        SELECT MIN({school}) FROM {cases} WHERE {council} = %s
                        UNION ALL
                        SELECT (
                            SELECT MIN({school}) FROM {cases}
                            WHERE {council} = %s AND {school} > step.school_id
                        )
                        FROM step WHERE step.school_id IS NOT NULL
                    )
                    SELECT school_id FROM step WHERE school_id IS NOT NULL
                    """,  # noqa: S608 (names from the model's metadata, quoted; values bound)
                    [council_id, council_id],
                )
                found.update(row[0] for row in cursor.fetchall())
    return found


def case_filter_partnerships(
    *, fetched_by: User, schools: Iterable[School] | None = None
) -> QuerySet[Partnership]:
    """The case list's partnership filter: only partnerships the person can see cases of (a head
    teacher sees their schools' partnerships, not the council's list). `schools`, when given, is
    `case_filter_schools`' answer (the schools of the cases they can read): their partnerships
    are the ones, and the cases are not searched a second time."""
    mine = Q(pk__in=tenant_access.partnership_ids_for(fetched_by))
    if schools is not None:
        ids = {s.partnership_id for s in schools if s.partnership_id is not None}
        return Partnership.objects.filter(Q(pk__in=ids) | mine).order_by("name", "pk")
    readable = access.cases_for(user=fetched_by, for_change=False, grants_listed=True)
    return Partnership.objects.filter(
        Q(pk__in=readable.values("home_school__partnership_id"))
        | Q(pk__in=readable.values("receiving_school__partnership_id"))
        | mine
    ).order_by("name", "pk")


def case_history(*, fetched_by: User, case: Case) -> QuerySet[AuditEvent]:
    """The case's lines of the audit log (both councils' logs on a cross-authority move)."""
    access.access_case_by_id(user=fetched_by, case_id=case.pk, for_change=False)
    return AuditEvent.objects.filter(object_type="case", object_id=str(case.pk)).order_by(
        "-occurred_at", "-id"
    )


def open_stage_choices() -> list[tuple[str, str]]:
    return [(str(s.value), str(s.label)) for s in Stage]


SCHOOL_SEARCH_LIMIT = 20


def school_search(
    *, council_ids: Iterable[int], query: str, limit: int = SCHOOL_SEARCH_LIMIT
) -> list[School]:
    """A page of the councils' schools matching `query` by name, URN or postcode prefix.

    A URN typed in full comes first, then names that start with the words typed, then names that
    contain them, then postcodes that start with them; alphabetical within each. An empty query
    matches nothing: the list of every school is what this replaces (223,574 of them in England).
    """
    term = " ".join(query.split())[:100]
    ids = list(council_ids)
    if not term or not ids or limit <= 0:
        return []
    squeezed = term.replace(" ", "").upper()
    matches = Q(name__icontains=term) | Q(postcode__istartswith=term)
    if " " not in term and squeezed.isalnum():
        # "NR12DH" finds "NR1 2DH" too: postcodes are stored with their space.
        matches |= Q(postcode__istartswith=_postcode_spaced(squeezed))
    urn = int(term) if term.isdigit() and len(term) <= 9 else None
    if urn is not None:
        matches |= Q(urn=urn)
    rank = DbCase(
        *([When(urn=urn, then=Value(0))] if urn is not None else []),
        When(name__istartswith=term, then=Value(1)),
        When(name__icontains=term, then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )
    return list(
        School.objects.filter(matches, council_id__in=ids)
        .select_related("council")
        .annotate(rank=rank)
        .order_by("rank", "name", "urn")[:limit]
    )


def _postcode_spaced(squeezed: str) -> str:
    """A postcode typed without its space, spaced as stored (the inward code is 3 characters)."""
    return f"{squeezed[:-3]} {squeezed[-3:]}" if len(squeezed) >= 5 else squeezed
