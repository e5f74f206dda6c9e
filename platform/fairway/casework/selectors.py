"""Reads for case work (HackSoft selectors): the case list, a case's timeline, its history.

Every selector takes the person asking and scopes its query through `access`, so a view that
forgot its access function would still show nothing of another council's pupils.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Case as DbCase
from django.db.models import Count, F, IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from protocols.core.calendar import SchoolCalendar
from protocols.core.model import Form, FormField, FormPage, Protocol, SignOff
from protocols.core.problems import CalendarError
from protocols.core.timeline import (
    PendingMilestone,
    TimelineError,
    WaivedMilestone,
    compute_timeline,
)
from protocols.selectors import calendar_for_school
from tenants.models import AuditEvent, School, User

from . import access, contract, roles
from .answers import display_answer
from .models import (
    OPEN_STAGES,
    AttendanceWeek,
    Case,
    CaseUserObjectPermission,
    Commitment,
    FormSubmission,
    Stage,
)
from .postcodes import distance_km, postcode_location

ATTENDANCE_FORM = contract.WEEKLY_ATTENDANCE.key


class Status:
    DONE = "done"
    DUE = "due"
    OVERDUE = "overdue"
    NOT_NEEDED = "not_needed"


@dataclass(frozen=True)
class MilestoneStatus:
    key: str
    milestone: str
    label: str
    due: date
    status: str
    rule: str
    stage: str
    owner: str | None
    form: str | None
    occurrence: int | None
    statutory: bool
    done_on: date | None = None

    @property
    def is_open(self) -> bool:
        return self.status in (Status.DUE, Status.OVERDUE)


@dataclass(frozen=True)
class CaseTimeline:
    milestones: tuple[MilestoneStatus, ...] = ()
    pending: tuple[PendingMilestone, ...] = ()
    waived: tuple[WaivedMilestone, ...] = ()
    problems: tuple[str, ...] = ()
    calendar_title: str = ""
    provisional: bool = False
    provisional_reason: str = ""
    dated: bool = False

    @property
    def next(self) -> MilestoneStatus | None:
        return next((m for m in self.milestones if m.is_open), None)

    @property
    def overdue(self) -> tuple[MilestoneStatus, ...]:
        return tuple(m for m in self.milestones if m.status == Status.OVERDUE)


@dataclass
class CaseFacts:
    """What has happened on a case, as the timeline needs it (loaded in a handful of queries)."""

    events: dict[str, date] = field(default_factory=dict)
    extensions: dict[str, int] = field(default_factory=dict)
    held: dict[str, list[date]] = field(default_factory=dict)
    # form key -> {occurrence: submitted date}
    submitted: dict[str, dict[int, date]] = field(default_factory=dict)
    done: dict[str, date] = field(default_factory=dict)
    ended_on: date | None = None
    # Mondays of the weeks whose attendance the receiving school has recorded.
    attendance_weeks: dict[date, date] = field(default_factory=dict)


def case_facts(*, case: Case, protocol: Protocol) -> CaseFacts:
    facts = CaseFacts()
    for event in case.events.all():
        if event.event_key != contract.START.key:
            facts.events[event.event_key] = event.date
    for extension in case.extensions.all():
        facts.extensions[extension.extension_key] = (
            facts.extensions.get(extension.extension_key, 0) + extension.school_weeks
        )
    repeating_forms = {
        m.form: m.key for m in protocol.milestones if m.form and _is_repeating(protocol, m.key)
    }
    for submission in case.submissions.all():
        if submission.submitted_at is None:
            continue
        answered = _answer_date(submission.answers) or timezone.localdate(submission.submitted_at)
        facts.submitted.setdefault(submission.form_key, {})[submission.occurrence] = answered
        milestone_key = repeating_forms.get(submission.form_key)
        if milestone_key:
            facts.held.setdefault(milestone_key, []).append(answered)
    for week in case.attendance_weeks.all():
        facts.attendance_weeks[week.week_beginning] = timezone.localdate(week.recorded_at)
    for done in case.milestones_done.all():
        facts.done[done.milestone_key] = done.done_on
    early = getattr(case, "early_end", None) if _has_related(case, "early_end") else None
    outcome = getattr(case, "outcome", None) if _has_related(case, "outcome") else None
    ends = [d for d in (early and early.decided_on, outcome and outcome.decided_on) if d]
    facts.ended_on = min(ends) if ends else None
    for dates in facts.held.values():
        dates.sort()
    return facts


def _has_related(case: Case, name: str) -> bool:
    try:
        getattr(case, name)
    except Exception:  # RelatedObjectDoesNotExist subclasses ObjectDoesNotExist
        return False
    return True


def _answer_date(answers: dict[str, object]) -> date | None:
    # The date the thing happened, where the form asks for it (review held on, week beginning).
    for need in contract.ANSWER_DATES:
        value = answers.get(need.key)
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                return None
    return None


def _is_repeating(protocol: Protocol, milestone_key: str) -> bool:
    from protocols.core.rules import is_repeating

    return is_repeating(protocol.milestone(milestone_key).rule)


def timeline_compute(
    *,
    protocol: Protocol,
    calendar: SchoolCalendar,
    start: date | None,
    facts: CaseFacts,
    today: date,
) -> CaseTimeline:
    """Pure: the protocol's milestones dated on the calendar, each done, due, overdue or not needed."""
    base = {
        "calendar_title": calendar.title,
        "provisional": calendar.provisional,
        "provisional_reason": calendar.provisional_reason or "",
    }
    if start is None:
        return CaseTimeline(**base)  # type: ignore[arg-type]
    try:
        timeline = compute_timeline(
            protocol=protocol,
            calendar=calendar,
            start=start,
            events=facts.events,
            extensions=facts.extensions,
            held=facts.held,
        )
    except (CalendarError, TimelineError) as error:
        return CaseTimeline(problems=(str(error),), **base)  # type: ignore[arg-type]
    schedule = protocol.trial_milestones  # worked out once, as the timeline waives them
    forms = {m.key: m.form for m in protocol.milestones}
    statuses: list[MilestoneStatus] = []
    for dated in timeline.milestones:
        form = forms.get(dated.milestone)
        done_on = facts.done.get(dated.key)
        if done_on is None and form == ATTENDANCE_FORM:
            monday = dated.due - timedelta(days=dated.due.weekday())
            done_on = facts.attendance_weeks.get(monday)
        if done_on is None and form:
            by_occurrence = facts.submitted.get(form, {})
            if dated.occurrence is None:
                done_on = min(by_occurrence.values()) if by_occurrence else None
            else:
                done_on = by_occurrence.get(dated.occurrence)
        if done_on is not None:
            status = Status.DONE
        elif facts.ended_on is not None and dated.milestone in schedule:
            # The trial is over: what it left undone with a form stays overdue; the rest is moot.
            if dated.due > facts.ended_on:
                status = Status.NOT_NEEDED
            elif form:
                status = Status.OVERDUE if dated.due < today else Status.DUE
            else:
                status, done_on = Status.DONE, dated.due
        else:
            status = Status.OVERDUE if dated.due < today else Status.DUE
        statuses.append(
            MilestoneStatus(
                key=dated.key,
                milestone=dated.milestone,
                label=dated.label,
                due=dated.due,
                status=status,
                rule=dated.rule,
                stage=dated.stage,
                owner=dated.owner,
                form=form,
                occurrence=dated.occurrence,
                statutory=dated.statutory,
                done_on=done_on,
            )
        )
    return CaseTimeline(
        milestones=tuple(statuses),
        pending=timeline.pending,
        waived=timeline.waived,
        problems=timeline.problems,
        dated=True,
        **base,  # type: ignore[arg-type]
    )


