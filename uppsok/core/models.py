"""Base classes for organisation-owned data."""

from __future__ import annotations

import uuid

from django.db import models


class OrgScopedModel(models.Model):
    """Every row belongs to exactly one organisation, and that organisation is never optional.

    Fetch rows only through `uppsok.core.access` so that one organisation can never read
    another's; tests/test_lint_scoping.py fails when a view queries a subclass directly.
    """

    # Rows that describe a person: viewing one is written to the audit log.
    contains_personal_data = True

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class ScheduledRun(models.Model):
    """When a recurring job was last enqueued, so that restarts neither skip nor repeat it."""

    name = models.CharField(max_length=100, unique=True)
    last_enqueued_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} @ {self.last_enqueued_at:%Y-%m-%d %H:%M}"


class Heartbeat(models.Model):
    """When a background process last showed it was alive: the health endpoint reads these."""

    name = models.CharField(max_length=40, unique=True)
    at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} @ {self.at:%Y-%m-%d %H:%M:%S}"
