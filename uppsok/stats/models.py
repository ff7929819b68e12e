"""Pre-aggregated figures: one row per organisation, month, measure and breakdown value, refreshed
by the scheduler, so that statistics pages sum a few rows instead of scanning the records."""

from __future__ import annotations

from django.db import models

from uppsok.core.models import OrgScopedModel


class OrgFigure(OrgScopedModel):
    """A count (or sum) of one measure in one month, for one breakdown value ("" is the total)."""

    contains_personal_data = False

    month = models.DateField()  # the first day of the month
    measure = models.CharField(max_length=40)
    dimension = models.CharField(max_length=120, blank=True)
    value = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "month", "measure", "dimension"], name="unique_org_figure"),
        ]
        indexes = [models.Index(fields=["organisation", "measure", "month"], name="orgfigure_org_measure_month")]

    def __str__(self) -> str:
        return f"{self.measure} {self.month:%Y-%m} {self.dimension} = {self.value}"
