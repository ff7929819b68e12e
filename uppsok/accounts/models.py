"""Organisations, the people who work in them and their roles."""

from __future__ import annotations

import hashlib
import uuid

from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # The organisation the person last chose; only trusted after re-checking membership.
    last_active_organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Set when an admin chose the password: the person replaces it before reaching anything else.
    must_change_password = models.BooleanField(default=False)
    # Once an account has had an authenticator, a new one is only enrolled through a reset link.
    two_factor_enrolled_at = models.DateTimeField(null=True, blank=True)
    # Raising this ends every session of the person (it is part of the session's auth hash).
    session_generation = models.PositiveIntegerField(default=0)
    # Platform staff: create organisations and networks and appoint their first admins, and by
    # design hold no role anywhere, so they never reach an organisation's records.
    is_system_admin = models.BooleanField(_("systemadministratör"), default=False)

    class Meta:
        verbose_name = _("användare")
        verbose_name_plural = _("användare")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        # Generation 0 keeps Django's own hash, so introducing the field logged nobody out.
        if not self.session_generation:
            return super()._get_session_auth_hash(secret=secret)
        key_salt = "uppsok.accounts.User.get_session_auth_hash"
        value = f"{self.password}:{self.session_generation}"
        return salted_hmac(key_salt, value, secret=secret, algorithm="sha256").hexdigest()


class Organisation(models.Model):
    class Kind(models.TextChoices):
        CIVIL_SOCIETY = "civil_society", _("Ideell verksamhet")
        SOCIAL_SERVICES = "social_services", _("Socialtjänst")
        HEALTHCARE = "healthcare", _("Region/hälso- och sjukvård")
        POLICE = "police", _("Polis")
        REGIONAL_COORDINATOR = "regional_coordinator", _("Regionkoordinator")
        OTHER_AUTHORITY = "other_authority", _("Annan myndighet")
        BUSINESS = "business", _("Företag")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("namn"), max_length=200)
    slug = models.SlugField(_("kortnamn"), max_length=60, unique=True)
    kind = models.CharField(_("typ"), max_length=32, choices=Kind.choices)
    municipality = models.CharField(_("kommun"), max_length=100, blank=True)
    serves_age_min = models.PositiveSmallIntegerField(_("ålder från"), null=True, blank=True)
    serves_age_max = models.PositiveSmallIntegerField(_("ålder till"), null=True, blank=True)
    does_online_outreach = models.BooleanField(_("gör uppsökande arbete online"), default=False)
    require_two_factor = models.BooleanField(_("kräv tvåfaktorsinloggning"), default=True)
    # Seed 000 "Kontaktspärr": keep a no-contact entry six months, then delete it.
    do_not_contact_months = models.PositiveSmallIntegerField(_("kontaktspärr gäller (månader)"), default=6)
    closed_case_retention_months = models.PositiveSmallIntegerField(
        _("avslutade ärenden sparas (månader)"), default=24
    )
    keep_ad_images = models.BooleanField(_("spara annonsbilder"), default=False)
    # How long personal data is kept; the daily purge deletes what is older (see core.retention).
    ad_retention_months = models.PositiveSmallIntegerField(
        _("annonser och observationer sparas (månader efter senast sedd)"), default=12,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    contact_retention_months = models.PositiveSmallIntegerField(
        _("kontakter sparas (månader)"), default=12, validators=[MinValueValidator(1), MaxValueValidator(120)]
    )
    tip_retention_months = models.PositiveSmallIntegerField(
        _("tips, orosanmälningar och utkast sparas (månader)"), default=24,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    safety_retention_months = models.PositiveSmallIntegerField(
        _("riskbedömningar och incidenter sparas (månader)"), default=24,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    shift_retention_months = models.PositiveSmallIntegerField(
        _("arbetspass sparas (månader)"), default=12, validators=[MinValueValidator(1), MaxValueValidator(120)]
    )
    import_job_retention_days = models.PositiveSmallIntegerField(
        _("importjobb sparas (dagar efter avslut)"), default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisationer")

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    OUTREACH = "outreach", _("Uppsökare")
    CASEWORKER = "caseworker", _("Stödperson/handläggare")
    ADMIN = "admin", _("Organisationsadministratör")
    AUDITOR = "auditor", _("Granskare (dataskyddsombud)")


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active(self) -> MembershipQuerySet:
        return self.filter(is_active=True, user__is_active=True)


class Membership(models.Model):
    """One role of one person in one organisation; several rows give several roles."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("roll"), max_length=20, choices=Role.choices)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "role"], name="unique_membership_role"),
        ]
        indexes = [models.Index(fields=["organisation", "role"])]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"


class CapabilityGrant(models.Model):
    """A capability given to one person in one organisation on top of their roles (e.g. identity)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="capability_grants")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    capability = models.CharField(max_length=40)
    granted_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "capability"], name="unique_grant"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.capability}"


def hash_reset_token(token: str) -> str:
    """Only this digest is stored: a copy of the database must not give working links."""
    return hashlib.sha256(token.encode()).hexdigest()


class AccountResetLinkQuerySet(models.QuerySet["AccountResetLink"]):
    def usable(self) -> AccountResetLinkQuerySet:
        return self.filter(used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())


class AccountResetLink(models.Model):
    """A one-time link an admin hands to a person so that the person, not the admin, sets a new
    password or enrols a new authenticator."""

    class Kind(models.TextChoices):
        PASSWORD = "password", _("nytt lösenord")
        TWO_FACTOR = "two_factor", _("ny autentiseringsapp")
        # A new person's first password and authenticator, in one visit.
        INVITATION = "invitation", _("inbjudan")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="reset_links")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    # Null when the platform operator issued it for a person in several organisations.
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # The person is told once, after their next login, that this link was made.
    notice_shown_at = models.DateTimeField(null=True, blank=True)

    objects = AccountResetLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_kind_display()}"


def reset_link_for_token(token: str) -> AccountResetLink | None:
    """The usable link for a token from a URL, else None (unknown, used, replaced or expired). The
    token is the only key: a link belongs to a person, not to the organisation reading it."""
    return (
        AccountResetLink.objects.usable()
        .filter(token_hash=hash_reset_token(token), user__is_active=True)
        .select_related("user", "organisation")
        .first()
    )
