"""The register's filters."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


@dataclass(frozen=True)
class _Shown:
    """A condition on another field of a fixed form, read by the conditional-question script."""

    field: str
    equals: str

    def holds(self, answers: dict[str, Any]) -> bool:
        return answers.get(self.field) == self.equals


class RegisterFilterForm(forms.Form):
    """Which part of the register to show. Partnership officers must pick one of theirs."""

    partnership = forms.TypedChoiceField(
        label=gettext_lazy("Partnership"), coerce=int, required=False, empty_value=None
    )
    year = forms.TypedChoiceField(label=gettext_lazy("Academic year"), coerce=int, required=False)
    compare = forms.ChoiceField(label=gettext_lazy("Compare outcomes by"), required=False)

    def __init__(
        self,
        data: Any,
        *,
        partnerships: list[tuple[int, str]],
        whole_council: bool,
        years: list[tuple[int, str]],
        compare: list[tuple[str, str]],
    ) -> None:
        super().__init__(data)
        everyone = [("", _("The whole council"))] if whole_council else []
        lists: dict[str, tuple[list[tuple[Any, str]], str]] = {
            "partnership": (everyone + partnerships, _("Select a partnership from the list")),
            "year": (list(years), _("Select an academic year from the list")),
            "compare": (
                [("", _("Nothing: do not compare")), *compare],
                _("Select what to compare outcomes by from the list"),
            ),
        }
        for name, (choices, message) in lists.items():
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = choices
            field.error_messages["invalid_choice"] = message
        self.whole_council = whole_council
        self.default_partnership = None if whole_council or not partnerships else partnerships[0][0]
        self.default_year = years[0][0]

    def chosen(self) -> tuple[int | None, int, str]:
        """Partnership id (None: whole council), academic year, compare-by, after is_valid()."""
        data = self.cleaned_data if self.is_bound else {}
        partnership = data.get("partnership") or self.default_partnership
        return partnership, data.get("year") or self.default_year, data.get("compare") or ""
