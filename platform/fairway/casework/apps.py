from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "fairway.casework"
    label = "casework"
    verbose_name = "Case work"
