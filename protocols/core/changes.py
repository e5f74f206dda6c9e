"""What changed between two versions of a protocol, in plain words.

The sentences are generated from the structure of both versions (names, length of the off-site
direction, timings, roles, sign-offs, questions, end rules, outcomes, special routes), then the
council's own `changes:` list is added, so a reader sees both what the council says and what the
definitions actually do differently.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from .model import Condition, Form, FormField, Protocol
from .weeks import trial_length
from .words import role_in_sentence

T = TypeVar("T")


def _quote(text: str) -> str:
    return f"\u201c{text}\u201d"


def _join(items: Sequence[str]) -> str:
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]


def _weeks(n: int) -> str:
    return f"{n} school week" if n == 1 else f"{n} school weeks"


def _by_key(items: Iterable[T], key: Callable[[T], str]) -> dict[str, T]:
    return {key(item): item for item in items}


def _role_label(protocol: Protocol, key: str) -> str:
    return next((r.label for r in protocol.roles if r.key == key), key.replace("_", " "))


def _roles(protocol: Protocol, keys: Iterable[str]) -> str:
    return _join([_role_label(protocol, k) for k in keys])


def _names(previous: Protocol, current: Protocol) -> list[str]:
    lines = []
    old_short, new_short = previous.short_name, current.short_name
    if old_short and new_short and old_short != new_short:
        lines.append(
            f"The {old_short} is now the {new_short}: the protocol was called "
            f"{_quote(previous.title)} and is now called {_quote(current.title)}."
        )
    elif previous.title != current.title:
        lines.append(
            f"The protocol was called {_quote(previous.title)} and is now called "
            f"{_quote(current.title)}."
        )
    return lines


def _length(previous: Protocol, current: Protocol) -> list[str]:
    before, after = trial_length(previous), trial_length(current)
    if before is None or after is None or before == after:
        return []

    def describe(weeks: int, extra: int | None, *, now: bool) -> str:
        if extra is None:
            return (
                f"usually up to {_weeks(weeks)}, longer only with the agreement the protocol "
                "names and a recorded reason"
            )
        if extra:
            return (
                f"{_weeks(weeks)}, with an extension of up to {_weeks(extra)} more "
                f"({weeks + extra} at most)"
            )
        return (
            f"up to {_weeks(weeks)}, with no extension"
            if now
            else f"{_weeks(weeks)}, with no extension"
        )

    return [
        f"Length of the off-site direction: it was {describe(*before, now=False)}; "
        f"it is now {describe(*after, now=True)}."
    ]


_WEEK_COUNTING = {
    "term_weeks": "term weeks (a week of term counts whole, however short; holiday weeks do not)",
    "five_school_days": "any 5 school days",
}


def _week_counting(previous: Protocol, current: Protocol) -> list[str]:
    if previous.week_counting == current.week_counting:
        return []
    return [
        f"School weeks were counted as {_WEEK_COUNTING[previous.week_counting]}; they are now "
        f"counted as {_WEEK_COUNTING[current.week_counting]}."
    ]


def _stages(previous: Protocol, current: Protocol) -> list[str]:
    lines = []
    old, new = _by_key(previous.stages, lambda s: s.key), _by_key(current.stages, lambda s: s.key)
    for key, stage in new.items():
        if key not in old:
            lines.append(f"New stage: {stage.label}.")
        elif old[key].label != stage.label:
            lines.append(f"The stage {_quote(old[key].label)} is now called {_quote(stage.label)}.")
    lines += [
        f"The stage {_quote(s.label)} has been removed." for k, s in old.items() if k not in new
    ]
    return lines


def _milestones(previous: Protocol, current: Protocol) -> list[str]:
    lines = []
    old = _by_key(previous.milestones, lambda m: m.key)
    new = _by_key(current.milestones, lambda m: m.key)
    for key, milestone in new.items():
        was = old.get(key)
        if was is None:
            lines.append(f"New deadline: {milestone.label} ({milestone.due}).")
            continue
        if was.due != milestone.due:
            lines.append(
                f"{milestone.label}: now due {_quote(milestone.due)} (was {_quote(was.due)})."
            )
        if was.owner != milestone.owner and milestone.owner:
            lines.append(
                f"{milestone.label}: now the responsibility of {_role_label(current, milestone.owner)}"
                + (f" (was {_role_label(previous, was.owner)})." if was.owner else ".")
            )
        if was.held_at != milestone.held_at and milestone.held_at:
            lines.append(
                f"{milestone.label}: now held at {role_in_sentence(current, milestone.held_at)}"
                + (f" (was {role_in_sentence(previous, was.held_at)})." if was.held_at else ".")
            )
        if was.statutory != milestone.statutory:
            lines.append(
                f"{milestone.label} is {'now' if milestone.statutory else 'no longer'} a legal requirement."
            )
    lines += [
        f"The deadline {_quote(m.label)} has been removed." for k, m in old.items() if k not in new
    ]
    old_reqs = {r.rule: r for r in previous.requirements}
    new_reqs = {r.rule: r for r in current.requirements}
    lines += [
        f"New requirement: {r.label} ({r.rule})." for k, r in new_reqs.items() if k not in old_reqs
    ]
    lines += [
        f"Requirement removed: {r.label} ({r.rule})."
        for k, r in old_reqs.items()
        if k not in new_reqs
    ]
    return lines


def _role_changes(previous: Protocol, current: Protocol) -> list[str]:
    old, new = _by_key(previous.roles, lambda r: r.key), _by_key(current.roles, lambda r: r.key)
    lines = []
    for key, role in new.items():
        if key not in old:
            lines.append(
                f"New role: {role.label}" + (f". {role.description}" if role.description else ".")
            )
    lines += [f"{r.label} no longer has a role." for k, r in old.items() if k not in new]
    return lines


def _sign_offs(previous: Protocol, current: Protocol) -> list[str]:
    old = _by_key(previous.sign_offs, lambda s: s.key)
    new = _by_key(current.sign_offs, lambda s: s.key)
    lines = []
    for key, sign_off in new.items():
        was = old.get(key)
        if was is None:
            lines.append(f"New sign-off: {sign_off.label}, by {_roles(current, sign_off.roles)}.")
        elif set(was.roles) != set(sign_off.roles):
            lines.append(
                f"The {sign_off.label} is now signed by {_roles(current, sign_off.roles)} "
                f"(was {_roles(previous, was.roles)})."
            )
    lines += [
        f"The {s.label} sign-off is no longer needed." for k, s in old.items() if k not in new
    ]
    return lines


def _up_to(weeks: int | None) -> str:
    return "with no maximum set" if weeks is None else f"up to {_weeks(weeks)}"


def _extensions(previous: Protocol, current: Protocol) -> list[str]:
    old = _by_key(previous.extensions, lambda e: e.key)
    new = _by_key(current.extensions, lambda e: e.key)
    # The length sentence already covers an extension of the trial's end.
    length_changed = bool(_length(previous, current))
    lines = []
    for key, extension in new.items():
        was = old.get(key)
        if was is None and not length_changed:
            lines.append(
                f"New extension: {extension.label}, {_up_to(extension.up_to_school_weeks)}, "
                f"agreed by {_roles(current, extension.approvals)}."
            )
        elif was is not None and set(was.approvals) != set(extension.approvals):
            lines.append(
                f"The {extension.label} now needs the agreement of {_roles(current, extension.approvals)} "
                f"(was {_roles(previous, was.approvals)})."
            )
    if not length_changed:
        lines += [
            f"The {e.label} ({_up_to(e.up_to_school_weeks)}) is no longer available."
            for k, e in old.items()
            if k not in new
        ]
    return lines


def _answer(form: Form, condition: Condition) -> str:
    field = next((f for f in form.fields if f.key == condition.field), None)
    question = _quote(field.label) if field else _quote(condition.field)

    def choice_label(value: object) -> str:
        if field is not None:
            for choice in field.choices:
                if choice.value == value:
                    return _quote(choice.label)
        return _quote(str(value))

    if condition.among is not None:
        return (
            f"{question} is answered {_join([choice_label(v) for v in condition.among])}".replace(
                " and ", " or "
            )
        )
    if condition.equals is True:
        return f"{question} is answered yes"
    if condition.equals is False:
        return f"{question} is answered no"
    return f"{question} is answered {choice_label(condition.equals)}"


def asked_when(form: Form, field: FormField) -> str:
    """The chain of conditions that shows a question, outermost last."""
    parts: list[str] = []
    seen = {field.key}
    condition = field.show_when
    while condition is not None:
        parts.append(_answer(form, condition))
        parent = next((f for f in form.fields if f.key == condition.field), None)
        if parent is None or parent.key in seen:
            break
        seen.add(parent.key)
        condition = parent.show_when
    if not parts:
        return "always"
    return "only when " + ", and that only when ".join(parts)


def _forms(previous: Protocol, current: Protocol) -> list[str]:
    old = _by_key(previous.forms, lambda f: f.key)
    new = _by_key(current.forms, lambda f: f.key)
    lines = []
    for key, form in new.items():
        was = old.get(key)
        if was is None:
            lines.append(f"New form: {form.title}.")
            continue
        if was.title != form.title:
            lines.append(f"The form {_quote(was.title)} is now called {_quote(form.title)}.")
        old_fields = _by_key(was.fields, lambda f: f.key)
        for field in form.fields:
            before = old_fields.get(field.key)
            if before is None:
                condition = "" if field.show_when is None else f", asked {asked_when(form, field)}"
                lines.append(f"{form.title}: new question {_quote(field.label)}{condition}.")
            elif asked_when(was, before) != asked_when(form, field):
                lines.append(
                    f"{form.title}: {_quote(field.label)} is now asked {asked_when(form, field)} "
                    f"(before, it was asked {asked_when(was, before)})."
                )
            elif before.required != field.required:
                state = "must now be answered" if field.required else "is now optional"
                lines.append(f"{form.title}: {_quote(field.label)} {state}.")
        new_keys = {f.key for f in form.fields}
        lines += [
            f"{form.title}: the question {_quote(f.label)} is no longer asked."
            for f in was.fields
            if f.key not in new_keys
        ]
    lines += [
        f"The form {_quote(f.title)} is no longer used." for k, f in old.items() if k not in new
    ]
    return lines


def _endings(previous: Protocol, current: Protocol) -> list[str]:
    old = _by_key(previous.end_rules, lambda r: r.key)
    new = _by_key(current.end_rules, lambda r: r.key)
    lines = []
    for key, rule in new.items():
        verb = "ends" if rule.effect == "ends_trial" else "is extended"
        if key not in old:
            lines.append(f"The off-site direction now {verb} on: {rule.label}.")
        elif (
            old[key].persistent_absence_at_percent_absent
            != rule.persistent_absence_at_percent_absent
        ):
            now = rule.persistent_absence_at_percent_absent
            was = old[key].persistent_absence_at_percent_absent
            lines.append(
                f"{rule.label}: the threshold is now "
                + (f"{now:g}% of sessions missed" if now is not None else "none")
                + " (was "
                + (f"{was:g}%" if was is not None else "none")
                + ")."
            )
    for key, rule in old.items():
        if key not in new:
            verb = "no longer ends" if rule.effect == "ends_trial" else "is no longer extended"
            lines.append(f"The off-site direction {verb} on: {rule.label}.")
    return lines


def _attendance(previous: Protocol, current: Protocol) -> list[str]:
    old, new = previous.attendance, current.attendance
    if old is None or new is None:
        if old is None and new is not None:
            return [
                f"Attendance is now recorded {new.recorded} by {_role_label(current, new.recorded_by)}."
            ]
        if old is not None and new is None:
            return ["The protocol no longer says how attendance is recorded."]
        return []
    lines = []
    if (old.recorded, old.recorded_by) != (new.recorded, new.recorded_by):
        lines.append(
            f"Attendance is now recorded {new.recorded} by {_role_label(current, new.recorded_by)} "
            f"(was {old.recorded} by {_role_label(previous, old.recorded_by)})."
        )
    if set(old.reported_to) != set(new.reported_to):
        lines.append(f"Attendance is now reported to {_roles(current, new.reported_to)}.")
    return lines


def _outcomes(previous: Protocol, current: Protocol) -> list[str]:
    old = _by_key(previous.outcomes, lambda o: o.key)
    new = _by_key(current.outcomes, lambda o: o.key)
    lines = []
    for key, outcome in new.items():
        if key not in old:
            lines.append(f"New outcome: {outcome.label}.")
        elif old[key].label != outcome.label:
            lines.append(f"The outcome {_quote(old[key].label)} is now {_quote(outcome.label)}.")
    lines += [
        f"The outcome {_quote(o.label)} has been removed." for k, o in old.items() if k not in new
    ]
    return lines


def _routes(previous: Protocol, current: Protocol) -> list[str]:
    old = _by_key(previous.routes, lambda r: r.key)
    new = _by_key(current.routes, lambda r: r.key)
    lines = []
    for key, route in new.items():
        was = old.get(key)
        if was is None:
            lines.append(f"New special route: {route.label}.")
        elif set(was.involves) != set(route.involves):
            lines.append(
                f"{route.label}: now involves {_roles(current, route.involves) or 'no one else'}."
            )
    lines += [
        f"The special route {_quote(r.label)} has been removed."
        for k, r in old.items()
        if k not in new
    ]
    return lines


def describe_changes(previous: Protocol, current: Protocol) -> list[str]:
    """Plain-words sentences saying how `current` differs from `previous`."""
    if previous == current:
        return []
    lines: list[str] = []
    for part in (
        _names,
        _length,
        _week_counting,
        _stages,
        _milestones,
        _role_changes,
        _sign_offs,
        _extensions,
        _forms,
        _endings,
        _attendance,
        _outcomes,
        _routes,
    ):
        lines += part(previous, current)
    # The council's own summary comes last, in its own words.
    lines += list(current.changes)
    return lines
