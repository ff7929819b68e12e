from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "uppsok.cases"
    label = "cases"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import retention

        retention.register_rules()
