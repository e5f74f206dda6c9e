"""Links other apps add to a council's admin home page.

tenants sits under case work and cms in the import graph and never names them, not even in a
template's ``{% url %}``. An app that wants a link on the council home page registers it from
its ``AppConfig.ready()``::

    from tenants.menu import register_council_link

    register_council_link(label=gettext_lazy("Register of managed moves"), url="casework:register")

``url`` is a URL name, reversed with the council's slug, or a function of the council that
returns the address. ``visible(user, council)`` decides who sees the link (everyone who can see
the council home page, if left out). Links show after tenants' own, in the order registered;
registering the same ``url`` again replaces the link in its place.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.functional import Promise

if TYPE_CHECKING:
    from .models import Council, User

Url = str | Callable[["Council"], str]
Visible = Callable[["User", "Council"], bool]


@dataclass(frozen=True)
class CouncilLink:
    label: str | Promise
    href: str


@dataclass(frozen=True)
class _Registration:
    label: str | Promise
    url: Url
    visible: Visible | None


_registry: dict[Url, _Registration] = {}


def register_council_link(
    *, label: str | Promise, url: Url, visible: Visible | None = None
) -> None:
    _registry[url] = _Registration(label=label, url=url, visible=visible)


def _href(url: Url, council: Council) -> str:
    return reverse(url, args=[council.slug]) if isinstance(url, str) else url(council)


def council_links(*, user: User, council: Council) -> list[CouncilLink]:
    """The registered links the person sees on the council's home page."""
    return [
        CouncilLink(label=link.label, href=_href(link.url, council))
        for link in _registry.values()
        if link.visible is None or link.visible(user, council)
    ]
