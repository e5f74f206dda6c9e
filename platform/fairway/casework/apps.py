from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "fairway.casework"
    label = "casework"
    verbose_name = "Case work"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy

        from protocols.contracts import contract_register
        from tenants.access import admin_council_ids_for
        from tenants.menu import register_council_link

        from . import signals  # noqa: F401  (connects the calendar-change receivers)
        from .contract import CASEWORK

        # The council home page links here; tenants never names case work's URLs itself.
        register_council_link(
            label=gettext_lazy("Register of managed moves"), url="casework:register"
        )
        # Council admins publish the Fair Access figures from their council page.
        register_council_link(
            label=gettext_lazy("Fair Access data"),
            url="fair_access:manage",
            visible=lambda user, council: council.pk in admin_council_ids_for(user),
        )
        register_council_link(
            label=gettext_lazy("Subject access: everything held on a pupil"),
            url="casework:subject_access",
            visible=lambda user, council: council.pk in admin_council_ids_for(user),
        )
        # Publishing refuses a protocol that lacks a key case work reads (protocols cannot
        # import case work, so case work hands its contract over).
        contract_register(contract=CASEWORK)
