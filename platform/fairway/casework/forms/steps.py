"""The off-site direction's step forms: an event, a sign-off, a week's attendance, an extension."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext as _

from .. import bounds, dates
from .fields import GovukDateField, VersionedForm, _require, _tag, bounded, date_field


class EventForm(VersionedForm):
    def __init__(self, *args: Any, events: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["event_key"] = _tag(
            forms.ChoiceField(
                label=_("What happened"), choices=events, widget=forms.RadioSelect, required=False
            ),
            "choice",
        )
        self.fields["day"] = date_field(_("Date"))
        self.fields["note"] = _tag(
            forms.CharField(
                label=_("Note"),
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
                **bounded(_("Note"), bounds.LONG_TEXT),
            ),
            "textarea",
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        _require(self, "event_key", _("Select what happened"))
        _require(self, "day", _("Enter the date"))
        return cleaned


class SignOffForm(VersionedForm):
    def __init__(self, *args: Any, roles: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role_key"] = _tag(
            forms.ChoiceField(
                label=_("Signing for"), choices=roles, widget=forms.RadioSelect, required=False
            ),
            "choice",
        )
        self.fields["signed_by_name"] = _tag(
            forms.CharField(
                label=_("Name of the person who signed"),
                required=False,
                **bounded(_("Name of the person who signed"), bounds.NAME_TEXT),
            ),
            "text",
        )
        self.fields["signed_on"] = date_field(_("Date signed"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        _require(self, "role_key", _("Select the role signing"))
        _require(self, "signed_by_name", _("Enter the name of the person who signed"))
        _require(self, "signed_on", _("Enter the date signed"))
        return cleaned


class AttendanceForm(VersionedForm):
    def __init__(
        self, *args: Any, weeks: list[tuple[date, bool]] | None = None, **kwargs: Any
    ) -> None:
        """`weeks`: the direction's term weeks that have ended (selectors.attendance_weeks_offered),
        offered by name; without them the Monday is typed as a date."""
        super().__init__(*args, **kwargs)
        if weeks is None:
            self.fields["week_beginning"] = date_field(
                _("Week beginning"), hint=_("The Monday of the week, for example 23 11 2026")
            )
        else:
            self.fields["week_beginning"] = _tag(
                forms.TypedChoiceField(
                    label=_("Which week"),
                    choices=[
                        (
                            monday.isoformat(),
                            (
                                _("week beginning %(day)s (already recorded: this replaces it)")
                                if recorded
                                else _("week beginning %(day)s")
                            )
                            % {"day": dates.day_text(monday)},
                        )
                        for monday, recorded in weeks
                    ],
                    coerce=date.fromisoformat,
                    widget=forms.RadioSelect,
                    required=False,
                    error_messages={"invalid_choice": _("Select a week that has ended")},
                ),
                "choice",
            )
        self.fields["sessions_possible"] = _tag(
            forms.IntegerField(
                label=_("Sessions the pupil could attend"),
                help_text=_("Two sessions a day"),
                min_value=0,
                max_value=10,
                required=False,
                error_messages={"invalid": _("Sessions must be a whole number")},
            ),
            "number",
        )
        self.fields["sessions_attended"] = _tag(
            forms.IntegerField(
                label=_("Sessions attended"),
                min_value=0,
                max_value=10,
                required=False,
                error_messages={"invalid": _("Sessions must be a whole number")},
            ),
            "number",
        )
        self.fields["note"] = _tag(
            forms.CharField(
                label=_("Reasons for any absence and other issues"),
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
                **bounded(_("Reasons for any absence and other issues"), bounds.LONG_TEXT),
            ),
            "textarea",
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        _require(
            self,
            "week_beginning",
            _("Enter the week beginning")
            if isinstance(self.fields["week_beginning"], GovukDateField)
            else _("Select the week"),
        )
        for name in ("sessions_possible", "sessions_attended"):
            if cleaned.get(name) is None and name not in self.errors:
                self.add_error(name, _("Enter the number of sessions"))
        possible, attended = cleaned.get("sessions_possible"), cleaned.get("sessions_attended")
        if possible is not None and attended is not None and attended > possible:
            self.add_error(
                "sessions_attended",
                _("Sessions attended cannot be more than the sessions possible"),
            )
        return cleaned


class ExtensionForm(VersionedForm):
    def __init__(
        self,
        *args: Any,
        extensions: list[tuple[str, str]],
        roles: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["extension_key"] = _tag(
            forms.ChoiceField(
                label=_("Extension"), choices=extensions, widget=forms.RadioSelect, required=False
            ),
            "choice",
        )
        self.fields["school_weeks"] = _tag(
            forms.IntegerField(
                label=_("How many school weeks"),
                min_value=1,
                max_value=52,
                required=False,
                error_messages={"invalid": _("Enter a whole number of school weeks")},
            ),
            "number",
        )
        self.fields["approvals"] = _tag(
            forms.MultipleChoiceField(
                label=_("Who has approved it"),
                choices=roles,
                widget=forms.CheckboxSelectMultiple,
                required=False,
            ),
            "choices",
        )
        self.fields["reasons"] = _tag(
            forms.CharField(
                label=_("Reasons"),
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
                **bounded(_("Reasons"), bounds.LONG_TEXT),
            ),
            "textarea",
        )
        self.fields["granted_on"] = date_field(_("Date agreed"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        _require(self, "extension_key", _("Select the extension"))
        _require(self, "school_weeks", _("Enter how many school weeks"))
        _require(self, "reasons", _("Enter the reasons for the extension"))
        _require(self, "granted_on", _("Enter the date agreed"))
        return cleaned


class ToldForm(VersionedForm):
    """The day someone without a Fairway account was told of the outcome, outside Fairway."""

    def __init__(self, *args: Any, people: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role_key"] = _tag(
            forms.ChoiceField(
                label=_("Who was told"), choices=people, widget=forms.RadioSelect, required=False
            ),
            "choice",
        )
        self.fields["told_on"] = date_field(_("Date told"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        _require(self, "role_key", _("Select who was told"))
        _require(self, "told_on", _("Enter the date they were told"))
        return cleaned
