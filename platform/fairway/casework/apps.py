from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "fairway.casework"
    label = "casework"
    verbose_name = "Case work"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the calendar-change receivers)
