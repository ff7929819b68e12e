"""Pre-aggregated figures: one row per organisation, month, measure and breakdown value, refreshed
by the scheduler, so that statistics pages sum a few rows instead of scanning the records."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

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


class NetworkMeasure(models.Model):
    """A measure of the network's common statistics template: Helsingborg's four, and the further
    ones the coordinator adds. `source` names the organisation's own figure it is filled from."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    network = models.ForeignKey("network.Network", on_delete=models.CASCADE, related_name="+")
    key = models.SlugField(max_length=60)
    label = models.CharField(_("mått"), max_length=200)
    order = models.PositiveSmallIntegerField(default=1)
    source = models.CharField(max_length=80, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["order", "created_at"]
        constraints = [models.UniqueConstraint(fields=["network", "key"], name="unique_network_measure")]

    def __str__(self) -> str:
        return self.label


class NetworkReport(models.Model):
    """One member organisation's figure for one measure and year: filled from its records in Uppsök
    or entered by the member (e.g. the police, who keep their records elsewhere)."""

    class Source(models.TextChoices):
        UPPSOK = "uppsok", _("Ur Uppsök")
        MANUAL = "manual", _("Inmatat")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    network = models.ForeignKey("network.Network", on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    measure = models.ForeignKey(NetworkMeasure, on_delete=models.CASCADE, related_name="reports")
    year = models.PositiveSmallIntegerField()
    value = models.PositiveIntegerField()
    source = models.CharField(max_length=10, choices=Source.choices)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reported_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["network", "organisation", "measure", "year"], name="unique_network_report"),
        ]
        indexes = [models.Index(fields=["network", "year"], name="networkreport_network_year")]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.year} {self.measure_id}={self.value}"
