"""What every case-work page shares: the signed-in person, the one way a refused step is shown, the
version a form was opened at."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fairway.errors import show_on_form
from protocols.core.model import Form, FormPage, Protocol
from tenants.models import User

from .. import contract, dates, forms, selectors, services, writes
from ..models import Case, ReferralDraft


def _person(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # login_required ran first
    return request.user


def _conflict_context(error: services.ConcurrentEditError) -> dict[str, Any]:
    context: dict[str, Any] = {}
    show_on_form(error, form=None, context=context)
    return context


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _protocol_form(case: Case, form_key: str) -> tuple[Protocol, Form]:
    protocol = case.protocol_version.load()
    try:
        return protocol, protocol.form(form_key)
    except StopIteration:
        raise Http404(_("No form found.")) from None


def _step_refused(
    request: HttpRequest, user: User, case: Case, write: writes.Write, key: str | None = None
) -> HttpResponse | None:
    """Asked before a step's page is shown or saved (the services ask again as they write): 404
    if the person does not hold the role for it, else the way back to the case with the reason
    when the case's stage does not allow it, else None."""
    protocol = case.protocol_version.load()
    refusal = writes.refusal(user=user, case=case, protocol=protocol, write=write, key=key)
    if refusal:
        messages.error(request, refusal)
        return redirect("casework:case_detail", case_id=case.pk)
    return None


def _case_schools(case: Case) -> forms.SchoolScope:
    """A case form's school questions offer the home council's schools; one elsewhere becomes the
    receiving school only through a cross-authority request."""
    return forms.SchoolScope(
        council=case.home_council,
        search_url=reverse("casework:school_search", kwargs={"case_id": case.pk}),
        also=services.accepted_school_ids(case=case),
        outside_fairway=True,
    )


def _draft_schools(draft: ReferralDraft) -> forms.SchoolScope:
    # A referral is not a case yet: no search URL, the text box is resolved on the server.
    return forms.SchoolScope(council=draft.home_school.council)


def _render_step(
    request: HttpRequest, case: Case, template: str, form: Any, **context: Any
) -> HttpResponse:
    return render(request, template, {"case": case, "step_form": form, **context})


def _show_error(
    error: services.CaseworkError,
    *,
    form: Any,
    context: dict[str, Any],
    case: Case,
    current_version: Callable[[], int] | None = None,
) -> None:
    """A refused step: someone else's change (shown, with the person's answers kept on the page
    at the current version: the case's unless the record has its own), or a problem beside its
    field, or in the summary."""
    if isinstance(error, services.ConcurrentEditError):
        if current_version is None:
            _with_current_version(form, case)
        else:
            _with_version(form, current_version())
    show_on_form(error, form=form, context=context)


def _with_current_version(form: Any, case: Case) -> None:
    """After a conflict, the person's answers stay on the page with the case's current version."""
    _with_version(form, Case.objects.get(pk=case.pk).version)


def _with_version(form: Any, version: int) -> None:
    data = form.data.copy()
    data["version"] = str(version)
    form.data = data


def _version(form: Any) -> int:
    return int(form.cleaned_data.get("version") or 0)


def _choice_page_view(
    request: HttpRequest,
    *,
    case: Case,
    protocol: Protocol,
    form_key: str,
    choice_name: str,
    choice_label: str,
    choices: list[tuple[str, str]],
    title: str,
    act: Any,
    said: str,
) -> HttpResponse:
    """`said` begins the banner on the case page afterwards ("Outcome recorded")."""
    definition = protocol.form(form_key) if any(f.key == form_key for f in protocol.forms) else None

    page = definition.pages[0] if definition else FormPage(key="main", title=title, fields=())
    form = forms.ChoiceAndPageForm(
        request.POST or None,
        page=page,
        choice_name=choice_name,
        choice_label=choice_label,
        choices=choices,
        initial={"version": case.version},
    )

    def save() -> str | None:
        answers = form.answers_json
        decided_on = forms._parse_iso(answers.get(contract.DECIDED_ON.key)) or timezone.localdate()
        chosen = form.cleaned_data[choice_name]
        act(chosen, decided_on, answers, int(form.cleaned_data["version"]))
        return _("%(said)s: %(choice)s, decided on %(day)s") % {
            "said": said,
            "choice": dict(choices).get(chosen, chosen),
            "day": dates.day_text(decided_on),
        }

    return step_page(request, case, form, context={"title": title}, save=save)


