"""What the case page shows besides the timeline: attendance so far, school options, targets and
commitments, who can see the case."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from protocols.core.model import Event, Milestone, Protocol
from protocols.core.words import who_in_words
from tenants.models import School, User

from .. import access, contract, roles, writes
from ..models import (
    AttendanceWeek,
    Case,
    CaseUserObjectPermission,
    Commitment,
    FormSubmission,
    Outcome,
    Stage,
)
from ..postcodes import distance_km, postcode_location
from .case_rows import case_records_load
from .cases import protocol_stage_label
from .cross_authority import may_ask
from .other_council import other_council_panel
from .records import signature_note
from .timeline import CALENDAR_MEMO, calendar_differences, case_calendar, case_timeline


@dataclass(frozen=True)
class AttendanceSummary:
    weeks: tuple[AttendanceWeek, ...]
    possible: int
    attended: int
    # The protocol's persistent-absence threshold as sessions missed (DfE: 10% or more).
    threshold: float | None
    persistently_absent: bool

    @property
    def rate(self) -> float | None:
        return round(100 * self.attended / self.possible, 1) if self.possible else None


def attendance_summary(*, case: Case, protocol: Protocol) -> AttendanceSummary:
    weeks = tuple(case.attendance_weeks.all())
    possible = sum(w.sessions_possible for w in weeks)
    attended = sum(w.sessions_attended for w in weeks)
    rules = protocol.attendance
    return AttendanceSummary(
        weeks=weeks,
        possible=possible,
        attended=attended,
        threshold=rules.persistent_absence_at_percent_absent if rules else None,
        # Counted in whole sessions, so 90.0% attendance (10% missed) is flagged exactly.
        persistently_absent=bool(
            rules and rules.persistently_absent(possible=possible, attended=attended)
        ),
    )


def attendance_weeks_offered(*, case: Case, today: date) -> list[tuple[date, bool]]:
    """The term weeks of the direction whose attendance can be recorded, newest first, each with
    whether it is recorded already: a Monday-to-Friday week the home school is open on at least
    one day, from the first day's week, that has ended (its Friday is before today), up to the
    early end or the decision."""
    if case.start_date is None:
        return []
    try:
        calendar = case_calendar(case=case)
    except Exception:  # no calendar for the council: no week can be named as a term week
        return []
    ends = [
        record.decided_on
        for name in ("early_end", "outcome")
        if (record := _related(case, name)) is not None
    ]
    last = min(ends) if ends else None
    recorded = {w.week_beginning for w in case.attendance_weeks.all()}
    weeks: list[tuple[date, bool]] = []
    monday = case.start_date - timedelta(days=case.start_date.weekday())
    while monday + timedelta(days=4) < today and (last is None or monday <= last):
        days = [monday + timedelta(days=n) for n in range(5)]
        try:
            open_days = any(calendar.is_school_day(day) for day in days)
        except Exception:  # past the calendar's last date
            break
        if open_days:
            weeks.append((monday, monday in recorded))
        monday += timedelta(days=7)
    weeks.reverse()
    return weeks


def _related(case: Case, name: str) -> Any:
    try:
        return getattr(case, name)
    except Exception:  # RelatedObjectDoesNotExist
        return None


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


def commitment_rows(
    *, case: Case, protocol: Protocol, with_changes: bool = True
) -> list[CommitmentRow]:
    """The case's targets and commitments with who holds each and, `with_changes`, every earlier
    wording (the commitments page shows them; the case page does not read the history)."""
    commitments = list(case.commitments.all())
    history: dict[int, list[Any]] = {}
    for record in (
        Commitment.history.filter(case_id=case.pk)
        .select_related("history_user")
        .order_by("-history_date")
        if with_changes
        else ()
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


def _records_loaded(case: Case) -> Case:
    """The case's records, loaded onto the case the access check fetched (with its schools,
    councils and protocol version): the case is not fetched a second time."""
    case_records_load(case)
    setattr(case, CALENDAR_MEMO, {})
    return case


def _milestone_write(milestone: Milestone) -> tuple[writes.Write, str | None]:
    """The write a timeline row's action makes: its form, attendance, the outcome, or "done"."""
    if milestone.form == contract.WEEKLY_ATTENDANCE.key:
        return writes.Write.ATTENDANCE, None
    if milestone.form == contract.OUTCOME.key:
        return writes.Write.OUTCOME, None
    if milestone.form == contract.EARLY_END.key:
        return writes.Write.END_EARLY, None
    if milestone.form:
        return writes.Write.FORM, milestone.form
    return writes.Write.MILESTONE, milestone.key


