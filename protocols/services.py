"""Writes for stored protocols and calendars (HackSoft services: keyword-only, one transaction)."""

from __future__ import annotations

from datetime import date, timedelta
from functools import partial
from pathlib import Path

from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from fairway.errors import FairwayError
from protocols.contracts import contract_problems
from protocols.core.calendar import SchoolCalendar
from protocols.core.loader import load_calendar_text, load_protocol
from protocols.core.model import Protocol
from protocols.core.problems import DefinitionError
from protocols.core.source import read_yaml_file
from protocols.core.words import day_in_words
from protocols.drafting import (
    DraftCheck,
    bundle_files,
    draft_file_name,
    problem_rows,
    with_effective_from,
    with_version,
)
from protocols.models import CouncilCalendar, ProtocolDraft, ProtocolVersion, bundle_digest
from protocols.selectors import draft_check_text
from protocols.signals import protocol_version_published
from tenants.models import AuditEvent, Council, User
from tenants.services import audit_record


class CalendarCouncilMismatch(Exception):
    """A replacement calendar names another calendar or council than the one it replaces."""


class ProtocolPublishError(FairwayError):
    """A version cannot be published; the message says why and what to do."""


def _bundle_files(path: Path, protocol: Protocol) -> tuple[str, dict[str, str]]:
    """The protocol file and every part it includes, keyed by path relative to a common root."""
    root = path.parent.parent
    main = str(path.relative_to(root))
    files = {main: path.read_text("utf-8")}
    for relative in protocol.includes:
        part = (path.parent / relative).resolve()
        files[str(part.relative_to(root.resolve()))] = part.read_text("utf-8")
    return main, files


@transaction.atomic
def protocol_version_publish(*, path: Path, request: HttpRequest | None = None) -> ProtocolVersion:
    """Store a validated protocol version; the same version with other content is refused.

    DefinitionError lists every problem: in the files, or against a registered contract (a
    form or field case work reads and the protocol lacks).

    A new version sends `protocol_version_published` after the transaction commits (the guidance
    pages follow from it); `request` lets receivers tell the person publishing through a view.
    """
    protocol: Protocol = load_protocol(str(path), require_citations=True)
    problems = contract_problems(protocol=protocol)
    if problems:
        raise DefinitionError(problems)
    main, files = _bundle_files(path, protocol)
    digest = bundle_digest(files)
    try:
        council = Council.objects.get(slug=protocol.council)
    except Council.DoesNotExist:
        raise ProtocolPublishError(f"{path}: no council with slug {protocol.council!r}") from None
    existing = ProtocolVersion.objects.filter(slug=protocol.slug, version=protocol.version).first()
    if existing is not None:
        if existing.digest != digest:
            raise ProtocolPublishError(
                f"{path}: version {protocol.version} of {protocol.slug} is already published with other "
                f"content; published versions never change, so publish it as version "
                f"{ProtocolVersion.objects.filter(slug=protocol.slug).count() + 1}"
            )
        return existing
    return _version_store(
        council=council, protocol=protocol, main=main, files=files, digest=digest, request=request
    )


def _version_store(
    *,
    council: Council,
    protocol: Protocol,
    main: str,
    files: dict[str, str],
    digest: str,
    request: HttpRequest | None,
) -> ProtocolVersion:
    version = ProtocolVersion.objects.create(
        council=council,
        slug=protocol.slug,
        version=protocol.version,
        title=protocol.title,
        short_name=protocol.short_name or "",
        effective_from=protocol.effective_from,
        effective_until=protocol.effective_until,
        main_file=main,
        files=files,
        digest=digest,
    )
    # After the commit: a receiver must never see a version that may still be rolled back, and
    # send_robust keeps its failure from reaching the publisher.
    transaction.on_commit(
        partial(
            protocol_version_published.send_robust,
            sender=ProtocolVersion,
            version=version,
            request=request,
        )
    )
    return version


@transaction.atomic
def council_calendar_save(
    *, council: Council, yaml_text: str, path_label: str = "calendar.yaml"
) -> CouncilCalendar:
    """Create or replace a council's calendar from YAML text (validated first)."""
    calendar: SchoolCalendar = load_calendar_text(yaml_text, path=path_label)
    record, _ = CouncilCalendar.objects.update_or_create(
        slug=calendar.slug,
        defaults={
            "council": council,
            "title": calendar.title,
            "provisional": calendar.provisional,
            "provisional_reason": calendar.provisional_reason or "",
            "yaml_text": yaml_text,
            "first_day": calendar.first_day,
            "last_day": calendar.last_day,
        },
    )
    return record