def step_page(
    request: HttpRequest,
    case: Case,
    form: Any,
    *,
    context: dict[str, Any],
    save: Callable[[], str | None],
    success: str = "",
) -> HttpResponse:
    """One step of the case (an event, a sign-off, attendance, an extension, an early end, the
    outcome): a valid form is saved by `save` (the step's service) and the person goes back to
    the case; a refusal is shown on the page with their answers kept."""
    if request.method == "POST" and form.is_valid():
        try:
            said = save()  # what happened, in words, for the banner on the case page
        except services.CaseworkError as error:
            _show_error(error, form=form, context=context, case=case)
        else:
            if said or success:
                messages.success(request, said or success)
            return redirect("casework:case_detail", case_id=case.pk)
    return _render_step(request, case, "casework/step.html", form, **context)


@dataclass(frozen=True)
class PageStep:
    """One page of a protocol form being filled in, a referral draft's or a case form's: where
    its answers are, how a page is saved, and where the person goes next."""

    form: Form
    page_key: str
    schools: forms.SchoolScope
    # (page answers, the page's question keys, the version the person opened) -> saved
    save: Callable[[dict[str, Any], list[str], int], None]
    # The answers and version as they are now (after someone else's change).
    current: Callable[[], tuple[dict[str, Any], int]]
    page_url: Callable[[str], str]
    check_url: str
    first_back_url: str
    context: dict[str, Any]
    # Answers filled in for the person where they have given none yet (the receiving school's
    # address on the notice): shown on the page to check, saved only when they save it.
    suggested: dict[str, Any] = field(default_factory=dict)


def protocol_page(request: HttpRequest, step: PageStep) -> HttpResponse:
    """The one wizard page: show a page of the form, save it through the step's service, go to
    the next page (or "check your answers"). On someone else's change the person's answers stay
    on the page with what the other person saved beside them; any other refusal is shown on its
    field."""
    form = step.form
    index = next((i for i, p in enumerate(form.pages) if p.key == step.page_key), None)
    if index is None:
        raise Http404(_("No page found."))
    page = form.pages[index]
    answers, version = step.current()
    context: dict[str, Any] = {}
    if request.method == "POST":
        page_form = forms.ProtocolPageForm(
            request.POST, page=page, known=answers, schools=step.schools
        )
        if page_form.is_valid():
            try:
                step.save(
                    page_form.answers_json,
                    [f.key for f in page.fields],
                    _int(request.POST.get("version")) or 0,
                )
            except services.CaseworkError as error:
                if isinstance(error, services.ConcurrentEditError):
                    answers, version = step.current()
                    context["conflict_keeps_yours"] = True
                    context["theirs"] = _answers_they_saved(
                        form, page, answers, page_form.answers_json
                    )
                show_on_form(error, form=page_form, context=context)
            else:
                following = form.pages[index + 1].key if index + 1 < len(form.pages) else None
                if following and "check" not in request.POST:
                    return redirect(step.page_url(following))
                return redirect(step.check_url)
    else:
        known = {**step.suggested, **{k: v for k, v in answers.items() if v not in (None, "")}}
        page_form = forms.ProtocolPageForm(page=page, known=known, schools=step.schools)
    return render(
        request,
        "casework/form_page.html",
        {
            **step.context,
            "form": form,
            "page": page,
            "page_form": page_form,
            "version": version,
            "page_number": index + 1,
            "returning": bool(request.GET.get("check")),
            "back": step.page_url(form.pages[index - 1].key) if index else step.first_back_url,
            **context,
        },
    )


def _answers_they_saved(
    form: Form, page: FormPage, theirs: dict[str, Any], yours: dict[str, Any]
) -> list[selectors.AnswerRow]:
    """After a conflict on a form page: what the other person saved that differs from yours."""
    return [
        row
        for row in selectors.answer_rows(form=form, answers=theirs)
        if row.page.key == page.key
        and theirs.get(row.definition.key) != yours.get(row.definition.key)
    ]
