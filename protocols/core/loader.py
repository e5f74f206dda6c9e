"""Loading protocol, part and calendar files: YAML -> schema -> meaning -> immutable data.

Every problem in a file is collected and reported together as `path:line:column: message`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from datetime import date
from graphlib import CycleError, TopologicalSorter
from typing import Any, TypeVar

from .calendar import CalendarSource, Closure, SchoolCalendar, Term, term_day_problem
from .contract import Contract, check_all
from .model import (
    Attendance,
    Choice,
    Citation,
    Condition,
    EndRule,
    Event,
    Extension,
    Form,
    FormField,
    FormPage,
    Milestone,
    Outcome,
    Protocol,
    Requirement,
    Role,
    Route,
    SignOff,
    Source,
    Stage,
    Target,
    WeekCounting,
)
from .problems import CalendarError, DefinitionError, Location, Problem
from .rules import (
    EndOfSchoolWeek,
    RuleSyntaxError,
    SchoolDays,
    is_repeating,
    parse_lookback,
    parse_requirement,
    parse_timing_rule,
    rule_refs,
)
from .source import (
    LocatedDict,
    LocatedList,
    key_location_of,
    location_of,
    own_location,
    parse_yaml,
    read_yaml_file,
)
from .validation import schema_problems

T = TypeVar("T")

# Lists a part may contribute; merged into the including protocol in this order.
MERGED_LISTS = ("roles", "events", "stages", "milestones", "requirements", "forms", "sign_offs")
KEYED_LISTS = (
    "roles",
    "events",
    "stages",
    "milestones",
    "forms",
    "sign_offs",
    "extensions",
    "end_rules",
    "outcomes",
    "routes",
)


def _loc(container: Any, key: str | int, fallback: Location) -> Location:
    return location_of(container, key) or own_location(container) or fallback


class _Checker:
    """Collects problems of meaning (references, duplicates, cycles) with their locations."""

    def __init__(self, fallback: Location) -> None:
        self.problems: list[Problem] = []
        self.fallback = fallback

    def add(self, where: Location | None, message: str) -> None:
        self.problems.append(Problem(where or self.fallback, message))

    def ref(
        self, item: LocatedDict, key: str, known: Iterable[str], what: str, *, context: str
    ) -> None:
        value = item.get(key)
        if value is None:
            return
        names = set(known)
        values = value if isinstance(value, list) else [value]
        for index, name in enumerate(values):
            if name not in names:
                where = (
                    location_of(value, index) if isinstance(value, list) else location_of(item, key)
                )
                options = ", ".join(sorted(names)) or "none are defined"
                self.add(
                    where,
                    f"{context}: {key} refers to {what} {name!r}, which does not exist ({options})",
                )


def _collect_with_parts(path: str, data: LocatedDict, checker: _Checker) -> dict[str, LocatedList]:
    """The protocol's lists with every included part's lists in front of them."""
    merged: dict[str, LocatedList] = {}
    for name in MERGED_LISTS + ("extensions", "end_rules", "outcomes", "routes"):
        combined = LocatedList()
        combined.location = own_location(data.get(name)) or data.location
        combined.item_locations = []
        merged[name] = combined
    part_sources = LocatedList()
    part_sources.location = data.location
    part_sources.item_locations = []
    includes = data.get("include") or []
    for index, relative in enumerate(includes):
        part_path = os.path.normpath(os.path.join(os.path.dirname(path), relative))
        try:
            part = load_part_data(part_path)
        except DefinitionError as exc:
            checker.problems.extend(exc.problems)
            where = location_of(includes, index)
            checker.add(where, f"include {relative!r} could not be loaded (see above)")
            continue
        for name in MERGED_LISTS:
            _append(merged[name], part.get(name))
        _append(part_sources, part.get("sources"))
    for name, combined in merged.items():
        _append(combined, data.get(name))
    # The file's own documents first, then those of the parts it includes, so a rule of a part
    # can cite the part's sources (the legal floor cites the regulations).
    sources = LocatedList()
    sources.location = own_location(data.get("sources")) or data.location
    sources.item_locations = []
    _append(sources, data.get("sources"))
    _append(sources, part_sources)
    merged["sources"] = sources
    # A council's own targets for a part's open time limits (requested reviews); never a part's.
    targets = LocatedList()
    targets.location = own_location(data.get("targets")) or data.location
    targets.item_locations = []
    _append(targets, data.get("targets"))
    merged["targets"] = targets
    return merged


def _append(target: LocatedList, items: Any) -> None:
    if isinstance(items, LocatedList):
        target.extend(items)
        target.item_locations.extend(items.item_locations)


def load_part_data(path: str) -> LocatedDict:
    data = read_yaml_file(path)
    problems = schema_problems(data, schema="part")
    if problems:
        raise DefinitionError(problems)
    return data


def _keys(items: LocatedList, checker: _Checker, what: str) -> dict[str, LocatedDict]:
    seen: dict[str, LocatedDict] = {}
    for item in items:
        key = item["key"]
        if key in seen:
            first = seen[key].location
            checker.add(
                key_location_of(item, "key") or item.location,
                f"{what}: the key {key!r} is defined twice (first at {first})",
            )
            continue
        seen[key] = item
    return seen


def _opt(item: LocatedDict, key: str) -> Any:
    return item.get(key)


def _week_counting(data: LocatedDict) -> WeekCounting:
    # The schema allows only the two values; term weeks unless the protocol says otherwise.
    return "five_school_days" if data.get("week_counting") == "five_school_days" else "term_weeks"


def _tuple(item: LocatedDict, key: str) -> tuple[Any, ...]:
    return tuple(item.get(key) or ())


def _cited(item: LocatedDict) -> dict[str, Any]:
    """The rule's citation of its source, or that it is local practice no source gives."""
    cited = item.get("source")
    return {
        "source": Citation(ref=cited["ref"], at=cited.get("at")) if cited else None,
        "practice": bool(item.get("practice", False)),
    }


