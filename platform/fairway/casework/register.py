"""The register of managed moves: Leicestershire's Partnership Register, and every council's
spreadsheet, kept by Fairway from the cases themselves.

For one council (or one partnership in it) and one academic year it lists every move whose first
day fell in that year, counts the moves each school received and sent beside the local norm (so
that no school faces demand well beyond it, Leicestershire 6c), and compares outcomes between
groups of moves: protocol version, a flag on the referral, or any yes/no or choice question of
the council's protocol forms (Norfolk: moves planned with an Inclusion Adviser succeed more).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from django.core.paginator import Page, Paginator
from django.db.models import (
    CharField,
    Count,
    F,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    prefetch_related_objects,
)
from django.db.models.fields.json import KT
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from protocols.core.model import Protocol
from protocols.models import ProtocolVersion
from tenants import access as tenant_access
from tenants.models import Council, Partnership, School, User

from . import contract
from .access import case_scope
from .models import Case, FormSubmission
from .selectors import protocol_stage_label

# A school is flagged when it received more than this many times its share at the local norm,
# and at least two moves more: one move above an expected 0.4 is not "significantly in excess".
ABOVE_NORM_FACTOR = 1.5
ABOVE_NORM_MARGIN = 2
PAGE_SIZE = 100

FLAGS = {
    contract.LOOKED_AFTER.key: gettext_lazy("Looked-after child"),
    contract.WITHDRAWN_EXCLUSION.key: gettext_lazy("Instead of a withdrawn permanent exclusion"),
    contract.EHCP.key: gettext_lazy("Has an EHC plan"),
}


def academic_year_of(day: date) -> int:
    """The academic year a day falls in, named by the calendar year it starts (September)."""
    return day.year if day.month >= 9 else day.year - 1


def academic_year_label(year: int) -> str:
    return f"{year}/{str(year + 1)[-2:]}"


def register_council_ids(*, user: User) -> frozenset[int]:
    """Councils whose register `user` keeps: council staff, and partnership officers in it."""
    return tenant_access.council_role_ids_for(user) | {
        m.council_id for m in tenant_access.memberships_for(user) if m.partnership_id
    }


def access_register_council(*, user: User, council_slug: str) -> Council:
    """The council, if `user` keeps its register; Http404 otherwise."""
    council = Council.objects.filter(slug=council_slug).first()
    if council is not None and council.pk in register_council_ids(user=user):
        return council
    raise Http404(_("No council found."))


def register_councils(*, user: User) -> list[Council]:
    return list(Council.objects.filter(pk__in=register_council_ids(user=user)).order_by("name"))


def register_partnerships(*, user: User, council: Council) -> list[Partnership]:
    """The partnerships whose register `user` may read: all the council's for council staff."""
    partnerships = Partnership.objects.filter(council=council).order_by("name")
    if council.pk in tenant_access.council_role_ids_for(user):
        return list(partnerships)
    return list(partnerships.filter(pk__in=tenant_access.partnership_ids_for(user)))


@dataclass(frozen=True)
class CompareChoice:
    value: str
    label: str


def compare_choices(*, protocols: Iterable[Protocol]) -> list[CompareChoice]:
    """What outcomes can be compared by: the protocol version, the referral's flags, and each
    yes/no or choice question of the council's forms (same form and question key across versions
    count as one; the newest version's wording is shown)."""
    choices = [CompareChoice("version", _("Protocol version"))]
    choices += [CompareChoice(f"flag:{key}", str(label)) for key, label in FLAGS.items()]
    seen: dict[str, CompareChoice] = {}
    for protocol in sorted(protocols, key=lambda p: (p.effective_from, p.version)):
        for form in protocol.forms:
            if form.key == contract.REFERRAL.key:
                continue  # its flags are on the case (above)
            for field in form.fields:
                if field.type in ("yes_no", "choice"):
                    value = f"answer:{form.key}.{field.key}"
                    seen[value] = CompareChoice(value, f"{form.title}: {field.label}")
    return choices + sorted(seen.values(), key=lambda c: c.label)


@dataclass(frozen=True)
class RegisterRow:
    case: Case
    stage_label: str
    outcome_label: str
    stayed: bool | None  # on the receiving school's roll; None while undecided
    cross_authority: bool
    group: str  # the value compared by, as shown
    protocol_label: str


@dataclass(frozen=True)
class SchoolDemand:
    school: School
    received: int
    sent: int
    received_stayed: int
    expected: float  # its share at the local norm
    above_norm: bool


@dataclass(frozen=True)
class OutcomeGroup:
    label: str
    moves: int
    decided: int
    stayed: int

    @property
    def returned(self) -> int:
        return self.decided - self.stayed

    @property
    def stayed_percent(self) -> int | None:
        return round(100 * self.stayed / self.decided) if self.decided else None