def _may(permits: writes.Permits, protocol: Protocol, case: Case) -> dict[str, Any]:
    """Which of the case page's actions this person may take now (their role and the case's
    stage): only those are offered."""

    def ok(write: writes.Write, key: str | None = None) -> bool:
        return permits.allows(protocol, write, key) and not writes.stage_refusal(
            case=case, protocol=protocol, write=write, key=key
        )

    extension = protocol.extensions[0].key if protocol.extensions else None
    return {
        "start": ok(writes.Write.EVENT, contract.START.key),
        "attendance": ok(writes.Write.ATTENDANCE),
        "extension": extension is not None and ok(writes.Write.EXTENSION, extension),
        "end_early": ok(writes.Write.END_EARLY),
        "outcome": ok(writes.Write.OUTCOME),
        "events": {e.key for e in protocol.events if ok(writes.Write.EVENT, e.key)},
        "milestones": {m.key for m in protocol.milestones if ok(*_milestone_write(m))},
    }


def recordable_events(*, protocol: Protocol) -> list[Event]:
    """The events recorded from the case page's "Record what happened": all but those with a step
    of their own (the first day, the outcome, an early end and the end rules' events). Which of
    them a person may record now is the write rule's (their role, the event's stage)."""
    own = contract.OWN_STEP_EVENTS | {r.event for r in protocol.end_rules if r.event}
    return [e for e in protocol.events if e.key not in own]


def _task_list(protocol: Protocol, case: Case, permits: writes.Permits) -> list[dict[str, Any]]:
    submissions: dict[str, list[FormSubmission]] = {}
    for submission in case.submissions.all():
        submissions.setdefault(submission.form_key, []).append(submission)
    tasks = []
    for form in protocol.forms:
        if form.key in (
            contract.REFERRAL.key,
            contract.OUTCOME.key,
            contract.EARLY_END.key,
            contract.WEEKLY_ATTENDANCE.key,
        ):
            continue  # these have their own steps on the case page
        done = [s for s in submissions.get(form.key, []) if s.is_submitted]
        draft = any(not s.is_submitted for s in submissions.get(form.key, []))
        status = (
            "completed"
            if done and not form.repeats
            else ("in_progress" if draft else "not_started")
        )
        if form.repeats and done and not draft:
            status = "repeating"
        tasks.append(
            {
                "form": form,
                "status": status,
                "done": done,
                # Offered only to those whose role fills it in (the others see it and its status).
                "url": reverse(
                    "casework:form_start", kwargs={"case_id": case.pk, "form_key": form.key}
                )
                if permits.allows(protocol, writes.Write.FORM, form.key)
                and not writes.stage_refusal(
                    case=case, protocol=protocol, write=writes.Write.FORM, key=form.key
                )
                else "",
            }
        )
    return tasks


@dataclass(frozen=True)
class RuleSource:
    """Where one of the timeline's steps comes from, for staff: a source (title, where in it,
    address) or local practice that the council is still to confirm."""

    label: str
    practice: bool
    title: str = ""
    at: str = ""
    url: str = ""


def rule_sources(*, protocol: Protocol) -> tuple[RuleSource, ...]:
    """Each milestone's source, in the protocol's order (those that say nothing are left out)."""
    found = []
    for milestone in protocol.milestones:
        source = protocol.source_of(milestone.source)
        if milestone.practice:
            found.append(RuleSource(label=milestone.label, practice=True))
        elif source is not None and milestone.source is not None:
            found.append(
                RuleSource(
                    label=milestone.label,
                    practice=False,
                    title=source.title,
                    at=milestone.source.at or "",
                    url=source.url or "",
                )
            )
    return tuple(found)


@dataclass(frozen=True)
class NextStep:
    """What is due next on a case, who does it, by when, and the link to do it (empty when this
    person may not: the step is shown, not offered)."""

    what: str
    who: str
    due: date | None
    overdue: bool
    url: str
    action: str  # the link's words


def _milestone_url(case: Case, milestone: Any) -> tuple[str, str]:
    if milestone.form == contract.WEEKLY_ATTENDANCE.key:
        return reverse("casework:attendance", args=[case.pk]), str(_("Record attendance"))
    if milestone.form == contract.OUTCOME.key:
        return reverse("casework:outcome", args=[case.pk]), str(_("Record the outcome"))
    if milestone.form == contract.EARLY_END.key:
        return "", ""
    if milestone.form:
        return (
            reverse("casework:form_start", args=[case.pk, milestone.form]),
            str(_("Fill in the form")),
        )
    return f"{reverse('casework:case_detail', args=[case.pk])}#timeline", str(
        _("Mark it as done in the timeline")
    )


