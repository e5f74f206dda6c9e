"""How long typed text may be and which dates staff may enter, said once for forms and services.

Forms show these messages beside the field; services check again so that no other write path
(a script, a future API) can store a 100,000-character note or attendance for the year 1000.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from protocols.core import answers as core
from protocols.core.answers import EARLIEST_DATE as EARLIEST_DATE
from protocols.core.answers import LONG_TEXT as LONG_TEXT  # the limits are said in the core
from protocols.core.answers import SHORT_TEXT as SHORT_TEXT
from protocols.core.answers import YEARS_AHEAD as YEARS_AHEAD

from .dates import day_text

NAME_TEXT = 200  # a person's or agency's name
AGREED_WITH_TEXT = 300  # "both schools, the parents and the SEWO"


def latest_date(*, today: date | None = None) -> date:
    return core.latest_date(today or timezone.localdate())


def length_message(*, label: str, limit: int) -> str:
    return _("%(label)s must be %(limit)s characters or fewer") % {
        "label": label,
        "limit": f"{limit:,}",
    }


def text_problem(*, label: str, value: object, limit: int) -> str | None:
    """The GOV.UK message if `value` is text longer than `limit`, else None."""
    if isinstance(value, str) and len(value) > limit:
        return length_message(label=label, limit=limit)
    return None


def date_message(*, label: str, today: date | None = None) -> str:
    return _("%(label)s must be between %(earliest)s and %(latest)s") % {
        "label": label,
        "earliest": day_text(EARLIEST_DATE),
        "latest": day_text(latest_date(today=today)),
    }


def date_problem(*, label: str, value: date | None, today: date | None = None) -> str | None:
    """The GOV.UK message if a date staff entered is outside the window Fairway accepts."""
    if value is None:
        return None
    if not (EARLIEST_DATE <= value <= latest_date(today=today)):
        return date_message(label=label, today=today)
    return None


@dataclass(frozen=True)
class Problem:
    field: str
    message: str


def first_problem(
    *,
    texts: dict[str, tuple[str, object, int]] | None = None,
    dates: dict[str, tuple[str, date | None]] | None = None,
) -> Problem | None:
    """The first field out of bounds: `texts` maps field -> (label, value, limit), `dates`
    maps field -> (label, value). Services raise it as a CaseworkError on that field."""
    for field, (label, value, limit) in (texts or {}).items():
        message = text_problem(label=label, value=value, limit=limit)
        if message:
            return Problem(field=field, message=message)
    for field, (label, day) in (dates or {}).items():
        message = date_problem(label=label, value=day)
        if message:
            return Problem(field=field, message=message)
    return None


def answers_problem(
    answers: dict[str, object], *, labels: Mapping[str, str] | None = None
) -> Problem | None:
    """A protocol form's answers: no text longer than the longest answer a form accepts. The
    message names the question by its label (the protocol form's), not its key."""
    for key, value in answers.items():
        values = value if isinstance(value, list) else [value]
        for item in values:
            if isinstance(item, str) and len(item) > LONG_TEXT:
                label = (labels or {}).get(key, key)
                return Problem(field=key, message=length_message(label=label, limit=LONG_TEXT))
    return None
