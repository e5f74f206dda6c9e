"""Adding a named person to a case."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _

from .fields import _require, _tag


class CasePersonForm(forms.Form):
    """Add a named person to one case by their email address."""

    email = _tag(
        forms.EmailField(
            label=_("Email address"),
            help_text=_("They must already have a Fairway account with this council"),
            required=False,
            error_messages={"invalid": _("Enter an email address, like name@example.org")},
        ),
        "email",
    )
    access_level = _tag(
        forms.ChoiceField(
            label=_("What may they do?"),
            choices=[
                ("view", _("See the case")),
                ("change", _("See and work on the case")),
            ],
            widget=forms.RadioSelect,
            required=False,
        ),
        "choice",
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        _require(self, "email", _("Enter their email address"))
        _require(self, "access_level", _("Select what they may do"))
        return cleaned
