"""One page of a protocol form as a Django form, and a choice plus a page (ending early, the
outcome)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _

from protocols.core import answers as core
from protocols.core.model import FormPage

from .fields import SchoolScope, _tag, coerced, django_field, to_initial


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