@dataclass(frozen=True)
class Register:
    council: Council
    partnership: Partnership | None
    year: int
    page: Page[Case]  # this page of the moves, in first-day order
    rows: tuple[RegisterRow, ...]  # the page's moves
    moves: int
    running: int
    stayed: int
    returned: int
    demand: tuple[SchoolDemand, ...]
    compare: CompareChoice | None
    groups: tuple[OutcomeGroup, ...]

    @property
    def year_label(self) -> str:
        return academic_year_label(self.year)

    @property
    def starts_on(self) -> date:
        return date(self.year, 9, 1)

    @property
    def ends_on(self) -> date:
        return date(self.year + 1, 8, 31)


def register_years(*, fetched_by: User, council: Council) -> list[int]:
    """Academic years from the first move's to this one, newest first."""
    first = (
        Case.objects.filter(case_scope(user=fetched_by, for_change=False))
        .filter(Q(home_council=council) | Q(receiving_council=council))
        .aggregate(first=Min("start_date"))["first"]
    )
    this_year = academic_year_of(timezone.localdate())
    since = min(academic_year_of(first), this_year) if first else this_year
    return list(range(this_year, since - 1, -1))


def register_moves(
    *, fetched_by: User, council: Council, partnership: Partnership | None, year: int
) -> QuerySet[Case]:
    """The moves of the register: cases `fetched_by` may read, of `council` (either side of a
    cross-authority move), whose first day fell in the academic year `year`."""
    moves = (
        Case.objects.filter(case_scope(user=fetched_by, for_change=False))
        .filter(Q(home_council=council) | Q(receiving_council=council))
        .filter(start_date__gte=date(year, 9, 1), start_date__lte=date(year + 1, 8, 31))
    )
    if partnership is not None and not tenant_access.brokers_without_schools(partnership):
        moves = moves.filter(
            Q(home_school__partnership=partnership) | Q(receiving_school__partnership=partnership)
        )
    return moves


def _with_compared(moves: QuerySet[Case], compare: CompareChoice | None) -> QuerySet[Case]:
    """`moves` with the value compared by as `compared`: for a form question, the answer on the
    latest submitted occurrence of that form (one subquery, not one query per case)."""
    if compare is None or compare.value == "version":
        return moves.annotate(compared=Value(None, output_field=CharField()))
    if compare.value.startswith("flag:"):
        return moves.annotate(compared=F(compare.value[len("flag:") :]))
    form_key, field_key = compare.value[len("answer:") :].split(".", 1)
    answer = (
        FormSubmission.objects.filter(
            case=OuterRef("pk"), form_key=form_key, submitted_at__isnull=False
        )
        .order_by("-occurrence")
        .values(value=KT(f"answers__{field_key}"))[:1]
    )
    return moves.annotate(compared=Subquery(answer))


def _group_of(
    compare: CompareChoice | None, protocol: Protocol, value: object
) -> tuple[tuple[int, int], str]:
    """The group a move falls in when comparing by `compare`: (order among groups, label)."""
    if compare is None:
        return (0, 0), ""
    if compare.value == "version":
        label = f"{protocol.short_name or protocol.title} ({_('version')} {protocol.version})"
        return (0, protocol.effective_from.toordinal()), label
    if compare.value.startswith("flag:"):
        return ((0, 0), _("Yes")) if value else ((0, 1), _("No"))
    form_key, field_key = compare.value[len("answer:") :].split(".", 1)
    form = next((f for f in protocol.forms if f.key == form_key), None)
    field = next((f for f in form.fields if f.key == field_key), None) if form else None
    if field is None:
        return (2, 0), _("Not asked under this protocol version")
    if value is None or value == "":
        return (1, 0), _("Not answered")
    if field.type == "yes_no":
        # JSON true comes back as "true" from PostgreSQL's ->> and as 1 from SQLite.
        yes = str(value).lower() in ("true", "1")
        return ((0, 0), _("Yes")) if yes else ((0, 1), _("No"))
    for index, choice in enumerate(field.choices):
        if choice.value == str(value):
            return (0, index), choice.label
    return (0, len(field.choices)), str(value)


class _Protocols:
    """Protocol versions by id, each loaded once (loads are cached per process too)."""

    def __init__(self) -> None:
        self.loaded: dict[int, Protocol] = {}

    def fetch(self, ids: set[int]) -> None:
        missing = ids - set(self.loaded)
        for version in ProtocolVersion.objects.filter(pk__in=missing):
            self.loaded[version.pk] = version.load()

    def stayed(self, version_id: int, outcome_key: str) -> bool | None:
        outcome = next((o for o in self.loaded[version_id].outcomes if o.key == outcome_key), None)
        return None if outcome is None else outcome.on_roll_of == "receiving_school"


