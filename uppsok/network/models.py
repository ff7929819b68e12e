"""Local collaboration networks (Stad för stad) made of member organisations."""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from uppsok.accounts.models import Organisation


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
    # The handbook's role descriptions (step 5), started from Helsingborg's text and edited freely.
    coordinator_role_text = models.TextField(_("samordnarens roll"), blank=True)
    network_role_text = models.TextField(_("nätverkets roll"), blank=True)
    # Who outreach workers tell when a tip concerns the network's town: a named function, not a
    # case, so only work contact details.
    tip_contact_name = models.CharField(_("kontaktperson för tips"), max_length=200, blank=True)
    tip_contact_organisation = models.CharField(_("kontaktpersonens organisation"), max_length=200, blank=True)
    tip_contact_phone = models.CharField(_("telefon"), max_length=40, blank=True)
    tip_contact_email = models.EmailField(_("e-post"), blank=True)
    # How often the network meets (the handbook: twice a year to six times a year).
    meetings_per_year = models.PositiveSmallIntegerField(_("möten per år"), default=4)
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


class NetworkScopedModel(models.Model):
    """Every row belongs to exactly one network and holds no organisation's personal data.

    Read rows only through `uppsok.network.access` so that one network can never read another's;
    tests/test_lint_scoping.py fails when a network view queries a subclass directly.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class NetworkInvitation(NetworkScopedModel):
    """The coordinator asks an organisation to join; the organisation's admin answers."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Väntar på svar")
        ACCEPTED = "accepted", _("Accepterad")
        DECLINED = "declined", _("Avböjd")
        WITHDRAWN = "withdrawn", _("Återkallad")

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    message = models.TextField(_("meddelande"), blank=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "organisation"], condition=models.Q(status="pending"),
                name="one_pending_invitation_per_organisation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} → {self.network}"


class CoreGroupMember(NetworkScopedModel):
    """A person in the core group that drives the process (4–8 people from different organisations).
    Work details only: the person takes part in their professional role."""

    name = models.CharField(_("namn"), max_length=200)
    organisation_name = models.CharField(_("organisation"), max_length=200)
    sector = models.CharField(_("sektor"), max_length=32, choices=Organisation.Kind.choices)
    title = models.CharField(_("befattning"), max_length=200, blank=True)
    email = models.EmailField(_("e-post"), blank=True)
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    # the basic and desirable criteria of step 0 met by this person (keys of steps.CORE_CRITERIA)
    criteria = models.JSONField(default=list, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["organisation_name", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation_name})"


class StepEntry(NetworkScopedModel):
    """One saved version of one part of a step's template. Saving never overwrites: the newest
    version is the current text and every earlier one stays, with who saved it and when."""

    step = models.PositiveSmallIntegerField()
    part = models.SlugField(max_length=40)
    version = models.PositiveIntegerField()
    data = models.JSONField(default=dict)
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["step", "part", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["network", "step", "part", "version"], name="unique_step_entry_version"),
        ]
        indexes = [models.Index(fields=["network", "step", "part", "-version"])]

    def __str__(self) -> str:
        return f"steg {self.step} {self.part} v{self.version}"


class StepProgress(NetworkScopedModel):
    """Whether the network has marked a step done, and when and by whom."""

    step = models.PositiveSmallIntegerField()
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["network", "step"], name="unique_step_progress")]

    def __str__(self) -> str:
        return f"steg {self.step}"


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