def _council_targets(
    items: LocatedList, milestones: dict[str, LocatedDict], checker: _Checker
) -> dict[str, LocatedDict]:
    """The protocol's `targets` by milestone: only a part's milestone marked `council_target`
    (a time limit the law leaves open) may be given the council's own rule, once."""
    found: dict[str, LocatedDict] = {}
    for item in items:
        key = item["milestone"]
        where = location_of(item, "milestone") or item.location
        milestone = milestones.get(key)
        if milestone is None:
            options = ", ".join(sorted(k for k, m in milestones.items() if m.get("council_target")))
            checker.add(
                where,
                f"targets: {key!r} is not a milestone (those a council may set: "
                f"{options or 'none'})",
            )
        elif not milestone.get("council_target"):
            checker.add(
                where,
                f"targets: milestone {key!r} has no target a council may set: its timing is "
                f"the protocol's own rule or the law's (defined at {milestone.location})",
            )
        elif key in found:
            checker.add(where, f"targets: {key!r} is given twice (first at {found[key].location})")
        else:
            found[key] = item
    return found


def _target(item: LocatedDict | None) -> Target | None:
    if item is None:
        return None
    return Target(due=" ".join(item["due"].split()), origin=str(item.location), **_cited(item))


def load_protocol(path: str, *, require_citations: bool = False) -> Protocol:
    """Load and validate a protocol file; DefinitionError lists every problem found.

    `require_citations`: also refuse a rule that neither cites its source nor says it is local
    practice (_check_every_rule_cites). Off by default: test fixtures and councils' drafts may
    leave rules uncited; the bundled protocols are held to it."""
    data = read_yaml_file(path)
    problems = schema_problems(data, schema="protocol")
    if problems:
        raise DefinitionError(problems)
    checker = _Checker(data.location)
    lists = _collect_with_parts(path, data, checker)
    if checker.problems:
        raise DefinitionError(checker.problems)

    roles = _keys(lists["roles"], checker, "roles")
    events = _keys(lists["events"], checker, "events")
    stages = _keys(lists["stages"], checker, "stages")
    milestones = _keys(lists["milestones"], checker, "milestones")
    forms = _keys(lists["forms"], checker, "forms")
    sign_offs = _keys(lists["sign_offs"], checker, "sign_offs")
    extensions = _keys(lists["extensions"], checker, "extensions")
    end_rules = _keys(lists["end_rules"], checker, "end_rules")
    outcomes = _keys(lists["outcomes"], checker, "outcomes")
    routes = _keys(lists["routes"], checker, "routes")
    for key in set(milestones) & set(events):
        checker.add(
            key_location_of(milestones[key], "key"),
            f"milestones: {key!r} is also an event; a name must be one or the other",
        )
    if "start" not in events:
        checker.add(
            data.location,
            "events: the event 'start' (first day of the off-site direction or trial) must be defined "
            "(include the shared legal floor, or add it)",
        )
    if data.get("effective_from_assumed") and not data.get("effective_from_note"):
        checker.add(
            key_location_of(data, "effective_from_assumed") or data.location,
            "effective_from_assumed: say why the date is assumed in effective_from_note",
        )
    if data.get("effective_until") and data["effective_until"] < data["effective_from"]:
        checker.add(
            location_of(data, "effective_until"), "effective_until is before effective_from"
        )

    targets = _council_targets(lists["targets"], milestones, checker)
    dated = set(milestones) | set(events)
    parsed_rules: dict[str, Any] = {}
    graph: dict[str, set[str]] = {}
    for key, item in milestones.items():
        context = f"milestone {key!r}"
        checker.ref(item, "stage", stages, "the stage", context=context)
        checker.ref(item, "owner", roles, "the role", context=context)
        checker.ref(item, "held_at", roles, "the role", context=context)
        checker.ref(item, "form", forms, "the form", context=context)
        # A council's target replaces the part's rule; a problem in it is shown at the target.
        timed = targets.get(key, item)
        try:
            rule = parse_timing_rule(timed["due"])
        except RuleSyntaxError as exc:
            checker.add(location_of(timed, "due"), f"{context}: {exc}")
            continue
        parsed_rules[key] = rule
        graph[key] = set()
        for ref in rule_refs(rule):
            if ref not in dated:
                checker.add(
                    location_of(timed, "due"),
                    f"{context}: the rule counts from {ref!r}, which is neither a milestone nor an event "
                    f"(milestones: {', '.join(sorted(milestones))}; events: {', '.join(sorted(events))})",
                )
            elif ref in milestones:
                graph[key].add(ref)
        if item.get("unless"):
            try:
                lookback = parse_lookback(item["unless"])
            except RuleSyntaxError as exc:
                checker.add(location_of(item, "unless"), f"{context}: {exc}")
            else:
                for ref in (lookback.milestone, lookback.ref):
                    if ref not in dated:
                        checker.add(
                            location_of(item, "unless"),
                            f"{context}: unless refers to {ref!r}, which does not exist",
                        )
                    elif ref in milestones and ref != key:
                        graph[key].add(ref)
    for key, rule in parsed_rules.items():
        for ref in rule_refs(rule):
            if ref in parsed_rules and is_repeating(parsed_rules[ref]):
                checker.add(
                    location_of(milestones[key], "due"),
                    f"milestone {key!r}: cannot count from {ref!r}, which repeats; count from a single date",
                )
    order: tuple[str, ...] = ()
    try:
        order = tuple(TopologicalSorter(graph).static_order())
    except CycleError as exc:
        cycle = list(exc.args[1])
        first = cycle[0]
        checker.add(
            location_of(milestones[first], "due"),
            f"milestone {first!r}: timing rules go round in a circle: {' -> '.join(cycle)}",
        )

    for key, item in events.items():
        checker.ref(item, "stage", stages, "the stage", context=f"event {key!r}")
        checker.ref(item, "recorded_by", roles, "the role", context=f"event {key!r}")
    for item in lists["requirements"]:
        try:
            at_least = parse_requirement(item["rule"])
        except RuleSyntaxError as exc:
            checker.add(location_of(item, "rule"), f"requirement: {exc}")
            continue
        for ref in (at_least.milestone, at_least.ref):
            if ref not in dated:
                checker.add(
                    location_of(item, "rule"),
                    f"requirement: {ref!r} is neither a milestone nor an event",
                )
    for key, item in forms.items():
        context = f"form {key!r}"
        checker.ref(item, "stage", stages, "the stage", context=context)
        checker.ref(item, "completed_by", roles, "the role", context=context)
        _check_form_fields(item, checker, context)
    for key, item in sign_offs.items():
        context = f"sign-off {key!r}"
        checker.ref(item, "stage", stages, "the stage", context=context)
        checker.ref(item, "roles", roles, "the role", context=context)
        checker.ref(item, "form", forms, "the form", context=context)
        checker.ref(item, "before", dated, "the milestone or event", context=context)
    for key, item in extensions.items():
        context = f"extension {key!r}"
        checker.ref(item, "approvals", roles, "the role", context=context)
        target = item["extends"]
        if target not in milestones:
            checker.ref(item, "extends", milestones, "the milestone", context=context)
        elif target in parsed_rules and not isinstance(
            parsed_rules[target], EndOfSchoolWeek | SchoolDays
        ):
            checker.add(
                location_of(item, "extends"),
                f"{context}: {target!r} cannot be extended; only 'end of school week N' and "
                "'N school days after' rules can",
            )
    for key, item in end_rules.items():
        context = f"end rule {key!r}"
        checker.ref(item, "event", events, "the event", context=context)
        checker.ref(item, "follow_ups", milestones, "the milestone", context=context)
        checker.ref(item, "extension", extensions, "the extension", context=context)
        if item["effect"] == "extends_trial" and not item.get("extension"):
            checker.add(item.location, f"{context}: an extends_trial rule must name its extension")
    attendance = data.get("attendance")
    if attendance:
        checker.ref(attendance, "recorded_by", roles, "the role", context="attendance")
        checker.ref(attendance, "reported_to", roles, "the role", context="attendance")
    for key, item in outcomes.items():
        checker.ref(item, "report_to", roles, "the role", context=f"outcome {key!r}")
    for key, item in routes.items():
        checker.ref(item, "involves", roles, "the role", context=f"route {key!r}")
    _check_citations(lists, attendance, checker)
    if require_citations:
        _check_every_rule_cites(lists, attendance, checker)

    if checker.problems:
        raise DefinitionError(checker.problems)

    def build(items: dict[str, LocatedDict], make: Callable[[LocatedDict], T]) -> tuple[T, ...]:
        return tuple(make(item) for item in items.values())

    return Protocol(
        council=data["council"],
        slug=data["protocol"],
        version=data["version"],
        title=data["title"],
        short_name=_opt(data, "short_name"),
        effective_from=date.fromisoformat(data["effective_from"]),
        effective_until=date.fromisoformat(data["effective_until"])
        if data.get("effective_until")
        else None,
        effective_from_assumed=bool(data.get("effective_from_assumed", False)),
        effective_from_note=_opt(data, "effective_from_note"),
        phases=_tuple(data, "phases"),
        summary=_opt(data, "summary"),
        week_counting=_week_counting(data),
        changes=_tuple(data, "changes"),
        includes=_tuple(data, "include"),
        sources=tuple(Source(**dict(s)) for s in lists["sources"]),
        roles=build(
            roles,
            lambda r: Role(
                key=r["key"], label=r["label"], kind=r["kind"], description=_opt(r, "description")
            ),
        ),
        events=build(
            events,
            lambda e: Event(
                **_cited(e),
                key=e["key"],
                label=e["label"],
                stage=_opt(e, "stage"),
                recorded_by=_opt(e, "recorded_by"),
                location=key_location_of(e, "key") or e.location,
            ),
        ),
        stages=build(
            stages, lambda s: Stage(key=s["key"], label=s["label"], guidance=_opt(s, "guidance"))
        ),
        milestones=build(
            milestones,
            lambda m: Milestone(
                **_cited(m),
                key=m["key"],
                label=m["label"],
                stage=m["stage"],
                due=" ".join(targets.get(m["key"], m)["due"].split()),
                rule=parsed_rules[m["key"]],
                unless=_opt(m, "unless"),
                lookback=parse_lookback(m["unless"]) if m.get("unless") else None,
                owner=_opt(m, "owner"),
                held_at=_opt(m, "held_at"),
                council_target=bool(m.get("council_target", False)),
                target=_target(targets.get(m["key"])),
                form=_opt(m, "form"),
                statutory=bool(m.get("statutory", False)),
                guidance=_opt(m, "guidance"),
                origin=str(m.location),
            ),
        ),
        requirements=tuple(
            Requirement(
                rule=r["rule"],
                label=r["label"],
                at_least=parse_requirement(r["rule"]),
                **_cited(r),
            )
            for r in lists["requirements"]
        ),
        forms=build(forms, _build_form),
        sign_offs=build(
            sign_offs,
            lambda s: SignOff(
                **_cited(s),
                key=s["key"],
                label=s["label"],
                stage=s["stage"],
                roles=tuple(s["roles"]),
                form=_opt(s, "form"),
                before=_opt(s, "before"),
            ),
        ),
        extensions=build(
            extensions,
            lambda e: Extension(
                **_cited(e),
                key=e["key"],
                label=e["label"],
                extends=e["extends"],
                up_to_school_weeks=_opt(e, "up_to_school_weeks"),
                approvals=tuple(e["approvals"]),
                when=_opt(e, "when"),
                evidence=_tuple(e, "evidence"),
            ),
        ),
        end_rules=build(
            end_rules,
            lambda r: EndRule(
                **_cited(r),
                key=r["key"],
                label=r["label"],
                effect=r["effect"],
                description=_opt(r, "description"),
                evidence=_tuple(r, "evidence"),
                event=_opt(r, "event"),
                follow_ups=_tuple(r, "follow_ups"),
                extension=_opt(r, "extension"),
                persistent_absence_at_percent_absent=_opt(
                    r, "persistent_absence_at_percent_absent"
                ),
            ),
        ),
        attendance=Attendance(
            recorded=attendance["recorded"],
            recorded_by=attendance["recorded_by"],
            reported_to=tuple(attendance["reported_to"]),
            persistent_absence_at_percent_absent=_opt(
                attendance, "persistent_absence_at_percent_absent"
            ),
            register_code=_opt(attendance, "register_code"),
            **_cited(attendance),
        )
        if attendance
        else None,
        outcomes=build(
            outcomes,
            lambda o: Outcome(
                **_cited(o),
                key=o["key"],
                label=o["label"],
                description=_opt(o, "description"),
                on_roll_of=_opt(o, "on_roll_of"),
                report_to=_tuple(o, "report_to"),
            ),
        ),
        routes=build(
            routes,
            lambda r: Route(
                **_cited(r),
                key=r["key"],
                label=r["label"],
                flag=r["flag"],
                effect=r["effect"],
                involves=_tuple(r, "involves"),
                guidance=_opt(r, "guidance"),
                location=location_of(r, "flag") or r.location,
            ),
        ),
        path=path,
        evaluation_order=order,
        locations={"": data.location, **{name: items.location for name, items in lists.items()}},
    )