def register_build(
    *,
    fetched_by: User,
    council: Council,
    partnership: Partnership | None,
    year: int,
    compare: str = "",
    page_number: int | str | None = 1,
) -> Register:
    """The register for `council` (narrowed to `partnership`) and the academic year `year`.

    Totals, demand and comparisons are counted in the database, and only one page of moves is
    fetched, so the cost does not grow with a council's number of moves. Only cases
    `fetched_by` may read are counted; the caller checks that they keep this register at all.
    """
    moves = register_moves(
        fetched_by=fetched_by, council=council, partnership=partnership, year=year
    )
    choices = {
        c.value: c
        for c in compare_choices(
            protocols=[v.load() for v in ProtocolVersion.objects.filter(council=council)]
        )
    }
    chosen = choices.get(compare)
    compared = _with_compared(moves, chosen)
    # Counted in the database in two groupings of at most a few thousand rows (grouping by pairs
    # of schools instead would give one row per pair).
    # `compared` is annotated by _with_compared, which django-stubs cannot follow.
    counts = list(
        compared.order_by()
        .values(  # type: ignore[misc]
            "receiving_school_id", "protocol_version_id", "outcome_key", "compared"
        )
        .annotate(n=Count("pk"))
    )
    sent: dict[int, int] = defaultdict(
        int,
        moves.order_by()
        .values("home_school_id")
        .annotate(n=Count("pk"))
        .values_list("home_school_id", "n"),
    )
    protocols = _Protocols()
    protocols.fetch({row["protocol_version_id"] for row in counts})

    totals = {None: 0, True: 0, False: 0}
    received: dict[int, int] = defaultdict(int)
    received_stayed: dict[int, int] = defaultdict(int)
    by_group: dict[str, list[int]] = {}
    order: dict[str, tuple[int, int]] = {}
    for row in counts:
        n = row["n"]
        stayed = protocols.stayed(row["protocol_version_id"], row["outcome_key"])
        totals[stayed] += n
        if row["receiving_school_id"] is not None:
            received[row["receiving_school_id"]] += n
            received_stayed[row["receiving_school_id"]] += n if stayed is True else 0
        if chosen is not None:
            protocol = protocols.loaded[row["protocol_version_id"]]
            group_order, label = _group_of(chosen, protocol, row["compared"])
            order.setdefault(label, group_order)
            tally = by_group.setdefault(label, [0, 0, 0])
            tally[0] += n
            tally[1] += n if stayed is not None else 0
            tally[2] += n if stayed is True else 0

    schools = School.objects.filter(council=council).order_by("name")
    if partnership is not None:
        if not tenant_access.brokers_without_schools(partnership):
            schools = schools.filter(partnership=partnership)
    elif council.pk not in tenant_access.council_role_ids_for(
        fetched_by
    ) and council.pk not in tenant_access.broker_council_ids_for(fetched_by):
        schools = schools.filter(partnership_id__in=tenant_access.partnership_ids_for(fetched_by))
    school_list = list(schools)
    expected = _expected_shares(school_list, received)
    demand = [
        SchoolDemand(
            school=s,
            received=received[s.pk],
            sent=sent[s.pk],
            received_stayed=received_stayed[s.pk],
            expected=round(expected[s.pk], 1),
            above_norm=received[s.pk] > expected[s.pk] * ABOVE_NORM_FACTOR
            and received[s.pk] >= expected[s.pk] + ABOVE_NORM_MARGIN,
        )
        for s in school_list
        if received[s.pk] or sent[s.pk]
    ]

    # The page is sorted and cut before its schools and councils are fetched (prefetched, not
    # joined): joining first would join every move of the year only to keep a hundred.
    # The compared value too is fetched for the page's moves only.
    paginator = Paginator(moves.order_by("start_date", "pk"), PAGE_SIZE)
    paginator.count = sum(totals.values())  # already counted above
    page = paginator.get_page(page_number)
    cases = list(page.object_list)
    prefetch_related_objects(
        cases, "home_school", "receiving_school", "home_council", "receiving_council"
    )
    values: dict[int, object] = {}
    if chosen is not None and chosen.value != "version":
        values = dict(
            _with_compared(Case.objects.filter(pk__in=[c.pk for c in cases]), chosen).values_list(  # type: ignore[misc]
                "pk", "compared"
            )
        )
    rows = tuple(_row(case, chosen, protocols, values.get(case.pk)) for case in cases)
    return Register(
        council=council,
        partnership=partnership,
        year=year,
        page=page,
        rows=rows,
        moves=sum(totals.values()),
        running=totals[None],
        stayed=totals[True],
        returned=totals[False],
        demand=tuple(sorted(demand, key=lambda d: (-d.received, d.school.name))),
        compare=chosen,
        groups=tuple(
            OutcomeGroup(label=label, moves=t[0], decided=t[1], stayed=t[2])
            for label, t in sorted(by_group.items(), key=lambda g: (order[g[0]], g[0]))
        ),
    )


