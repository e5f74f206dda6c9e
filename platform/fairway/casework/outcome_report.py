"""The outcome report for council and partnership staff: how managed moves end.

For the moves whose first day fell between two dates (cases the person may read, of one council,
on either side of a cross-authority move, narrowed to a partnership): the share that stayed at
the new school by protocol version, by route (a question of the council's forms), by phase and by
receiving school; the time from referral to decision; extensions and early ends with their
reasons. Everything is counted in the database in a fixed number of queries, so the report costs
the same whatever the number of moves. Staff-only, so counts are not suppressed; no pupil is named.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import (
    Avg,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Max,
    Min,
    Q,
    QuerySet,
    Sum,
)
from django.utils.translation import gettext as _

from tenants.models import Council, Partnership, School, User

from . import register
from .access import case_scope
from .models import Case, EarlyEnd, Extension

# Bands of the time from referral to decision, in weeks (upper bounds; the last is open).
DECISION_WEEKS = (4, 8, 12, 16)
RECENT_REASONS = 10


@dataclass(frozen=True)
class SuccessRow:
    label: str
    moves: int
    decided: int
    stayed: int

    @property
    def returned_or_other(self) -> int:
        return self.decided - self.stayed

    @property
    def stayed_percent(self) -> int | None:
        return round(100 * self.stayed / self.decided) if self.decided else None


@dataclass(frozen=True)
class Band:
    label: str
    count: int


@dataclass(frozen=True)
class DecisionTimes:
    decided: int
    average_days: int | None
    shortest_days: int | None
    longest_days: int | None
    bands: tuple[Band, ...]


@dataclass(frozen=True)
class ReasonCount:
    label: str
    count: int


@dataclass(frozen=True)
class RecentReason:
    reference: str
    case_id: int
    label: str
    day: date
    reasons: str


@dataclass(frozen=True)
class OutcomeReport:
    council: Council
    partnership: Partnership | None
    starts_on: date
    ends_on: date
    moves: int
    by_version: tuple[SuccessRow, ...]
    route: register.CompareChoice | None
    by_route: tuple[SuccessRow, ...]
    by_phase: tuple[SuccessRow, ...]
    by_school: tuple[SuccessRow, ...]
    decision_times: DecisionTimes
    extensions: tuple[ReasonCount, ...]
    extension_reasons: tuple[RecentReason, ...]
    early_ends: tuple[ReasonCount, ...]
    early_end_reasons: tuple[RecentReason, ...]


def route_choices(*, council: Council) -> list[register.CompareChoice]:
    from .fair_access import route_choices as choices

    return choices(council=council)


def report_moves(
    *,
    fetched_by: User,
    council: Council,
    partnership: Partnership | None,
    starts_on: date,
    ends_on: date,
) -> QuerySet[Case]:
    """Cases `fetched_by` may read, of `council` (either side), whose first day fell between
    the two dates (inclusive), narrowed to moves from or to a school of `partnership`."""
    moves = (
        Case.objects.filter(case_scope(user=fetched_by, for_change=False))
        .filter(Q(home_council=council) | Q(receiving_council=council))
        .filter(start_date__gte=starts_on, start_date__lte=ends_on)
    )
    if partnership is not None:
        moves = moves.filter(
            Q(home_school__partnership=partnership) | Q(receiving_school__partnership=partnership)
        )
    return moves


def _rows(tallies: dict[str, list[int]], order: dict[str, object]) -> tuple[SuccessRow, ...]:
    return tuple(
        SuccessRow(label=label, moves=t[0], decided=t[1], stayed=t[2])
        for label, t in sorted(tallies.items(), key=lambda item: (order[item[0]], item[0]))
    )


def outcome_report_build(
    *,
    fetched_by: User,
    council: Council,
    partnership: Partnership | None,
    starts_on: date,
    ends_on: date,
    route_question: str = "",
) -> OutcomeReport:
    """The report over the cases `fetched_by` may read; the caller checks they keep the
    council's register (the same people, the same isolation)."""
    moves = report_moves(
        fetched_by=fetched_by,
        council=council,
        partnership=partnership,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    choices = {c.value: c for c in route_choices(council=council)}
    route = choices.get(route_question)
    counts = list(
        register._with_compared(moves, route)
        .order_by()
        .values(  # type: ignore[misc]
            "protocol_version_id",
            "receiving_school_id",
            "home_school__phase",
            "outcome_key",
            "compared",
        )
        .annotate(n=Count("pk"))
    )
    protocols = register._Protocols()
    protocols.fetch({row["protocol_version_id"] for row in counts})
    school_names = dict(
        School.objects.filter(pk__in={r["receiving_school_id"] for r in counts}).values_list(
            "pk", "name"
        )
    )
    phases = dict(School.Phase.choices)
    tallies: dict[str, dict[str, list[int]]] = defaultdict(dict)
    order: dict[str, dict[str, object]] = defaultdict(dict)

    def add(kind: str, label: str, sort: object, n: int, stayed: bool | None) -> None:
        tally = tallies[kind].setdefault(label, [0, 0, 0])
        order[kind].setdefault(label, sort)
        tally[0] += n
        tally[1] += n if stayed is not None else 0
        tally[2] += n if stayed is True else 0

    total = 0
    for row in counts:
        n = row["n"]
        total += n
        protocol = protocols.loaded[row["protocol_version_id"]]
        stayed = protocols.stayed(row["protocol_version_id"], row["outcome_key"])
        version_label = (
            f"{protocol.short_name or protocol.title} ({_('version')} {protocol.version})"
        )
        add("version", version_label, protocol.effective_from.toordinal(), n, stayed)
        phase = row["home_school__phase"]
        add("phase", str(phases.get(phase, phase)), str(phases.get(phase, phase)), n, stayed)
        school = school_names.get(row["receiving_school_id"], _("No receiving school"))
        add("school", school, school, n, stayed)
        if route is not None:
            sort, label = register._group_of(route, protocol, row["compared"])
            add("route", label, sort, n, stayed)

    times = _decision_times(moves)
    extensions, extension_reasons = _extensions(moves, protocols)
    early_ends, early_end_reasons = _early_ends(moves, protocols)
    return OutcomeReport(
        council=council,
        partnership=partnership,
        starts_on=starts_on,
        ends_on=ends_on,
        moves=total,
        by_version=_rows(tallies["version"], order["version"]),
        route=route,
        by_route=_rows(tallies["route"], order["route"]),
        by_phase=_rows(tallies["phase"], order["phase"]),
        by_school=_rows(tallies["school"], order["school"]),
        decision_times=times,
        extensions=extensions,
        extension_reasons=extension_reasons,
        early_ends=early_ends,
        early_end_reasons=early_end_reasons,
    )


def _days(value: timedelta | None) -> int | None:
    return None if value is None else round(value.total_seconds() / 86400)


def _decision_times(moves: QuerySet[Case]) -> DecisionTimes:
    """Calendar days from the referral to the decision, of the moves decided: one query."""
    waited = ExpressionWrapper(
        F("outcome__decided_on") - F("referred_on"), output_field=DurationField()
    )
    bounds = [timedelta(weeks=w) for w in DECISION_WEEKS]
    bands = {
        f"band{i}": Count(
            "pk",
            filter=(Q(waited__gt=bounds[i - 1]) if i else Q())
            & (Q(waited__lte=bounds[i]) if i < len(bounds) else Q()),
        )
        for i in range(len(bounds) + 1)
    }
    figures = (
        moves.filter(outcome__isnull=False)
        .annotate(waited=waited)
        .aggregate(
            decided=Count("pk"),
            average=Avg("waited"),
            shortest=Min("waited"),
            longest=Max("waited"),
            **bands,
        )
    )
    labels = [_("Up to %(n)s weeks") % {"n": DECISION_WEEKS[0]}]
    labels += [
        _("%(a)s to %(b)s weeks") % {"a": a, "b": b}
        for a, b in zip(DECISION_WEEKS, DECISION_WEEKS[1:], strict=False)
    ]
    labels.append(_("More than %(n)s weeks") % {"n": DECISION_WEEKS[-1]})
    return DecisionTimes(
        decided=figures["decided"],
        average_days=_days(figures["average"]),
        shortest_days=_days(figures["shortest"]),
        longest_days=_days(figures["longest"]),
        bands=tuple(Band(label=label, count=figures[f"band{i}"]) for i, label in enumerate(labels)),
    )


def _label(protocols: register._Protocols, version_id: int, kind: str, key: str) -> str:
    protocol = protocols.loaded.get(version_id)
    items = (protocol.extensions if kind == "extension" else protocol.end_rules) if protocol else ()
    return next((item.label for item in items if item.key == key), key)


def _extensions(
    moves: QuerySet[Case], protocols: register._Protocols
) -> tuple[tuple[ReasonCount, ...], tuple[RecentReason, ...]]:
    """Extensions granted on the moves, counted by the protocol's kind of extension, and the
    reasons given for the latest ones (two queries)."""
    granted = Extension.objects.filter(case__in=moves)
    counts: dict[str, int] = defaultdict(int)
    for row in (
        granted.order_by()
        .values("case__protocol_version_id", "extension_key")
        .annotate(n=Count("pk"), weeks=Sum("school_weeks"))
    ):
        label = _label(
            protocols, row["case__protocol_version_id"], "extension", row["extension_key"]
        )
        counts[label] += row["n"]
    recent = tuple(
        RecentReason(
            reference=e.case.reference,
            case_id=e.case_id,
            label=_label(protocols, e.case.protocol_version_id, "extension", e.extension_key),
            day=e.granted_on,
            reasons=e.reasons,
        )
        for e in granted.select_related("case").order_by("-granted_on", "-pk")[:RECENT_REASONS]
    )
    return tuple(ReasonCount(label=k, count=v) for k, v in sorted(counts.items())), recent


def _early_ends(
    moves: QuerySet[Case], protocols: register._Protocols
) -> tuple[tuple[ReasonCount, ...], tuple[RecentReason, ...]]:
    """Early ends of the moves, counted by the protocol's rule (the reason), and the reasons
    given for the latest ones (two queries)."""
    ended = EarlyEnd.objects.filter(case__in=moves)
    counts: dict[str, int] = defaultdict(int)
    for row in (
        ended.order_by().values("case__protocol_version_id", "end_rule_key").annotate(n=Count("pk"))
    ):
        label = _label(protocols, row["case__protocol_version_id"], "end_rule", row["end_rule_key"])
        counts[label] += row["n"]
    recent = tuple(
        RecentReason(
            reference=e.case.reference,
            case_id=e.case_id,
            label=_label(protocols, e.case.protocol_version_id, "end_rule", e.end_rule_key),
            day=e.decided_on,
            reasons=e.reasons,
        )
        for e in ended.select_related("case").order_by("-decided_on", "-pk")[:RECENT_REASONS]
    )
    return tuple(ReasonCount(label=k, count=v) for k, v in sorted(counts.items())), recent
