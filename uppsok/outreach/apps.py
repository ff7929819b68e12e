from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "uppsok.outreach"
    label = "outreach"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import retention

        retention.register_rules()
