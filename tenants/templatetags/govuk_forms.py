"""Render Django form fields with GOV.UK Frontend classes (no extra dependency)."""

from django import forms, template
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag
def govuk_widget(field: forms.BoundField) -> SafeString:
    widget = field.field.widget
    error = bool(field.errors)
    if isinstance(widget, forms.Select):
        css = "govuk-select" + (" govuk-select--error" if error else "")
    elif isinstance(widget, forms.Textarea):
        css = "govuk-textarea" + (" govuk-textarea--error" if error else "")
    elif isinstance(widget, forms.FileInput):
        css = "govuk-file-upload" + (" govuk-file-upload--error" if error else "")
    elif isinstance(widget, forms.CheckboxInput):
        css = "govuk-checkboxes__input"
    else:
        css = "govuk-input" + (" govuk-input--error" if error else "")
        width = widget.attrs.get("data-width")
        if width:
            css += f" govuk-input--width-{width}"
    described_by = []
    if field.help_text:
        described_by.append(f"{field.auto_id}-hint")
    if error:
        described_by.append(f"{field.auto_id}-error")
    attrs: dict[str, str | bool] = {"class": css}
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return field.as_widget(attrs=attrs)


@register.filter
def is_checkbox(field: forms.BoundField) -> bool:
    return isinstance(field.field.widget, forms.CheckboxInput)
