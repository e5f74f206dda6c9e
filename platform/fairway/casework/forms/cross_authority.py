"""Forms of a request to another council: asking, a question or an answer, accepting, declining."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _

from .. import bounds
from .fields import VersionedForm, _require, _tag, bounded, date_field


def _text_area(label: str, hint: str = "") -> forms.CharField:
    return _tag(  # type: ignore[return-value]
        forms.CharField(
            label=label,
            help_text=hint,
            widget=forms.Textarea(attrs={"rows": 5}),
            required=False,
            **bounded(label, bounds.LONG_TEXT),
        ),
        "textarea",
    )


class RequestAskForm(forms.Form):
    """What the other council reads: no name, date of birth, UPN or postcode is asked for."""

    def __init__(
        self,
        *args: Any,
        schools: list[tuple[str, list[tuple[str, str]]]],
        protocols: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"] = forms.ChoiceField(
            label=_("Proposed school"),
            help_text=_("Schools of the pupil's phase in councils that use Fairway."),
            choices=[("", _("Choose a school")), *schools],
            required=False,
        )
        self.fields["reasons_summary"] = _text_area(
            _("Summary of the reasons for the move"),
            _(
                "The other council reads this before it decides. Do not name the pupil or give "
                "their date of birth, UPN or address."
            ),
        )
        self.fields["proposed_start"] = date_field(
            _("Proposed first day"), hint=_("For example, 11 1 2027")
        )
        self.fields["proposed_weeks"] = _tag(
            forms.IntegerField(
                label=_("Proposed length in school weeks"),
                required=False,
                min_value=1,
                max_value=52,
                error_messages={
                    "invalid": _("Proposed length must be a whole number of school weeks"),
                    "min_value": _("Proposed length must be at least 1 school week"),
                    "max_value": _("Proposed length must be 52 school weeks or fewer"),
                },
            ),
            "number",
        )
        self.fields["proposed_protocol"] = _tag(
            forms.ChoiceField(
                label=_("Which protocol would govern the move"),
                choices=protocols,
                widget=forms.RadioSelect,
                required=False,
            ),
            "choice",
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        _require(self, "school", _("Choose the proposed school"))
        _require(self, "reasons_summary", _("Enter a summary of the reasons for the move"))
        _require(self, "proposed_start", _("Enter the proposed first day"))
        _require(self, "proposed_weeks", _("Enter the proposed length in school weeks"))
        _require(self, "proposed_protocol", _("Choose which protocol would govern the move"))
        return cleaned


class RequestTextForm(forms.Form):
    """A question, an answer or a reason for declining."""

    def __init__(self, *args: Any, label: str, hint: str, missing: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.missing = missing
        self.fields["text"] = _text_area(label, hint)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        _require(self, "text", self.missing)
        return cleaned


class RequestAcceptForm(VersionedForm):
    def __init__(self, *args: Any, leads: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead"] = _tag(
            forms.ChoiceField(
                label=_("Who will work on this move"),
                choices=leads,
                widget=forms.RadioSelect,
                required=False,
            ),
            "choice",
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        _require(self, "lead", _("Choose who will work on this move"))
        return cleaned


class RequestDeclineForm(VersionedForm):
    reason = _text_area(_("Why you are declining"), _("The home council reads this."))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        _require(self, "reason", _("Enter the reason for declining"))
        return cleaned


class RequestWithdrawForm(VersionedForm):
    pass