def _check_form_fields(form: LocatedDict, checker: _Checker, context: str) -> None:
    seen: dict[str, LocatedDict] = {}
    page_keys: set[str] = set()
    for page in form["pages"]:
        if page["key"] in page_keys:
            checker.add(
                key_location_of(page, "key"),
                f"{context}: the page key {page['key']!r} is used twice",
            )
        page_keys.add(page["key"])
        for item in page["fields"]:
            key = item["key"]
            if key in seen:
                checker.add(
                    key_location_of(item, "key"),
                    f"{context}: the field key {key!r} is used twice (first at {seen[key].location})",
                )
                continue
            kind = item["type"]
            if kind in {"choice", "choices"} and not item.get("choices"):
                checker.add(item.location, f"{context}: field {key!r} of type {kind} needs choices")
            if kind not in {"choice", "choices"} and item.get("choices"):
                checker.add(
                    location_of(item, "choices"),
                    f"{context}: field {key!r} of type {kind} cannot have choices",
                )
            condition = item.get("show_when")
            if condition:
                other = seen.get(condition["field"])
                if other is None:
                    checker.add(
                        location_of(condition, "field"),
                        f"{context}: field {key!r} depends on {condition['field']!r}, which is not an earlier field "
                        "of this form",
                    )
                else:
                    _check_condition_values(condition, other, checker, context, key)
            seen[key] = item


