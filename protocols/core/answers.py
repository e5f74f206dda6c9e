"""Answers to a protocol's forms: which questions are asked, what an answer is stored as, what is
wrong with a set of answers. Pure: no Django, nothing of Fairway; case work's Django forms adapt it.

Answers are stored as JSON: text as stripped text, numbers as numbers (a percentage as a float),
dates as ISO text, yes/no as booleans, a choice as its value, choices as a list of values, a school
as its id and a UPN in capitals. A question whose `show_when` does not hold is not asked: it is
neither required nor kept. Messages follow the GOV.UK error-message patterns.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import TypeAlias

from .model import Form, FormField, FormPage
from .words import day_in_words

Answer: TypeAlias = str | int | float | bool | list[str]
"""A stored answer (never None: an unanswered question has no entry)."""

SHORT_TEXT = 500  # a one-line answer
LONG_TEXT = 10_000  # a note, reasons, a target: about four pages of typing
EMAIL_TEXT = 254
PHONE_TEXT = 30
UPN_TEXT = 20

EARLIEST_DATE = date(1990, 1, 1)
# Case dates are planned at most this far ahead (a start date, a review, an agreed date).
YEARS_AHEAD = 3

UPN_PATTERN = re.compile(r"^[A-Z][0-9]{11}[0-9A-Z]$")
PHONE_PATTERN = re.compile(r"^\+?[0-9 ()-]{6,}$")
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

UPN_MESSAGE = "Enter a UPN of 13 characters: a letter, 11 digits, then a digit or letter"
PHONE_MESSAGE = "Enter a telephone number, like 01632 960 001"
EMAIL_MESSAGE = "Enter an email address, like name@example.org"


@dataclass(frozen=True)
class Problem:
    """What is wrong with the answer to one question: its key and a message a person can act on."""

    field: str
    message: str


# -- which questions are asked ---------------------------------------------------------------------


def is_empty(value: object) -> bool:
    """Unanswered: nothing, empty text or no choices."""
    return value is None or value == "" or value == [] or value == ()


def visible(definition: FormField, answers: Mapping[str, object]) -> bool:
    """Whether the question is asked, given the answers so far."""
    return definition.show_when is None or definition.show_when.holds(dict(answers))


def visible_fields(
    page_or_form: FormPage | Form | Iterable[FormField], answers: Mapping[str, object]
) -> tuple[FormField, ...]:
    """The questions asked, in order: those whose `show_when` holds (or that have none)."""
    fields = (
        page_or_form.fields if isinstance(page_or_form, FormPage | Form) else tuple(page_or_form)
    )
    return tuple(d for d in fields if visible(d, answers))


# -- messages ---------------------------------------------------------------------------------------


def lower_first(label: str) -> str:
    """ "Pupil's name" -> "pupil's name"; an initialism ("UPN of the pupil") keeps its capitals."""
    return label[:1].lower() + label[1:] if label[:2] != label[:2].upper() else label


def missing(definition: FormField) -> str:
    """The message for a required question left unanswered."""
    if definition.type in ("yes_no", "choice", "school"):
        return f"Select an answer: {definition.label}"
    if definition.type == "choices":
        return f"Select at least one: {definition.label}"
    return f"Enter {lower_first(definition.label)}"


def length_message(*, label: str, limit: int) -> str:
    return f"{label} must be {limit:,} characters or fewer"


def whole_number_message(label: str) -> str:
    return f"{label} must be a whole number"


def number_message(label: str) -> str:
    return f"{label} must be a number"


def decimal_places_message(label: str) -> str:
    return f"{label} must have no more than 1 decimal place"


def at_least_message(label: str, limit: float) -> str:
    return f"{label} must be {_number(limit)} or more"


def at_most_message(label: str, limit: float) -> str:
    return f"{label} must be {_number(limit)} or less"


def real_date_message(label: str) -> str:
    return f"{label} must be a real date"


def choice_message(label: str) -> str:
    return f"Select one of the answers given: {label}"


def school_message(label: str) -> str:
    return f"Choose a school from the list: {label}"


def latest_date(today: date) -> date:
    """The latest date staff may enter: YEARS_AHEAD years after today."""
    try:
        return today.replace(year=today.year + YEARS_AHEAD)
    except ValueError:  # 29 February
        return today.replace(year=today.year + YEARS_AHEAD, day=28) + timedelta(days=1)


def date_message(*, label: str, today: date) -> str:
    earliest, latest = day_in_words(EARLIEST_DATE), day_in_words(latest_date(today))
    return f"{label} must be between {earliest} and {latest}"


def date_problem(*, label: str, value: date | None, today: date) -> str | None:
    """The message if a date staff entered is outside the window Fairway accepts, else None."""
    if value is None or EARLIEST_DATE <= value <= latest_date(today):
        return None
    return date_message(label=label, today=today)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


# -- limits -----------------------------------------------------------------------------------------


def length_limit(definition: FormField) -> int | None:
    """The most characters a text-like answer may have (None: not a text-like question)."""
    kind = definition.type
    if kind == "text":
        return min(definition.max_length or SHORT_TEXT, SHORT_TEXT)
    if kind == "textarea":
        return min(definition.max_length or LONG_TEXT, LONG_TEXT)
    if kind == "email":
        return EMAIL_TEXT
    if kind == "phone":
        return PHONE_TEXT
    if kind == "upn":
        return UPN_TEXT
    return None


def bounds(definition: FormField) -> tuple[float | None, float | None]:
    """(least, most) a number or percentage may be; a percentage is 0 to 100 unless it says."""
    if definition.type == "percentage":
        return (
            definition.min if definition.min is not None else 0,
            definition.max if definition.max is not None else 100,
        )
    return definition.min, definition.max


# -- coercion ---------------------------------------------------------------------------------------

Coerced: TypeAlias = tuple[Answer | None, Problem | None]


def coerce(definition: FormField, raw: object, *, today: date | None = None) -> Coerced:
    """A submitted JSON-ish value (text from a form, or an answer as stored) as the stored answer.

    Returns (answer, None), (None, None) for no answer, or (None, problem). Whether an answer is
    required is not checked here (see `problems`). `today` places the window of dates accepted
    (default: the computer's date).
    """
    if isinstance(raw, str) and definition.type not in ("choice", "choices"):
        raw = raw.strip()
    if is_empty(raw):
        return None, None
    kind = definition.type
    label = definition.label

    def problem(message: str) -> Coerced:
        return None, Problem(field=definition.key, message=message)

    if kind in ("text", "textarea", "email", "phone", "upn"):
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            raw = str(raw)  # a number typed as text, stored before text was checked
        if not isinstance(raw, str):
            return problem(f"{label} must be text")
        limit = length_limit(definition)
        if limit is not None and len(raw) > limit:
            return problem(length_message(label=label, limit=limit))
        if kind == "upn":
            raw = raw.upper()
            return (raw, None) if UPN_PATTERN.match(raw) else problem(UPN_MESSAGE)
        if kind == "phone" and not PHONE_PATTERN.match(raw):
            return problem(PHONE_MESSAGE)
        if kind == "email" and not EMAIL_PATTERN.match(raw):
            return problem(EMAIL_MESSAGE)
        return raw, None
    if kind == "number":
        number = _whole_number(raw)
        if number is None:
            return problem(whole_number_message(label))
        return _within(definition, number)
    if kind == "percentage":
        amount = _decimal(raw)
        if amount is None:
            return problem(number_message(label))
        if amount != amount.quantize(Decimal("0.1")):
            return problem(decimal_places_message(label))
        return _within(definition, float(amount))
    if kind == "date":
        if isinstance(raw, date):
            day: date | None = raw
        else:
            day = _iso_date(raw)
        if day is None:
            return problem(real_date_message(label))
        message = date_problem(label=label, value=day, today=today or date.today())
        return problem(message) if message else (day.isoformat(), None)
    if kind == "yes_no":
        if isinstance(raw, bool):
            return raw, None
        if raw in ("yes", "no"):
            return raw == "yes", None
        return problem(choice_message(label))
    if kind == "choice":
        values = {c.value for c in definition.choices}
        if isinstance(raw, str) and raw in values:
            return raw, None
        return problem(choice_message(label))
    if kind == "choices":
        values = {c.value for c in definition.choices}
        items = [raw] if isinstance(raw, str) else raw
        if not isinstance(items, list | tuple) or not all(
            isinstance(v, str) and v in values for v in items
        ):
            return problem(choice_message(label))
        return [str(v) for v in items], None
    # school: its id, as text from a form or the number stored
    if isinstance(raw, bool):
        return problem(school_message(label))
    if isinstance(raw, int) and raw > 0:
        return raw, None
    if isinstance(raw, str) and raw.isdigit() and int(raw) > 0:
        return int(raw), None
    return problem(school_message(label))


def _whole_number(raw: object) -> int | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        return int(raw) if raw.is_integer() else None
    if isinstance(raw, str) and re.fullmatch(r"[+-]?[0-9]+", raw):
        return int(raw)
    return None


def _decimal(raw: object) -> Decimal | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, Decimal):
        amount = raw
    elif isinstance(raw, int | float | str):
        try:
            amount = Decimal(str(raw))
        except InvalidOperation:
            return None
    else:
        return None
    return amount if amount.is_finite() else None


def _iso_date(raw: object) -> date | None:
    if not isinstance(raw, str):
        return None
    try:
        return date.fromisoformat(raw) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw) else None
    except ValueError:
        return None


def _within(definition: FormField, value: int | float) -> Coerced:
    least, most = bounds(definition)
    if least is not None and value < least:
        return None, Problem(definition.key, at_least_message(definition.label, least))
    if most is not None and value > most:
        return None, Problem(definition.key, at_most_message(definition.label, most))
    return value, None


# -- a whole form -----------------------------------------------------------------------------------


def problems(
    form: Form | FormPage | Iterable[FormField],
    answers: Mapping[str, object],
    *,
    today: date | None = None,
) -> list[Problem]:
    """Everything wrong with the answers to a form, question by question in order: a required
    question asked but unanswered, or an answer its question does not accept (too long, out of
    range, not one of the choices...). Questions not asked (their `show_when` does not hold) are
    not counted, whatever their answers."""
    return _problems(form, answers, today=today, check_answers=True)


def unanswered(
    form: Form | FormPage | Iterable[FormField], answers: Mapping[str, object]
) -> list[Problem]:
    """The required questions asked but not answered, in order (the part of `problems` about
    what is missing, for a check that leaves the answers themselves to later ones)."""
    return _problems(form, answers, today=None, check_answers=False)


def _problems(
    form: Form | FormPage | Iterable[FormField],
    answers: Mapping[str, object],
    *,
    today: date | None,
    check_answers: bool,
) -> list[Problem]:
    found: list[Problem] = []
    for definition in visible_fields(form, answers):
        value = answers.get(definition.key)
        if is_empty(value):
            if definition.required:
                found.append(Problem(field=definition.key, message=missing(definition)))
            continue
        if check_answers:
            _, problem = coerce(definition, value, today=today)
            if problem is not None:
                found.append(problem)
    return found
