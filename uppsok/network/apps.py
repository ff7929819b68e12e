from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "uppsok.network"
    label = "network"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from uppsok.core import scopes

        from .access import holds_network_role, landing, resolve

        scopes.register("network", resolve)
        scopes.register_landing(landing)
        scopes.register_two_factor_check(holds_network_role)