def _check_condition_values(
    condition: LocatedDict, other: LocatedDict, checker: _Checker, context: str, key: str
) -> None:
    values = condition["in"] if "in" in condition else [condition.get("equals")]
    if other["type"] == "yes_no":
        allowed: list[Any] = [True, False]
    elif other["type"] in {"choice", "choices"}:
        allowed = [c["value"] for c in other["choices"]]
    else:
        return
    for value in values:
        if value not in allowed:
            where = location_of(condition, "in" if "in" in condition else "equals")
            checker.add(
                where,
                f"{context}: field {key!r} is shown when {condition['field']!r} is {value!r}, "
                f"which it can never be (it can be: {', '.join(str(a).lower() if isinstance(a, bool) else str(a) for a in allowed)})",
            )


# The lists whose items are rules that cite their source (or say they are local practice).
CITING_LISTS = (
    "events",
    "milestones",
    "targets",
    "requirements",
    "forms",
    "sign_offs",
    "extensions",
    "end_rules",
    "outcomes",
    "routes",
)


def _check_citations(
    lists: dict[str, LocatedList], attendance: LocatedDict | None, checker: _Checker
) -> None:
    """Every citation names a source of the file or of a part it includes, by its key."""
    cited: dict[str, LocatedDict] = {}
    for source in lists["sources"]:
        key = source.get("key")
        if key is None:
            continue
        if key in cited:
            checker.add(
                key_location_of(source, "key") or source.location,
                f"sources: the key {key!r} is defined twice (first at {cited[key].location})",
            )
            continue
        cited[key] = source
    items = [item for name in CITING_LISTS for item in lists[name]]
    if attendance:
        items.append(attendance)
    known = ", ".join(sorted(cited)) or "no source has a key"
    for item in items:
        citation = item.get("source")
        if citation is None:
            continue
        if citation["ref"] not in cited:
            name = _name_of(item) or "attendance"
            checker.add(
                location_of(citation, "ref") or item.location,
                f"{name}: the source {citation['ref']!r} is not one of the sources ({known})",
            )
        if item.get("practice"):
            checker.add(
                location_of(item, "practice") or item.location,
                f"{_name_of(item)}: a rule that cites a source is not "
                "local practice; remove practice: true or the source",
            )


