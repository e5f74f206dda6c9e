"""Dates that cannot be true: each rule said once, asked by every service that stores a date.

Each function takes the case (or what it needs of it) and the date a person entered, and returns
the GOV.UK message naming the date, or None. Services raise it as a CaseworkError on the field.

- The first day is a school day of the home school's calendar, not before the referral, and at
  least 2 school days after the written notice was sent (the legal floor's `written_notice`).
- Nothing happens before the referral; what belongs to the off-site direction (a review, an
  attendance week, an early end, an extension, the outcome) not before the first day.
- What must already have happened (a signature, a review held, a decision, a notice sent) is not
  in the future.
- Attendance is recorded only for a week that has ended: its Friday is before today.
- A date of birth fits the year group in the academic year of the referral (England: a pupil in
  Year N in the year starting 1 September Y was born between 1 September Y-N-5 and 31 August
  Y-N-4; Reception is Year 0). A council officer can confirm an out-of-year pupil.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from protocols.core.calendar import SchoolCalendar
from protocols.core.problems import CalendarError
from protocols.core.words import day_in_words

from .models import Case

# The legal floor: the written notice goes at least this many school days before the first day.
NOTICE_SCHOOL_DAYS = 2


def current_day() -> date:
    """The day the checks count as today (the tests of case work fix it)."""
    return timezone.localdate()


# A date as staff read it, "Mon 30 Nov 2026": one format for messages, pages and records.
day_text = day_in_words


def _calendar(case: Case) -> SchoolCalendar | None:
    from .selectors import case_calendar

    try:
        return case_calendar(case=case)
    except Exception:  # no calendar published for the council: the timeline says so
        return None


def not_before_referral(case: Case, day: date, *, what: str) -> str | None:
    if case.referred_on and day < case.referred_on:
        return _("%(what)s must be on or after the referral, %(referral)s") % {
            "what": what,
            "referral": day_text(case.referred_on),
        }
    return None


def not_before_first_day(case: Case, day: date, *, what: str) -> str | None:
    if case.start_date and day < case.start_date:
        return _("%(what)s must be on or after the first day, %(first)s") % {
            "what": what,
            "first": day_text(case.start_date),
        }
    return None


def not_in_future(day: date, *, what: str, today: date | None = None) -> str | None:
    today = today or current_day()
    if day > today:
        return _("%(what)s must be today or in the past: %(day)s is in the future") % {
            "what": what,
            "day": day_text(day),
        }
    return None


def happened(
    case: Case, day: date, *, what: str, in_direction: bool = False, today: date | None = None
) -> str | None:
    """Something that has happened: not before the referral (nor, for a step of the off-site
    direction, before the first day) and not in the future."""
    return (
        not_before_referral(case, day, what=what)
        or (not_before_first_day(case, day, what=what) if in_direction else None)
        or not_in_future(day, what=what, today=today)
    )


def first_day_problem(case: Case, day: date, *, notice_sent_on: date | None = None) -> str | None:
    """The first day: a school day at the home school, after the referral and the notice."""
    what = _("The first day")
    problem = not_before_referral(case, day, what=what)
    if problem:
        return problem
    calendar = _calendar(case)
    if calendar is None:
        return None
    school = case.home_school.name
    try:
        if not calendar.is_school_day(day):
            return _(
                "The first day must be a school day: %(day)s is not a school day at %(school)s"
            ) % {"day": day_text(day), "school": school}
    except CalendarError:
        return _(
            "The first day must be a school day: %(day)s is outside the school calendar for "
            "%(school)s"
        ) % {"day": day_text(day), "school": school}
    try:
        if notice_sent_on is not None:
            between = calendar.school_days_between(notice_sent_on, day)
            if between < NOTICE_SCHOOL_DAYS:
                return _(
                    "The first day must be at least %(n)s school days after the notice was sent "
                    "on %(notice)s: %(day)s is too soon"
                ) % {
                    "n": NOTICE_SCHOOL_DAYS,
                    "notice": day_text(notice_sent_on),
                    "day": day_text(day),
                }
    except CalendarError:
        # The notice was dated before the calendar begins: the 2 school days cannot be counted.
        return _(
            "The notice date, %(notice)s, is outside the school calendar for %(school)s, so the "
            "2 school days before the first day cannot be counted"
        ) % {"notice": day_text(notice_sent_on or day), "school": school}
    return None


def attendance_week_problem(
    case: Case, week_beginning: date, *, today: date | None = None
) -> str | None:
    """A week's attendance: the week has ended and is not before the first day's week."""
    today = today or current_day()
    monday = week_beginning - timedelta(days=week_beginning.weekday())
    friday = monday + timedelta(days=4)
    if friday >= today:
        return _(
            "Attendance can only be recorded for a week that has ended: the week beginning "
            "%(monday)s ends on %(friday)s"
        ) % {"monday": day_text(monday), "friday": day_text(friday)}
    if case.start_date and friday < case.start_date:
        return _(
            "The week must be on or after the first day, %(first)s: the week beginning "
            "%(monday)s is before it"
        ) % {"first": day_text(case.start_date), "monday": day_text(monday)}
    return None


def _year_number(year_group: str) -> int | None:
    if year_group == "reception":
        return 0
    if year_group.startswith("year_") and year_group[5:].isdigit():
        return int(year_group[5:])
    return None


def academic_year_start(day: date) -> int:
    """The calendar year in which the academic year containing `day` began (1 September)."""
    return day.year if day.month >= 9 else day.year - 1


def birth_window(year_group: str, *, on: date) -> tuple[date, date] | None:
    """The dates of birth of a pupil in `year_group` on `on`, or None for an unknown group."""
    number = _year_number(year_group)
    if number is None:
        return None
    year = academic_year_start(on)
    return date(year - number - 5, 9, 1), date(year - number - 4, 8, 31)


def date_of_birth_problem(
    *, date_of_birth: date, year_group: str, year_group_label: str, on: date
) -> str | None:
    """A date of birth outside the year group's (on the referral date) needs an officer's word."""
    window = birth_window(year_group, on=on)
    if window is None or window[0] <= date_of_birth <= window[1]:
        return None
    return _(
        "The date of birth must fit the year group: a pupil in %(group)s in %(year)s/%(next)s "
        "was born between %(first)s and %(last)s, not on %(day)s. If the pupil is taught out of "
        "their year group, a council officer can confirm it when making the referral"
    ) % {
        "group": year_group_label,
        "year": academic_year_start(on),
        "next": str(academic_year_start(on) + 1)[2:],
        "first": day_text(window[0]),
        "last": day_text(window[1]),
        "day": day_text(date_of_birth),
    }


# The last year group of primary school (Reception is 0); Year 7 and above are secondary.
LAST_PRIMARY_YEAR = 6


def phase_of_year_group(year_group: str) -> str | None:
    """ "primary" (Reception to Year 6) or "secondary" (Year 7 and above), None if unknown."""
    number = _year_number(year_group)
    if number is None:
        return None
    return "primary" if number <= LAST_PRIMARY_YEAR else "secondary"


def phase_problem(
    *, year_group: str, year_group_label: str, phases: tuple[str, ...], protocol_title: str
) -> str | None:
    """A pupil whose year group is outside the phases the protocol covers cannot be referred
    under it (Leicestershire's protocol is for secondary schools)."""
    phase = phase_of_year_group(year_group)
    if not phases or phase is None or phase in phases:
        return None
    if phases == ("secondary",):
        return _(
            "%(protocol)s is for secondary schools (Year 7 to Year 13), so a pupil in "
            "%(group)s cannot be referred under it. Ask the council how to support a primary pupil"
        ) % {"protocol": protocol_title, "group": year_group_label}
    return _(
        "%(protocol)s is for primary schools (Reception to Year 6), so a pupil in %(group)s "
        "cannot be referred under it. Ask the council how to support a secondary pupil"
    ) % {"protocol": protocol_title, "group": year_group_label}
