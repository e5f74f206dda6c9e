"""Template filters for the guidance sites."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe
from wagtail.rich_text import RichText, expand_db_html

from cms.guidance import govuk_classes, render_markdown

register = template.Library()


@register.filter
def guidance_markdown(text: str | None) -> SafeString:
    return render_markdown(text)


@register.filter
def govuk_richtext(value: RichText | str | None) -> SafeString:
    """Wagtail rich text (already limited to a few features by the block) with GOV.UK classes."""
    if value is None:
        return mark_safe("")
    source = value.source if isinstance(value, RichText) else value
    return mark_safe(govuk_classes(expand_db_html(source)))  # noqa: S308 - Wagtail's editor output
