"""Isolation-matrix registrations for the tenants URLs (and the skips that belong to nobody else)."""

from tenants.models import Role
from tests.isolation import CouncilWorld, register_url, skip_name, skip_path


def council(world: CouncilWorld) -> dict[str, object]:
    return {"council_slug": world.council.slug}


register_url("tenants:council_home", council)
register_url("tenants:people", council)
register_url("tenants:membership_add", council)
register_url(
    "tenants:membership_revoke",
    lambda w: {
        "council_slug": w.council.slug,
        "membership_id": w.memberships[Role.SCHOOL_STAFF].pk,
    },
)
register_url(
    "tenants:person_detail",
    lambda w: {"council_slug": w.council.slug, "person_id": w.people[Role.SCHOOL_STAFF].pk},
)
register_url(
    "tenants:person_unlock",
    lambda w: {"council_slug": w.council.slug, "person_id": w.people[Role.SCHOOL_STAFF].pk},
)
register_url("tenants:schools", council)
register_url(
    "tenants:school_edit", lambda w: {"council_slug": w.council.slug, "school_id": w.school.pk}
)
register_url("tenants:partnerships", council)
register_url("tenants:partnership_add", council)
register_url("tenants:audit", council)
register_url("tenants:council_retention", council)
register_url("tenants:audit_export", lambda w: {"council_slug": w.council.slug, "fmt": "csv"})

skip_path("/django-admin/", "Django admin: superusers only, guarded by is_staff")
skip_path("/admin/", "Wagtail admin: editors only; cms tests its own per-council scoping")
skip_path("/documents/", "Wagtail documents: public files served by Wagtail")
skip_path("/static/", "static files")
skip_name(
    "two_factor:", "two_factor's own sign-in and device pages act on the signed-in person only"
)
skip_name("wagtail_serve", "Wagtail's catch-all page route: the public guidance sites")
skip_name(
    "wagtailcore_authenticate_with_password",
    "Wagtail's password form for privacy-restricted guidance pages: public pages, no pupil data",
)
skip_name(
    "tenants:password_reset_confirm",
    "guarded by a one-time token for one account; shows only a set-password form",
)
