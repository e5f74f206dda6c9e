"""Requests to another council (cross-authority moves): ask, question and answer, accept (the case
is shared from then on), decline, withdraw.

A request names no pupil: the other council reads year group, phase, the home school's summary of
the reasons, the proposed school, dates and protocol. Each step is written to both councils' audit
logs with the council the person acted for, and emailed to the other side (the email, like the
request page, carries the request's reference, never the case's or the pupil's).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from protocols.models import ProtocolVersion
from tenants.models import AuditEvent, Council, Membership, Role, School, User
from tenants.services import audit_record

from .. import bounds, dates, selectors, writes
from ..models import Case, CrossAuthorityMessage, CrossAuthorityRequest, Stage
from ..roles import CHANGE_COUNCIL_ROLES
from ._base import CaseworkError, _lock, _save, _within_bounds

RequestWrite = writes.RequestWrite


def _acting_council(move_request: CrossAuthorityRequest, write: RequestWrite) -> Council:
    if write in writes.HOME_SIDE_WRITES:
        return move_request.home_council
    return move_request.other_council


def _audit_request(
    move_request: CrossAuthorityRequest,
    *,
    by: User,
    write: RequestWrite,
    summary: str,
    http_request: HttpRequest | None,
) -> None:
    """One line in each council's log, with the council the person acted for."""
    acting = _acting_council(move_request, write)
    action = (
        AuditEvent.Action.RECORD_CREATED
        if write == RequestWrite.ASK
        else AuditEvent.Action.RECORD_CHANGED
    )
    for council in (move_request.home_council, move_request.other_council):
        audit_record(
            actor=by,
            council=council,
            actor_council=acting,
            action=action,
            object_type="cross_authority_request",
            object_id=move_request.pk,
            summary=f"{move_request.reference}: {summary}",
            request=http_request,
        )


def _check(move_request: CrossAuthorityRequest, *, by: User, write: RequestWrite) -> None:
    refusal = writes.request_refusal(user=by, request=move_request, write=write)
    if refusal:
        raise CaseworkError(refusal)


def _emails(people: Iterable[Membership]) -> list[str]:
    return sorted({m.user.email for m in people})


def _side_emails(move_request: CrossAuthorityRequest, *, side: str) -> list[str]:
    """Who hears of a step: the other side's council officers (and the proposed school's
    partnership officers), or the home council's officers and the person who asked."""
    active = Membership.objects.filter(user__is_active=True).select_related("user")
    if side == "other":
        people = list(
            active.filter(council=move_request.other_council, role__in=sorted(CHANGE_COUNCIL_ROLES))
        )
        partnership_id = move_request.proposed_school.partnership_id
        if partnership_id:
            people += list(
                active.filter(role=Role.PARTNERSHIP_OFFICER, partnership_id=partnership_id)
            )
        return _emails(people)
    emails = _emails(
        active.filter(council=move_request.home_council, role__in=sorted(CHANGE_COUNCIL_ROLES))
    )
    if move_request.asked_by is not None and move_request.asked_by.email not in emails:
        emails.append(move_request.asked_by.email)
    return emails


def request_email_text(move_request: CrossAuthorityRequest, *, what: str) -> tuple[str, str]:
    """The subject and body of a request's email: the reference, the school, the year group and
    what happened; never the pupil's name or the case's reference."""
    base_url = getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")
    link = base_url + reverse("casework:request_detail", kwargs={"request_id": move_request.pk})
    subject = _("%(what)s: managed move request %(ref)s") % {
        "what": what,
        "ref": move_request.reference,
    }
    body = _(
        "%(what)s.\n\nRequest %(ref)s from %(home)s to %(other)s: a %(year)s pupil, proposed "
        "for %(school)s from %(start)s.\n\nOpen the request: %(link)s\n\n"
        "You get this email because of your role in Fairway."
    ) % {
        "what": what,
        "ref": move_request.reference,
        "home": move_request.home_council.name,
        "other": move_request.other_council.name,
        "year": move_request.year_group_label,
        "school": move_request.proposed_school.name,
        "start": dates.day_text(move_request.proposed_start),
        "link": link,
    }
    return subject, body


