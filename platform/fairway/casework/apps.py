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
        # The protocols page shows the open cases on each version, a draft's forms as staff see
        # them, and a way to move open cases to a newer version (protocols never names case work).
        from protocols import hooks

        from .selectors.versions import open_case_counts

        hooks.register_open_case_counter(open_case_counts)
        hooks.register_draft_preview(
            label=gettext_lazy("Every form as staff will see it"),
            url_name="casework:draft_forms_preview",
        )
        hooks.register_version_action(
            label=gettext_lazy("Move open cases to this version"),
            url_name="casework:version_move",
        )
