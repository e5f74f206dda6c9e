"""The outcome report's filters: partnership, the dates first days fall between, the route."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..bounds import date_problem
from ..dates import day_text
from .fields import date_field


class OutcomeReportForm(forms.Form):
    partnership = forms.TypedChoiceField(
        label=gettext_lazy("Partnership"), coerce=int, required=False, empty_value=None
    )
    starts_on = date_field(
        str(gettext_lazy("First days from")), hint=str(gettext_lazy("For example, 1 9 2026"))
    )
    ends_on = date_field(
        str(gettext_lazy("First days up to")), hint=str(gettext_lazy("For example, 31 8 2027"))
    )
    route = forms.ChoiceField(label=gettext_lazy("Route, from this question"), required=False)

    def __init__(
        self,
        data: Any,
        *,
        partnerships: list[tuple[int, str]],
        whole_council: bool,
        routes: list[tuple[str, str]],
        default_dates: tuple[date, date],
    ) -> None:
        super().__init__(data)
        everyone: list[tuple[Any, str]] = [("", _("The whole council"))] if whole_council else []
        partnership = self.fields["partnership"]
        assert isinstance(partnership, forms.ChoiceField)
        partnership.choices = everyone + partnerships
        partnership.error_messages["invalid_choice"] = _("Select a partnership from the list")
        route = self.fields["route"]
        assert isinstance(route, forms.ChoiceField)
        route.choices = [("", _("None: do not compare by route")), *routes]
        route.error_messages["invalid_choice"] = _("Select a question from the list")
        self.default_partnership = None if whole_council or not partnerships else partnerships[0][0]
        self.default_dates = default_dates
        if not self.is_bound:
            self.initial = {"starts_on": default_dates[0], "ends_on": default_dates[1]}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("starts_on", "ends_on"):
            problem = date_problem(label=str(self.fields[name].label), value=data.get(name))
            if problem:
                self.add_error(name, problem)
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts and "ends_on" not in self.errors:
            self.add_error(
                "ends_on",
                _("First days up to must be the same as or after %(day)s")
                % {"day": day_text(starts)},
            )
        return data

    def chosen(self) -> tuple[int | None, date, date, str]:
        """Partnership id (None: whole council), the two dates and the route, after is_valid()."""
        data = self.cleaned_data if self.is_bound else {}
        return (
            data.get("partnership") or self.default_partnership,
            data.get("starts_on") or self.default_dates[0],
            data.get("ends_on") or self.default_dates[1],
            data.get("route") or "",
        )