def bundled_load() -> list[str]:
    """Publish every bundled protocol and calendar whose council exists (idempotent)."""
    from protocols.bundled import calendar_paths, protocol_paths

    loaded = []
    for path in calendar_paths():
        council_slug = read_yaml_file(str(path)).get("council")
        council = Council.objects.filter(slug=council_slug).first()
        if council is None:
            continue
        record = council_calendar_save(
            council=council, yaml_text=path.read_text("utf-8"), path_label=path.name
        )
        loaded.append(f"calendar {record.slug}")
    for path in protocol_paths():
        protocol = load_protocol(str(path))
        if Council.objects.filter(slug=protocol.council).exists():
            version = protocol_version_publish(path=path)
            loaded.append(f"protocol {version.reference}")
    return loaded


@transaction.atomic
def council_calendar_replace(*, record: CouncilCalendar, yaml_text: str) -> CouncilCalendar:
    """Replace a council's calendar text; DefinitionError (nothing changed) when it is invalid."""
    calendar = load_calendar_text(yaml_text, path=f"{record.slug}.yaml")
    if (
        calendar.slug != record.slug
        or (calendar.council or record.council.slug) != record.council.slug
    ):
        raise CalendarCouncilMismatch(
            f"The file is for calendar {calendar.slug!r} of council {calendar.council!r}; "
            f"it must keep 'calendar: {record.slug}' and 'council: {record.council.slug}'."
        )
    return council_calendar_save(
        council=record.council, yaml_text=yaml_text, path_label=f"{record.slug}.yaml"
    )


# -- drafts: a council's next version, drafted, checked, approved by a second admin, published --


class ProtocolDraftError(FairwayError):
    """A draft step refused in plain words (shown by fairway.errors)."""


def _draft_audit(
    *, draft: ProtocolDraft, by: User, summary: str, request: HttpRequest | None, created: bool
) -> None:
    audit_record(
        actor=by,
        council=draft.council,
        action=AuditEvent.Action.RECORD_CREATED if created else AuditEvent.Action.RECORD_CHANGED,
        object_type="protocol draft",
        object_id=draft.pk,
        summary=summary,
        request=request,
    )


def _latest_version(*, council: Council, slug: str) -> ProtocolVersion:
    latest = ProtocolVersion.objects.filter(council=council, slug=slug).order_by("-version").first()
    if latest is None:
        raise ProtocolDraftError(_("There is no published version of this protocol to start from."))
    return latest


def _refuse_unless_open(draft: ProtocolDraft) -> None:
    if draft.status == ProtocolDraft.Status.PUBLISHED:
        raise ProtocolDraftError(
            _("This version is published. A published version never changes: start a new draft.")
        )


@transaction.atomic
def protocol_draft_start(
    *, council: Council, slug: str, by: User, request: HttpRequest | None = None
) -> ProtocolDraft:
    """A draft of the next version, starting from the latest published one (the version in force,
    or the one about to be). One draft per protocol at a time: an open one is returned."""
    open_draft = (
        ProtocolDraft.objects.filter(council=council, slug=slug)
        .exclude(status=ProtocolDraft.Status.PUBLISHED)
        .first()
    )
    if open_draft is not None:
        return open_draft
    latest = _latest_version(council=council, slug=slug)
    number = latest.version + 1
    text = with_version(latest.files[latest.main_file], number)
    text = with_effective_from(
        text, max(timezone.localdate(), latest.effective_from + timedelta(1))
    )
    draft = ProtocolDraft(
        council=council,
        slug=slug,
        version=number,
        based_on=latest,
        main_file=draft_file_name(council_slug=council.slug, slug=slug, version=number),
        yaml_text=text,
        created_by=by,
        updated_by=by,
    )
    draft.problems = problem_rows(draft_check_text(draft=draft, text=text).problems)
    draft._history_user = by  # type: ignore[attr-defined]
    draft.save()
    _draft_audit(
        draft=draft,
        by=by,
        summary=f"Started a draft of version {number} of {slug} from version {latest.version}",
        request=request,
        created=True,
    )
    return draft


@transaction.atomic
def protocol_draft_save(
    *, draft: ProtocolDraft, yaml_text: str, by: User, request: HttpRequest | None = None
) -> DraftCheck:
    """Keep the new text with its problems (a draft may be saved with problems, to finish later).
    Changing an approved draft withdraws its approval: the approver saw other text."""
    draft = ProtocolDraft.objects.select_for_update().get(pk=draft.pk)
    _refuse_unless_open(draft)
    yaml_text = yaml_text.replace("\r\n", "\n")
    check = draft_check_text(draft=draft, text=yaml_text)
    changed = yaml_text != draft.yaml_text
    withdrawn = changed and draft.status == ProtocolDraft.Status.APPROVED
    draft.yaml_text = yaml_text
    draft.problems = problem_rows(check.problems)
    draft.updated_by = by
    if withdrawn:
        draft.status = ProtocolDraft.Status.DRAFT
        draft.approved_by = None
        draft.approved_at = None
    draft._history_user = by  # type: ignore[attr-defined]
    draft.save()
    summary = f"Saved the draft of version {draft.version} of {draft.slug}" + (
        f" with {len(check.problems)} problem(s)" if check.problems else ", no problems"
    )
    if withdrawn:
        summary += "; the change withdrew its approval"
    _draft_audit(draft=draft, by=by, summary=summary, request=request, created=False)
    return check