def _email(move_request: CrossAuthorityRequest, *, side: str, what: str) -> None:
    to = _side_emails(move_request, side=side)
    if not to:
        return
    subject, body = request_email_text(move_request, what=what)
    transaction.on_commit(lambda: send_mail(subject, body, None, to))


def _locked(
    move_request: CrossAuthorityRequest, expected_version: int | None
) -> CrossAuthorityRequest:
    locked = (
        CrossAuthorityRequest.objects.select_for_update(of=("self",))
        .select_related(
            "case__home_school", "home_council", "other_council", "proposed_school", "asked_by"
        )
        .get(pk=move_request.pk)
    )
    if expected_version is not None and locked.version != expected_version:
        raise CaseworkError(
            _("Someone else acted on this request while you were looking at it: check it again.")
        )
    return locked


def _bump(move_request: CrossAuthorityRequest) -> None:
    move_request.version += 1
    move_request.save()


@transaction.atomic
def request_ask(
    *,
    case: Case,
    school: School,
    reasons_summary: str,
    proposed_start: date,
    proposed_weeks: int,
    proposed_protocol: ProtocolVersion,
    asked_by: User,
    http_request: HttpRequest | None = None,
) -> CrossAuthorityRequest:
    """Ask the council of `school` to take on the move. Nothing of the case is shared yet."""
    _within_bounds(
        bounds.first_problem(
            texts={
                "reasons_summary": (
                    _("Summary of the reasons"),
                    reasons_summary,
                    bounds.LONG_TEXT,
                )
            },
            dates={"proposed_start": (_("Proposed first day"), proposed_start)},
        )
    )
    if not reasons_summary.strip():
        raise CaseworkError(
            _("Enter a summary of the reasons for the move"), field="reasons_summary"
        )
    if not 1 <= proposed_weeks <= 52:
        raise CaseworkError(
            _("Proposed length must be between 1 and 52 school weeks"), field="proposed_weeks"
        )
    case = _lock(case, None)
    draft = CrossAuthorityRequest(
        case=case,
        home_council=case.home_council,
        other_council=school.council,
        proposed_school=school,
    )
    _check(draft, by=asked_by, write=RequestWrite.ASK)
    if case.stage not in (Stage.REFERRAL, Stage.AGREEMENT) or case.is_cross_authority:
        raise CaseworkError(
            _("Another council can be asked only before the agreement with a receiving school.")
        )
    if school.council_id == case.home_council_id:
        raise CaseworkError(
            _("This school is in %(council)s: choose it on the agreement.")
            % {"council": case.home_council.name},
            field="school",
        )
    governing = case.protocol_version.council
    if governing.pk != case.home_council_id and school.council_id != governing.pk:
        # A council with no protocol of its own opened the case under this council's: only
        # this council can take the move on.
        raise CaseworkError(
            _("This case is under %(council)s's protocol: choose one of its schools.")
            % {"council": governing.name},
            field="school",
        )
    if not selectors.council_on_fairway(council=school.council):
        raise CaseworkError(
            _(
                "%(council)s is not on Fairway, so it cannot be asked here: record its decision "
                "on the agreement."
            )
            % {"council": school.council.name},
            field="school",
        )
    if school.phase != case.home_school.phase:
        raise CaseworkError(
            _("Choose a %(phase)s school")
            % {"phase": case.home_school.get_phase_display().lower()},
            field="school",
        )
    if case.cross_authority_requests.filter(status=CrossAuthorityRequest.Status.PENDING).exists():
        raise CaseworkError(
            _("This case already has a request waiting for a decision: withdraw it first.")
        )
    allowed = selectors.protocol_choices(case=case, council=school.council, on=proposed_start)
    if proposed_protocol.pk not in {p.pk for p in allowed}:
        raise CaseworkError(
            _("Choose one of the two councils' protocols"), field="proposed_protocol"
        )
    draft.year_group = case.year_group
    draft.phase = case.home_school.phase
    draft.reasons_summary = reasons_summary.strip()
    draft.proposed_start = proposed_start
    draft.proposed_weeks = proposed_weeks
    draft.proposed_protocol = proposed_protocol
    draft.asked_by = asked_by
    draft.save()
    _audit_request(
        draft,
        by=asked_by,
        write=RequestWrite.ASK,
        summary=_("%(home)s asked %(other)s to take on a move to %(school)s")
        % {
            "home": draft.home_council.name,
            "other": draft.other_council.name,
            "school": school.name,
        },
        http_request=http_request,
    )
    _save(
        case,
        by=asked_by,
        summary=_("%(council)s asked to take on the move (request %(ref)s)")
        % {"council": school.council.name, "ref": draft.reference},
        request=http_request,
    )
    _email(draft, side="other", what=_("A council asks you to take on a managed move"))
    return draft


