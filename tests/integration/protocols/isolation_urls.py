"""Isolation-matrix registrations for the council calendar pages."""

from tenants.models import Role
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


def _draft(world: CouncilWorld):  # type: ignore[no-untyped-def]
    """A protocol version and a draft of the next one (for the draft and move pages)."""
    if "protocol_draft" not in world.objects:
        from protocols.bundled import BUNDLED_DIR, SHARED_DIR
        from protocols.models import ProtocolDraft, ProtocolVersion

        admin = world.people[Role.COUNCIL_ADMIN]
        # Southwark's bundled protocol, as this council's.
        text = (
            (BUNDLED_DIR / "southwark" / "managed-moves-v1.yaml")
            .read_text()
            .replace("council: southwark", f"council: {world.council.slug}")
            .replace("protocol: southwark-managed-moves", f"protocol: {world.council.slug}-moves")
        )
        files = {f"{world.council.slug}/moves-v1.yaml": text}
        files |= {f"shared/{p.name}": p.read_text() for p in SHARED_DIR.glob("*.yaml")}
        version = ProtocolVersion.objects.create(
            council=world.council,
            slug=f"{world.council.slug}-moves",
            version=1,
            title="Managed moves",
            effective_from="2024-09-01",
            main_file=f"{world.council.slug}/moves-v1.yaml",
            files=files,
            digest="0" * 64,
        )
        world.objects["protocol_version"] = version
        world.objects["protocol_draft"] = ProtocolDraft.objects.create(
            council=world.council,
            slug=version.slug,
            version=2,
            based_on=version,
            main_file=f"{world.council.slug}/moves-v2.yaml",
            yaml_text=text.replace("version: 1", "version: 2"),
            created_by=admin,
            updated_by=admin,
        )
    return world.objects["protocol_draft"]


register_setup(_draft)
register_url("protocols:protocols", lambda w: {"council_slug": w.council.slug})
register_url(
    "protocols:draft_start",
    lambda w: {"council_slug": w.council.slug, "protocol_slug": f"{w.council.slug}-moves"},
)
for _name in ("draft", "draft_preview", "draft_approve", "draft_publish"):
    register_url(
        f"protocols:{_name}",
        lambda w: {"council_slug": w.council.slug, "draft_id": w.objects["protocol_draft"].pk},
    )
register_url(
    "casework:draft_forms_preview",
    lambda w: {"council_slug": w.council.slug, "draft_id": w.objects["protocol_draft"].pk},
)
register_url(
    "casework:version_move",
    lambda w: {"council_slug": w.council.slug, "version_id": w.objects["protocol_version"].pk},
)
register_url(
    "cms:draft_guidance_preview",
    lambda w: {"council_slug": w.council.slug, "draft_id": w.objects["protocol_draft"].pk},
)
register_url(
    "cms:draft_guidance_preview_section",
    lambda w: {
        "council_slug": w.council.slug,
        "draft_id": w.objects["protocol_draft"].pk,
        "section": "timeline",
    },
)
