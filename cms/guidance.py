"""What the public guidance pages show, built from a loaded Protocol (plain data in, plain data out).

Templates stay simple: role keys become labels, timing rules read in words, Markdown becomes
sanitised GOV.UK-styled HTML here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol as _Shape

import markdown as markdown_lib
import nh3
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from protocols.core.changes import asked_when
from protocols.core.model import Citation, Form, FormField, Protocol
from protocols.core.weeks import WeekPlan, week_plan
from protocols.core.words import rule_in_words, who_in_words

_ALLOWED_TAGS = {"p", "ul", "ol", "li", "strong", "em", "a", "br", "h3", "h4", "code", "blockquote"}
# nh3 keeps only these tags; the GOV.UK classes are added after sanitising.
_GOVUK_CLASSES = {
    "<p>": '<p class="govuk-body">',
    "<ul>": '<ul class="govuk-list govuk-list--bullet">',
    "<ol>": '<ol class="govuk-list govuk-list--number">',
    "<h3>": '<h3 class="govuk-heading-s">',
    "<h4>": '<h4 class="govuk-heading-s">',
    "<a ": '<a class="govuk-link" ',
}


def govuk_classes(html: str) -> str:
    for bare, styled in _GOVUK_CLASSES.items():
        html = html.replace(bare, styled)
    return html


def render_markdown(text: str | None) -> SafeString:
    """Markdown from a council's YAML, sanitised (councils' text is data, never trusted HTML)."""
    if not text:
        return mark_safe("")
    html = markdown_lib.markdown(text, output_format="html")
    clean = nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes={"a": {"href"}},
        url_schemes={"https", "http", "mailto"},
    )
    return mark_safe(govuk_classes(clean))  # noqa: S308 - sanitised by nh3 just above


def role_label(protocol: Protocol, key: str | None) -> str:
    if not key:
        return ""
    return next((r.label for r in protocol.roles if r.key == key), key.replace("_", " "))


def roles_text(protocol: Protocol, keys: tuple[str, ...]) -> str:
    labels = [role_label(protocol, k) for k in keys]
    if len(labels) <= 1:
        return "".join(labels)
    return _("%(first)s and %(last)s") % {"first": ", ".join(labels[:-1]), "last": labels[-1]}


def due_in_words(protocol: Protocol, due: str) -> str:
    """A timing rule in plain words (the same words the staff timeline uses)."""
    return rule_in_words(protocol, due)


@dataclass(frozen=True)
class SourceNote:
    """Where a rule comes from, as the page shows it beside the rule: a source's title, where in
    it and its address, or that it is local practice (no source gives it)."""

    practice: bool
    title: str = ""
    at: str = ""
    url: str = ""


class _Cited(_Shape):
    """Any rule that can cite its source (milestone, sign-off, form, end rule...)."""

    @property
    def source(self) -> Citation | None: ...

    @property
    def practice(self) -> bool: ...


def source_note(protocol: Protocol, rule: _Cited) -> SourceNote | None:
    """None when the rule says nothing about its source."""
    if rule.practice:
        return SourceNote(practice=True)
    source = protocol.source_of(rule.source)
    if source is None or rule.source is None:
        return None
    return SourceNote(
        practice=False, title=source.title, at=rule.source.at or "", url=source.url or ""
    )


@dataclass(frozen=True)
class MilestoneView:
    label: str
    due: str
    owner: str
    statutory: bool
    form: str
    guidance: SafeString
    source: SourceNote | None = None
    target: SourceNote | None = None  # where the council's own target comes from


@dataclass(frozen=True)
class SignOffView:
    label: str
    roles: str
    before: str
    source: SourceNote | None = None


@dataclass(frozen=True)
class StepView:
    number: int
    key: str
    label: str
    guidance: SafeString
    milestones: tuple[MilestoneView, ...]
    sign_offs: tuple[SignOffView, ...]
    forms: tuple[tuple[str, str], ...]  # (form title, completed by)


@dataclass(frozen=True)
class EndingView:
    label: str
    effect: str
    evidence: str
    source: SourceNote | None = None


@dataclass(frozen=True)
class ExtensionView:
    label: str
    weeks: int | None  # None: no maximum is set
    approvals: str
    when: str
    source: SourceNote | None = None


@dataclass(frozen=True)
class RequirementView:
    label: str
    source: SourceNote | None = None


def _milestone_view(protocol: Protocol, key: str) -> MilestoneView:
    milestone = protocol.milestone(key)
    form_title = next((f.title for f in protocol.forms if f.key == milestone.form), "")
    return MilestoneView(
        label=milestone.label,
        due=due_in_words(protocol, milestone.due),
        owner=who_in_words(protocol, milestone.key),
        statutory=milestone.statutory,
        form=form_title,
        guidance=render_markdown(milestone.guidance),
        source=source_note(protocol, milestone),
        target=source_note(protocol, milestone.target) if milestone.target else None,
    )


def steps(protocol: Protocol) -> tuple[StepView, ...]:
    result = []
    for number, stage in enumerate(protocol.stages, start=1):
        events = {e.key: e.label for e in protocol.events}
        result.append(
            StepView(
                number=number,
                key=stage.key,
                label=stage.label,
                guidance=render_markdown(stage.guidance),
                milestones=tuple(
                    _milestone_view(protocol, m.key)
                    for m in protocol.milestones
                    if m.stage == stage.key
                ),
                sign_offs=tuple(
                    SignOffView(
                        label=s.label,
                        roles=roles_text(protocol, s.roles),
                        before=events.get(s.before or "", "") if s.before else "",
                        source=source_note(protocol, s),
                    )
                    for s in protocol.sign_offs
                    if s.stage == stage.key
                ),
                forms=tuple(
                    (f.title, role_label(protocol, f.completed_by))
                    for f in protocol.forms
                    if f.stage == stage.key
                ),
            )
        )
    return tuple(result)


def endings(protocol: Protocol) -> tuple[EndingView, ...]:
    return tuple(
        EndingView(
            label=rule.label,
            effect=_("Ends the off-site direction")
            if rule.effect == "ends_trial"
            else _("Extends it instead"),
            evidence=", ".join(rule.evidence),
            source=source_note(protocol, rule),
        )
        for rule in protocol.end_rules
    )


def requirements(protocol: Protocol) -> tuple[RequirementView, ...]:
    return tuple(
        RequirementView(label=r.label, source=source_note(protocol, r))
        for r in protocol.requirements
    )


def extensions(protocol: Protocol) -> tuple[ExtensionView, ...]:
    return tuple(
        ExtensionView(
            label=e.label,
            weeks=e.up_to_school_weeks,
            approvals=roles_text(protocol, e.approvals),
            when=e.when or "",
            source=source_note(protocol, e),
        )
        for e in protocol.extensions
    )


_TYPE_WORDS = {
    "text": "Short text",
    "textarea": "Longer text",
    "number": "A number",
    "percentage": "A percentage",
    "date": "A date",
    "yes_no": "Yes or no",
    "choice": "One choice",
    "choices": "One or more choices",
    "email": "An email address",
    "phone": "A phone number",
    "school": "A school",
    "upn": "A unique pupil number (UPN)",
}


@dataclass(frozen=True)
class QuestionView:
    label: str
    hint: str
    answer: str
    required: bool
    asked: str
    choices: tuple[str, ...]


@dataclass(frozen=True)
class FormPageView:
    title: str
    description: str
    questions: tuple[QuestionView, ...]


@dataclass(frozen=True)
class FormView:
    key: str
    title: str
    stage: str
    completed_by: str
    description: str
    repeats: bool
    pages: tuple[FormPageView, ...]
    source: SourceNote | None = None


def _question(form: Form, f: FormField) -> QuestionView:
    return QuestionView(
        label=f.label,
        hint=f.hint or "",
        answer=_(_TYPE_WORDS[f.type]),
        required=f.required,
        asked="" if f.show_when is None else asked_when(form, f),
        choices=tuple(c.label for c in f.choices),
    )


def forms(protocol: Protocol) -> tuple[FormView, ...]:
    stage_labels = {s.key: s.label for s in protocol.stages}
    return tuple(
        FormView(
            key=form.key,
            title=form.title,
            stage=stage_labels.get(form.stage, form.stage),
            completed_by=role_label(protocol, form.completed_by),
            description=form.description or "",
            repeats=form.repeats,
            pages=tuple(
                FormPageView(
                    title=page.title,
                    description=page.description or "",
                    questions=tuple(_question(form, f) for f in page.fields),
                )
                for page in form.pages
            ),
            source=source_note(protocol, form),
        )
        for form in protocol.forms
    )


_FLAG_WORDS = {
    "ehcp": "The pupil has an education, health and care (EHC) plan",
    "looked_after": "The pupil is looked after (in care)",
    "withdrawn_exclusion": "A permanent exclusion is withdrawn in favour of a move",
}
_EFFECT_WORDS = {
    "replaces_move": "Replaces the usual process",
    "adds_involvement": "Adds people to the usual process",
    "changes_failure": "Changes what happens if the move fails",
}


@dataclass(frozen=True)
class RouteView:
    label: str
    when: str
    effect: str
    involves: str
    guidance: SafeString
    source: SourceNote | None = None


def routes(protocol: Protocol) -> tuple[RouteView, ...]:
    return tuple(
        RouteView(
            label=route.label,
            when=_(_FLAG_WORDS[route.flag])
            if route.flag in _FLAG_WORDS
            else route.flag.replace("_", " "),
            effect=_(_EFFECT_WORDS[route.effect])
            if route.effect in _EFFECT_WORDS
            else route.effect.replace("_", " "),
            involves=roles_text(protocol, route.involves),
            guidance=render_markdown(route.guidance),
            source=source_note(protocol, route),
        )
        for route in protocol.routes
    )


@dataclass(frozen=True)
class OutcomeView:
    label: str
    on_roll_of: str
    source: SourceNote | None = None


def outcomes(protocol: Protocol) -> tuple[OutcomeView, ...]:
    return tuple(
        OutcomeView(
            label=o.label,
            on_roll_of=role_label(protocol, o.on_roll_of),
            source=source_note(protocol, o),
        )
        for o in protocol.outcomes
    )


@dataclass(frozen=True)
class TimelineRow:
    label: str
    due: str
    weeks: str
    owner: str
    statutory: bool


@dataclass(frozen=True)
class TimelineView:
    plan: WeekPlan
    rows: tuple[TimelineRow, ...]
    unplaced: tuple[TimelineRow, ...]
    summary: str
    weeks: tuple[int, ...] = field(default=())


def weeks_in_words(weeks: tuple[int, ...]) -> str:
    named = [_("before the first day") if w == 0 else str(w) for w in weeks]
    if all(w == 0 for w in weeks):
        return named[0]
    numbers = [str(w) for w in weeks if w]
    joined = (
        numbers[0]
        if len(numbers) == 1
        else _("%(first)s and %(last)s")
        % {
            "first": ", ".join(numbers[:-1]),
            "last": numbers[-1],
        }
    )
    return ngettext("week %(weeks)s", "weeks %(weeks)s", len(numbers)) % {"weeks": joined}


def timeline(protocol: Protocol) -> TimelineView:
    plan = week_plan(protocol)
    open_ended = {e.extends for e in protocol.extensions if e.up_to_school_weeks is None}
    rows = []
    for placed in plan.placed:
        weeks = weeks_in_words(placed.weeks)
        if placed.key in open_ended:
            weeks += " " + _("(can be extended with a recorded reason; no maximum is set)")
        elif placed.extendable_by_weeks:
            weeks += " " + _("(can be extended by up to %(n)s school weeks)") % {
                "n": placed.extendable_by_weeks
            }
        rows.append(
            TimelineRow(
                label=placed.label,
                due=due_in_words(protocol, placed.due),
                weeks=weeks,
                owner=who_in_words(protocol, placed.key),
                statutory=placed.statutory,
            )
        )
    unplaced = tuple(
        TimelineRow(
            label=m.label,
            due=due_in_words(protocol, m.due),
            weeks="",
            owner=who_in_words(protocol, m.key),
            statutory=m.statutory,
        )
        for m in plan.unplaced
    )
    summary = "; ".join(f"{row.label}: {row.weeks}" for row in rows)
    return TimelineView(
        plan=plan,
        rows=tuple(rows),
        unplaced=unplaced,
        summary=summary,
        weeks=tuple(range(0, plan.last_week_with_extensions + 1)),
    )


def protocol_plain_text(protocol: Protocol) -> str:
    """Everything the generated pages say, for the search index."""
    parts: list[str] = [protocol.title, protocol.short_name or "", protocol.summary or ""]
    parts += [f"{s.label} {s.guidance or ''}" for s in protocol.stages]
    parts += [f"{m.label} {m.guidance or ''}" for m in protocol.milestones]
    parts += [f"{f.title} " + " ".join(q.label for q in f.fields) for f in protocol.forms]
    parts += [f"{r.label} {r.guidance or ''}" for r in protocol.routes]
    parts += [r.label for r in protocol.roles]
    parts += list(protocol.changes)
    return " ".join(p for p in parts if p)