def _row(
    case: Case, compare: CompareChoice | None, protocols: _Protocols, value: object
) -> RegisterRow:
    protocol = protocols.loaded[case.protocol_version_id]
    outcome = next((o for o in protocol.outcomes if o.key == case.outcome_key), None)
    return RegisterRow(
        case=case,
        stage_label=protocol_stage_label(protocol=protocol, stage=case.stage),
        outcome_label=outcome.label if outcome else "",
        stayed=None if outcome is None else outcome.on_roll_of == "receiving_school",
        cross_authority=case.receiving_council_id not in (None, case.home_council_id),
        group=_group_of(compare, protocol, value)[1],
        protocol_label=f"{protocol.short_name or protocol.title} v{protocol.version}",
    )


def register_rows(register: Register, *, fetched_by: User) -> Iterator[RegisterRow]:
    """Every move of `register`, not only its page, for the downloads."""
    moves = _with_compared(
        register_moves(
            fetched_by=fetched_by,
            council=register.council,
            partnership=register.partnership,
            year=register.year,
        ),
        register.compare,
    ).select_related("home_school", "receiving_school", "home_council", "receiving_council")
    protocols = _Protocols()
    for case in moves.order_by("start_date", "pk").iterator(chunk_size=2000):
        protocols.fetch({case.protocol_version_id})
        yield _row(case, register.compare, protocols, getattr(case, "compared", None))


def _expected_shares(schools: list[School], received: dict[int, int]) -> dict[int, float]:
    """Each school's share of the moves received by schools of its phase in the area: the local
    norm. Shares follow the number on roll, or are equal when a number on roll is missing."""
    by_phase: dict[str, list[School]] = defaultdict(list)
    for school in schools:
        by_phase[school.phase].append(school)
    expected: dict[int, float] = {}
    for members in by_phase.values():
        total = sum(received.get(s.pk, 0) for s in members)
        rolls = [s.number_on_roll or 0 for s in members]
        if all(rolls):
            # Summed once per phase: summing inside the loop made the register quadratic in
            # schools (a national GIAS import did not answer in a minute).
            roll_total = sum(rolls)
            for school, roll in zip(members, rolls, strict=True):
                expected[school.pk] = total * roll / roll_total
        else:
            for school in members:
                expected[school.pk] = total / len(members)
    return expected


REGISTER_HEADER = [
    gettext_lazy("Reference"),
    gettext_lazy("Pupil"),
    gettext_lazy("UPN"),
    gettext_lazy("Year group"),
    gettext_lazy("Home school"),
    gettext_lazy("Receiving school"),
    gettext_lazy("Receiving council"),
    gettext_lazy("Protocol"),
    gettext_lazy("First day"),
    gettext_lazy("Stage"),
    gettext_lazy("Outcome"),
]


def register_table(register: Register, *, fetched_by: User) -> list[list[str]]:
    """Every move of the register as text cells, for the CSV and spreadsheet downloads."""
    header = [str(h) for h in REGISTER_HEADER] + (
        [register.compare.label] if register.compare else []
    )
    table = [header]
    for row in register_rows(register, fetched_by=fetched_by):
        case = row.case
        cells = [
            case.reference,
            case.pupil_name,
            case.upn,
            case.year_group_label,
            case.home_school.name,
            case.receiving_school.name if case.receiving_school else "",
            case.receiving_council.name if row.cross_authority and case.receiving_council else "",
            row.protocol_label,
            case.start_date.isoformat() if case.start_date else "",
            row.stage_label,
            row.outcome_label,
        ]
        table.append(cells + ([row.group] if register.compare else []))
    return table


def demand_table(register: Register) -> list[list[str | int | float]]:
    table: list[list[str | int | float]] = [
        [
            _("School"),
            _("URN"),
            _("Moves received"),
            _("Of which on its roll"),
            _("Moves sent"),
            _("Expected at the local norm"),
            _("Well above the local norm"),
        ]
    ]
    for d in register.demand:
        table.append(
            [
                d.school.name,
                d.school.urn,
                d.received,
                d.received_stayed,
                d.sent,
                d.expected,
                _("Yes") if d.above_norm else "",
            ]
        )
    return table
