"""Render the case-work form fields as GOV.UK Frontend components (radios, date input, ...)."""

from __future__ import annotations

import json
from typing import Any

from django import forms, template
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

register = template.Library()


def _error_html(field: forms.BoundField) -> SafeString:
    if not field.errors:
        return mark_safe("")
    return format_html(
        '<p id="{}-error" class="govuk-error-message"><span class="govuk-visually-hidden">{}</span> {}</p>',
        field.auto_id,
        _("Error:"),
        " ".join(str(e) for e in field.errors),
    )


def _hint_html(field: forms.BoundField) -> SafeString:
    if not field.help_text:
        return mark_safe("")
    return format_html(
        '<div id="{}-hint" class="govuk-hint">{}</div>', field.auto_id, field.help_text
    )


def _described_by(field: forms.BoundField) -> str:
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}-hint")
    if field.errors:
        ids.append(f"{field.auto_id}-error")
    return " ".join(ids)


def _group(field: forms.BoundField, inner: SafeString) -> SafeString:
    css = "govuk-form-group" + (" govuk-form-group--error" if field.errors else "")
    condition = getattr(field.field, "show_when", None)
    data = ""
    if condition is not None:
        # fairway/conditional.js hides the question while the answer it depends on (on this page)
        # does not match; without the script it shows, and the server ignores it when irrelevant.
        css += " fairway-conditional"
        data = format_html(
            ' data-show-when="{}" data-show-values="{}"',
            condition.field,
            json.dumps(_html_values(condition)),
        )
    return format_html('<div class="{}"{}>{}</div>', css, data, inner)


def _html_value(value: object) -> str:
    # Answers are stored as JSON (yes/no as booleans); the inputs post text.
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return str(value)


def _html_values(condition: Any) -> list[str]:
    among = getattr(condition, "among", None)
    if among is not None:
        return [_html_value(v) for v in among]
    return [_html_value(condition.equals)]


def _fieldset(
    field: forms.BoundField, body: SafeString, *, legend_class: str = "govuk-fieldset__legend--s"
) -> SafeString:
    described = _described_by(field)
    return _group(
        field,
        format_html(
            '<fieldset class="govuk-fieldset"{}><legend class="govuk-fieldset__legend {}">{}</legend>{}{}{}</fieldset>',
            format_html(' aria-describedby="{}"', described) if described else "",
            legend_class,
            field.label,
            _hint_html(field),
            _error_html(field),
            body,
        ),
    )


def _checked(value: Any, choice: str) -> bool:
    if isinstance(value, list | tuple):
        return choice in [str(v) for v in value]
    return value is not None and str(value) == choice


def _radios(field: forms.BoundField, *, multiple: bool) -> SafeString:
    value = field.value()
    hints: dict[str, str] = getattr(field.field, "choice_hints", {})
    items = []
    kind = "checkboxes" if multiple else "radios"
    for index, (choice, label) in enumerate(field.field.choices):  # type: ignore[attr-defined]
        choice = str(choice)
        item_id = field.auto_id if index == 0 else f"{field.auto_id}-{index}"
        hint = hints.get(choice)
        items.append(
            format_html(
                '<div class="govuk-{kind}__item"><input class="govuk-{kind}__input" id="{id}" name="{name}" '
                'type="{type}" value="{value}"{checked}{aria}><label class="govuk-label govuk-{kind}__label" '
                'for="{id}">{label}</label>{hint}</div>',
                kind=kind,
                id=item_id,
                name=field.html_name,
                type="checkbox" if multiple else "radio",
                value=choice,
                checked=mark_safe(" checked") if _checked(value, choice) else "",
                aria=format_html(' aria-describedby="{}-hint"', item_id) if hint else "",
                label=label,
                hint=format_html(
                    '<div id="{}-hint" class="govuk-hint govuk-{}__hint">{}</div>',
                    item_id,
                    kind,
                    hint,
                )
                if hint
                else "",
            )
        )
    inline = " govuk-radios--inline" if not multiple and len(items) == 2 else ""
    body = format_html(
        '<div class="govuk-{}{}" data-module="govuk-{}">{}</div>',
        kind,
        inline,
        kind,
        mark_safe("".join(items)),
    )
    return _fieldset(field, body)


