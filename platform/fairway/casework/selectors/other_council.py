"""Reads for a move to a school of a council not on Fairway: what the home council recorded of that
council (its contact and decisions) and which calendar the receiving school keeps.

The receiving school's calendar, in order: the one the officer chose on the record (a calendar
Fairway has, one uploaded for that school, or the home school's marked provisional); else its
council's calendar in Fairway; else the home school's, marked provisional, so the page warns that
its dates are unchecked instead of counting them on the home calendar without a word.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from django.utils.translation import gettext as _

from protocols.core.calendar import SchoolCalendar
from protocols.core.loader import load_calendar_text
from protocols.models import CouncilCalendar, SchoolClosure
from tenants.models import School

from ..models import Case, OtherCouncilRecord
from .cross_authority import council_on_fairway
from .timeline import CALENDAR_MEMO, school_calendar

Choice = OtherCouncilRecord.CalendarChoice


def is_off_fairway_move(*, case: Case) -> bool:
    """The case's receiving school belongs to another council that is not on Fairway (so the home
    council records that council's contact, decisions and calendar itself)."""
    school = case.receiving_school
    if school is None or school.council_id == case.home_council_id or case.is_cross_authority:
        return False
    return not council_on_fairway(council=school.council)


# In the case page's memo (timeline.CALENDAR_MEMO): the page's timeline, calendar differences and
# panel each ask for the record and the receiving school's calendar (an uploaded one is parsed).
_RECORD = "other_council_record"
_RECEIVING = "receiving_school_calendar"


def other_council_record(*, case: Case) -> OtherCouncilRecord | None:
    memo: dict[str, Any] | None = getattr(case, CALENDAR_MEMO, None)
    if memo is not None and _RECORD in memo:
        found: OtherCouncilRecord | None = memo[_RECORD]
        return found
    record = (
        OtherCouncilRecord.objects.filter(case=case)
        .select_related("picked_calendar__council", "recorded_by")
        .first()
    )
    if memo is not None:
        memo[_RECORD] = record
    return record


@dataclass(frozen=True)
class OtherCouncilPanel:
    """The case page's box for a move to a school of a council not on Fairway."""

    council: str
    school: str
    record: OtherCouncilRecord | None
    may_record: bool


def other_council_panel(*, case: Case, may_record: bool) -> OtherCouncilPanel | None:
    """None unless the receiving school is of a council not on Fairway."""
    if not is_off_fairway_move(case=case):
        return None
    school = case.receiving_school
    assert school is not None
    return OtherCouncilPanel(
        council=school.council.name,
        school=school.name,
        record=other_council_record(case=case),
        may_record=may_record and case.is_open,
    )


def calendar_choices() -> list[CouncilCalendar]:
    """Every council calendar stored in Fairway (any council's: a neighbour often keeps the same
    term dates)."""
    return list(CouncilCalendar.objects.select_related("council").order_by("council__name", "slug"))


def uploaded_calendar_load(*, text: str, file_name: str) -> SchoolCalendar:
    """A calendar uploaded for one school, validated like a council's (DefinitionError names
    file:line:column)."""
    return load_calendar_text(text, path=file_name or "calendar.yaml")


def _with_school_closures(calendar: SchoolCalendar, school: School, *, tag: str) -> SchoolCalendar:
    closures = [c.as_closure() for c in SchoolClosure.objects.filter(school=school)]
    # Its own slug: the timeline tells the receiving calendar from the home one by slug.
    return calendar.with_closures(closures, slug=f"{calendar.slug}+{tag}{school.urn}")


def provisional_stand_in(*, home: SchoolCalendar, school: School, why: str) -> SchoolCalendar:
    """The home school's calendar standing in for the receiving school's, marked provisional."""
    return replace(
        home,
        slug=f"{home.slug}~provisional-{school.urn}",
        title=_("%(home)s (provisional for %(school)s)")
        % {"home": home.title, "school": school.name},
        provisional=True,
        provisional_reason=why,
    )


def _stand_in_reason(school: School, home: SchoolCalendar, *, chosen: bool, shared: bool) -> str:
    words = {"council": school.council.name, "school": school.name, "home": home.title}
    if chosen:
        return (
            _(
                "The home council's officer chose %(home)s for %(school)s until its own term "
                "dates are known: check each date at %(school)s against its own calendar."
            )
            % words
        )
    if shared:  # an accepted request: that council is on Fairway and can give its dates
        return (
            _(
                "%(council)s has no term dates in Fairway yet: the dates at %(school)s are "
                "counted on %(home)s until its council admin gives them. Check them against the "
                "school's own calendar."
            )
            % words
        )
    return (
        _(
            "%(council)s has no term dates in Fairway yet: the dates at %(school)s are counted on "
            "%(home)s. Check them against the school's own calendar, or choose or upload its "
            "calendar with “Record %(council)s's contact, decisions and term dates”."
        )
        % words
    )


def receiving_school_calendar(
    *, case: Case, home: SchoolCalendar, record: OtherCouncilRecord | None = None
) -> tuple[SchoolCalendar | None, str]:
    """The calendar of a receiving school of another council, and where it comes from: "chosen"
    (by the home council's officer), "council" (its council's in Fairway) or "stand_in" (none
    known: the home school's, provisional). None when the school is the home council's."""
    memo: dict[str, Any] | None = getattr(case, CALENDAR_MEMO, None) if record is None else None
    if memo is not None and _RECEIVING in memo:
        found: tuple[SchoolCalendar | None, str] = memo[_RECEIVING]
        return found
    found = _receiving_school_calendar(case=case, home=home, record=record)
    if memo is not None:
        memo[_RECEIVING] = found
    return found


def _receiving_school_calendar(
    *, case: Case, home: SchoolCalendar, record: OtherCouncilRecord | None
) -> tuple[SchoolCalendar | None, str]:
    school = case.receiving_school
    if school is None or school.council_id == case.home_council_id:
        return None, ""
    if record is None and not case.is_cross_authority:
        record = other_council_record(case=case)
    choice = record.calendar_choice if record is not None else ""
    if record is not None and choice == Choice.PICKED and record.picked_calendar is not None:
        return _with_school_closures(record.picked_calendar.load(), school, tag="picked-"), "chosen"
    if record is not None and choice == Choice.UPLOADED and record.uploaded_calendar:
        uploaded = uploaded_calendar_load(
            text=record.uploaded_calendar, file_name=record.uploaded_calendar_name
        )
        return _with_school_closures(uploaded, school, tag="uploaded-"), "chosen"
    if choice == Choice.PROVISIONAL:
        why = _stand_in_reason(school, home, chosen=True, shared=False)
        return provisional_stand_in(home=home, school=school, why=why), "chosen"
    try:
        return school_calendar(case=case, school=school), "council"
    except CouncilCalendar.DoesNotExist:
        why = _stand_in_reason(school, home, chosen=False, shared=case.is_cross_authority)
        return provisional_stand_in(home=home, school=school, why=why), "stand_in"


__all__ = [
    "OtherCouncilPanel",
    "other_council_panel",
    "calendar_choices",
    "is_off_fairway_move",
    "other_council_record",
    "provisional_stand_in",
    "receiving_school_calendar",
    "uploaded_calendar_load",
]
