from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProtocolsConfig(AppConfig):
    name = "protocols"
    verbose_name = "Protocols"

    def ready(self) -> None:
        from tenants import access
        from tenants.menu import register_council_link

        # Drafting and publishing a new version is for the council's admins only.
        register_council_link(
            label=_("Protocol versions: draft, approve and publish"),
            url="protocols:protocols",
            visible=lambda user, council: council.pk in access.admin_council_ids_for(user),
        )
