"""Protocol versions: which version is in force on a date, and checks that versions fit together."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from .model import Protocol


class VersionError(ValueError):
    pass


def versions_of(protocols: Iterable[Protocol], *, slug: str) -> list[Protocol]:
    return sorted((p for p in protocols if p.slug == slug), key=lambda p: p.version)


def version_in_force(protocols: Iterable[Protocol], *, slug: str, on: date) -> Protocol:
    """The version of protocol `slug` in force on `on` (a case's start date)."""
    versions = versions_of(protocols, slug=slug)
    if not versions:
        raise VersionError(f"no protocol {slug!r}")
    for protocol in versions:
        if protocol.in_force_on(on):
            return protocol
    spans = "; ".join(
        f"version {p.version} from {p.effective_from.isoformat()}"
        + (f" until {p.effective_until.isoformat()}" if p.effective_until else "")
        for p in versions
    )
    raise VersionError(f"no version of {slug} is in force on {on.isoformat()} ({spans})")


def check_versions(protocols: Iterable[Protocol]) -> list[str]:
    """Problems between versions of the same protocol: duplicate numbers, overlaps, gaps, order."""
    problems: list[str] = []
    by_slug: dict[str, list[Protocol]] = {}
    for protocol in protocols:
        by_slug.setdefault(protocol.slug, []).append(protocol)
    for slug, versions in by_slug.items():
        versions.sort(key=lambda p: (p.version, p.effective_from))
        councils = {p.council for p in versions}
        if len(councils) > 1:
            problems.append(
                f"{slug}: versions belong to different councils ({', '.join(sorted(councils))})"
            )
        for earlier, later in zip(versions, versions[1:], strict=False):
            if earlier.version == later.version:
                problems.append(
                    f"{slug}: version {later.version} is defined twice ({earlier.path}, {later.path})"
                )
                continue
            if later.effective_from <= earlier.effective_from:
                problems.append(
                    f"{slug}: version {later.version} must take effect after version {earlier.version}"
                )
            elif earlier.effective_until is None or earlier.effective_until >= later.effective_from:
                problems.append(
                    f"{slug}: version {earlier.version} must end (effective_until) before version "
                    f"{later.version} takes effect on {later.effective_from.isoformat()}"
                )
            elif (later.effective_from - earlier.effective_until).days > 1:
                problems.append(
                    f"{slug}: no version is in force from {(earlier.effective_until + timedelta(days=1)).isoformat()} "
                    f"until version {later.version} takes effect on {later.effective_from.isoformat()}"
                )
    return problems