@transaction.atomic
def request_question(
    *,
    move_request: CrossAuthorityRequest,
    text: str,
    asked_by: User,
    http_request: HttpRequest | None = None,
) -> CrossAuthorityMessage:
    """The council asked puts a question to the home council."""
    return _message(
        move_request,
        write=RequestWrite.QUESTION,
        text=text,
        by=asked_by,
        http_request=http_request,
    )


@transaction.atomic
def request_answer(
    *,
    move_request: CrossAuthorityRequest,
    text: str,
    answered_by: User,
    http_request: HttpRequest | None = None,
) -> CrossAuthorityMessage:
    """The home council answers a question (without naming the pupil: the page says so)."""
    return _message(
        move_request,
        write=RequestWrite.ANSWER,
        text=text,
        by=answered_by,
        http_request=http_request,
    )


def _message(
    move_request: CrossAuthorityRequest,
    *,
    write: RequestWrite,
    text: str,
    by: User,
    http_request: HttpRequest | None,
) -> CrossAuthorityMessage:
    label = _("Question") if write == RequestWrite.QUESTION else _("Answer")
    _within_bounds(bounds.first_problem(texts={"text": (label, text, bounds.LONG_TEXT)}))
    if not text.strip():
        raise CaseworkError(
            _("Enter your question") if write == RequestWrite.QUESTION else _("Enter your answer"),
            field="text",
        )
    move_request = _locked(move_request, None)
    _check(move_request, by=by, write=write)
    message = CrossAuthorityMessage.objects.create(
        request=move_request,
        kind=CrossAuthorityMessage.Kind(str(write)),
        text=text.strip(),
        council=_acting_council(move_request, write),
        written_by=by,
    )
    _bump(move_request)
    asked = write == RequestWrite.QUESTION
    _audit_request(
        move_request,
        by=by,
        write=write,
        summary=_("question asked") if asked else _("question answered"),
        http_request=http_request,
    )
    _email(
        move_request,
        side="home" if asked else "other",
        what=_("A question on a managed move request")
        if asked
        else _("An answer on a managed move request"),
    )
    return message


