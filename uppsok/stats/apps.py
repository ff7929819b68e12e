from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "uppsok.stats"
    label = "stats"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from uppsok.core import retention
        from uppsok.network import queries

        from .figures import refresh_before_purge
        from .network_stats import measure_choices, target_outcomes

        retention.register_before_purge(refresh_before_purge)

        if target_outcomes not in queries.OUTCOME_PROVIDERS:
            queries.OUTCOME_PROVIDERS.append(target_outcomes)
            queries.MEASURE_CHOICES.append(measure_choices)
