"""Forms for council admins: replacing a council's school calendar with its published dates."""

from __future__ import annotations

from datetime import date
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


MAX_DRAFT_BYTES = 300_000


class DraftForm(forms.Form):
    """The draft's YAML: edited in the browser (the CodeMirror editor over this textarea, or the
    textarea alone without JavaScript) or uploaded as a file."""

    yaml_text = forms.CharField(
        label=_("The protocol (YAML)"),
        required=False,
        strip=False,
        widget=forms.Textarea(
            attrs={
                "rows": 30,
                "spellcheck": "false",
                "data-module": "yaml-editor",
                "data-problems": "draft-problems-data",
                "class": "fairway-yaml-textarea",
            }
        ),
    )

    yaml_file = forms.FileField(
        label=_("Or upload a file"),
        required=False,
        help_text=_("A .yaml file. It replaces the text above when you save."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        upload = cleaned.get("yaml_file")
        if upload is not None:
            if upload.size > MAX_DRAFT_BYTES:
                self.add_error("yaml_file", _("The file is larger than 300 KB."))
                return cleaned
            try:
                cleaned["yaml_text"] = upload.read().decode("utf-8")
            except UnicodeDecodeError:
                self.add_error("yaml_file", _("The file is not UTF-8 text."))
                return cleaned
        if not (cleaned.get("yaml_text") or "").strip():
            self.add_error("yaml_text", _("Enter the protocol, or upload a file."))
        return cleaned


class _DateWidget(forms.MultiWidget):
    def __init__(self) -> None:
        super().__init__(widgets=[forms.TextInput(), forms.TextInput(), forms.TextInput()])

    def decompress(self, value: Any) -> list[str | None]:
        if isinstance(value, date):
            return [str(value.day), str(value.month), str(value.year)]
        return [None, None, None]


class DayField(forms.MultiValueField):
    """A GOV.UK date input (day, month, year boxes), rendered by `{% govuk_field %}`."""

    widget = _DateWidget
    govuk_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        parts = (forms.CharField(), forms.CharField(), forms.CharField())
        super().__init__(fields=parts, require_all_fields=False, **kwargs)

    def compress(self, data_list: list[str]) -> date | None:
        label = str(self.label)
        if not data_list or not any((part or "").strip() for part in data_list):
            return None
        day, month, year = ((part or "").strip() for part in data_list)
        if not (day.isdigit() and month.isdigit() and year.isdigit()) or len(year) != 4:
            raise ValidationError(_("%(label)s must be a real date") % {"label": label})
        try:
            return date(int(year), int(month), int(day))
        except ValueError:
            raise ValidationError(_("%(label)s must be a real date") % {"label": label}) from None


class PreviewStartForm(forms.Form):
    start = DayField(
        label=_("First day of the off-site direction"),
        help_text=_(
            "For example, 16 3 2026. The dates count school days on the council's calendar."
        ),
        error_messages={"required": _("Enter the first day of the off-site direction")},
    )


class PublishForm(forms.Form):
    effective_from = DayField(
        label=_("Date it takes effect"),
        help_text=_(
            "Today or later. Cases referred on or after this date get the new version; its "
            "guidance pages go live that day."
        ),
        error_messages={"required": _("Enter the date it takes effect")},
    )
