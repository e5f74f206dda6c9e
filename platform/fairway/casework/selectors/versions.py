"""Moving an open case to a newer version of its protocol: what would change, before it does.

A case keeps the version in force when it was referred. A council admin may move chosen open
cases to a newer version; the preview lists every deadline that moves (recomputed on the same
calendar from the case's own recorded facts) and every answer or record that no longer fits
the new version's forms. A case with anything that does not fit is refused, with the reasons.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from protocols.core import answers as core
from protocols.core.model import Protocol
from protocols.models import ProtocolVersion

from ..models import OPEN_STAGES, Case
from .timeline import case_calendar, case_facts, case_timeline, timeline_compute


@dataclass(frozen=True)
class MovedDeadline:
    label: str
    before: date | None  # None: the step is new in the new version
    after: date | None  # None: the new version has no such step


@dataclass(frozen=True)
class MovePreview:
    case: Case
    to_version: ProtocolVersion
    deadlines: tuple[MovedDeadline, ...]
    misfits: tuple[str, ...]  # why the case cannot move (empty: it can)

    @property
    def fits(self) -> bool:
        return not self.misfits


def open_case_counts(versions: Iterable[ProtocolVersion]) -> dict[int, int]:
    """{version pk: open cases on it}, in one query (the protocols page shows it)."""
    ids = [v.pk for v in versions]
    rows = (
        ProtocolVersion.objects.filter(pk__in=ids)
        # The council's own cases: a case another council opened under this protocol (a move it
        # asked this council to take on) is not this council's to count or move.
        .annotate(
            open=Count(
                "cases",
                filter=Q(cases__stage__in=OPEN_STAGES, cases__home_council_id=F("council_id")),
            )
        )
        .values_list("pk", "open")
    )
    return dict(rows)


def cases_to_move(*, to_version: ProtocolVersion) -> list[Case]:
    """Open cases of the same council and protocol on an earlier version."""
    return list(
        Case.objects.filter(
            home_council_id=to_version.council_id,
            protocol_version__slug=to_version.slug,
            protocol_version__version__lt=to_version.version,
            stage__in=OPEN_STAGES,
        )
        .select_related("protocol_version", "home_school", "home_council")
        .order_by("next_due", "pk")
    )


def _misfits(case: Case, new: Protocol, number: int) -> list[str]:
    found: list[str] = []
    forms = {f.key: f for f in new.forms}
    for submission in case.submissions.all():
        form = forms.get(submission.form_key)
        if form is None:
            found.append(
                _("The form “%(form)s” is not in version %(n)s.")
                % {"form": submission.form_key.replace("_", " "), "n": number}
            )
            continue
        answers = submission.answers or {}
        asked = {d.key for d in form.fields}
        for key in sorted(set(answers) - asked):
            found.append(
                _("%(form)s: the answer “%(key)s” has no question in version %(n)s.")
                % {"form": form.title, "key": key.replace("_", " "), "n": number}
            )
        problems = (
            core.problems(form, answers)
            if submission.submitted_at is not None
            else [
                p for p in core.problems(form, answers) if not core.is_empty(answers.get(p.field))
            ]
        )
        found.extend(f"{form.title}: {p.message}" for p in problems)
    kinds = (
        ("events", "event_key", {e.key for e in new.events}, _("the event")),
        ("extensions", "extension_key", {e.key for e in new.extensions}, _("the extension")),
        ("sign_offs", "sign_off_key", {s.key for s in new.sign_offs}, _("the sign-off")),
        ("milestones_done", "milestone_key", {m.key for m in new.milestones}, _("the step")),
    )
    for related, field, known, what in kinds:
        recorded = {
            k.partition(".")[0] for k in getattr(case, related).values_list(field, flat=True)
        }
        for key in sorted(recorded - known):
            found.append(
                _("%(what)s “%(key)s” recorded on this case is not in version %(n)s.")
                % {"what": str(what).capitalize(), "key": key.replace("_", " "), "n": number}
            )
    if case.outcome_key and case.outcome_key not in {o.key for o in new.outcomes}:
        found.append(
            _("The outcome “%(key)s” is not in version %(n)s.")
            % {"key": case.outcome_key.replace("_", " "), "n": number}
        )
    return found


def case_move_preview(
    *, case: Case, to_version: ProtocolVersion, today: date | None = None
) -> MovePreview:
    today = today or timezone.localdate()
    new = to_version.load()
    misfits = []
    if (
        case.protocol_version.slug != to_version.slug
        or case.home_council_id != to_version.council_id
    ):
        misfits.append(_("The case follows another protocol."))
    elif case.protocol_version.version >= to_version.version:
        misfits.append(_("The case is already on this version or a later one."))
    if case.stage not in OPEN_STAGES:
        misfits.append(_("The case is closed, so it stays on its version."))
    misfits += _misfits(case, new, to_version.version)
    before = case_timeline(case=case, today=today)
    try:
        after = timeline_compute(
            protocol=new,
            calendar=case_calendar(case=case),
            start=case.start_date,
            facts=case_facts(case=case, protocol=new),
            today=today,
        )
    except Exception as error:  # a timeline the new version cannot date is a reason not to move
        misfits.append(_("The new version's deadlines cannot be worked out: %(e)s") % {"e": error})
        after = None
    moved: list[MovedDeadline] = []
    if after is not None:
        old = {m.key: m for m in before.milestones}
        new_steps = {m.key: m for m in after.milestones}
        for key in list(old) + [k for k in new_steps if k not in old]:
            a, b = old.get(key), new_steps.get(key)
            if a is not None and b is not None and a.due == b.due:
                continue
            moved.append(
                MovedDeadline(
                    label=(b or a).label,  # type: ignore[union-attr]
                    before=a.due if a else None,
                    after=b.due if b else None,
                )
            )
    return MovePreview(
        case=case, to_version=to_version, deadlines=tuple(moved), misfits=tuple(misfits)
    )
