"""`{{ day|day }}`: a date (or a moment, in the local time) as staff and the public read it,
"Fri 22 May 2026", the format of messages and records too (protocols.core.words.day_in_words).

Faster than `|date:"D j M Y"`, which translates the day and month names each time: the case
page shows a date on every row of its timeline."""

from __future__ import annotations

from datetime import date

from django import template

from protocols.core.words import day_in_words

register = template.Library()


@register.filter(expects_localtime=True)
def day(value: date | None | str) -> str:
    # A datetime arrives in the local time (expects_localtime), as with Django's date filter.
    return day_in_words(value) if isinstance(value, date) else ""
