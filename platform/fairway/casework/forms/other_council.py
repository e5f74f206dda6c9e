"""The home council's record of a council not on Fairway: its contact, its decision and the
receiving school's head teacher's, and the calendar the receiving school keeps."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .. import bounds
from ..models import OtherCouncilRecord
from .fields import VersionedForm, _require, _tag, bounded, date_field

MAX_CALENDAR_BYTES = 200_000
Decision = OtherCouncilRecord.Decision


def _decision(label: str) -> forms.Field:
    return _tag(
        forms.ChoiceField(
            label=label, choices=Decision.choices, widget=forms.RadioSelect, required=False
        ),
        "choice",
    )


class OtherCouncilForm(VersionedForm):
    """`calendars`: the council calendars Fairway has, as (id, label)."""

    def __init__(
        self, *args: Any, council: str, school: str, home: str, calendars: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        self.council = council
        f = self.fields
        f["contact_name"] = forms.CharField(
            label=_("Contact's name"),
            help_text=_("Who you deal with at %(council)s") % {"council": council},
            required=False,
            **bounded(_("Contact's name"), bounds.NAME_TEXT),
        )
        f["contact_role"] = forms.CharField(
            label=_("Role or team"),
            help_text=_("For example, Inclusion Officer, Admissions and Fair Access team"),
            required=False,
            **bounded(_("Role or team"), bounds.NAME_TEXT),
        )
        f["contact_email"] = _tag(
            forms.EmailField(
                label=_("Email address"),
                required=False,
                error_messages={
                    "invalid": _("Enter an email address in the correct format, like "
                                 "name@example.org")
                },
            ),
            "email",
        )  # fmt: skip
        f["contact_phone"] = _tag(
            forms.CharField(
                label=_("Phone number"), required=False, **bounded(_("Phone number"), 40)
            ),
            "phone",
        )
        f["council_decision"] = _decision(
            _("Has %(council)s agreed to the move?") % {"council": council}
        )
        f["council_decided_on"] = date_field(
            _("Date %(council)s decided") % {"council": council},
            hint=_("Leave empty until it has decided. For example, 22 5 2026"),
        )
        f["school_decision"] = _decision(
            _("Has the head teacher of %(school)s agreed?") % {"school": school}
        )
        f["school_decided_on"] = date_field(
            _("Date the head teacher decided"),
            hint=_("Leave empty until they have decided. For example, 22 5 2026"),
        )
        f["notes"] = _tag(
            forms.CharField(
                label=_("Notes on the decisions"),
                help_text=_("Conditions, reasons for declining, what was agreed by phone."),
                widget=forms.Textarea(attrs={"rows": 4}),
                required=False,
                **bounded(_("Notes on the decisions"), bounds.LONG_TEXT),
            ),
            "textarea",
        )
        f["calendar_choice"] = _tag(
            forms.ChoiceField(
                label=_("Which term dates does %(school)s keep?") % {"school": school},
                help_text=_(
                    "Its attendance returns, reviews and decision are counted on these dates."
                ),
                choices=[
                    (
                        OtherCouncilRecord.CalendarChoice.PICKED,
                        _("The same as a calendar Fairway has (choose it below)"),
                    ),
                    (
                        OtherCouncilRecord.CalendarChoice.UPLOADED,
                        _("Its own: upload its calendar file below"),
                    ),
                    (
                        OtherCouncilRecord.CalendarChoice.PROVISIONAL,
                        _("Not known yet: use %(home)s for now, marked provisional")
                        % {"home": home},
                    ),
                ],
                widget=forms.RadioSelect,
                required=False,
            ),
            "choice",
        )
        f["picked_calendar"] = forms.ChoiceField(
            label=_("Calendar Fairway has"),
            choices=[("", _("Choose a calendar")), *calendars],
            required=False,
        )
        f["calendar_file"] = forms.FileField(
            label=_("Calendar file"),
            help_text=_(
                "A .yaml file in Fairway's calendar format (as a council admin gives under "
                "Calendars). Problems are shown by line and column."
            ),
            required=False,
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for key in ("council_decision", "school_decision"):
            cleaned[key] = cleaned.get(key) or Decision.WAITING
        upload = cleaned.get("calendar_file")
        cleaned["calendar_text"], cleaned["calendar_file_name"] = "", ""
        if upload is not None:
            if upload.size > MAX_CALENDAR_BYTES:
                raise ValidationError(_("The file is larger than 200 KB; a calendar is a few KB."))
            try:
                cleaned["calendar_text"] = upload.read().decode("utf-8")
            except UnicodeDecodeError:
                self.add_error("calendar_file", _("The file is not UTF-8 text."))
            cleaned["calendar_file_name"] = upload.name or "calendar.yaml"
        if cleaned.get("calendar_choice") == OtherCouncilRecord.CalendarChoice.PICKED:
            _require(self, "picked_calendar", _("Choose a calendar"))
        return cleaned
