"""Forms built from a protocol's form definitions, validated on the server from the same definitions.

One Django form per `FormPage`. The rules are `protocols.core.answers` (which questions are asked,
what is required, what an answer is stored as, every message); the Django fields here only read
the boxes on the page (a date's three boxes, a school's search box and the id beside it) and
show the core's messages. Every field is optional to Django; `clean()` then applies the core: a
question whose `show_when` does not hold is neither required nor stored. Answers are stored as
JSON: dates as ISO text, yes/no as booleans, numbers as numbers, a school as its id.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from protocols.core import answers as core
from protocols.core.answers import UPN_PATTERN as UPN_PATTERN
from protocols.core.model import FormField, FormPage
from tenants.models import Council, School

from . import bounds
from .answers import display_answer as display_answer  # where they lived before
from .answers import form_problems as form_problems


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
        if school.council_id != self.scope.council.pk:
            raise self.out_of_scope()
        return str(school.pk)

    def _from_text(self, text: str) -> School:
        urn = URN_IN_LABEL.search(text)
        digits = urn.group(1) if urn else (text if text.isdigit() and len(text) <= 9 else None)
        if digits is not None:
            by_urn = School.objects.filter(urn=int(digits)).first()
            if by_urn is None:
                raise self.out_of_scope()
            return by_urn
        from .selectors import school_search  # the search the suggestions use

        exact = list(School.objects.filter(council_id=self.scope.council.pk, name__iexact=text)[:2])
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


class ProtocolPageForm(forms.Form):
    """One page of a protocol form. `known` holds the answers from the other pages; `schools`
    is the scope of its school questions (required when the page has one)."""

    def __init__(
        self,
        *args: Any,
        page: FormPage,
        known: dict[str, Any] | None = None,
        schools: SchoolScope | None = None,
        **kwargs: Any,
    ) -> None:
        self.page = page
        self.known = dict(known or {})
        if "initial" not in kwargs:
            kwargs["initial"] = {d.key: to_initial(d, self.known.get(d.key)) for d in page.fields}
        super().__init__(*args, **kwargs)
        on_page = {d.key for d in page.fields}
        for definition in page.fields:
            condition = definition.show_when
            if (
                condition is not None
                and condition.field not in on_page
                and not condition.holds(self.known)
            ):
                # Answered on another page in a way that makes this question irrelevant: not asked.
                continue
            self.fields[definition.key] = django_field(definition, schools=schools)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        answers = dict(self.known)
        wrong: dict[str, str] = {}
        for definition in self.page.fields:
            value, problem = coerced(definition, cleaned.get(definition.key))
            answers[definition.key] = value
            if problem is not None:
                wrong[definition.key] = problem.message
        for definition in self.page.fields:
            key = definition.key
            if not core.visible(definition, answers):
                # A hidden field is not required and its answer is not kept.
                self.errors.pop(key, None)
                cleaned.pop(key, None)
                answers.pop(key, None)
                continue
            if key in self.errors:
                continue
            if key in wrong:
                self.add_error(key, wrong[key])
            elif definition.required and core.is_empty(answers.get(key)):
                self.add_error(key, core.missing(definition))
        self.answers_json = {
            d.key: answers[d.key]
            for d in self.page.fields
            if d.key in answers and answers[d.key] is not None
        }
        return cleaned


# ---------------------------------------------------------------------------------------------
# Forms for the steps that are not protocol forms


class GovukDateOnlyForm(forms.Form):
    pass


def date_field(label: str, *, hint: str = "") -> GovukDateField:
    field = GovukDateField(label_text=label, label=label, help_text=hint)
    field.govuk_type = "date"  # type: ignore[attr-defined]
    return field


def _require(form: forms.Form, name: str, message: str) -> None:
    if not form.cleaned_data.get(name) and name not in form.errors:
        form.add_error(name, message)


class VersionedForm(forms.Form):
    """Carries the version of the case the person saw, for the concurrent-edit check."""

    version = forms.IntegerField(widget=forms.HiddenInput)


def _tag(field: forms.Field, kind: str) -> forms.Field:
    field.govuk_type = kind  # type: ignore[attr-defined]
    return field


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
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["week_beginning"] = date_field(
            _("Week beginning"), hint=_("The Monday of the week, for example 23 11 2026")
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
        _require(self, "week_beginning", _("Enter the week beginning"))
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


class ChoiceAndPageForm(ProtocolPageForm):
    """A protocol form page with a choice in front (the outcome, or the reason for an early end)."""

    choice_name = "choice"

    def __init__(
        self,
        *args: Any,
        choice_name: str,
        choice_label: str,
        choices: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.choice_name = choice_name
        field = _tag(
            forms.ChoiceField(
                label=choice_label, choices=choices, widget=forms.RadioSelect, required=False
            ),
            "choice",
        )
        self.fields = {choice_name: field, **self.fields}
        self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not cleaned.get(self.choice_name) and self.choice_name not in self.errors:
            self.add_error(
                self.choice_name,
                _("Select an answer: %(label)s") % {"label": self.fields[self.choice_name].label},
            )
        return cleaned


def _parse_iso(value: object) -> date | None:
    if isinstance(value, str) and value:
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


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


class CasePersonForm(forms.Form):
    """Add a named person to one case by their email address."""

    email = _tag(
        forms.EmailField(
            label=_("Email address"),
            help_text=_("They must already have a Fairway account with this council"),
            required=False,
            error_messages={"invalid": _("Enter an email address, like name@example.org")},
        ),
        "email",
    )
    access_level = _tag(
        forms.ChoiceField(
            label=_("What may they do?"),
            choices=[
                ("view", _("See the case")),
                ("change", _("See and work on the case")),
            ],
            widget=forms.RadioSelect,
            required=False,
        ),
        "choice",
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        _require(self, "email", _("Enter their email address"))
        _require(self, "access_level", _("Select what they may do"))
        return cleaned


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
