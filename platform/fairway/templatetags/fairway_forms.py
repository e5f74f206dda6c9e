"""The one GOV.UK form rendering of every app: `{% govuk_field field %}` and
`{% govuk_error_summary form %}`, as the GOV.UK Frontend components (text input, select, textarea,
file upload, a checkbox, radios, checkboxes, date input) with their labels, hints, error messages
(with the visually hidden "Error:") and an error summary linking to each field.

Written here rather than with govuk-frontend-django's components: those render Jinja macros from
dataclasses and do not bind a Django form field (its `gds_field_component` is not implemented), so
each field type would still need an adapter here, and the date input would post other names than
the form's MultiWidget reads. See the README (on forms).

A field may say how it is asked with attributes the forms set: `govuk_type` (yes_no, choice,
choices, date, school, textarea, number, percentage, upn), `choice_hints`, `show_when`; a widget's
`data-width` attribute gives a text input's width. Nothing here imports an app.
"""

from __future__ import annotations

import json
from typing import Any

from django import forms, template
from django.utils.html import format_html
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


def _sized(base: str, size: str) -> str:
    return f"{base} {base}--{size}" if size else base


def _fieldset(field: forms.BoundField, body: SafeString, *, size: str, label: Any) -> SafeString:
    described = _described_by(field)
    return _group(
        field,
        format_html(
            '<fieldset class="govuk-fieldset"{}><legend class="{}">{}</legend>{}{}{}</fieldset>',
            format_html(' aria-describedby="{}"', described) if described else "",
            _sized("govuk-fieldset__legend", size),
            label,
            _hint_html(field),
            _error_html(field),
            body,
        ),
    )


def _checked(value: Any, choice: str) -> bool:
    if isinstance(value, list | tuple):
        return choice in [str(v) for v in value]
    return value is not None and str(value) == choice


def _radios(field: forms.BoundField, *, multiple: bool, size: str, label: Any) -> SafeString:
    value = field.value()
    hints: dict[str, str] = getattr(field.field, "choice_hints", {})
    items = []
    kind = "checkboxes" if multiple else "radios"
    # The item's own label, not `label` (the legend): the legend is drawn after the loop.
    for index, (choice, item_label) in enumerate(field.field.choices):  # type: ignore[attr-defined]
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
                label=item_label,
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
    return _fieldset(field, body, size=size, label=label)


def _date(field: forms.BoundField, *, size: str, label: Any) -> SafeString:
    value = field.value()
    if not isinstance(value, list | tuple):
        value = field.field.widget.decompress(value)
    parts = list(value) + [None, None, None]
    boxes = []
    error = " govuk-input--error" if field.errors else ""
    # Each box's own label is `part`: naming it `label` replaced the question's legend with "Year".
    for index, (name, width, part) in enumerate(
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
                part,
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
    return _fieldset(field, body, size=size, label=label)


def _widget_attrs(field: forms.BoundField, css: str) -> dict[str, Any]:
    attrs: dict[str, Any] = {"class": css}
    described = _described_by(field)
    if described:
        attrs["aria-describedby"] = described
    return attrs


def _checkbox(field: forms.BoundField, *, label: Any) -> SafeString:
    """A single yes/no checkbox (a BooleanField): the label beside the box, as GOV.UK's small
    checkboxes."""
    widget = field.as_widget(attrs=_widget_attrs(field, "govuk-checkboxes__input"))
    hint = (
        format_html(
            '<div id="{}-hint" class="govuk-hint govuk-checkboxes__hint">{}</div>',
            field.auto_id,
            field.help_text,
        )
        if field.help_text
        else ""
    )
    return _group(
        field,
        format_html(
            '{}<div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">'
            '<div class="govuk-checkboxes__item">{}<label class="govuk-label govuk-checkboxes__label" '
            'for="{}">{}</label>{}</div></div>',
            _error_html(field),
            widget,
            field.id_for_label,
            label,
            hint,
        ),
    )


_WIDTHS = {"number": "4", "percentage": "4", "upn": "20"}


def _text(field: forms.BoundField, kind: str, *, size: str, label: Any) -> SafeString:
    error = bool(field.errors)
    widget = field.field.widget
    numeric = kind in ("number", "percentage")
    if kind == "textarea" or isinstance(widget, forms.Textarea):
        css = "govuk-textarea" + (" govuk-textarea--error" if error else "")
    elif isinstance(widget, forms.Select):
        css = "govuk-select" + (" govuk-select--error" if error else "")
    elif isinstance(widget, forms.FileInput):
        css = "govuk-file-upload" + (" govuk-file-upload--error" if error else "")
    else:
        width = _WIDTHS.get(kind) or widget.attrs.get("data-width")
        css = (
            "govuk-input"
            + (f" govuk-input--width-{width}" if width else "")
            + (" govuk-input--error" if error else "")
        )
    attrs = _widget_attrs(field, css)
    if numeric:
        attrs["inputmode"] = "numeric"
        attrs["spellcheck"] = "false"
    return _group(
        field,
        format_html(
            '<label class="{}" for="{}">{}</label>{}{}{}',
            _sized("govuk-label", size),
            field.id_for_label,
            label,
            _hint_html(field),
            _error_html(field),
            field.as_widget(attrs=attrs),
        ),
    )


def _school(field: forms.BoundField, *, size: str, label: Any) -> SafeString:
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
            '<label class="{}" for="{}">{}</label>{}{}{}',
            _sized("govuk-label", size),
            field.auto_id,
            label,
            hint,
            _error_html(field),
            inputs,
        ),
    )


@register.simple_tag
def govuk_field(field: forms.BoundField, size: str = "", label: Any = None) -> SafeString:
    """The field as its GOV.UK component. `size` ("s", "m", "l") sizes the label or legend;
    `label` replaces the form's label."""
    if field.is_hidden:
        return mark_safe(str(field))
    shown = field.label if label is None else label
    kind = getattr(field.field, "govuk_type", "text")
    if kind in ("yes_no", "choice"):
        return _radios(field, multiple=False, size=size, label=shown)
    if kind == "choices":
        return _radios(field, multiple=True, size=size, label=shown)
    if kind == "date":
        return _date(field, size=size, label=shown)
    if kind == "school":
        return _school(field, size=size, label=shown)
    if isinstance(field.field.widget, forms.CheckboxInput):
        return _checkbox(field, label=shown)
    return _text(field, kind, size=size, label=shown)


@register.inclusion_tag("fairway/includes/error_summary.html")
def govuk_error_summary(
    form: forms.Form | None, extra: list[str] | str | None = None, link: str = "main-content"
) -> dict[str, Any]:
    """The GOV.UK error summary: each field's errors link to the field; the form's own errors and
    `extra` (a message or a list of them, from a view without a form) link to `#link`."""
    if isinstance(extra, str):
        extra = [extra] if extra else []
    return {"form": form, "extra": extra or [], "link": link}


@register.simple_tag(takes_context=True)
def error_title_prefix(context: template.Context) -> str:
    """ "Error: " before the page title when any form on the page has errors (GOV.UK: the title
    changes so a screen reader hears it first), whatever the view named the form."""
    for value in context.flatten().values():
        if isinstance(value, forms.BaseForm) and value.is_bound and value.errors:
            return _("Error:") + " "
    if context.get("extra"):
        return _("Error:") + " "
    return ""
