"""Reads for stored protocols and calendars."""

from __future__ import annotations

from datetime import date

from protocols.core.calendar import SchoolCalendar
from protocols.models import CouncilCalendar, ProtocolVersion, SchoolClosure
from tenants.models import Council, School


class NoProtocolInForce(Exception):
    pass


def protocol_version_in_force(
    *, council: Council, on: date, slug: str | None = None
) -> ProtocolVersion:
    """The council's protocol version in force on `on` (a case pins this at its start)."""
    versions = ProtocolVersion.objects.filter(council=council, effective_from__lte=on).order_by(
        "-effective_from"
    )
    if slug:
        versions = versions.filter(slug=slug)
    for version in versions:
        if version.effective_until is None or on <= version.effective_until:
            return version
    raise NoProtocolInForce(f"{council.name} has no protocol in force on {on.isoformat()}")


def council_calendar(*, council: Council) -> CouncilCalendar:
    record = CouncilCalendar.objects.filter(council=council).order_by("slug").first()
    if record is None:
        raise CouncilCalendar.DoesNotExist(f"{council.name} has no school calendar")
    return record


def calendar_for_school(*, school: School) -> SchoolCalendar:
    """The school's council calendar with the school's own closures (INSET days) on top."""
    calendar = council_calendar(council=school.council).load()
    closures = [c.as_closure() for c in SchoolClosure.objects.filter(school=school)]
    if not closures:
        return calendar
    return calendar.with_closures(closures, slug=f"{calendar.slug}+{school.urn}")