def _date(field: forms.BoundField) -> SafeString:
    value = field.value()
    if not isinstance(value, list | tuple):
        value = field.field.widget.decompress(value)
    parts = list(value) + [None, None, None]
    boxes = []
    error = " govuk-input--error" if field.errors else ""
    for index, (name, width, label) in enumerate(
        (("day", 2, _("Day")), ("month", 2, _("Month")), ("year", 4, _("Year")))
    ):
        box_id = field.auto_id if index == 0 else f"{field.auto_id}-{name}"
        boxes.append(
            format_html(
                '<div class="govuk-date-input__item"><div class="govuk-form-group">'
                '<label class="govuk-label govuk-date-input__label" for="{}">{}</label>'
                '<input class="govuk-input govuk-date-input__input govuk-input--width-{}{}" id="{}" '
                'name="{}_{}" type="text" inputmode="numeric" value="{}"></div></div>',
                box_id,
                label,
                width,
                error,
                box_id,
                field.html_name,
                index,
                parts[index] or "",
            )
        )
    body = format_html(
        '<div class="govuk-date-input" id="{}-input">{}</div>',
        field.auto_id,
        mark_safe("".join(boxes)),
    )
    return _fieldset(field, body)


def _text(field: forms.BoundField, kind: str) -> SafeString:
    error = bool(field.errors)
    attrs: dict[str, Any] = {}
    described = _described_by(field)
    if described:
        attrs["aria-describedby"] = described
    if kind == "textarea":
        attrs["class"] = "govuk-textarea" + (" govuk-textarea--error" if error else "")
    elif isinstance(field.field.widget, forms.Select):
        attrs["class"] = "govuk-select" + (" govuk-select--error" if error else "")
    else:
        width = {
            "number": " govuk-input--width-4",
            "percentage": " govuk-input--width-4",
            "upn": " govuk-input--width-20",
        }.get(kind, "")
        attrs["class"] = "govuk-input" + width + (" govuk-input--error" if error else "")
        if kind in ("number", "percentage"):
            attrs["inputmode"] = "numeric"
            attrs["spellcheck"] = "false"
    widget = field.as_widget(attrs=attrs)
    return _group(
        field,
        format_html(
            '<label class="govuk-label govuk-label--s" for="{}">{}</label>{}{}{}',
            field.id_for_label,
            field.label,
            _hint_html(field),
            _error_html(field),
            widget,
        ),
    )


def _school(field: forms.BoundField) -> SafeString:
    """A school question: a GOV.UK text input that fairway/school-search.js turns into an
    accessible-autocomplete fed by the case's school search; without JavaScript the text is
    resolved on the server (a URN, a unique name, or the label a suggestion wrote)."""
    text, chosen = field.field.display(field.value())  # type: ignore[attr-defined]
    scope = field.field.scope  # type: ignore[attr-defined]
    hint_id = f"{field.auto_id}-hint"
    described = " ".join([hint_id, *([f"{field.auto_id}-error"] if field.errors else [])])
    hint = format_html(
        '<div id="{}" class="govuk-hint">{}{}</div>',
        hint_id,
        format_html("{} ", field.help_text) if field.help_text else "",
        _("Start typing the name, URN or postcode of a school in %(council)s.")
        % {"council": scope.council.name},
    )
    inputs = format_html(
        '<div class="fairway-school-search" data-school-search="{}">'
        '<input class="govuk-input{}" id="{}" name="{}" type="text" value="{}" autocomplete="off"'
        ' spellcheck="false" aria-describedby="{}">'
        '<input type="hidden" name="{}-id" value="{}"></div>',
        scope.search_url,
        " govuk-input--error" if field.errors else "",
        field.auto_id,
        field.html_name,
        text,
        described,
        field.html_name,
        chosen,
    )
    return _group(
        field,
        format_html(
            '<label class="govuk-label govuk-label--s" for="{}">{}</label>{}{}{}',
            field.auto_id,
            field.label,
            hint,
            _error_html(field),
            inputs,
        ),
    )


@register.simple_tag
def govuk_field(field: forms.BoundField) -> SafeString:
    if field.is_hidden:
        return mark_safe(str(field))
    kind = getattr(field.field, "govuk_type", "text")
    if kind in ("yes_no", "choice"):
        return _radios(field, multiple=False)
    if kind == "choices":
        return _radios(field, multiple=True)
    if kind == "date":
        return _date(field)
    if kind == "school":
        return _school(field)
    return _text(field, kind)


@register.inclusion_tag("casework/includes/error_summary.html")
def govuk_error_summary(form: forms.Form, extra: list[str] | None = None) -> dict[str, Any]:
    return {"form": form, "extra": extra or []}


@register.simple_tag
def status_tag(status: str) -> SafeString:
    colours = {
        "done": ("govuk-tag--green", _("Done")),
        "due": ("govuk-tag--blue", _("Due")),
        "overdue": ("govuk-tag--red", _("Overdue")),
        "not_needed": ("govuk-tag--grey", _("Not needed")),
    }
    css, label = colours.get(status, ("govuk-tag--grey", status))
    return format_html('<strong class="govuk-tag {}">{}</strong>', css, label)


@register.filter
def lines(value: str) -> SafeString:
    return format_html_join(mark_safe("<br>"), "{}", ((line,) for line in str(value).splitlines()))


@register.filter
def esc(value: Any) -> str:
    return str(conditional_escape(value))
