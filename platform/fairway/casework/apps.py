from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "fairway.casework"
    label = "casework"
    verbose_name = "Case work"

    def ready(self) -> None:
        from protocols.contracts import contract_register

        from . import signals  # noqa: F401  (connects the calendar-change receivers)
        from .contract import CASEWORK

        # Publishing refuses a protocol that lacks a key case work reads (protocols cannot
        # import case work, so case work hands its contract over).
        contract_register(contract=CASEWORK)
