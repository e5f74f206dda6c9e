"""One error path: `FairwayError` and the one place it is shown to a person.

Every app's "a person can act on this" error derives from `FairwayError` (case work's
`CaseworkError` and `ConcurrentEditError`, tenants' `TenantsError` and `SchoolsImportError`,
protocols' `ProtocolPublishError`). A view that calls a service catches `FairwayError` and hands
it to `show_on_form` (the GOV.UK error summary, beside its field when it names one, or the
conflict panel for someone else's change) or `show_as_message` (a notification banner on the
page the person is sent back to). The pure protocol core keeps its own errors (it imports
nothing of Fairway); they are turned into problems at the boundary that loads a protocol.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib import messages
from django.forms import Form
from django.http import HttpRequest


class FairwayError(Exception):
    """A problem a person can act on: a message in plain words and, optionally, its field.

    `changes` is set by a concurrent-edit refusal: what someone else changed meanwhile."""

    changes: Sequence[Any] | None = None

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def show_on_form(error: FairwayError, *, form: Form | None, context: dict[str, Any]) -> None:
    """Show a refused step on its page: the conflict panel, else beside the field it names, else
    at the top of the GOV.UK error summary."""
    if error.changes is not None:
        context["conflict"] = error.changes
        context["conflict_message"] = error.message
    elif form is not None and error.field and error.field in form.fields:
        form.add_error(error.field, error.message)
    elif form is not None:
        form.add_error(None, error.message)
    else:
        context.setdefault("extra", []).append(error.message)


def show_as_message(request: HttpRequest, error: FairwayError) -> None:
    """Show a refused action on the page the person is sent back to."""
    messages.error(request, error.message)
