"""Fair Access figures for a council's public data page: counted from the cases, suppressed, and
handed to cms as plain published data (cms never reads case data; it only renders the snapshot).

For each academic year (moves whose first day fell in it, on either side of a cross-authority
move): moves and their outcomes (stayed, returned, other, not yet decided); by phase and by
partnership (of the school on the council's side: the home school, or the receiving school for a
move into the council); by route (the answers to one question of the council's protocol forms,
chosen by the council: Norfolk's "Did an Inclusion Adviser plan this DOWIMM with the school?");
and the moves each of the council's schools received and sent against its share at the local norm.

Every count goes through `suppression.suppress` as one system, so a total shown in two tables is
hidden or shown alike in both. The snapshot holds only published values: a hidden count is "c".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Case as DbCase
from django.db.models import Count, ExpressionWrapper, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from protocols.models import ProtocolVersion
from tenants.models import Council, School

from . import register
from .models import Case
from .suppression import Sum, suppress

HIDDEN = "c"  # the DfE's symbol for a suppressed figure

# Outcome columns, in order. "other": decided, on neither school's roll (Southwark's permanent
# exclusion); "running": no decision yet.
OUTCOMES = ("stayed", "returned", "other", "running")
ALL = "all"


def outcome_labels() -> dict[str, str]:
    return {
        "stayed": _("Stayed at the new school"),
        "returned": _("Returned to the home school"),
        "other": _("Other outcome"),
        "running": _("Not yet decided"),
        ALL: _("All moves"),
    }


def council_moves(*, council: Council) -> QuerySet[Case]:
    """Every move of `council` that has started (either side of a cross-authority move)."""
    return Case.objects.filter(
        Q(home_council=council) | Q(receiving_council=council), start_date__isnull=False
    )


def _academic_year() -> ExpressionWrapper[Any]:
    """The academic year of the first day, in the database (September starts a year)."""
    return ExpressionWrapper(
        ExtractYear("start_date")
        - DbCase(When(Q(start_date__month__lt=9), then=Value(1)), default=Value(0)),
        output_field=IntegerField(),
    )


def route_choices(*, council: Council) -> list[register.CompareChoice]:
    """Questions of the council's protocol forms a move's route can be read from (yes/no or
    choice questions, the same list the register compares outcomes by)."""
    versions = [v.load() for v in ProtocolVersion.objects.filter(council=council)]
    return [
        c for c in register.compare_choices(protocols=versions) if c.value.startswith("answer:")
    ]


@dataclass
class _Counts:
    """Raw counts of one academic year, before suppression (never leaves this module)."""

    outcomes: dict[str, int]
    phase: dict[str, dict[str, int]]
    partnership: dict[str, dict[str, int]]
    route: dict[str, dict[str, int]]
    route_order: dict[str, tuple[int, int]]
    received: dict[int, int]
    sent: dict[int, int]


def _new_counts() -> _Counts:
    def rows() -> defaultdict[str, dict[str, int]]:
        return defaultdict(lambda: dict.fromkeys(OUTCOMES, 0))

    return _Counts(
        outcomes=dict.fromkeys(OUTCOMES, 0),
        phase=rows(),
        partnership=rows(),
        route=rows(),
        route_order={},
        received=defaultdict(int),
        sent=defaultdict(int),
    )


def _outcome_column(on_roll_of: str | None, decided: bool) -> str:
    if not decided:
        return "running"
    return {"receiving_school": "stayed", "home_school": "returned"}.get(on_roll_of or "", "other")


def fair_access_counts(*, council: Council, route_question: str = "") -> dict[int, _Counts]:
    """The raw counts of every academic year with a move, in four grouped queries (their cost
    does not grow with the number of moves beyond the database's own counting)."""
    choice = next((c for c in route_choices(council=council) if c.value == route_question), None)
    moves = council_moves(council=council).annotate(ay=_academic_year())
    side = DbCase(
        When(home_council=council, then=F("home_school_id")),
        default=F("receiving_school_id"),
    )
    rows = list(
        register._with_compared(moves.annotate(side_school=side), choice)
        .order_by()
        .values("ay", "side_school", "protocol_version_id", "outcome_key", "compared")  # type: ignore[misc]
        .annotate(n=Count("pk"))
    )
    received = (
        moves.filter(receiving_school__council=council)
        .order_by()
        .values_list("ay", "receiving_school_id")
        .annotate(n=Count("pk"))
    )
    sent = (
        moves.filter(home_school__council=council)
        .order_by()
        .values_list("ay", "home_school_id")
        .annotate(n=Count("pk"))
    )
    protocols = register._Protocols()
    protocols.fetch({row["protocol_version_id"] for row in rows})
    side_ids = {row["side_school"] for row in rows}
    schools = {
        s.pk: s
        for s in School.objects.filter(pk__in=side_ids)
        .select_related("partnership")
        .only("pk", "phase", "council_id", "partnership__name", "partnership__council_id")
    }
    phases = dict(School.Phase.choices)
    years: dict[int, _Counts] = defaultdict(_new_counts)
    for row in rows:
        counts = years[row["ay"]]
        n = row["n"]
        protocol = protocols.loaded[row["protocol_version_id"]]
        outcome = next((o for o in protocol.outcomes if o.key == row["outcome_key"]), None)
        column = _outcome_column(outcome.on_roll_of if outcome else None, outcome is not None)
        counts.outcomes[column] += n
        school = schools.get(row["side_school"])
        phase = str(phases.get(school.phase, school.phase)) if school else _("Not known")
        counts.phase[phase][column] += n
        partnership = (
            school.partnership.name
            if school and school.partnership and school.partnership.council_id == council.pk
            else _("No partnership")
        )
        counts.partnership[partnership][column] += n
        if choice is not None:
            order, label = register._group_of(choice, protocol, row["compared"])
            counts.route_order.setdefault(label, order)
            counts.route[label][column] += n
    for year, school_id, n in received:
        years[year].received[school_id] += n
    for year, school_id, n in sent:
        years[year].sent[school_id] += n
    return dict(years)


def _cell(values: dict[Hashable, int], hidden: frozenset[Hashable], key: Hashable) -> int | str:
    return HIDDEN if key in hidden else values[key]


def _outcome_table(
    *,
    key: str,
    title: str,
    row_heading: str,
    rows: dict[str, dict[str, int]],
    order: list[str],
    values: dict[Hashable, int],
    sums: list[Sum],
) -> dict[str, Any]:
    """Adds a table's counts to `values` and `sums` (its totals row is shared, `("out", o)`);
    returns the table with keys in place of values, filled in after suppression."""
    labels = outcome_labels()
    row_keys = []
    for label in order:
        for column in OUTCOMES:
            values[(key, label, column)] = rows[label][column]
        values[(key, label, ALL)] = sum(rows[label].values())
        sums.append(Sum(total=(key, label, ALL), parts=tuple((key, label, c) for c in OUTCOMES)))
        row_keys.append(label)
    for column in OUTCOMES:
        sums.append(Sum(total=("out", column), parts=tuple((key, r, column) for r in row_keys)))
    sums.append(Sum(total=("out", ALL), parts=tuple((key, r, ALL) for r in row_keys)))
    table = {
        "key": key,
        "title": title,
        "row_heading": row_heading,
        "columns": [labels[c] for c in (*OUTCOMES, ALL)],
        "rows": [{"label": r, "cells": [(key, r, c) for c in (*OUTCOMES, ALL)]} for r in row_keys],
        "total": {
            "label": labels[ALL],
            "cells": [("out", c) for c in (*OUTCOMES, ALL)],
        },
        "chart": {"series": list(range(len(OUTCOMES)))},
    }
    return table


def _fill(table: dict[str, Any], values: dict[Hashable, int], hidden: frozenset[Hashable]) -> None:
    for row in [*table["rows"], *([table["total"]] if table.get("total") else [])]:
        row["cells"] = [
            c if not isinstance(c, tuple) else _cell(values, hidden, c) for c in row["cells"]
        ]


def fair_access_year(
    *,
    council: Council,
    year: int,
    counts: _Counts,
    route_label: str,
    schools: list[School],
) -> dict[str, Any]:
    """One academic year's published figures: tables of counts, suppressed as one system."""
    labels = outcome_labels()
    values: dict[Hashable, int] = {("out", c): counts.outcomes[c] for c in OUTCOMES}
    values[("out", ALL)] = sum(counts.outcomes.values())
    sums = [Sum(total=("out", ALL), parts=tuple(("out", c) for c in OUTCOMES))]
    tables: list[dict[str, Any]] = [
        {
            "key": "outcomes",
            "title": _("Moves and their outcomes"),
            "row_heading": _("Moves"),
            "columns": [labels[c] for c in (*OUTCOMES, ALL)],
            "rows": [],
            "total": {"label": labels[ALL], "cells": [("out", c) for c in (*OUTCOMES, ALL)]},
            "chart": {"series": list(range(len(OUTCOMES)))},
        }
    ]
    tables.append(
        _outcome_table(
            key="phase",
            title=_("Moves by phase"),
            row_heading=_("Phase"),
            rows=counts.phase,
            order=sorted(counts.phase),
            values=values,
            sums=sums,
        )
    )
    tables.append(
        _outcome_table(
            key="partnership",
            title=_("Moves by partnership"),
            row_heading=_("Partnership"),
            rows=counts.partnership,
            order=sorted(counts.partnership),
            values=values,
            sums=sums,
        )
    )
    if route_label:
        route_table = _outcome_table(
            key="route",
            title=_("Moves by route: %(question)s") % {"question": route_label},
            row_heading=_("Answer"),
            rows=counts.route,
            order=sorted(counts.route, key=lambda label: (counts.route_order[label], label)),
            values=values,
            sums=sums,
        )
        tables.append(route_table)

    # Moves received and sent per school, one table per phase, against the local norm.
    expected = register._expected_shares(schools, counts.received)
    by_phase: dict[str, list[School]] = defaultdict(list)
    for school in schools:
        if counts.received.get(school.pk) or counts.sent.get(school.pk):
            by_phase[school.phase].append(school)
    phases = dict(School.Phase.choices)
    school_tables = []
    for phase in sorted(by_phase, key=lambda p: str(phases.get(p, p))):
        members = by_phase[phase]
        phase_all = [s for s in schools if s.phase == phase]
        for s in members:
            values[("received", s.pk)] = counts.received.get(s.pk, 0)
            values[("sent", s.pk)] = counts.sent.get(s.pk, 0)
        values[("received", phase)] = sum(counts.received.get(s.pk, 0) for s in phase_all)
        values[("sent", phase)] = sum(counts.sent.get(s.pk, 0) for s in phase_all)
        for measure in ("received", "sent"):
            sums.append(Sum(total=(measure, phase), parts=tuple((measure, s.pk) for s in members)))
        school_tables.append((phase, members))

    hidden = suppress(values, sums)
    for table in tables:
        _fill(table, values, hidden)
    for phase, members in school_tables:
        # The expected numbers are the phase's received total shared out by number on roll
        # (public), so they are shown only when that total is.
        total_shown = ("received", phase) not in hidden
        rows = []
        for s in sorted(members, key=lambda s: s.name):
            received = _cell(values, hidden, ("received", s.pk))
            above = (
                isinstance(received, int)
                and total_shown
                and received > expected[s.pk] * register.ABOVE_NORM_FACTOR
                and received >= expected[s.pk] + register.ABOVE_NORM_MARGIN
            )
            rows.append(
                {
                    "label": s.name,
                    "cells": [
                        received,
                        round(expected[s.pk], 1) if total_shown else HIDDEN,
                        _cell(values, hidden, ("sent", s.pk)),
                        _("Yes") if above else "",
                    ],
                }
            )
        tables.append(
            {
                "key": f"schools-{phase}",
                "title": _("%(phase)s schools: moves received and sent")
                % {"phase": phases.get(phase, phase)},
                "row_heading": _("School"),
                "columns": [
                    _("Moves received"),
                    _("Expected at the local norm"),
                    _("Moves sent"),
                    _("Well above the local norm"),
                ],
                "rows": rows,
                "total": {
                    "label": _("All %(phase)s schools") % {"phase": phases.get(phase, phase)},
                    "cells": [
                        _cell(values, hidden, ("received", phase)),
                        round(values[("received", phase)], 1) if total_shown else HIDDEN,
                        _cell(values, hidden, ("sent", phase)),
                        "",
                    ],
                },
                "chart": None,
            }
        )
    return {
        "year": year,
        "label": register.academic_year_label(year),
        "moves": _cell(values, hidden, ("out", ALL)),
        "tables": tables,
    }


def fair_access_snapshot(
    *, council: Council, route_question: str = "", today: date | None = None
) -> dict[str, Any]:
    """The published figures of every academic year with a move, newest first, as plain JSON
    data (what cms stores and renders). Counts from 1 to 4, and the counts that would give them
    away, are "c"; nothing names a pupil or a single move."""
    today = today or timezone.localdate()
    choice = next((c for c in route_choices(council=council) if c.value == route_question), None)
    counts = fair_access_counts(council=council, route_question=route_question)
    schools = list(School.objects.filter(council=council).order_by("name"))
    this_year = register.academic_year_of(today)
    years = [
        fair_access_year(
            council=council,
            year=year,
            counts=counts[year],
            route_label=choice.label if choice else "",
            schools=schools,
        )
        for year in sorted(counts, reverse=True)
        if year <= this_year
    ]
    return {
        "council": council.name,
        "route_question": choice.value if choice else "",
        "route_label": choice.label if choice else "",
        "counted_on": today.isoformat(),
        "years": years,
    }
