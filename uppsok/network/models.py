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
    # Cells of the network's shared statistics below this are suppressed (with complements).
    stats_k = models.PositiveSmallIntegerField(_("minsta antal som visas i nätverkets statistik"), default=5)
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


class Meeting(NetworkScopedModel):
    """A network meeting: booked with its agenda, then its minutes, decisions and follow-ups."""

    title = models.CharField(_("rubrik"), max_length=200)
    starts_at = models.DateTimeField(_("börjar"))
    ends_at = models.DateTimeField(_("slutar"), null=True, blank=True)
    place = models.CharField(_("plats"), max_length=200, blank=True)
    agenda = models.TextField(_("dagordning"), blank=True)
    minutes = models.TextField(_("minnesanteckningar"), blank=True)
    participant_organisations = models.ManyToManyField(
        "accounts.Organisation", blank=True, related_name="+", verbose_name=_("deltagande organisationer")
    )
    other_participants = models.TextField(_("övriga deltagare"), blank=True,
                                          help_text=_("Organisationer utanför Uppsök, en per rad."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["network", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.title} {self.starts_at:%Y-%m-%d}"


class MeetingDecision(NetworkScopedModel):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField(_("beslut"))

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.text[:60]


class FollowUp(NetworkScopedModel):
    """Something a meeting agreed that someone does by a date; it shows on the responsible
    organisation's start page until it is done."""

    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.CASCADE, related_name="follow_ups")
    what = models.CharField(_("vad"), max_length=500)
    responsible_organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("ansvarig organisation"),
    )
    responsible_name = models.CharField(_("ansvarig (utanför Uppsök)"), max_length=200, blank=True)
    due_on = models.DateField(_("klart senast"), null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["done_at", "due_on", "created_at"]

    def __str__(self) -> str:
        return self.what[:60]


class SubGoal(NetworkScopedModel):
    """A sub-goal of the collaboration plan (step 6), with yearly numeric targets and activities."""

    order = models.PositiveSmallIntegerField(default=1)
    title = models.CharField(_("delmål"), max_length=300)
    description = models.TextField(_("beskrivning"), blank=True)

    class Meta:
        ordering = ["order", "created_at"]

    def __str__(self) -> str:
        return self.title


class YearlyTarget(NetworkScopedModel):
    """A numeric target of a sub-goal for one year, and the outcome entered at the annual follow-up."""

    sub_goal = models.ForeignKey(SubGoal, on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveSmallIntegerField(_("år"))
    measure = models.CharField(_("mått"), max_length=200, help_text=_("Till exempel: antal utbildade hotellanställda."))
    target = models.PositiveIntegerField(_("mål"))
    outcome = models.PositiveIntegerField(_("utfall"), null=True, blank=True)
    comment = models.TextField(_("kommentar"), blank=True)
    # A measure of the network's statistics (its key) whose published total fills the outcome in.
    stats_measure = models.CharField(_("kopplat till statistikmått"), max_length=60, blank=True)

    class Meta:
        ordering = ["year", "measure"]
        constraints = [
            models.UniqueConstraint(fields=["sub_goal", "year", "measure"], name="unique_target_per_year_measure"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.measure}: {self.target}"


class PlanActivity(NetworkScopedModel):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planerad")
        ONGOING = "ongoing", _("Pågår")
        DONE = "done", _("Genomförd")
        NOT_DONE = "not_done", _("Inte genomförd")

    sub_goal = models.ForeignKey(SubGoal, on_delete=models.CASCADE, related_name="activities")
    year = models.PositiveSmallIntegerField(_("år"))
    what = models.CharField(_("aktivitet"), max_length=500)
    responsible = models.CharField(_("ansvarig aktör"), max_length=200)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)

    class Meta:
        ordering = ["year", "created_at"]

    def __str__(self) -> str:
        return self.what[:60]


class AnnualReview(NetworkScopedModel):
    """The annual follow-up of one sub-goal: what the year showed and what the next year needs."""

    sub_goal = models.ForeignKey(SubGoal, on_delete=models.CASCADE, related_name="reviews")
    year = models.PositiveSmallIntegerField(_("år"))
    summary = models.TextField(_("sammanfattning av året"), blank=True)
    needs_next_year = models.TextField(_("behov inför nästa år"), blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sub_goal", "year"], name="unique_review_per_year")]

    def __str__(self) -> str:
        return f"{self.sub_goal} {self.year}"


class SectorSurvey(NetworkScopedModel):
    """The handbook's survey of what actors in the town see (step 2), answered through links."""

    title = models.CharField(_("rubrik"), max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class SurveyLink(NetworkScopedModel):
    """One respondent's one-time link: an actor (a hotel, a nail salon), never a person's name."""

    survey = models.ForeignKey(SectorSurvey, on_delete=models.CASCADE, related_name="links")
    respondent = models.CharField(_("aktör"), max_length=200, help_text=_("T.ex. Hotell Kungen eller en nagelsalong."))
    sector = models.CharField(_("bransch"), max_length=100, blank=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.respondent


class SurveyAnswer(NetworkScopedModel):
    survey = models.ForeignKey(SectorSurvey, on_delete=models.CASCADE, related_name="answers")
    link = models.OneToOneField(SurveyLink, on_delete=models.CASCADE, related_name="answer")
    sector = models.CharField(max_length=100, blank=True)
    answers = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"svar {self.link_id}"


class Stakeholder(NetworkScopedModel):
    """A row of the stakeholder analysis (step 3): an actor, not a person, with its influence and
    its support for the work, each 1–5."""

    class Level(models.TextChoices):
        NETWORKING = "networking", _("Nätverka (utbyta information)")
        COORDINATING = "coordinating", _("Koordinera (anpassa verksamheterna)")
        COOPERATING = "cooperating", _("Samarbeta (dela resurser)")
        COLLABORATING = "collaborating", _("Samverka (gemensamma mål och ansvar)")

    actor = models.CharField(_("aktör"), max_length=200)
    influence = models.PositiveSmallIntegerField(_("organisationens påverkansgrad (1–5)"))
    support = models.PositiveSmallIntegerField(_("upplevt stöd för arbetet (1–5)"))
    reason = models.CharField(_("anledning till stöd eller motstånd"), max_length=500, blank=True)
    action = models.CharField(_("insats för att öka stöd eller avhjälpa motstånd"), max_length=500, blank=True)
    result = models.CharField(_("resultat av insatsen"), max_length=500, blank=True)
    contact_person = models.CharField(_("kontaktperson"), max_length=200, blank=True)
    comment = models.TextField(_("kommentar"), blank=True)
    level = models.CharField(_("nivå av samverkan"), max_length=20, choices=Level.choices, blank=True)

    class Meta:
        ordering = ["-influence", "-support", "actor"]
        constraints = [
            models.CheckConstraint(condition=models.Q(influence__gte=1, influence__lte=5), name="stakeholder_influence_1_5"),
            models.CheckConstraint(condition=models.Q(support__gte=1, support__lte=5), name="stakeholder_support_1_5"),
        ]

    def __str__(self) -> str:
        return self.actor


def _resource_path(instance: Resource, filename: str) -> str:
    import os

    ext = os.path.splitext(filename)[1].lower()[:10]
    return f"network/{instance.network_id}/{uuid.uuid4().hex}{ext}"


class Resource(NetworkScopedModel):
    """An entry of the knowledge bank (step 4): a link or a file the network shares."""

    class Category(models.TextChoices):
        KNOWLEDGE = "knowledge", _("Kunskapsstöd")
        TRAINING = "training", _("Utbildning")
        TOOL = "tool", _("Verktyg och mallar")
        LAW = "law", _("Lag och rättigheter")
        SUPPORT = "support", _("Stöd och hjälp")
        MAPPING = "mapping", _("Kartläggning och statistik")
        OTHER = "other", _("Övrigt")

    title = models.CharField(_("titel"), max_length=300)
    url = models.URLField(_("länk"), max_length=1000, blank=True)
    file = models.FileField(_("fil"), upload_to=_resource_path, blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    category = models.CharField(_("kategori"), max_length=20, choices=Category.choices, default=Category.KNOWLEDGE)
    focus = models.CharField(_("fokusområde"), max_length=200, blank=True,
                             help_text=_("T.ex. sexuell exploatering, arbetskraftsexploatering, barn."))
    description = models.TextField(_("beskrivning"), blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    checked_on = models.DateField(_("senast kontrollerad"), null=True, blank=True)

    class Meta:
        ordering = ["category", "title"]

    def __str__(self) -> str:
        return self.title


class DirectoryEntry(models.Model):
    """An entry of the directory: shipped national entries (no network) from the source documents,
    and a network's own local entries. Organisations and functions, never private persons."""

    class Kind(models.TextChoices):
        EMERGENCY = "emergency", _("Polis och larm")
        NATIONAL_LINE = "national_line", _("Nationell rådgivning och stödlinje")
        SUPPORT = "support", _("Stödverksamhet")
        NATIONAL_ORG = "national_org", _("Riksorganisation")
        CLINIC = "clinic", _("Mottagning (Mika, Evonhuset m.fl.)")
        REGIONAL_COORDINATOR = "regional_coordinator", _("Regionkoordinator")
        POLICE_REGION = "police_region", _("Polisregion")
        SOCIAL_SERVICES = "social_services", _("Socialtjänst (orosanmälan)")
        LOCAL = "local", _("Lokal aktör")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # stable key of a shipped entry, so that a newer data file updates it instead of adding a copy
    key = models.SlugField(max_length=80, blank=True)
    network = models.ForeignKey(Network, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("typ"), max_length=24, choices=Kind.choices)
    name = models.CharField(_("namn"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True)
    phone = models.CharField(_("telefon"), max_length=60, blank=True)
    website = models.URLField(_("webbplats"), max_length=500, blank=True)
    email = models.EmailField(_("e-post"), blank=True)
    area = models.CharField(_("område"), max_length=300, blank=True, help_text=_("Län, region eller kommun."))
    takes_orosanmalan = models.BooleanField(_("tar emot orosanmälan"), default=False)
    source = models.CharField(_("källa"), max_length=300, blank=True)
    checked_on = models.DateField(_("kontrollerad"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["key"], condition=~models.Q(key=""), name="unique_directory_key"),
        ]

    def __str__(self) -> str:
        return self.name
