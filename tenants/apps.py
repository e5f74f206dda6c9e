from django.apps import AppConfig


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = "Councils and people"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the sign-in audit receivers)
