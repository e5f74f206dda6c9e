"""The one GOV.UK form rendering every app uses ({% load fairway_forms %})."""

from django import forms
from django.template import engines


class _Form(forms.Form):
    name = forms.CharField(label="Name", help_text="As on the birth certificate")
    kind = forms.ChoiceField(label="Kind", choices=[("a", "A"), ("b", "B")])
    agree = forms.BooleanField(label="I agree")


def _render(source: str, **context: object) -> str:
    return engines["django"].from_string("{% load fairway_forms %}" + source).render(context)


def test_a_field_with_an_error_has_its_label_hint_and_visually_hidden_error_prefix() -> None:
    form = _Form(data={"kind": "a"})
    html = _render("{% govuk_field form.name size='s' %}", form=form)
    assert '<label class="govuk-label govuk-label--s" for="id_name">Name</label>' in html
    assert '<div id="id_name-hint" class="govuk-hint">As on the birth certificate</div>' in html
    assert '<span class="govuk-visually-hidden">Error:</span> This field is required.' in html
    assert 'aria-describedby="id_name-hint id_name-error"' in html
    assert "govuk-form-group--error" in html and "govuk-input--error" in html


def test_a_select_a_checkbox_and_a_replaced_label() -> None:
    form = _Form()
    assert 'class="govuk-select"' in _render("{% govuk_field form.kind %}", form=form)
    checkbox = _render("{% govuk_field form.agree label='Yes, I agree' %}", form=form)
    assert 'class="govuk-checkboxes__input"' in checkbox
    assert 'for="id_agree">Yes, I agree</label>' in checkbox


def test_the_error_summary_links_each_error_to_its_field() -> None:
    html = _render("{% govuk_error_summary form %}", form=_Form(data={}))
    assert '<a href="#id_name">This field is required.</a>' in html
    assert '<a href="#id_agree">' in html
    assert _render("{% govuk_error_summary form %}", form=_Form()).strip() == ""


def test_the_error_summary_of_a_view_without_a_form_links_where_it_is_told() -> None:
    html = _render("{% govuk_error_summary None 'Pick one' link='home_school' %}")
    assert '<a href="#home_school">Pick one</a>' in html


def test_no_error_summary_when_a_page_has_no_extra_errors() -> None:
    # An unset `extra` resolves to "" in a template: no empty link.
    assert _render("{% govuk_error_summary form missing %}", form=_Form()).strip() == ""