def case_calendar(*, case: Case) -> SchoolCalendar:
    """The home school's calendar (with its INSET days): the pupil stays on its roll."""
    return calendar_for_school(school=case.home_school)


def case_timeline(*, case: Case, today: date | None = None) -> CaseTimeline:
    protocol = case.protocol_version.load()
    try:
        calendar = case_calendar(case=case)
    except Exception as error:  # no calendar published for the council yet
        return CaseTimeline(problems=(str(error),))
    return timeline_compute(
        protocol=protocol,
        calendar=calendar,
        start=case.start_date,
        facts=case_facts(case=case, protocol=protocol),
        today=today or timezone.localdate(),
    )


@dataclass(frozen=True)
class CalendarDifference:
    day: date
    open_at: School
    closed_at: School
    why: str  # why the closed school is closed: a closure's name, "bank holiday", "school holiday"


@dataclass(frozen=True)
class CalendarDifferences:
    days: tuple[CalendarDifference, ...]  # the first few
    count: int  # all of them in the period
    receiving_unknown: bool = False  # the receiving school's council has no calendar in Fairway


def calendar_differences(
    *, case: Case, timeline: CaseTimeline, shown: int = 10
) -> CalendarDifferences:
    """Weekdays, between the timeline's first and last dates, when one of the two schools is open
    and the other is not. Deadlines count the home school's days (the pupil stays on its roll),
    but the pupil attends the receiving school, whose council's term dates and own INSET days
    may differ: staff need to see where."""
    none = CalendarDifferences(days=(), count=0)
    if case.receiving_school is None or not timeline.milestones:
        return none
    try:
        home = case_calendar(case=case)
    except Exception:  # no calendar for the home council: the timeline says so already
        return none
    try:
        receiving = calendar_for_school(school=case.receiving_school)
    except Exception:  # the receiving school's council has published no calendar
        return CalendarDifferences(days=(), count=0, receiving_unknown=True)
    first = max(min(m.due for m in timeline.milestones), home.first_day, receiving.first_day)
    last = min(max(m.due for m in timeline.milestones), home.last_day, receiving.last_day)
    days: list[CalendarDifference] = []
    count = 0
    day = first
    while day <= last:
        if day.weekday() < 5 and home.is_school_day(day) != receiving.is_school_day(day):
            count += 1
            if len(days) < shown:
                open_at, closed_at, calendar = (
                    (case.home_school, case.receiving_school, receiving)
                    if home.is_school_day(day)
                    else (case.receiving_school, case.home_school, home)
                )
                days.append(
                    CalendarDifference(
                        day=day,
                        open_at=open_at,
                        closed_at=closed_at,
                        why=calendar.closure_on(day) or "",
                    )
                )
        day += timedelta(days=1)
    return CalendarDifferences(days=tuple(days), count=count)


