"""Forms for the council admin pages. Validation of shape here; rules in services."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent, Council, Partnership, Role, School, Trust, uk_postcode


class MembershipAddForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    partnership = forms.ModelChoiceField(
        label=_("Partnership"),
        queryset=Partnership.objects.none(),
        required=False,
        help_text=_("For a partnership officer."),
    )
    school = forms.ModelChoiceField(
        label=_("School"),
        queryset=School.objects.none(),
        required=False,
        help_text=_("For a head teacher or school staff."),
    )

    def __init__(self, *args: Any, council: Council, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only this council's partnerships and schools can be chosen.
        self.fields["partnership"].queryset = Partnership.objects.filter(council=council)  # type: ignore[attr-defined]
        self.fields["school"].queryset = School.objects.filter(council=council)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        role = data.get("role")
        if role == Role.PARTNERSHIP_OFFICER and not data.get("partnership"):
            self.add_error("partnership", _("Choose the partnership for a partnership officer."))
        if role in (Role.HEAD_TEACHER, Role.SCHOOL_STAFF) and not data.get("school"):
            self.add_error("school", _("Choose the school for a head teacher or school staff."))
        if role != Role.PARTNERSHIP_OFFICER:
            data["partnership"] = None
        if role not in (Role.HEAD_TEACHER, Role.SCHOOL_STAFF):
            data["school"] = None
        return data


class PartnershipAddForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Partnership.Kind.choices)


class SchoolEditForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    phase = forms.ChoiceField(label=_("Phase"), choices=School.Phase.choices)
    kind = forms.ChoiceField(label=_("Type"), choices=School.Kind.choices)
    partnership = forms.ModelChoiceField(
        label=_("Partnership"), queryset=Partnership.objects.none(), required=False
    )
    trust = forms.ModelChoiceField(
        label=_("Academy trust"), queryset=Trust.objects.all(), required=False
    )
    address = forms.CharField(
        label=_("Address"),
        help_text=_("Street, locality and town, one a line (the postcode has its own box)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    postcode = forms.CharField(label=_("Postcode"), max_length=8, required=False)
    number_on_roll = forms.IntegerField(label=_("Number on roll"), min_value=0, required=False)

    def __init__(self, *args: Any, council: Council, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partnership"].queryset = Partnership.objects.filter(council=council)  # type: ignore[attr-defined]

    def clean_postcode(self) -> str:
        from .services import normalise_postcode

        value = normalise_postcode(self.cleaned_data.get("postcode") or "")
        if value:
            uk_postcode(value)
        return value


class SchoolFilterForm(forms.Form):
    partnership = forms.ModelChoiceField(
        label=_("Partnership"),
        queryset=Partnership.objects.none(),
        required=False,
        empty_label=_("All partnerships"),
    )
    phase = forms.ChoiceField(
        label=_("Phase"), choices=[("", _("All phases")), *School.Phase.choices], required=False
    )
    search = forms.CharField(label=_("Name or URN"), required=False, max_length=100)

    def __init__(self, *args: Any, council: Council, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partnership"].queryset = Partnership.objects.filter(council=council)  # type: ignore[attr-defined]


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Action"),
        choices=[("", _("All actions")), *AuditEvent.Action.choices],
        required=False,
    )
    person = forms.CharField(label=_("Person (email)"), required=False, max_length=254)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end date must be on or after the start date."))
        return data


class CouncilRetentionForm(forms.Form):
    years = forms.IntegerField(
        label=_("How many years after a case closes are the pupil's details kept?"),
        help_text=_(
            "After this, Fairway removes the pupil's name, date of birth, UPN and everything "
            "written in words from the case, and keeps only what the register counts. "
            "Six years is usual, as for attendance registers."
        ),
        min_value=1,
        max_value=100,
        error_messages={
            "required": _("Enter the number of years"),
            "invalid": _("Number of years must be a whole number, like 6"),
            "min_value": _("Number of years must be 1 or more"),
            "max_value": _("Number of years must be 100 or fewer"),
        },
    )