def _name_of(item: LocatedDict) -> Any:
    """A rule's name in a problem: its key, its rule (a requirement) or its milestone (a target)."""
    return item.get("key") or item.get("rule") or item.get("milestone")


# How each citing list names one of its items in a problem.
_CITING_NAMES = {
    "events": "event",
    "milestones": "milestone",
    "targets": "target for",
    "requirements": "requirement",
    "forms": "form",
    "sign_offs": "sign-off",
    "extensions": "extension",
    "end_rules": "end rule",
    "outcomes": "outcome",
    "routes": "route",
}


def _check_every_rule_cites(
    lists: dict[str, LocatedList], attendance: LocatedDict | None, checker: _Checker
) -> None:
    """Every rule says where it comes from: a source, or `practice: true` (no source gives it, so
    it is shown as local practice to be confirmed by the council). Nothing is skipped: a part's
    rules (the legal floor, the common forms) are held to it too."""
    advice = "cite its source (source: {ref: ...}) or mark it practice: true"
    for name in CITING_LISTS:
        for item in lists[name]:
            if item.get("source") is not None or item.get("practice"):
                continue
            label = _name_of(item)
            named_by = next(k for k in ("key", "rule", "milestone") if k in item)
            where = key_location_of(item, named_by) or item.location
            checker.add(where, f"{_CITING_NAMES[name]} {label!r}: {advice}")
    if attendance and attendance.get("source") is None and not attendance.get("practice"):
        checker.add(attendance.location, f"attendance: {advice}")


