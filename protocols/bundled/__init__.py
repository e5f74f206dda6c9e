"""The council protocols and calendars that ship with Fairway, and how to find them by slug."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from protocols.core.calendar import SchoolCalendar
from protocols.core.loader import load_calendar, load_protocol
from protocols.core.model import Protocol

BUNDLED_DIR = Path(__file__).resolve().parent
CALENDARS_DIR = BUNDLED_DIR / "calendars"
SHARED_DIR = BUNDLED_DIR / "shared"


def protocol_paths() -> list[Path]:
    """Every bundled protocol file: `<council>/*.yaml`, not the shared parts or calendars."""
    return sorted(
        path
        for path in BUNDLED_DIR.glob("*/*.yaml")
        if path.parent not in (CALENDARS_DIR, SHARED_DIR)
    )


def calendar_paths() -> list[Path]:
    return sorted(CALENDARS_DIR.glob("*.yaml"))


def _relative(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


@cache
def bundled_protocols() -> tuple[Protocol, ...]:
    return tuple(load_protocol(_relative(path)) for path in protocol_paths())


@cache
def bundled_calendars() -> tuple[SchoolCalendar, ...]:
    return tuple(load_calendar(_relative(path)) for path in calendar_paths())