def next_step(
    *,
    case: Case,
    protocol: Protocol,
    timeline: Any,
    may: dict[str, Any],
    tasks: list[dict[str, Any]],
    sign_offs: list[dict[str, Any]],
    can_change: bool,
    today: date,
) -> NextStep | None:
    """The one step the case waits for: the earliest open milestone on the timeline; before the
    timeline is dated, the agreement's forms and sign-offs, then the first day; a direction with
    nothing left open waits for its outcome. Only steps the protocol has are named, and a link is
    given only where this person's role and the case's stage allow the write."""
    if not case.is_open:
        milestone = next((m for m in timeline.milestones if m.is_open), None)
        if milestone is None:
            return None
    else:
        milestone = timeline.next
    if milestone is not None:
        url, action = _milestone_url(case, milestone)
        allowed = can_change and milestone.milestone in may["milestones"]
        return NextStep(
            what=milestone.label,
            who=who_in_words(protocol, milestone.milestone),
            due=milestone.due,
            overdue=milestone.due < today,
            url=url if allowed else "",
            action=action if allowed else "",
        )
    if case.stage in (Stage.REFERRAL, Stage.AGREEMENT):
        for task in tasks:
            if task["status"] in ("completed", "repeating"):
                continue
            form = task["form"]
            return NextStep(
                what=form.title,
                who=roles.label_of(protocol, form.completed_by) if form.completed_by else "",
                due=None,
                overdue=False,
                url=task["url"] if can_change else "",
                action=str(_("Fill in the form")) if task["url"] and can_change else "",
            )
        for item in sign_offs:
            for role in item["roles"]:
                if role["signed"]:
                    continue
                url = (
                    reverse("casework:sign_off", args=[case.pk, item["sign_off"].key])
                    + f"?role={role['key']}"
                )
                allowed = can_change and role["may_record"]
                return NextStep(
                    what=str(
                        _("%(label)s: sign-off by %(role)s")
                        % {"label": item["sign_off"].label, "role": role["label"]}
                    ),
                    who=role["label"],
                    due=None,
                    overdue=False,
                    url=url if allowed else "",
                    action=str(_("Record the sign-off")) if allowed else "",
                )
        if case.stage == Stage.AGREEMENT:
            start = next((e for e in protocol.events if e.key == contract.START.key), None)
            allowed = can_change and may["start"]
            return NextStep(
                what=str(_("Record the first day at the receiving school")),
                who=roles.label_of(protocol, start.recorded_by)
                if start and start.recorded_by
                else "",
                due=None,
                overdue=False,
                url=reverse("casework:event_record", args=[case.pk]) + "?event=start"
                if allowed
                else "",
                action=str(_("Record the first day")) if allowed else "",
            )
        return None
    if case.stage in (Stage.OFF_SITE_DIRECTION, Stage.ENDED_EARLY) and any(
        f.key == contract.OUTCOME.key for f in protocol.forms
    ):
        form = protocol.form(contract.OUTCOME.key)
        allowed = can_change and may["outcome"]
        return NextStep(
            what=str(_("Decide and record the outcome")),
            who=roles.label_of(protocol, form.completed_by) if form.completed_by else "",
            due=None,
            overdue=False,
            url=reverse("casework:outcome", args=[case.pk]) if allowed else "",
            action=str(_("Record the outcome")) if allowed else "",
        )
    return None


@dataclass(frozen=True)
class OutcomePerson:
    """Someone the decision is reported to: emailed through Fairway, or (a parent, an agency with
    no account) to be told outside it by the role that records the outcome, with the day told."""

    role_key: str
    label: str
    emailed: int  # how many people the email went to (0: told outside Fairway)
    waiting: bool  # the email is still to be sent by the worker
    told_by: str
    told_on: date | None


def outcome_people(
    *, case: Case, protocol: Protocol, outcome: Outcome | None = None
) -> list[OutcomePerson]:
    """`outcome` with its `told` prefetched when the caller has it (the case page)."""
    if outcome is None:
        outcome = Outcome.objects.filter(case=case).prefetch_related("told").first()
    if outcome is None:
        return []
    reports = {str(r.get("role")): r for r in outcome.reports}
    told = {t.role_key: t.told_on for t in outcome.told.all()}
    form = next((f for f in protocol.forms if f.key == contract.OUTCOME.key), None)
    told_by = roles.label_of(protocol, form.completed_by) if form and form.completed_by else ""
    people = []
    for role_key in outcome.reported_to:
        report = reports.get(role_key)
        if report is not None:
            emailed = int(str(report.get("emailed") or 0))
        else:  # the worker has not run yet: whoever holds the role in Fairway will be emailed
            emailed = len(roles.holder_emails(case=case, kind=roles.kind_of(protocol, role_key)))
        people.append(
            OutcomePerson(
                role_key=role_key,
                label=roles.label_of(protocol, role_key),
                emailed=emailed,
                waiting=report is None and emailed > 0,
                told_by=told_by,
                told_on=told.get(role_key),
            )
        )
    return people


