"""What the case page shows besides the timeline: attendance so far, school options, targets and
commitments, who can see the case."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from protocols.core.model import Protocol
from tenants.models import School, User

from .. import roles
from ..models import (
    AttendanceWeek,
    Case,
    CaseUserObjectPermission,
    Commitment,
)
from ..postcodes import distance_km, postcode_location


@dataclass(frozen=True)
class AttendanceSummary:
    weeks: tuple[AttendanceWeek, ...]
    possible: int
    attended: int
    threshold: float | None

    @property
    def rate(self) -> float | None:
        return round(100 * self.attended / self.possible, 1) if self.possible else None

    @property
    def below_threshold(self) -> bool:
        rate = self.rate
        return rate is not None and self.threshold is not None and rate < self.threshold


def attendance_summary(*, case: Case, protocol: Protocol) -> AttendanceSummary:
    weeks = tuple(case.attendance_weeks.all())
    threshold = (
        protocol.attendance.persistent_absence_below_percent if protocol.attendance else None
    )
    return AttendanceSummary(
        weeks=weeks,
        possible=sum(w.sessions_possible for w in weeks),
        attended=sum(w.sessions_attended for w in weeks),
        threshold=threshold,
    )


@dataclass(frozen=True)
class SchoolOption:
    school: School
    distance_km: float
    moves_in: int
    moves_out: int


@dataclass(frozen=True)
class SchoolOptions:
    options: tuple[SchoolOption, ...]
    located: bool  # False when the pupil's postcode district is not in the bundled data
    since: date


def school_options(*, case: Case, count: int = 4, today: date | None = None) -> SchoolOptions:
    """The `count` nearest schools of the same phase to the pupil's home, with the managed moves
    into and out of each in the last two years (cases whose first day fell in that window)."""
    since = (today or timezone.localdate()) - timedelta(days=730)
    home = postcode_location(case.home_postcode)
    if home is None:
        return SchoolOptions(options=(), located=False, since=since)
    candidates = [
        school
        for school in School.objects.filter(
            council_id=case.home_council_id,
            phase=case.home_school.phase,
            latitude__isnull=False,
            longitude__isnull=False,
        ).exclude(pk=case.home_school_id)
    ]
    ranked = sorted(
        candidates,
        key=lambda s: distance_km(home, (float(s.latitude or 0), float(s.longitude or 0))),
    )[:count]
    ids = [s.pk for s in ranked]
    moves = Case.objects.filter(start_date__gte=since, receiving_school__isnull=False)
    moves_in = dict(
        moves.filter(receiving_school_id__in=ids)
        .values("receiving_school_id")
        .annotate(n=Count("pk"))
        .values_list("receiving_school_id", "n")
    )
    moves_out = dict(
        moves.filter(home_school_id__in=ids)
        .values("home_school_id")
        .annotate(n=Count("pk"))
        .values_list("home_school_id", "n")
    )
    return SchoolOptions(
        options=tuple(
            SchoolOption(
                school=s,
                distance_km=round(
                    distance_km(home, (float(s.latitude or 0), float(s.longitude or 0))), 1
                ),
                moves_in=moves_in.get(s.pk, 0),
                moves_out=moves_out.get(s.pk, 0),
            )
            for s in ranked
        ),
        located=True,
        since=since,
    )


@dataclass(frozen=True)
class CommitmentRow:
    commitment: Commitment
    who: str
    changes: tuple[Any, ...]


def commitment_rows(*, case: Case, protocol: Protocol) -> list[CommitmentRow]:
    """The case's targets and commitments with who holds each and every earlier wording."""
    commitments = list(case.commitments.all())
    history: dict[int, list[Any]] = {}
    for record in (
        Commitment.history.filter(case_id=case.pk)
        .select_related("history_user")
        .order_by("-history_date")
    ):
        history.setdefault(record.id, []).append(record)
    rows = []
    for commitment in commitments:
        if commitment.kind == Commitment.Kind.TARGET:
            who = str(_("The pupil"))
        else:
            who = roles.label_of(protocol, commitment.role_key)
            if commitment.named:
                who = f"{who}: {commitment.named}"
        # The newest record is the current wording; the rest are what it said before.
        rows.append(
            CommitmentRow(
                commitment=commitment, who=who, changes=tuple(history.get(commitment.pk, [])[1:])
            )
        )
    # Targets for the pupil first, then what each side committed to, each in the order agreed.
    rows.sort(key=lambda row: row.commitment.kind != Commitment.Kind.TARGET)
    return rows


@dataclass(frozen=True)
class CasePeople:
    named: tuple[tuple[User, bool], ...]  # (person, may change)
    by_role: tuple[str, ...]  # who reaches the case through their role, in words


def case_people(*, case: Case) -> CasePeople:
    """Who can see this case: named people added to it, and the roles that reach it anyway."""
    grants: dict[int, set[str]] = {}
    for user_id, codename in CaseUserObjectPermission.objects.filter(
        content_object_id=case.pk
    ).values_list("user_id", "permission__codename"):
        grants.setdefault(user_id, set()).add(codename)
    people = User.objects.filter(pk__in=grants).order_by("first_name", "last_name", "email")
    councils = [case.home_council.name]
    if case.is_cross_authority and case.receiving_council is not None:
        councils.append(case.receiving_council.name)
    by_role = [
        str(_("Staff of %(school)s") % {"school": case.home_school.name}),
    ]
    if case.receiving_school is not None:
        by_role.append(str(_("Staff of %(school)s") % {"school": case.receiving_school.name}))
    for name in councils:
        by_role.append(
            str(
                _("%(council)s's case workers (admins and officers; advisers can only read)")
                % {"council": name}
            )
        )
    partnerships = {
        p.name
        for p in (case.home_school.partnership, getattr(case.receiving_school, "partnership", None))
        if p is not None
    }
    for name in sorted(partnerships):
        by_role.append(str(_("Officers of %(partnership)s") % {"partnership": name}))
    return CasePeople(
        named=tuple((person, "change_case" in grants[person.pk]) for person in people),
        by_role=tuple(by_role),
    )
