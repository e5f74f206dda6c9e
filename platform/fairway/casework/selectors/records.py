"""A form as a record: its questions with the answers as people read them, and its signatures."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _

from protocols.core.model import Form, FormField, FormPage, Protocol, SignOff
from tenants.models import School

from .. import roles
from ..answers import display_answer
from ..models import (
    Case,
    FormSubmission,
)


@dataclass(frozen=True)
class AnswerRow:
    page: FormPage
    definition: FormField
    value: str  # as people read it: dates in words, choices' labels, schools' names
    change: str = ""  # the question on its form page ("check your answers" only)


@dataclass(frozen=True)
class Signature:
    role_key: str
    role_label: str
    signed_by_name: str
    on_behalf_of: str  # who recorded it, when they recorded someone else's signature
    signed_on: date

    @property
    def recorded_note(self) -> str:
        """ "recorded by Sam Patel for the parent or carer, on paper", or "" for their own."""
        return signature_note(recorder=self.on_behalf_of, role_label=self.role_label)


@dataclass(frozen=True)
class SignOffRecord:
    definition: SignOff
    signatures: tuple[Signature, ...]  # in the protocol's order of the roles
    unsigned: tuple[str, ...]  # labels of the roles still to sign


@dataclass(frozen=True)
class FormRecord:
    case: Case
    protocol: Protocol
    form: Form
    submission: FormSubmission
    rows: tuple[AnswerRow, ...]
    sign_offs: tuple[SignOffRecord, ...]

    @property
    def title(self) -> str:
        """The form's title, numbered for a repeating form ("Review 2")."""
        if self.form.repeats:
            return f"{self.form.title} {self.submission.occurrence}"
        return self.form.title


def answer_rows(
    *,
    form: Form,
    answers: dict[str, Any],
    change: Callable[[FormPage, FormField], str] | None = None,
) -> tuple[AnswerRow, ...]:
    """The form's questions with their answers, page by page; questions hidden by their condition
    are left out. `change` gives each question's change link."""
    school_ids = [
        int(answers[d.key]) for d in form.fields if d.type == "school" and answers.get(d.key)
    ]
    school_names = dict(School.objects.filter(pk__in=school_ids).values_list("pk", "name"))
    return tuple(
        AnswerRow(
            page=page,
            definition=definition,
            value=display_answer(
                definition, answers.get(definition.key), school_names=school_names
            ),
            change=change(page, definition) if change else "",
        )
        for page in form.pages
        for definition in page.fields
        if definition.show_when is None or definition.show_when.holds(answers)
    )


def signature_note(*, recorder: str, role_label: str) -> str:
    if not recorder:
        return ""
    words = role_label.split()
    # "Parent or carer" reads "the parent or carer"; "Fair Access team" keeps its capitals.
    if len(words) > 1 and words[1][:1].islower():
        role_label = role_label[:1].lower() + role_label[1:]
    return _("recorded by %(who)s for the %(role)s, on paper") % {
        "who": recorder,
        "role": role_label,
    }


def form_record(
    *,
    case: Case,
    form_key: str,
    occurrence: int,
    change: Callable[[FormPage, FormField], str] | None = None,
) -> FormRecord:
    """One of the case's protocol forms with its answers and its sign-offs (with the roles'
    labels). The caller has already checked the person may read `case`; Http404 when its
    protocol has no such form or the case no such occurrence of it."""
    protocol = case.protocol_version.load()
    form = next((f for f in protocol.forms if f.key == form_key), None)
    submission = (
        FormSubmission.objects.select_related("submitted_by")
        .filter(case=case, form_key=form_key, occurrence=occurrence)
        .first()
        if form is not None
        else None
    )
    if form is None or submission is None:
        raise Http404(_("No form found."))
    definitions = [s for s in protocol.sign_offs if s.form == form_key]
    signed = {
        (s.sign_off_key, s.role_key): s
        for s in case.sign_offs.filter(sign_off_key__in=[d.key for d in definitions])
    }
    sign_offs = []
    for definition in definitions:
        keys = [k for (sign_off_key, k) in signed if sign_off_key == definition.key]
        order = [r for r in definition.roles if r in keys] + sorted(
            k for k in keys if k not in definition.roles
        )
        signatures = []
        for role_key in order:
            signature = signed[(definition.key, role_key)]
            signatures.append(
                Signature(
                    role_key=role_key,
                    role_label=roles.label_of(protocol, role_key),
                    signed_by_name=signature.signed_by_name,
                    on_behalf_of=signature.on_behalf_of,
                    signed_on=signature.signed_on,
                )
            )
        sign_offs.append(
            SignOffRecord(
                definition=definition,
                signatures=tuple(signatures),
                unsigned=tuple(
                    roles.label_of(protocol, r) for r in definition.roles if r not in keys
                ),
            )
        )
    return FormRecord(
        case=case,
        protocol=protocol,
        form=form,
        submission=submission,
        rows=answer_rows(form=form, answers=submission.answers, change=change),
        sign_offs=tuple(sign_offs),
    )