@dataclass(frozen=True)
class CaseFilters:
    school_id: int | None = None
    partnership_id: int | None = None
    stage: str = ""
    include_closed: bool = False
    search: str = ""
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


def case_list(*, fetched_by: User, filters: CaseFilters) -> QuerySet[Case]:
    """Cases the person can act on, by next deadline (overdue first: the earliest dates lead)."""
    cases = access.cases_for(user=fetched_by, for_change=not filters.include_view_only)
    if filters.stage:
        cases = cases.filter(stage=filters.stage)
    elif not filters.include_closed:
        cases = cases.filter(stage__in=OPEN_STAGES)
    if filters.school_id:
        cases = cases.filter(
            Q(home_school_id=filters.school_id) | Q(receiving_school_id=filters.school_id)
        )
    if filters.partnership_id:
        cases = cases.filter(
            Q(home_school__partnership_id=filters.partnership_id)
            | Q(receiving_school__partnership_id=filters.partnership_id)
        )
    if filters.waiting_on_me:
        cases = cases.filter(roles.waiting_on(fetched_by))
    if filters.search:
        term = filters.search.strip()
        cases = cases.filter(Q(pupil_name__icontains=term) | Q(upn__iexact=term))
    return cases.select_related(
        "home_council", "home_school", "receiving_school", "protocol_version"
    ).order_by(F("next_due").asc(nulls_last=True), "pk")


def case_filter_schools(*, fetched_by: User) -> QuerySet[School]:
    """The case list's school filter: schools that are the home or receiving school of a case the
    person can read. Never a council's whole list: a council officer's council may hold
    hundreds of schools, and England 223,574."""
    readable = access.cases_for(user=fetched_by, for_change=False)
    return School.objects.filter(
        Q(pk__in=readable.values("home_school_id"))
        | Q(pk__in=readable.filter(receiving_school__isnull=False).values("receiving_school_id"))
    ).order_by("name", "pk")


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


def case_history(*, fetched_by: User, case: Case) -> QuerySet[AuditEvent]:
    """The case's lines of the audit log (both councils' logs on a cross-authority move)."""
    access.access_case_by_id(user=fetched_by, case_id=case.pk, for_change=False)
    return AuditEvent.objects.filter(object_type="case", object_id=str(case.pk)).order_by(
        "-occurred_at", "-id"
    )


def cases_with_deadlines(*, cases: Iterable[Case]) -> list[tuple[Case, CaseTimeline]]:
    return [(case, case_timeline(case=case)) for case in cases]


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


# ---------------------------------------------------------------------------------------------
# A protocol form as a record: its answers and sign-offs, for "check your answers", the
# printable page and the PDF


@dataclass(frozen=True)
class AnswerRow:
    page: FormPage
    definition: FormField
    value: str  # as people read it: dates in words, choices' labels, schools' names
    change: str = ""  # the question on its form page ("check your answers" only)


