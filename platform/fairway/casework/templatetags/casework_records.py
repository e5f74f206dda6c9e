"""Links to the PDF of a printable record, for pages that list records by their print page."""

from __future__ import annotations

from urllib.parse import urlsplit

from django import template
from django.urls import get_script_prefix, resolve, reverse

register = template.Library()


@register.filter
def record_pdf_url(print_url: str) -> str:
    """The PDF of the record whose printable page is at `print_url` (same case, form, occurrence)."""
    path = urlsplit(print_url).path
    prefix = get_script_prefix()
    match = resolve("/" + path.removeprefix(prefix) if path.startswith(prefix) else path)
    if match.view_name != "casework:form_print":
        raise ValueError(f"Not a printable record: {print_url}")
    return reverse("casework:form_pdf", kwargs=match.kwargs)
