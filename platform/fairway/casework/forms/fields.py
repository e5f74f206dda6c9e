"""Django fields for a protocol's questions (dates as three boxes, schools by search), adapting
protocols.core.answers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from protocols.core import answers as core
from protocols.core.model import FormField
from tenants.models import Council, School

from .. import bounds


def missing_message(definition: FormField) -> str:
    return core.missing(definition)


def _as_param(message: str) -> str:
    """A core message as a Django error message raised with %-parameters (a validator's, or
    an invalid choice's), which Django formats: a "%" in a label stays one."""
    return message.replace("%", "%%")


class DateInputWidget(forms.MultiWidget):
    """GOV.UK date input: day, month and year boxes (rendered by the casework field tag)."""

    def __init__(self) -> None:
        super().__init__(widgets=[forms.TextInput(), forms.TextInput(), forms.TextInput()])

    def decompress(self, value: Any) -> list[str | None]:
        if isinstance(value, str) and value:
            try:
                value = date.fromisoformat(value)
            except ValueError:
                return [None, None, None]
        if isinstance(value, date):
            return [str(value.day), str(value.month), str(value.year)]
        return [None, None, None]


class GovukDateField(forms.MultiValueField):
    widget = DateInputWidget

    def __init__(self, *, label_text: str, **kwargs: Any) -> None:
        self.label_text = label_text
        parts = (forms.CharField(), forms.CharField(), forms.CharField())
        kwargs["required"] = False  # the protocol's `required` is applied in the form's clean()
        super().__init__(fields=parts, require_all_fields=False, **kwargs)

    def compress(self, data_list: list[str]) -> date | None:
        if not data_list or not any((part or "").strip() for part in data_list):
            return None
        day, month, year = ((part or "").strip() for part in data_list)
        missing = [
            name
            for name, part in ((_("day"), day), (_("month"), month), (_("year"), year))
            if not part
        ]
        if missing:
            raise ValidationError(
                _("%(label)s must include a %(part)s")
                % {"label": self.label_text, "part": missing[0]}
            )
        if not (day.isdigit() and month.isdigit() and year.isdigit()) or len(year) != 4:
            raise ValidationError(_("%(label)s must be a real date") % {"label": self.label_text})
        try:
            day_entered = date(int(year), int(month), int(day))
        except ValueError:
            raise ValidationError(
                _("%(label)s must be a real date") % {"label": self.label_text}
            ) from None
        problem = bounds.date_problem(label=self.label_text, value=day_entered)
        if problem:
            raise ValidationError(problem)
        return day_entered


YES_NO = [("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))]


URN_IN_LABEL = re.compile(r"\(URN (\d{1,9})\)\s*$")


def school_label(school: School) -> str:
    """How a chosen school reads in its text box; fairway/school-search.js writes the same."""
    return f"{school.name} (URN {school.urn})"


@dataclass(frozen=True)
class SchoolScope:
    """Which schools a page's school questions accept: those of one council (the case's home
    council; a school elsewhere becomes the receiving school only by a cross-authority request).
    `search_url` answers the suggestions as the person types (empty: the text box alone)."""

    council: Council
    search_url: str = ""
    # Schools of another council the case may also name: those of its accepted requests.
    also: frozenset[int] = frozenset()
    # A school of a council not on Fairway (typed by its URN) is recorded by the home council
    # alone; another council on Fairway's school needs its acceptance first.
    outside_fairway: bool = False


class SchoolSearchWidget(forms.Widget):
    """A text box for a school's name or URN and a hidden id beside it, which
    fairway/school-search.js fills when a suggestion is picked (rendered by the casework tag)."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> dict[str, str]:
        return {"text": str(data.get(name, "")), "id": str(data.get(f"{name}-id", ""))}

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and f"{name}-id" not in data


class SchoolSearchField(forms.Field):
    """A school of the scope's council, found by the id a suggestion set, its URN or its name.

    Cleans to the school's pk as a string (stored as an int, as before: existing answers keep
    working) or "" when the box is empty. Without JavaScript a unique name, a URN or the label
    "Name (URN n)" is enough; a name shared by several schools is answered with their URNs.
    """

    widget = SchoolSearchWidget

    def __init__(self, *, scope: SchoolScope, **kwargs: Any) -> None:
        self.scope = scope
        super().__init__(**kwargs)

    def out_of_scope(self) -> ValidationError:
        if self.scope.outside_fairway:
            return ValidationError(
                _(
                    "Choose a school in %(council)s (for a school of another council, use “Ask "
                    "another council” on the case page)"
                )
                % {"council": self.scope.council.name}
            )
        return ValidationError(
            _("Choose a school in %(council)s") % {"council": self.scope.council.name}
        )

    def display(self, value: Any) -> tuple[str, str]:
        """(text, id) for the boxes: the submitted ones, or the chosen school's label and pk."""
        if isinstance(value, dict):
            return value.get("text", ""), value.get("id", "")
        if value in (None, ""):
            return "", ""
        school = School.objects.filter(pk=int(value)).first() if str(value).isdigit() else None
        return (school_label(school), str(school.pk)) if school else ("", "")

    def clean(self, value: Any) -> str:
        if not isinstance(value, dict):
            value = {"text": "" if value is None else str(value), "id": ""}
        text = " ".join(value.get("text", "").split())
        chosen = value.get("id", "").strip()
        if not text:
            return ""
        if len(text) > bounds.SHORT_TEXT:
            raise self.out_of_scope()
        school = None
        if chosen.isdigit():
            picked = School.objects.filter(pk=int(chosen)).first()
            if picked is not None and school_label(picked) == text:
                school = picked  # the suggestion picked, its label untouched since
        if school is None:
            school = self._from_text(text)
        if school.council_id != self.scope.council.pk and not self._elsewhere_allowed(school):
            raise self.out_of_scope()
        return str(school.pk)

    def _elsewhere_allowed(self, school: School) -> bool:
        if school.pk in self.scope.also:
            return True
        if not self.scope.outside_fairway:
            return False
        from ..selectors import council_on_fairway

        return not council_on_fairway(council=school.council)

    def _from_text(self, text: str) -> School:
        urn = URN_IN_LABEL.search(text)
        digits = urn.group(1) if urn else (text if text.isdigit() and len(text) <= 9 else None)
        if digits is not None:
            by_urn = School.objects.filter(urn=int(digits)).first()
            if by_urn is None:
                raise self.out_of_scope()
            return by_urn
        from ..selectors import school_search  # the search the suggestions use

        exact = list(
            School.objects.filter(
                Q(council_id=self.scope.council.pk) | Q(pk__in=self.scope.also), name__iexact=text
            )[:2]
        )
        if len(exact) == 1:
            return exact[0]
        found = exact or school_search(council_ids=[self.scope.council.pk], query=text, limit=6)
        if len(found) == 1:
            return found[0]
        if not found:
            raise self.out_of_scope()
        raise ValidationError(
            _("More than one school in %(council)s matches “%(text)s”: enter one of %(urns)s")
            % {
                "council": self.scope.council.name,
                "text": text,
                "urns": "; ".join(school_label(s) for s in found[:5]),
            }
        )


def bounded(label: str, limit: int) -> dict[str, Any]:
    """`max_length` and its GOV.UK message, for a text field's keyword arguments."""
    return {
        "max_length": limit,
        "error_messages": {"max_length": bounds.length_message(label=label, limit=limit)},
    }


def django_field(definition: FormField, *, schools: SchoolScope | None = None) -> forms.Field:
    common: dict[str, Any] = {
        "label": definition.label,
        "help_text": definition.hint or "",
        "required": False,
    }
    kind = definition.type
    label = definition.label
    limit = core.length_limit(definition)
    least, most = core.bounds(definition)
    ranged = {
        name: _as_param(message(label, bound))
        for name, message, bound in (
            ("min_value", core.at_least_message, least),
            ("max_value", core.at_most_message, most),
        )
        if bound is not None
    }
    picked = {"invalid_choice": _as_param(core.choice_message(label))}
    field: Any
    if kind == "text":
        field = forms.CharField(**bounded(label, limit or bounds.SHORT_TEXT), **common)
    elif kind == "textarea":
        field = forms.CharField(
            widget=forms.Textarea(attrs={"rows": 4}),
            **bounded(label, limit or bounds.LONG_TEXT),
            **common,
        )
    elif kind == "number":
        field = forms.IntegerField(
            min_value=int(least) if least is not None else None,
            max_value=int(most) if most is not None else None,
            error_messages={"invalid": core.whole_number_message(label), **ranged},
            **common,
        )
    elif kind == "percentage":
        field = forms.DecimalField(
            min_value=Decimal(least if least is not None else 0),
            max_value=Decimal(most if most is not None else 100),
            decimal_places=1,
            error_messages={
                "invalid": core.number_message(label),  # raised without parameters
                "max_decimal_places": _as_param(core.decimal_places_message(label)),
                **ranged,
            },
            **common,
        )
    elif kind == "date":
        field = GovukDateField(label_text=definition.label, **common)
    elif kind == "yes_no":
        field = forms.ChoiceField(
            choices=YES_NO, widget=forms.RadioSelect, error_messages=picked, **common
        )
    elif kind == "choice":
        field = forms.ChoiceField(
            choices=[(c.value, c.label) for c in definition.choices],
            widget=forms.RadioSelect,
            error_messages=picked,
            **common,
        )
    elif kind == "choices":
        field = forms.MultipleChoiceField(
            choices=[(c.value, c.label) for c in definition.choices],
            widget=forms.CheckboxSelectMultiple,
            error_messages=picked,
            **common,
        )
    elif kind == "email":
        # Django's check of the address is the thorough one; the message is the core's.
        email = bounded(label, limit or core.EMAIL_TEXT)
        email["error_messages"]["invalid"] = _as_param(core.EMAIL_MESSAGE)
        field = forms.EmailField(**email, **common)
    elif kind == "phone":
        field = forms.CharField(**bounded(label, limit or core.PHONE_TEXT), **common)
    elif kind == "school":
        if schools is None:
            raise ValueError(f"{definition.key}: a school question needs a SchoolScope")
        field = SchoolSearchField(scope=schools, **common)
    else:  # upn
        field = forms.CharField(**bounded(label, limit or core.UPN_TEXT), **common)
    field.govuk_type = kind
    field.choice_hints = {c.value: c.hint for c in definition.choices if c.hint}
    field.show_when = definition.show_when
    return field  # type: ignore[no-any-return]


def _raw(value: Any) -> Any:
    """A Django field's cleaned value as the JSON-ish value the core coerces."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def coerced(definition: FormField, value: Any) -> core.Coerced:
    """A Django field's cleaned value as the stored answer, or the core's problem with it."""
    return core.coerce(definition, _raw(value), today=timezone.localdate())


def to_json(definition: FormField, value: Any) -> Any:
    return coerced(definition, value)[0]


def to_initial(definition: FormField, value: Any) -> Any:
    if value is None:
        return None
    if definition.type == "yes_no":
        return "yes" if value else "no"
    if definition.type == "school":
        return str(value)
    return value


class GovukDateOnlyForm(forms.Form):
    pass


def date_field(label: str, *, hint: str = "") -> GovukDateField:
    field = GovukDateField(label_text=label, label=label, help_text=hint)
    field.govuk_type = "date"  # type: ignore[attr-defined]
    return field


def _require(form: forms.Form, name: str, message: str) -> None:
    if not form.cleaned_data.get(name) and name not in form.errors:
        form.add_error(name, message)


def govuk_messages(form: forms.Form) -> None:
    """A count's limits in GOV.UK words, naming the field by its label ("Sessions attended must
    be 10 or fewer"), where the form gave none of its own: never Django's "Ensure this value is
    less than or equal to 10"."""
    for field in form.fields.values():
        if not isinstance(field, forms.IntegerField) or isinstance(field.widget, forms.HiddenInput):
            continue
        label = str(field.label or "")
        most, least = getattr(field, "max_value", None), getattr(field, "min_value", None)
        if most is not None and "max_value" not in field.error_messages:
            field.error_messages["max_value"] = _as_param(
                _("%(label)s must be %(n)s or fewer") % {"label": label, "n": most}
            )
        if least is not None and "min_value" not in field.error_messages:
            field.error_messages["min_value"] = _as_param(
                _("%(label)s must be %(n)s or more") % {"label": label, "n": least}
            )
        if (
            field.error_messages.get("invalid")
            == forms.IntegerField.default_error_messages["invalid"]
        ):
            field.error_messages["invalid"] = _as_param(core.whole_number_message(label))


class VersionedForm(forms.Form):
    """Carries the version of the case the person saw, for the concurrent-edit check."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def full_clean(self) -> None:
        govuk_messages(self)  # fields are added in subclasses' __init__, so here, before cleaning
        super().full_clean()


def _tag(field: forms.Field, kind: str) -> forms.Field:
    field.govuk_type = kind  # type: ignore[attr-defined]
    return field


def _parse_iso(value: object) -> date | None:
    if isinstance(value, str) and value:
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None
