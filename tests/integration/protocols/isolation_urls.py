"""Isolation-matrix registrations for the council calendar pages."""

from tests.integration.protocols.calendars import stored_calendar
from tests.isolation import CouncilWorld, register_setup, register_url


@register_setup
def add_calendar(world: CouncilWorld) -> None:
    world.objects["calendar"] = stored_calendar(world.council)


register_url("protocols:calendars", lambda w: {"council_slug": w.council.slug})
register_url(
    "protocols:calendar_replace",
    lambda w: {"council_slug": w.council.slug, "calendar_slug": w.objects["calendar"].slug},
)
