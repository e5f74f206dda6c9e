"""Case work's side of a protocol form's answers: the whole-form check before submitting and how
an answer reads on the check-your-answers page and the record. The rules themselves (which
questions are asked, what is required, what an answer is stored as) are `protocols.core.answers`;
the Django forms in `forms.py` only adapt them. Nothing here imports Django forms, so services and
selectors may use it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from protocols.core import answers as core
from protocols.core.model import Form, FormField

from .dates import day_text
from .models import Case


def form_problems(*, form: Form, answers: dict[str, Any], case: Case | None = None) -> list[str]:
    """Required answers still missing across the whole form (the check before submitting);
    questions not asked are not counted. The answers themselves were checked page by page as
    they were saved, and the services check what they act on (a date of birth that is no date,
    text too long) with their own messages. `case`: the case the form belongs to (no check
    needs it yet)."""
    return [problem.message for problem in core.unanswered(form, answers)]


def display_answer(definition: FormField, value: Any, *, school_names: dict[int, str]) -> str:
    """An answer as the check-your-answers page and the printable record show it."""
    if core.is_empty(value):
        return ""
    if definition.type == "date":
        try:
            return day_text(date.fromisoformat(str(value)))
        except ValueError:
            return str(value)
    if definition.type == "yes_no":
        return str(_("Yes") if value else _("No"))
    if definition.type in ("choice", "choices"):
        labels = {c.value: c.label for c in definition.choices}
        values = value if isinstance(value, list) else [value]
        return ", ".join(labels.get(v, str(v)) for v in values)
    if definition.type == "school":
        return school_names.get(int(value), str(value))
    return str(value)