def _school_names(case: Case) -> dict[int, str]:
    names = {case.home_school_id: case.home_school.name}
    if case.receiving_school is not None:
        names[case.receiving_school.pk] = case.receiving_school.name
    return names


def case_page(*, case: Case, viewed_by: User) -> dict[str, Any]:
    """Everything the case page shows, for this person: the timeline, the tasks and actions their
    role and the case's stage allow, the sign-offs, targets, school options and records. `case`
    is the one the view's access check returned (`access.access_case_by_id`)."""
    user = viewed_by
    case = _records_loaded(case)
    protocol = case.protocol_version.load()
    timeline = case_timeline(case=case)
    attendance = attendance_summary(case=case, protocol=protocol)
    signed = {(s.sign_off_key, s.role_key): s for s in case.sign_offs.all()}
    permits = writes.permits_for(user=user, case=case)
    sign_offs = [
        {
            "sign_off": sign_off,
            "roles": [
                {
                    "key": role,
                    "label": roles.label_of(protocol, role),
                    "signed": signed.get((sign_off.key, role)),
                    "note": signature_note(
                        recorder=signed[(sign_off.key, role)].on_behalf_of,
                        role_label=roles.label_of(protocol, role),
                    )
                    if (sign_off.key, role) in signed
                    else "",
                    "may_record": permits.allows(protocol, writes.Write.SIGN_OFF, role),
                }
                for role in sign_off.roles
            ],
        }
        for sign_off in protocol.sign_offs
    ]
    routes = [route for route in protocol.routes if getattr(case, route.flag, False) is True]
    tasks = _task_list(protocol, case, permits)
    may = _may(permits, protocol, case)
    can_change = access.can_change(user=user, case=case)
    today = timezone.localdate()
    outcome_record = _related(case, "outcome")
    return {
        "case": case,
        "protocol": protocol,
        "timeline": timeline,
        "rule_sources": rule_sources(protocol=protocol),
        "calendar_differences": calendar_differences(case=case, timeline=timeline),
        "attendance": attendance,
        "tasks": tasks,
        "may": may,
        "next_step": next_step(
            case=case,
            protocol=protocol,
            timeline=timeline,
            may=may,
            tasks=tasks,
            sign_offs=sign_offs,
            can_change=can_change,
            today=today,
        ),
        "sign_offs": sign_offs,
        "routes": routes,
        "stage_label": protocol_stage_label(protocol=protocol, stage=case.stage),
        "commitments": commitment_rows(case=case, protocol=protocol, with_changes=False),
        "can_change": can_change,
        "events": recordable_events(protocol=protocol),
        "outcome": outcome_record,
        "outcome_people": outcome_people(case=case, protocol=protocol, outcome=outcome_record)
        if outcome_record
        else [],
        "may_record_told": can_change and permits.allows(protocol, writes.Write.TOLD),
        "outcome_label": next(
            (o.label for o in protocol.outcomes if o.key == case.outcome_key), ""
        ),
        "today": today,
        # Requests to other councils this person may read (never another council's request).
        "move_requests": list(
            access.requests_for(user=user)
            .filter(case=case)
            .select_related("other_council", "proposed_school")
        ),
        "may_ask": may_ask(user=user, case=case),
        # A receiving school of a council not on Fairway: what the home council recorded of it.
        "other_council": other_council_panel(
            case=case, may_record=permits.allows(protocol, writes.Write.OTHER_COUNCIL)
        ),
        "school_options": school_options(case=case)
        if case.stage in (Stage.REFERRAL, Stage.AGREEMENT)
        else None,
        "school_names": _school_names(case),
        # Every record of the case, the referral's answers first, then in the protocol's order.
        "print_links": [
            {
                "title": protocol.form(s.form_key).title
                + (f" {s.occurrence}" if protocol.form(s.form_key).repeats else ""),
                "url": reverse("casework:form_print", args=[case.pk, s.form_key, s.occurrence]),
                "pdf_url": reverse("casework:form_pdf", args=[case.pk, s.form_key, s.occurrence]),
                "submitted_at": s.submitted_at,
            }
            for s in sorted(
                case.submissions.all(),
                key=lambda s: (
                    s.form_key != contract.REFERRAL.key,
                    [f.key for f in protocol.forms].index(s.form_key)
                    if any(f.key == s.form_key for f in protocol.forms)
                    else 0,
                    s.occurrence,
                ),
            )
            if s.is_submitted
            and s.form_key != contract.WEEKLY_ATTENDANCE.key
            and any(f.key == s.form_key for f in protocol.forms)
        ],
    }
