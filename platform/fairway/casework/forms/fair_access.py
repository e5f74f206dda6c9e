"""The council admin's choice when publishing Fair Access figures."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class FairAccessPublishForm(forms.Form):
    route = forms.ChoiceField(
        label=gettext_lazy("Show moves by route, from this question"),
        help_text=gettext_lazy(
            "The answer tells how each move was arranged, for example whether an Inclusion "
            "Adviser planned it or the schools arranged it between them."
        ),
        required=False,
    )

    def __init__(self, data: Any, *, routes: list[tuple[str, str]], initial_route: str) -> None:
        super().__init__(data, initial={"route": initial_route})
        field = self.fields["route"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("None: do not show moves by route")), *routes]
        field.error_messages["invalid_choice"] = _(
            "Select a question of the council's protocol from the list"
        )

    def chosen(self) -> str:
        if self.is_bound:
            return str(self.cleaned_data.get("route") or "")
        return str(self.initial.get("route") or "")