def _build_form(item: LocatedDict) -> Form:
    pages = []
    for page in item["pages"]:
        fields = []
        for raw in page["fields"]:
            condition = raw.get("show_when")
            fields.append(
                FormField(
                    key=raw["key"],
                    type=raw["type"],
                    label=raw["label"],
                    hint=_opt(raw, "hint"),
                    required=bool(raw.get("required", False)),
                    choices=tuple(
                        Choice(value=c["value"], label=c["label"], hint=_opt(c, "hint"))
                        for c in raw.get("choices") or ()
                    ),
                    show_when=Condition(
                        field=condition["field"],
                        equals=condition.get("equals"),
                        among=tuple(condition["in"]) if "in" in condition else None,
                    )
                    if condition
                    else None,
                    min=_opt(raw, "min"),
                    max=_opt(raw, "max"),
                    max_length=_opt(raw, "max_length"),
                    location=location_of(raw, "type") or raw.location,
                )
            )
        pages.append(
            FormPage(
                key=page["key"],
                title=page["title"],
                fields=tuple(fields),
                description=_opt(page, "description"),
            )
        )
    return Form(
        key=item["key"],
        title=item["title"],
        stage=item["stage"],
        pages=tuple(pages),
        completed_by=_opt(item, "completed_by"),
        description=_opt(item, "description"),
        repeats=bool(item.get("repeats", False)),
        location=key_location_of(item, "key") or item.location,
        **_cited(item),
    )


def load_calendar(path: str) -> SchoolCalendar:
    """Load and validate a school calendar file."""
    return _calendar_from(read_yaml_file(path))


