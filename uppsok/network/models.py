"""Local collaboration networks (Stad för stad) made of member organisations."""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def _new_network_secret() -> str:
    return secrets.token_hex(32)


class Network(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("namn"), max_length=200)
    slug = models.SlugField(max_length=60, unique=True)
    area = models.CharField(_("område"), max_length=200, blank=True)
    # Key for the keyed hashes members share to avoid double contact; never shown in the interface.
    hash_secret = models.CharField(max_length=128, default=_new_network_secret, editable=False)
    share_contacting_organisation = models.BooleanField(
        _("visa vilken organisation som tagit kontakt"), default=False
    )
    organisations = models.ManyToManyField(
        "accounts.Organisation", through="NetworkMembership", related_name="networks"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class NetworkMembership(models.Model):
    network = models.ForeignKey(Network, on_delete=models.CASCADE)
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["network", "organisation"], name="unique_network_member"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} i {self.network}"


class NetworkRoleQuerySet(models.QuerySet["NetworkRole"]):
    def active(self) -> NetworkRoleQuerySet:
        """Roles that still give access: not ended, held by an active account."""
        return self.filter(is_active=True, user__is_active=True)


class NetworkRole(models.Model):
    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("Samordnare")
        MEMBER = "member", _("Nätverksmedlem")

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="roles")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="network_roles")
    role = models.CharField(max_length=20, choices=Role.choices)
    # Ended roles are kept (not deleted) so the trail of who coordinated what stays readable.
    is_active = models.BooleanField(default=True)

    objects = NetworkRoleQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["network", "user", "role"], name="unique_network_role"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} ({self.network})"
