from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "uppsok.core"
    label = "core"
    verbose_name = "Uppsök"