def load_calendar_text(text: str, *, path: str) -> SchoolCalendar:
    """Validate a calendar given as text (e.g. pasted by a council admin); `path` names it in errors."""
    return _calendar_from(parse_yaml(text, path=path))


def _calendar_from(data: LocatedDict) -> SchoolCalendar:
    problems = schema_problems(data, schema="calendar")
    if problems:
        raise DefinitionError(problems)
    checker = _Checker(data.location)
    source_titles = {s["title"] for s in data["sources"]}

    def ranges(name: str) -> list[tuple[LocatedDict, date, date]]:
        out = []
        for item in data.get(name) or []:
            start, end = date.fromisoformat(item["start"]), date.fromisoformat(item["end"])
            for key, day in (("start", start), ("end", end)):
                out_of_range = term_day_problem(day)
                if out_of_range:
                    checker.add(
                        location_of(item, key), f"{name}: {item['name']!r} {key}: {out_of_range}"
                    )
            if end < start:
                checker.add(
                    location_of(item, "end"), f"{name}: {item['name']!r} ends before it starts"
                )
            if item.get("source") and item["source"] not in source_titles:
                checker.add(
                    location_of(item, "source"),
                    f"{name}: source {item['source']!r} is not one of the sources",
                )
            out.append((item, start, end))
        return out

    terms = ranges("terms")
    closures = ranges("closures")
    for (previous, _, previous_end), (item, start, _) in zip(terms, terms[1:], strict=False):
        if start <= previous_end:
            checker.add(
                location_of(item, "start"),
                f"terms: {item['name']!r} starts before {previous['name']!r} ends; terms must be in order and not overlap",
            )
    for item, start, end in closures:
        if not any(t_start <= start and end <= t_end for _, t_start, t_end in terms):
            checker.add(
                item.location, f"closures: {item['name']!r} ({start} to {end}) is not inside a term"
            )
    covers = data.get("covers")
    covers_from = covers_until = None
    if covers:
        covers_from = date.fromisoformat(covers["start"])
        covers_until = date.fromisoformat(covers["end"])
        if covers_until < covers_from:
            checker.add(location_of(covers, "end"), "covers: ends before it starts")
        for item, start, end in terms:
            if start < covers_from or end > covers_until:
                checker.add(
                    location_of(item, "start"),
                    f"terms: {item['name']!r} ({start} to {end}) is outside covers "
                    f"({covers_from} to {covers_until})",
                )
    if checker.problems:
        raise DefinitionError(checker.problems)
    try:
        return SchoolCalendar(
            slug=data["calendar"],
            council=_opt(data, "council"),
            title=data["title"],
            region=data["region"],
            provisional=bool(data.get("provisional", False)),
            provisional_reason=_opt(data, "provisional_reason"),
            sources=tuple(CalendarSource(**dict(s)) for s in data["sources"]),
            covers_from=covers_from,
            covers_until=covers_until,
            terms=tuple(
                Term(item["name"], start, end, **_span_extras(item)) for item, start, end in terms
            ),
            closures=tuple(
                Closure(item["name"], start, end, **_span_extras(item))
                for item, start, end in closures
            ),
        )
    except CalendarError as exc:
        raise DefinitionError([Problem(data.location, str(exc))]) from None


def _span_extras(item: LocatedDict) -> dict[str, Any]:
    """A term's or closure's source, estimate flag and note, as Term/Closure keywords."""
    return {
        "source": _opt(item, "source"),
        "estimate": bool(item.get("estimate", False)),
        "note": _opt(item, "note"),
    }


def kind_of_file(path: str) -> str:
    """'protocol', 'calendar' or 'part', from the file's first distinguishing key."""
    data = read_yaml_file(path)
    if "calendar" in data:
        return "calendar"
    if "part" in data:
        return "part"
    return "protocol"


def validate_file(
    path: str, *, contracts: Iterable[Contract] = (), require_citations: bool = False
) -> list[Problem]:
    """Every problem in a protocol, part or calendar file (empty when it is valid); a protocol
    is also checked against each of `contracts` (what an application reads from it) and, with
    `require_citations`, for a rule that cites no source and is not marked practice."""
    try:
        kind = kind_of_file(path)
        if kind == "calendar":
            load_calendar(path)
        elif kind == "part":
            load_part_data(path)
        else:
            return check_all(load_protocol(path, require_citations=require_citations), contracts)
    except DefinitionError as exc:
        return exc.problems
    return []
