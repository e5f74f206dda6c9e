"""Adding and changing a target or commitment."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _

from .. import bounds
from .fields import VersionedForm, _require, _tag, bounded, date_field
from .register import _Shown


class CommitmentForm(VersionedForm):
    """A target for the pupil or what a person or agency commits to."""

    def __init__(self, *args: Any, roles: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"] = _tag(
            forms.ChoiceField(
                label=_("Is this a target for the pupil or a commitment?"),
                choices=[
                    ("target", _("A target for the pupil")),
                    ("commitment", _("A commitment by a school, the family or an agency")),
                ],
                widget=forms.RadioSelect,
                required=False,
            ),
            "choice",
        )
        self.fields["role_key"] = _tag(
            forms.ChoiceField(
                label=_("Who made the commitment"),
                choices=[("", _("Choose who")), *roles],
                required=False,
            ),
            "text",
        )
        self.fields["role_key"].show_when = _Shown("kind", "commitment")  # type: ignore[attr-defined]
        self.fields["named"] = _tag(
            forms.CharField(
                label=_("Name of the agency or person"),
                help_text=_("Needed for an agency, for example CAMHS or the youth worker"),
                required=False,
                **bounded(_("Name of the agency or person"), bounds.NAME_TEXT),
            ),
            "text",
        )
        self.fields["named"].show_when = _Shown("kind", "commitment")  # type: ignore[attr-defined]
        self.fields["text"] = _tag(
            forms.CharField(
                label=_("The target or commitment"),
                help_text=_("Specific and measurable, for example: attend every lesson on time"),
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
                **bounded(_("The target or commitment"), bounds.LONG_TEXT),
            ),
            "textarea",
        )
        self.fields["agreed_on"] = date_field(_("Date agreed"))
        self.fields["agreed_with"] = _tag(
            forms.CharField(
                label=_("Agreed with"),
                help_text=_("For example: both schools, the parents and the SEWO"),
                required=False,
                **bounded(_("Agreed with"), bounds.AGREED_WITH_TEXT),
            ),
            "text",
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        _require(self, "kind", _("Select whether it is a target or a commitment"))
        if cleaned.get("kind") == "commitment":
            _require(self, "role_key", _("Select who made the commitment"))
        else:
            cleaned["role_key"] = "pupil"
            cleaned["named"] = ""
        _require(self, "text", _("Enter the target or commitment"))
        _require(self, "agreed_on", _("Enter the date agreed"))
        return cleaned


class CommitmentChangeForm(VersionedForm):
    """A change between reviews, or how far a target or commitment was met."""

    def __init__(self, *args: Any, statuses: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["text"] = _tag(
            forms.CharField(
                label=_("The target or commitment"),
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
                **bounded(_("The target or commitment"), bounds.LONG_TEXT),
            ),
            "textarea",
        )
        self.fields["status"] = _tag(
            forms.ChoiceField(
                label=_("Status"), choices=statuses, widget=forms.RadioSelect, required=False
            ),
            "choice",
        )
        self.fields["reason"] = _tag(
            forms.CharField(
                label=_("Why is it changing?"),
                help_text=_("For example: agreed at the week 4 review, or the target was met"),
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
                **bounded(_("Why is it changing?"), bounds.LONG_TEXT),
            ),
            "textarea",
        )
        self.fields["agreed_on"] = date_field(_("Date agreed"))
        self.fields["agreed_with"] = _tag(
            forms.CharField(
                label=_("Agreed with"),
                required=False,
                **bounded(_("Agreed with"), bounds.AGREED_WITH_TEXT),
            ),
            "text",
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        _require(self, "text", _("Enter the target or commitment"))
        _require(self, "status", _("Select the status"))
        _require(self, "reason", _("Enter why it is changing"))
        _require(self, "agreed_on", _("Enter the date agreed"))
        return cleaned
