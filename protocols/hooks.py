"""What other apps add to the protocol pages, registered from their `AppConfig.ready()`.

protocols never imports case work or cms (the imports run one way), yet its pages show what
they know of a version: how many open cases it has (case work), and links to preview a draft as
staff and the public will see it (case work's forms, cms's guidance pages) or to move open cases
to a new version. Each is registered here by URL name; the page reverses it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise

from protocols.models import ProtocolDraft, ProtocolVersion

OpenCaseCounter = Callable[[Iterable[ProtocolVersion]], dict[int, int]]


@dataclass(frozen=True)
class Link:
    label: str | Promise
    href: str


_draft_previews: dict[str, str | Promise] = {}
_version_actions: dict[str, str | Promise] = {}
_open_case_counter: list[OpenCaseCounter] = []


def register_draft_preview(*, label: str | Promise, url_name: str) -> None:
    """A preview of a draft; the URL takes `council_slug` and `draft_id`."""
    _draft_previews[url_name] = label


def register_version_action(*, label: str | Promise, url_name: str) -> None:
    """An action on a published version; the URL takes `council_slug` and `version_id`."""
    _version_actions[url_name] = label


def register_open_case_counter(counter: OpenCaseCounter) -> None:
    """How many open cases each version has ({version pk: count}), in one query."""
    _open_case_counter[:] = [counter]


def draft_preview_links(*, draft: ProtocolDraft) -> list[Link]:
    return [
        Link(
            label, reverse(name, kwargs={"council_slug": draft.council.slug, "draft_id": draft.pk})
        )
        for name, label in _draft_previews.items()
    ]


def version_action_links(*, version: ProtocolVersion, council_slug: str) -> list[Link]:
    return [
        Link(label, reverse(name, kwargs={"council_slug": council_slug, "version_id": version.pk}))
        for name, label in _version_actions.items()
    ]


def open_case_counts(versions: Iterable[ProtocolVersion]) -> dict[int, int] | None:
    """None when no app counts cases (then the page says nothing about them)."""
    return _open_case_counter[0](versions) if _open_case_counter else None
