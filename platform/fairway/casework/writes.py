"""The one write rule: what each stage of a case allows to be written, and by which protocol role.

Every case-work service that writes asks both questions (`services._check_write`) before it
changes anything, so a view, the demo or a future API cannot write around it. Two kinds of refusal:

- The stage does not allow the write (a closed case's outcome, an agreement once the off-site
  direction has started): a `CaseworkError` with `stage_refusal`'s words, shown on the page.
- The person does not hold the protocol role that makes this write (home-school staff recording
  the attendance the receiving school records): `RoleRefused`, answered 404 exactly like a case
  of another council, so a write URL tells nobody more than the read pages do.

Council and partnership staff are officers: they may make any write a school may, recording it on
someone's behalf (a sign-off then says "recorded by X for the parent, on paper").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from protocols.core.model import Protocol, SignOff
from tenants import access as tenant_access
from tenants.models import User

from . import access, contract, roles
from .models import Case, CrossAuthorityRequest, Stage


class Write(StrEnum):
    FORM = "form"
    EVENT = "event"
    SIGN_OFF = "sign_off"
    ATTENDANCE = "attendance"
    MILESTONE = "milestone"
    EXTENSION = "extension"
    END_EARLY = "end_early"
    OUTCOME = "outcome"
    TOLD = "told"  # someone without an account told of the outcome outside Fairway
    COMMITMENT = "commitment"
    PEOPLE = "people"
    VERSION = "version"  # moving an open case to a newer version of its protocol
    # What the home council records of a council not on Fairway (contact, decisions, calendar).
    OTHER_COUNCIL = "other_council"


class RoleRefused(Http404):
    """The person does not hold the protocol role for this write: 404, like another council's."""


OPEN = frozenset({Stage.REFERRAL, Stage.AGREEMENT, Stage.OFF_SITE_DIRECTION, Stage.ENDED_EARLY})
BEFORE_START = frozenset({Stage.REFERRAL, Stage.AGREEMENT})
STARTED = frozenset({Stage.OFF_SITE_DIRECTION, Stage.ENDED_EARLY})
RUNNING = frozenset({Stage.OFF_SITE_DIRECTION})

# Kinds of protocol role whose holders are officers: they may record for any role.
OFFICER_KINDS = frozenset({"council", "partnership"})
# Kinds of role with no Fairway account (parents, agencies): their signatures come on paper and
# are recorded by a school or an officer on their behalf.
PAPER_KINDS = frozenset({"family", "agency"})

# Forms that only their own step writes (the referral wizard, "end early", "record the outcome"):
# the case-form pages never write them.
OWN_STEP_FORMS = frozenset({contract.REFERRAL.key, contract.OUTCOME.key, contract.EARLY_END.key})


@dataclass(frozen=True)
class _Allowed:
    stages: frozenset[str]
    # Worked out only when the write is refused: the case page asks about every action it could
    # offer, and translating each refusal it never shows cost a tenth of the page.
    refusal: Callable[[], str]


def _text(message: str | Promise) -> Callable[[], str]:
    return lambda: str(message)


# The stages in which a write is allowed (forms and milestones also depend on their key).
_STAGE_RULES = {
    Write.EVENT: _Allowed(
        OPEN, _text(_lazy("This case is closed, so nothing more can be recorded on it."))
    ),
    Write.SIGN_OFF: _Allowed(
        OPEN, _text(_lazy("This case is closed, so its sign-offs can no longer be recorded."))
    ),
    Write.ATTENDANCE: _Allowed(
        STARTED, _text(_lazy("Attendance is recorded once the off-site direction has started."))
    ),
    Write.EXTENSION: _Allowed(
        RUNNING, _text(_lazy("Only an off-site direction in progress can be extended."))
    ),
    Write.END_EARLY: _Allowed(
        RUNNING, _text(_lazy("Only an off-site direction in progress can end early."))
    ),
    Write.OUTCOME: _Allowed(
        STARTED, _text(_lazy("An outcome is recorded once the off-site direction has started."))
    ),
    Write.TOLD: _Allowed(
        frozenset({Stage.CLOSED}),
        _text(_lazy("People are told of the outcome once it has been recorded.")),
    ),
    Write.COMMITMENT: _Allowed(
        frozenset({Stage.AGREEMENT, Stage.OFF_SITE_DIRECTION}),
        _text(
            _lazy(
                "Targets and commitments can be added or changed from the agreement until the "
                "off-site direction ends."
            )
        ),
    ),
    # Access, not the record: a named person may still be given view-only access when closed.
    Write.PEOPLE: _Allowed(OPEN | {Stage.CLOSED}, _text("")),
    Write.VERSION: _Allowed(
        OPEN, _text(_lazy("This case is closed, so it stays on the protocol version it had."))
    ),
    Write.OTHER_COUNCIL: _Allowed(
        OPEN,
        _text(
            _lazy("This case is closed, so the other council's record can no longer be changed.")
        ),
    ),
}


