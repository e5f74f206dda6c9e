"""Reads for stored protocols and calendars."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import Q, QuerySet

from protocols.core.calendar import SchoolCalendar
from protocols.core.model import Protocol
from protocols.drafting import DraftCheck, check_draft, required_includes
from protocols.models import CouncilCalendar, ProtocolDraft, ProtocolVersion, SchoolClosure
from tenants.models import Council, School


class NoProtocolInForce(Exception):
    pass


def versions_in_force(*, on: date) -> QuerySet[ProtocolVersion]:
    """Every council's protocol versions in force on `on`: begun, and not ended before it."""
    return ProtocolVersion.objects.filter(effective_from__lte=on).filter(
        Q(effective_until__isnull=True) | Q(effective_until__gte=on)
    )


def protocol_version_in_force(
    *, council: Council, on: date, slug: str | None = None
) -> ProtocolVersion:
    """The council's protocol version in force on `on` (a case pins this at its start)."""
    # Not the YAML: `load()` finds the parsed version in the process's cache by id and digest.
    versions = versions_in_force(on=on).filter(council=council).defer("files")
    if slug:
        versions = versions.filter(slug=slug)
    version = versions.order_by("-effective_from").first()
    if version is None:
        raise NoProtocolInForce(f"{council.name} has no protocol in force on {on.isoformat()}")
    return version


def council_calendar(*, council: Council) -> CouncilCalendar:
    record = CouncilCalendar.objects.filter(council=council).order_by("slug").first()
    if record is None:
        raise CouncilCalendar.DoesNotExist(f"{council.name} has no school calendar")
    return record


def calendar_for_school(*, school: School) -> SchoolCalendar:
    """The school's council calendar with the school's own closures (INSET days) on top."""
    return with_school_closures(calendar=council_calendar_of(school=school), school=school)


def council_calendar_of(*, school: School) -> SchoolCalendar:
    """The school's council's calendar, without the school's own closures."""
    # By the council's id: the school's council row is not needed unless there is no calendar.
    record = CouncilCalendar.objects.filter(council_id=school.council_id).order_by("slug").first()
    if record is None:
        raise CouncilCalendar.DoesNotExist(f"{school.council.name} has no school calendar")
    return record.load()


def with_school_closures(
    *, calendar: SchoolCalendar, school: School, rows: Iterable[SchoolClosure] | None = None
) -> SchoolCalendar:
    """The council's calendar with the school's own closures (INSET days) on top; `rows` are
    the school's closures when the caller has read them already."""
    if rows is None:
        rows = SchoolClosure.objects.filter(school=school)
    closures = [c.as_closure() for c in rows]
    if not closures:
        return calendar
    return calendar.with_closures(closures, slug=f"{calendar.slug}+{school.urn}")


def protocol_versions_by_slug(*, council: Council) -> dict[str, list[ProtocolVersion]]:
    """The council's published versions, newest first, per protocol."""
    found: dict[str, list[ProtocolVersion]] = {}
    for version in ProtocolVersion.objects.filter(council=council).order_by("slug", "-version"):
        found.setdefault(version.slug, []).append(version)
    return found


def version_status(*, version: ProtocolVersion, today: date) -> str:
    """ "future", "in_force" or "superseded" on `today`."""
    if version.effective_from > today:
        return "future"
    if version.effective_until is not None and version.effective_until < today:
        return "superseded"
    return "in_force"


def protocol_drafts(*, council: Council) -> list[ProtocolDraft]:
    return list(
        ProtocolDraft.objects.filter(council=council)
        .select_related("created_by", "approved_by", "published_version")
        .order_by("-created_at")
    )


def access_draft(*, council: Council, draft_id: int) -> ProtocolDraft:
    """The council's draft, or 404 (another council's draft does not exist for this one)."""
    from django.http import Http404

    draft = (
        ProtocolDraft.objects.filter(council=council, pk=draft_id)
        .select_related("council", "based_on", "created_by", "approved_by", "published_version")
        .first()
    )
    if draft is None:
        raise Http404("No draft found.")
    return draft


def access_version(*, council: Council, version_id: int) -> ProtocolVersion:
    from django.http import Http404

    version = ProtocolVersion.objects.filter(council=council, pk=version_id).first()
    if version is None:
        raise Http404("No protocol version found.")
    return version


def draft_protocol(*, draft: ProtocolDraft) -> Protocol | None:
    """The draft as a protocol (None while it has problems); a published draft is its version."""
    if draft.published_version is not None:
        return draft.published_version.load()
    return draft_check_text(draft=draft, text=draft.yaml_text).protocol


def draft_check_text(*, draft: ProtocolDraft, text: str) -> DraftCheck:
    """The draft's text checked as `fairway protocols validate` checks a file."""
    based_on = draft.based_on
    return check_draft(
        text=text,
        main_file=draft.main_file,
        council_slug=draft.council.slug,
        slug=draft.slug,
        version=draft.version,
        required=required_includes(based_on.files, based_on.main_file),
    )
