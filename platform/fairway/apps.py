from django.apps import AppConfig


class FairwayConfig(AppConfig):
    name = "fairway"
    verbose_name = "Fairway"