_FORM_CLOSED = _Allowed(
    OPEN, _text(_lazy("This case is closed, so its forms can no longer be changed."))
)
# Duties that follow the decision (reporting the outcome, the admission authority's consent).
_AFTER_DECISION = _Allowed(OPEN | {Stage.CLOSED}, _text(""))


def _stage_rule(write: Write) -> _Allowed:
    return _STAGE_RULES[write]


def _form_rule(protocol: Protocol, form_key: str) -> _Allowed:
    form = protocol.form(form_key)
    if form.stage == contract.AGREEMENT_STAGE.key:
        return _Allowed(
            BEFORE_START,
            lambda: (
                _("The %(form)s cannot be changed once the off-site direction has started.")
                % {"form": form.title}
            ),
        )
    if form.stage in contract.STARTED_STAGES:
        return _Allowed(
            STARTED,
            lambda: (
                _("The %(form)s is filled in once the off-site direction has started.")
                % {"form": form.title}
            ),
        )
    return _FORM_CLOSED


def _milestone_rule(protocol: Protocol, milestone_key: str) -> _Allowed:
    # What the protocol allows after closure: the duties that follow the decision (reporting the
    # outcome) are marked done on a closed case.
    milestone = next((m for m in protocol.milestones if m.key == milestone_key), None)
    if milestone is not None and milestone.stage == contract.OUTCOME_STAGE.key:
        return _AFTER_DECISION
    return _STAGE_RULES[Write.EVENT]


def _event_rule(protocol: Protocol, event_key: str) -> _Allowed:
    """When an event recorded from the case page may be recorded: one of the agreement (the
    governing board's determination) before the start; one after the decision (the admission
    authority's consent, the day the pupil joins the receiving school's roll) on a closed case
    too; the others while the case is open. Events with their own step keep the general rule;
    their services say when they may be recorded."""
    event = next((e for e in protocol.events if e.key == event_key), None)
    if event is None or event_key in contract.OWN_STEP_EVENTS:
        return _stage_rule(Write.EVENT)
    if event.stage in (contract.REFERRAL_STAGE.key, contract.AGREEMENT_STAGE.key):
        return _Allowed(
            BEFORE_START,
            lambda: (
                _("%(event)s is recorded before the off-site direction starts.")
                % {"event": event.label}
            ),
        )
    if event.stage == contract.OUTCOME_STAGE.key:
        return _AFTER_DECISION
    # A request for a review may come once the board has determined, before the first day.
    return _stage_rule(Write.EVENT)


def _who_may(protocol: Protocol, write: Write, key: str | None) -> frozenset[str] | None:
    """The role kinds (besides officers) that may make this write; None: anyone on the case."""
    if write == Write.FORM and key is not None:
        completed_by = protocol.form(key).completed_by
        return roles.kinds_of(protocol, [completed_by]) if completed_by else None
    if write == Write.EVENT and key is not None:
        event = next((e for e in protocol.events if e.key == key), None)
        return (
            roles.kinds_of(protocol, [event.recorded_by]) if event and event.recorded_by else None
        )
    if write == Write.MILESTONE and key is not None:
        milestone = next((m for m in protocol.milestones if m.key == key), None)
        if milestone is None or not milestone.owner:
            return None
        # The school a step is held at may record it as well as the role whose duty it is.
        return roles.kinds_of(
            protocol, [milestone.owner] + ([milestone.held_at] if milestone.held_at else [])
        )
    if write == Write.SIGN_OFF and key is not None:
        kinds = roles.kinds_of(protocol, [key])
        # A parent's or an agency's signature on paper may be recorded by either school.
        return kinds | {"home_school", "receiving_school"} if kinds & PAPER_KINDS else kinds
    if write == Write.ATTENDANCE:
        recorded_by = protocol.attendance.recorded_by if protocol.attendance else None
        return roles.kinds_of(protocol, [recorded_by]) if recorded_by else None
    if write in (Write.OUTCOME, Write.END_EARLY, Write.TOLD):
        form_key = contract.EARLY_END.key if write == Write.END_EARLY else contract.OUTCOME.key
        form = next((f for f in protocol.forms if f.key == form_key), None)
        return roles.kinds_of(protocol, [form.completed_by]) if form and form.completed_by else None
    if write == Write.EXTENSION and key is not None:
        extension = next((e for e in protocol.extensions if e.key == key), None)
        return roles.kinds_of(protocol, extension.approvals) if extension else frozenset()
    if write in (Write.PEOPLE, Write.VERSION, Write.OTHER_COUNCIL):
        return frozenset()  # officers only
    return None