@transaction.atomic
def request_accept(
    *,
    move_request: CrossAuthorityRequest,
    lead: User,
    accepted_by: User,
    expected_version: int,
    http_request: HttpRequest | None = None,
) -> CrossAuthorityRequest:
    """Take on the move: the case is shared with the council asked from now on (its receiving
    school and council are set, and the protocol agreed is pinned on it)."""
    move_request = _locked(move_request, expected_version)
    _check(move_request, by=accepted_by, write=RequestWrite.ACCEPT)
    if not selectors.lead_choices(move_request=move_request).filter(pk=lead.pk).exists():
        raise CaseworkError(
            _("Choose who works on it from %(council)s's officers")
            % {"council": move_request.other_council.name},
            field="lead",
        )
    case = _lock(move_request.case, None)
    if case.stage not in (Stage.REFERRAL, Stage.AGREEMENT):
        raise CaseworkError(
            _(
                "The home council has already gone ahead with another school, so this request "
                "can no longer be accepted."
            )
        )
    move_request.status = CrossAuthorityRequest.Status.ACCEPTED
    move_request.lead = lead
    move_request.decided_by = accepted_by
    move_request.decided_at = timezone.now()
    _bump(move_request)
    case.receiving_school = move_request.proposed_school
    case.receiving_council = move_request.other_council
    case.protocol_version = move_request.proposed_protocol
    if case.stage == Stage.REFERRAL:
        case.stage = Stage.AGREEMENT
    _audit_request(
        move_request,
        by=accepted_by,
        write=RequestWrite.ACCEPT,
        summary=_("accepted; %(lead)s works on it") % {"lead": lead},
        http_request=http_request,
    )
    _save(
        case,
        by=accepted_by,
        summary=_("%(council)s took on the move to %(school)s (request %(ref)s)")
        % {
            "council": move_request.other_council.name,
            "school": move_request.proposed_school.name,
            "ref": move_request.reference,
        },
        request=http_request,
    )
    _email(move_request, side="home", what=_("Your managed move request was accepted"))
    return move_request


@transaction.atomic
def request_decline(
    *,
    move_request: CrossAuthorityRequest,
    reason: str,
    declined_by: User,
    expected_version: int,
    http_request: HttpRequest | None = None,
) -> CrossAuthorityRequest:
    """Decline with a reason; the council asked keeps only the request's summary."""
    _within_bounds(bounds.first_problem(texts={"reason": (_("Reason"), reason, bounds.LONG_TEXT)}))
    if not reason.strip():
        raise CaseworkError(_("Enter the reason for declining"), field="reason")
    move_request = _locked(move_request, expected_version)
    _check(move_request, by=declined_by, write=RequestWrite.DECLINE)
    move_request.status = CrossAuthorityRequest.Status.DECLINED
    move_request.decline_reason = reason.strip()
    move_request.decided_by = declined_by
    move_request.decided_at = timezone.now()
    _bump(move_request)
    _audit_request(
        move_request,
        by=declined_by,
        write=RequestWrite.DECLINE,
        summary=_("declined"),
        http_request=http_request,
    )
    _email(move_request, side="home", what=_("Your managed move request was declined"))
    return move_request


@transaction.atomic
def request_withdraw(
    *,
    move_request: CrossAuthorityRequest,
    withdrawn_by: User,
    expected_version: int,
    http_request: HttpRequest | None = None,
) -> CrossAuthorityRequest:
    """The home council withdraws a request still waiting for a decision."""
    move_request = _locked(move_request, expected_version)
    _check(move_request, by=withdrawn_by, write=RequestWrite.WITHDRAW)
    move_request.status = CrossAuthorityRequest.Status.WITHDRAWN
    move_request.decided_by = withdrawn_by
    move_request.decided_at = timezone.now()
    _bump(move_request)
    _audit_request(
        move_request,
        by=withdrawn_by,
        write=RequestWrite.WITHDRAW,
        summary=_("withdrawn by %(council)s") % {"council": move_request.home_council.name},
        http_request=http_request,
    )
    _email(move_request, side="other", what=_("A managed move request was withdrawn"))
    return move_request


def accepted_school_ids(*, case: Case) -> frozenset[int]:
    """Schools of another council this case may name as its receiving school: those of its
    accepted requests."""
    return frozenset(
        case.cross_authority_requests.filter(
            status=CrossAuthorityRequest.Status.ACCEPTED
        ).values_list("proposed_school_id", flat=True)
    )