def draft_writers(draft: ProtocolDraft) -> set[int]:
    """Everyone who wrote any of the draft's text: none of them may approve it."""
    ids = {draft.created_by_id, draft.updated_by_id}
    ids |= set(draft.history.exclude(history_user=None).values_list("history_user_id", flat=True))
    return {i for i in ids if i is not None}


@transaction.atomic
def protocol_draft_approve(
    *, draft: ProtocolDraft, by: User, request: HttpRequest | None = None
) -> ProtocolDraft:
    """A second council admin approves: someone who wrote none of it, and only a draft with no
    problems (checked again now: Fairway's shared parts or contract may have changed)."""
    draft = ProtocolDraft.objects.select_for_update().get(pk=draft.pk)
    _refuse_unless_open(draft)
    if draft.status == ProtocolDraft.Status.APPROVED:
        raise ProtocolDraftError(_("This draft is already approved."))
    if by.pk in draft_writers(draft):
        raise ProtocolDraftError(
            _(
                "You wrote this draft, so another council admin must approve it: a new version "
                "is never published by one person alone."
            )
        )
    check = draft_check_text(draft=draft, text=draft.yaml_text)
    draft.problems = problem_rows(check.problems)
    if not check.ok:
        draft.save(update_fields=["problems"])
        raise ProtocolDraftError(
            _("The draft has problems, so it cannot be approved. Correct them first.")
        )
    draft.status = ProtocolDraft.Status.APPROVED
    draft.approved_by = by
    draft.approved_at = timezone.now()
    draft._history_user = by  # type: ignore[attr-defined]
    draft.save()
    _draft_audit(
        draft=draft,
        by=by,
        summary=f"Approved the draft of version {draft.version} of {draft.slug}",
        request=request,
        created=False,
    )
    return draft


@transaction.atomic
def protocol_draft_publish(
    *,
    draft: ProtocolDraft,
    effective_from: date,
    by: User,
    request: HttpRequest | None = None,
) -> ProtocolVersion:
    """Publish an approved draft as a new version in force from `effective_from` (today or
    later). Cases referred on or after that date get it; the version before it applies until
    the day before; its guidance goes live that day (cms, on `protocol_version_published`)."""
    draft = ProtocolDraft.objects.select_for_update().get(pk=draft.pk)
    _refuse_unless_open(draft)
    if draft.status != ProtocolDraft.Status.APPROVED:
        raise ProtocolDraftError(
            _("A second council admin must approve the draft before it is published.")
        )
    today = timezone.localdate()
    if effective_from < today:
        raise ProtocolDraftError(
            _("The date it takes effect must be today or later."), field="effective_from"
        )
    latest = _latest_version(council=draft.council, slug=draft.slug)
    if latest.version + 1 != draft.version:
        raise ProtocolDraftError(
            _("Version %(n)s is already published. Start a new draft from it.")
            % {"n": latest.version}
        )
    if effective_from <= latest.effective_from:
        raise ProtocolDraftError(
            _("The date it takes effect must be after %(day)s, when version %(n)s took effect.")
            % {"day": day_in_words(latest.effective_from), "n": latest.version},
            field="effective_from",
        )
    text = with_effective_from(draft.yaml_text, effective_from)
    check = draft_check_text(draft=draft, text=text)
    if not check.ok or check.protocol is None:
        draft.problems = problem_rows(check.problems)
        draft.save(update_fields=["problems"])
        raise ProtocolDraftError(_("The draft has problems, so it cannot be published."))
    files = bundle_files(text=text, main_file=draft.main_file, protocol=check.protocol)
    version = _version_store(
        council=draft.council,
        protocol=check.protocol,
        main=draft.main_file,
        files=files,
        digest=bundle_digest(files),
        request=request,
    )
    # The versions before it apply until the day before (a version's own text never changes;
    # this is when it stops being the one new cases get).
    until = effective_from - timedelta(days=1)
    ProtocolVersion.objects.filter(council=draft.council, slug=draft.slug).exclude(
        pk=version.pk
    ).filter(Q(effective_until__isnull=True) | Q(effective_until__gt=until)).update(
        effective_until=until
    )
    draft.yaml_text = text
    draft.status = ProtocolDraft.Status.PUBLISHED
    draft.published_by = by
    draft.published_version = version
    draft._history_user = by  # type: ignore[attr-defined]
    draft.save()
    _draft_audit(
        draft=draft,
        by=by,
        summary=(
            f"Published version {version.version} of {version.slug}, in force from "
            f"{effective_from.isoformat()} (approved by {draft.approved_by})"
        ),
        request=request,
        created=False,
    )
    return version
