"""Writes for stored protocols and calendars (HackSoft services: keyword-only, one transaction)."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from django.db import transaction
from django.http import HttpRequest

from fairway.errors import FairwayError
from protocols.contracts import contract_problems
from protocols.core.calendar import SchoolCalendar
from protocols.core.loader import load_calendar_text, load_protocol
from protocols.core.model import Protocol
from protocols.core.problems import DefinitionError
from protocols.core.source import read_yaml_file
from protocols.models import CouncilCalendar, ProtocolVersion, bundle_digest
from protocols.signals import protocol_version_published
from tenants.models import Council


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
    protocol: Protocol = load_protocol(str(path))
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
