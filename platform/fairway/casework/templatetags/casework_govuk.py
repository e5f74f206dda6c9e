"""Case work's own GOV.UK markup: the tag of a step's status. Form fields and the error summary
are the project's (`{% load fairway_forms %}`, fairway/templatetags/fairway_forms.py)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

register = template.Library()

# Translated when shown: a timeline of twenty steps translated all four labels for each.
_STATUS_TAGS = {
    "done": ("govuk-tag--green", _("Done")),
    "due": ("govuk-tag--blue", _("Due")),
    "overdue": ("govuk-tag--red", _("Overdue")),
    "not_needed": ("govuk-tag--grey", _("Not needed")),
}


@register.simple_tag
def status_tag(status: str) -> SafeString:
    css, label = _STATUS_TAGS.get(status, ("govuk-tag--grey", status))
    return format_html('<strong class="govuk-tag {}">{}</strong>', css, label)