def stage_refusal(*, case: Case, protocol: Protocol, write: Write, key: str | None = None) -> str:
    """Why the case's stage does not allow this write ("" when it does)."""
    if write == Write.FORM and key is not None:
        if key in OWN_STEP_FORMS:
            return _("This form is filled in through its own step on the case page.")
        allowed = _form_rule(protocol, key)
    elif write == Write.MILESTONE and key is not None:
        allowed = _milestone_rule(protocol, key)
    elif write == Write.EVENT and key is not None:
        allowed = _event_rule(protocol, key)
    else:
        allowed = _stage_rule(write)
    if case.stage in allowed.stages:
        return ""
    if case.stage == Stage.CLOSED and write == Write.FORM:
        return _FORM_CLOSED.refusal()
    return allowed.refusal()


def sign_off_stage_refusal(*, case: Case, sign_off: SignOff) -> str:
    """A sign-off needed before the first day is final once the off-site direction starts."""
    if sign_off.before == contract.START.key and case.stage not in BEFORE_START:
        return _("The %(label)s was signed before the off-site direction started.") % {
            "label": sign_off.label
        }
    return ""


@dataclass(frozen=True)
class Permits:
    """What one person may write on one case, worked out once per request (the case page asks it
    for every link it offers)."""

    changeable: bool
    held: frozenset[str]  # protocol role kinds: home_school, receiving_school, council...
    manages_people: bool

    def allows(self, protocol: Protocol, write: Write, key: str | None = None) -> bool:
        if not self.changeable:
            return False
        if write == Write.PEOPLE:
            return self.manages_people
        if self.held & OFFICER_KINDS:
            return True
        wanted = _who_may(protocol, write, key)
        # Anyone who may change the case (a named person included) makes a write no role owns.
        return wanted is None or bool(self.held & wanted)


def permits_for(*, user: User, case: Case) -> Permits:
    return Permits(
        changeable=access.can_change(user=user, case=case),
        held=roles.kinds_held(user=user, case=case),
        manages_people=access.can_manage_people(user=user, case=case),
    )


def holds_role(
    *, user: User, case: Case, protocol: Protocol, write: Write, key: str | None = None
) -> bool:
    """Whether the person may make this write on this case by their protocol role."""
    return permits_for(user=user, case=case).allows(protocol, write, key)


def refusal(
    *, user: User, case: Case, protocol: Protocol, write: Write, key: str | None = None
) -> str:
    """Both questions in order: RoleRefused (404) if the person does not hold the role, else why
    the stage does not allow the write ("" when it does). Pages ask it before showing a form."""
    if not holds_role(user=user, case=case, protocol=protocol, write=write, key=key):
        raise RoleRefused(_("No case found."))
    return stage_refusal(case=case, protocol=protocol, write=write, key=key)


def records_for_someone_else(*, user: User, case: Case, protocol: Protocol, role_key: str) -> bool:
    """Whether a sign-off for `role_key` recorded by `user` is recorded on that role's behalf."""
    return not (roles.kinds_held(user=user, case=case) & roles.kinds_of(protocol, [role_key]))


# A request to another council (cross-authority move): who may take each step, and when.
class RequestWrite(StrEnum):
    ASK = "ask"
    ANSWER = "answer"
    WITHDRAW = "withdraw"
    ACCEPT = "accept"
    DECLINE = "decline"
    QUESTION = "question"


# The home side asks, answers and withdraws; the council asked (and the partnership of the
# proposed school) accepts, declines or asks a question.
HOME_SIDE_WRITES = frozenset({RequestWrite.ASK, RequestWrite.ANSWER, RequestWrite.WITHDRAW})


def request_sides(*, user: User, request: CrossAuthorityRequest) -> frozenset[str]:
    """The sides of a request a person acts on: "home" (the home council's officers, the home
    school's staff, its partnership's officers) and "other" (the asked council's officers and the
    proposed school's partnership's officers)."""
    sides: set[str] = set()
    councils = tenant_access.council_ids_for(user, roles=roles.CHANGE_COUNCIL_ROLES)
    partnerships = tenant_access.partnership_ids_for(user)
    home_school = request.case.home_school
    if (
        request.home_council_id in councils
        or home_school.pk in tenant_access.school_ids_for(user)
        or (home_school.partnership_id and home_school.partnership_id in partnerships)
    ):
        sides.add("home")
    school = request.proposed_school
    if request.other_council_id in councils or (
        school.partnership_id and school.partnership_id in partnerships
    ):
        sides.add("other")
    return frozenset(sides)


def request_refusal(*, user: User, request: CrossAuthorityRequest, write: RequestWrite) -> str:
    """The write rule for a request: RoleRefused (404) when the person is not on the side that
    takes this step, else why the request's state does not allow it ("" when it does)."""
    wanted = "home" if write in HOME_SIDE_WRITES else "other"
    if wanted not in request_sides(user=user, request=request):
        raise RoleRefused(_("No request found."))
    if write != RequestWrite.ASK and not request.is_pending:
        return _("This request has already been %(status)s.") % {
            "status": request.get_status_display().lower()
        }
    return ""
