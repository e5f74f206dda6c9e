"""Forms for council admins: replacing a council's school calendar with its published dates."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_CALENDAR_BYTES = 200_000


class CalendarReplaceForm(forms.Form):
    yaml_file = forms.FileField(
        label=_("Upload a calendar file"),
        required=False,
        help_text=_("A .yaml file in Fairway's calendar format; or paste the text below."),
    )
    yaml_text = forms.CharField(
        label=_("Calendar (YAML)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 24, "spellcheck": "false"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        upload = cleaned.get("yaml_file")
        if upload is not None:
            if upload.size > MAX_CALENDAR_BYTES:
                raise ValidationError(_("The file is larger than 200 KB; a calendar is a few KB."))
            try:
                cleaned["yaml_text"] = upload.read().decode("utf-8")
            except UnicodeDecodeError:
                self.add_error("yaml_file", _("The file is not UTF-8 text."))
                return cleaned
        if not (cleaned.get("yaml_text") or "").strip():
            self.add_error("yaml_text", _("Upload a calendar file or paste its text."))
        return cleaned
