"""What an application needs from a protocol, declared as data, and the check against it.

An application (Fairway's case work: `fairway/casework/contract.py`) declares each form, field,
event, stage and route flag it reads, with the type it expects and why it needs it, in plain
words. `check` reports every gap as a Problem at the place in the protocol's files where the
thing is, or should be: "form 'referral' has no field 'date_of_birth' (a date), which case work
needs for the pupil's age".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .model import FieldType, Form, Protocol
from .problems import Location, Problem

# How a field type is named in a message: "a date", "a yes/no".
_TYPE_NAMES: dict[str, str] = {
    "text": "a text",
    "textarea": "a long text",
    "number": "a number",
    "percentage": "a percentage",
    "date": "a date",
    "yes_no": "a yes/no",
    "choice": "a choice",
    "choices": "a set of choices",
    "email": "an email address",
    "phone": "a phone number",
    "school": "a school",
    "upn": "a UPN",
}


def _types(types: tuple[FieldType, ...]) -> str:
    return " or ".join(_TYPE_NAMES[t] for t in types)


@dataclass(frozen=True)
class FieldNeed:
    """A field the application reads: `types` it can read, `why` finishes "which ... needs for"."""

    key: str
    types: tuple[FieldType, ...]
    why: str


@dataclass(frozen=True)
class FormNeed:
    """A form the application reads. An optional form may be left out; if it is there, its
    fields must be."""

    key: str
    why: str
    fields: tuple[FieldNeed, ...] = ()
    optional: bool = False


@dataclass(frozen=True)
class EventNeed:
    key: str
    why: str
    optional: bool = False


@dataclass(frozen=True)
class StageNeed:
    key: str
    why: str


@dataclass(frozen=True)
class Contract:
    """Everything an application reads from a protocol (`reader` names it in messages)."""

    reader: str
    forms: tuple[FormNeed, ...] = ()
    # Fields read from whichever form asks for them (the first day, the date a thing happened):
    # no form has to have them, but where one does, it must be of a type the reader can read.
    answers_anywhere: tuple[FieldNeed, ...] = ()
    events: tuple[EventNeed, ...] = ()
    stages: tuple[StageNeed, ...] = ()
    # What a route's `flag` may name, each with why the reader knows it.
    route_flags: tuple[FieldNeed, ...] = ()


def _where(protocol: Protocol, section: str) -> Location:
    return (
        protocol.locations.get(section)
        or protocol.locations.get("")
        or Location(protocol.path or "<protocol>", 1, 1)
    )


def _form_problems(protocol: Protocol, form: Form, need: FormNeed, reader: str) -> list[Problem]:
    problems: list[Problem] = []
    fields = {f.key: f for f in form.fields}
    where = form.location or _where(protocol, "forms")
    for field in need.fields:
        found = fields.get(field.key)
        if found is None:
            problems.append(
                Problem(
                    where,
                    f"form {form.key!r} has no field {field.key!r} ({_types(field.types)}), "
                    f"which {reader} needs for {field.why}",
                )
            )
        elif found.type not in field.types:
            problems.append(
                Problem(
                    found.location or where,
                    f"form {form.key!r}: field {field.key!r} is {_TYPE_NAMES[found.type]}, but "
                    f"{reader} needs {_types(field.types)} for {field.why}",
                )
            )
    return problems


def check(protocol: Protocol, contract: Contract) -> list[Problem]:
    """Every way `protocol` falls short of `contract` (empty when it has all the reader needs)."""
    reader = contract.reader
    problems: list[Problem] = []
    forms = {f.key: f for f in protocol.forms}
    for need in contract.forms:
        form = forms.get(need.key)
        if form is None:
            if not need.optional:
                problems.append(
                    Problem(
                        _where(protocol, "forms"),
                        f"there is no form {need.key!r}, which {reader} needs for {need.why} "
                        "(include shared/casework-forms.yaml, or add it)",
                    )
                )
            continue
        problems.extend(_form_problems(protocol, form, need, reader))
    for field in contract.answers_anywhere:
        for form in protocol.forms:
            for found in form.fields:
                if found.key == field.key and found.type not in field.types:
                    problems.append(
                        Problem(
                            found.location or _where(protocol, "forms"),
                            f"form {form.key!r}: field {field.key!r} is {_TYPE_NAMES[found.type]}, "
                            f"but {reader} reads it from any form as {_types(field.types)}, "
                            f"for {field.why}",
                        )
                    )
    events = {e.key for e in protocol.events}
    for event in contract.events:
        if not event.optional and event.key not in events:
            problems.append(
                Problem(
                    _where(protocol, "events"),
                    f"there is no event {event.key!r}, which {reader} records for {event.why}",
                )
            )
    stages = {s.key for s in protocol.stages}
    for stage in contract.stages:
        if stage.key not in stages:
            problems.append(
                Problem(
                    _where(protocol, "stages"),
                    f"there is no stage {stage.key!r}, which {reader} needs for {stage.why}",
                )
            )
    flags = {f.key for f in contract.route_flags}
    for route in protocol.routes:
        if route.flag not in flags:
            problems.append(
                Problem(
                    route.location or _where(protocol, "routes"),
                    f"route {route.key!r}: flag {route.flag!r} is not something {reader} knows "
                    f"about a case ({', '.join(sorted(flags)) or 'none'})",
                )
            )
    return sorted(problems)


def check_all(protocol: Protocol, contracts: Iterable[Contract]) -> list[Problem]:
    return sorted(p for contract in contracts for p in check(protocol, contract))