@dataclass(frozen=True)
class Signature:
    role_key: str
    role_label: str
    signed_by_name: str
    on_behalf_of: str  # who recorded it, when they recorded someone else's signature
    signed_on: date

    @property
    def recorded_note(self) -> str:
        """ "recorded by Sam Patel for the parent or carer, on paper", or "" for their own."""
        return signature_note(recorder=self.on_behalf_of, role_label=self.role_label)


@dataclass(frozen=True)
class SignOffRecord:
    definition: SignOff
    signatures: tuple[Signature, ...]  # in the protocol's order of the roles
    unsigned: tuple[str, ...]  # labels of the roles still to sign


@dataclass(frozen=True)
class FormRecord:
    case: Case
    protocol: Protocol
    form: Form
    submission: FormSubmission
    rows: tuple[AnswerRow, ...]
    sign_offs: tuple[SignOffRecord, ...]

    @property
    def title(self) -> str:
        """The form's title, numbered for a repeating form ("Review 2")."""
        if self.form.repeats:
            return f"{self.form.title} {self.submission.occurrence}"
        return self.form.title


def answer_rows(
    *,
    form: Form,
    answers: dict[str, Any],
    change: Callable[[FormPage, FormField], str] | None = None,
) -> tuple[AnswerRow, ...]:
    """The form's questions with their answers, page by page; questions hidden by their condition
    are left out. `change` gives each question's change link."""
    school_ids = [
        int(answers[d.key]) for d in form.fields if d.type == "school" and answers.get(d.key)
    ]
    school_names = dict(School.objects.filter(pk__in=school_ids).values_list("pk", "name"))
    return tuple(
        AnswerRow(
            page=page,
            definition=definition,
            value=display_answer(
                definition, answers.get(definition.key), school_names=school_names
            ),
            change=change(page, definition) if change else "",
        )
        for page in form.pages
        for definition in page.fields
        if definition.show_when is None or definition.show_when.holds(answers)
    )


def signature_note(*, recorder: str, role_label: str) -> str:
    if not recorder:
        return ""
    words = role_label.split()
    # "Parent or carer" reads "the parent or carer"; "Fair Access team" keeps its capitals.
    if len(words) > 1 and words[1][:1].islower():
        role_label = role_label[:1].lower() + role_label[1:]
    return _("recorded by %(who)s for the %(role)s, on paper") % {
        "who": recorder,
        "role": role_label,
    }


def form_record(
    *,
    case: Case,
    form_key: str,
    occurrence: int,
    change: Callable[[FormPage, FormField], str] | None = None,
) -> FormRecord:
    """One of the case's protocol forms with its answers and its sign-offs (with the roles'
    labels). The caller has already checked the person may read `case`; Http404 when its
    protocol has no such form or the case no such occurrence of it."""
    protocol = case.protocol_version.load()
    form = next((f for f in protocol.forms if f.key == form_key), None)
    submission = (
        FormSubmission.objects.select_related("submitted_by")
        .filter(case=case, form_key=form_key, occurrence=occurrence)
        .first()
        if form is not None
        else None
    )
    if form is None or submission is None:
        raise Http404(_("No form found."))
    definitions = [s for s in protocol.sign_offs if s.form == form_key]
    signed = {
        (s.sign_off_key, s.role_key): s
        for s in case.sign_offs.filter(sign_off_key__in=[d.key for d in definitions])
    }
    sign_offs = []
    for definition in definitions:
        keys = [k for (sign_off_key, k) in signed if sign_off_key == definition.key]
        order = [r for r in definition.roles if r in keys] + sorted(
            k for k in keys if k not in definition.roles
        )
        signatures = []
        for role_key in order:
            signature = signed[(definition.key, role_key)]
            signatures.append(
                Signature(
                    role_key=role_key,
                    role_label=roles.label_of(protocol, role_key),
                    signed_by_name=signature.signed_by_name,
                    on_behalf_of=signature.on_behalf_of,
                    signed_on=signature.signed_on,
                )
            )
        sign_offs.append(
            SignOffRecord(
                definition=definition,
                signatures=tuple(signatures),
                unsigned=tuple(
                    roles.label_of(protocol, r) for r in definition.roles if r not in keys
                ),
            )
        )
    return FormRecord(
        case=case,
        protocol=protocol,
        form=form,
        submission=submission,
        rows=answer_rows(form=form, answers=submission.answers, change=change),
        sign_offs=tuple(sign_offs),
    )
