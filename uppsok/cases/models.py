"""Persons, support cases, referrals, routine checklists, screening (issue 5).

A person is pseudonymous by default: alias, age band, gender identity, group and languages.
Identity fields exist but are only shown or edited with Cap.PERSONS_IDENTITY. Everything that
describes a person inherits OrgScopedModel and is read through uppsok.core.access.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from uppsok.core.models import OrgScopedModel

# --- Fixed lists -----------------------------------------------------------------------------


class AgeBand(models.TextChoices):
    UNDER_15 = "u15", _("Under 15 år")
    A15_17 = "15-17", _("15–17 år")
    A18_24 = "18-24", _("18–24 år")
    A25_34 = "25-34", _("25–34 år")
    A35_44 = "35-44", _("35–44 år")
    A45_54 = "45-54", _("45–54 år")
    A55 = "55+", _("55 år eller äldre")
    UNKNOWN = "unknown", _("Okänd ålder")


CHILD_AGE_BANDS = {AgeBand.UNDER_15, AgeBand.A15_17}


class GenderIdentity(models.TextChoices):
    WOMAN = "woman", _("Kvinna")
    MAN = "man", _("Man")
    TRANS = "trans", _("Transperson")
    NONBINARY = "nonbinary", _("Ickebinär")
    OTHER = "other", _("Annan")
    UNKNOWN = "unknown", _("Vill inte uppge / okänt")


class PopulationGroup(models.TextChoices):
    # The two groups outreach speaks of (seed 000): people from Sweden and from other countries.
    SWEDISH = "swedish", _("Svenska gruppen")
    FOREIGN = "foreign", _("Utländska gruppen")
    UNKNOWN = "unknown", _("Okänt")


class CaseOrigin(models.TextChoices):
    OUTREACH_ONLINE = "outreach_online", _("Uppsökande arbete online")
    OUTREACH_FIELD = "outreach_field", _("Uppsökande arbete på plats")
    TIP = "tip", _("Tips")
    POLICE_OPERATION = "police_operation", _("Polisinsats")
    CLIENT_SCREENING = "client_screening", _("Fråga vid klientmöte (screening)")
    SELF_REFERRAL = "self_referral", _("Personen tog själv kontakt")
    REFERRAL_IN = "referral_in", _("Remiss från annan verksamhet")
    OTHER = "other", _("Annat")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Pågående")
    CLOSED = "closed", _("Avslutat")


class NeedArea(models.TextChoices):
    # Seed 000 "Målgruppens behov": measure how many needs were met, by what the person expressed,
    # with one form at the start and the same form at the close.
    HOUSING = "housing", _("Boende")
    ECONOMY = "economy", _("Ekonomi och försörjning")
    HEALTH = "health", _("Hälsa och sjukvård")
    MENTAL_HEALTH = "mental_health", _("Psykisk hälsa och traumastöd")
    LEGAL = "legal", _("Juridisk rådgivning och polisanmälan")
    SAFETY = "safety", _("Skydd och säkerhet")
    OCCUPATION = "occupation", _("Sysselsättning, skola och utbildning")
    SUBSTANCE = "substance", _("Missbruk och beroende")
    RETURN = "return", _("Tryggt återvändande")
    NETWORK = "network", _("Socialt nätverk och nya sammanhang")
    CHILDREN = "children", _("Stöd till barn")
    COORDINATION = "coordination", _("Samordning av insatser")
    OTHER = "other", _("Annat behov")


class NeedMet(models.TextChoices):
    YES = "yes", _("Tillgodosett")
    PARTLY = "partly", _("Delvis tillgodosett")
    NO = "no", _("Inte tillgodosett")


class ActivityKind(models.TextChoices):
    SUPPORT_CONVERSATION = "support_conversation", _("Stödsamtal")
    PRACTICAL_HELP = "practical_help", _("Praktisk hjälp")
    ACCOMPANIMENT = "accompaniment", _("Ledsagning")
    REFERRAL = "referral", _("Remiss eller hänvisning")
    INFORMATION = "information", _("Information och rådgivning")
    OTHER = "other", _("Annat")


class IndicatorGroup(models.TextChoices):
    TRAFFICKING = "trafficking", _("Människohandel")
    PROSTITUTION = "prostitution", _("Prostitution")
    SEX_BUYING = "sex_buying", _("Köp av sexuella tjänster")


# Seed 001 "Indikationer på utsatthet" (Skellefteå): signs seen in person.
INDICATORS: list[tuple[str, str, str]] = [
    ("th_no_contact_family", IndicatorGroup.TRAFFICKING, _("Kan inte kontakta familj/vänner")),
    ("th_unknown_address", IndicatorGroup.TRAFFICKING, _("Känner ej till adress till sitt boende")),
    ("th_weak_economy", IndicatorGroup.TRAFFICKING, _("Har svag ekonomi")),
    ("th_others_speak", IndicatorGroup.TRAFFICKING, _("Andra för ens talan")),
    ("th_strain_injuries", IndicatorGroup.TRAFFICKING, _("Belastningsskador")),
    ("th_no_world_knowledge", IndicatorGroup.TRAFFICKING, _("Dålig eller obefintlig omvärldskunskap")),
    ("th_stressed_afraid", IndicatorGroup.TRAFFICKING, _("Stressad och/eller rädd")),
    ("pr_more_money", IndicatorGroup.PROSTITUTION, _("Rör sig med mer pengar än personen borde ha tillgång till")),
    ("pr_expensive_clothes", IndicatorGroup.PROSTITUTION, _("Klär sig i dyra kläder")),
    ("pr_school_absence", IndicatorGroup.PROSTITUTION, _("Skolfrånvaro mitt på dagen")),
    ("pr_sexting", IndicatorGroup.PROSTITUTION, _("Sexting – skriver sexuella meddelanden till andra")),
    ("pr_low_mood", IndicatorGroup.PROSTITUTION, _("Nedstämdhet")),
    (
        "pr_many_visitors",
        IndicatorGroup.PROSTITUTION,
        _("Spring i trappuppgångar/på hotellrum av okända eller många olika personer"),
    ),
    ("sb_strained_economy", IndicatorGroup.SEX_BUYING, _("Ansträngd ekonomi")),
    ("sb_pornography", IndicatorGroup.SEX_BUYING, _("Allt grövre pornografi före köp")),
    ("sb_shame", IndicatorGroup.SEX_BUYING, _("Skam som gör att få berättar om köpen")),
]
INDICATOR_CODES = [code for code, _group, _label in INDICATORS]
INDICATOR_LABELS = {code: label for code, _group, label in INDICATORS}


class YesNoUnknown(models.TextChoices):
    YES = "yes", _("Ja")
    NO = "no", _("Nej")
    UNKNOWN = "unknown", _("Vet inte / ej frågat")


class RiskLevel(models.TextChoices):
    LOW = "low", _("Låg")
    MEDIUM = "medium", _("Förhöjd")
    HIGH = "high", _("Hög – akut")


# --- Taxonomy ----------------------------------------------------------------------------------


class ExploitationType(models.Model):
    """Configurable case types (SPEC §2), mapped to IOM's Human Trafficking Case Data Standard.

    Platform-wide reference data, not personal data; new rows can be added without code changes.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    code = models.SlugField(_("kod"), max_length=40, unique=True)
    name = models.CharField(_("namn"), max_length=120)
    # IOM HTCDS "type of exploitation" where it matches; blank where the case is not trafficking.
    iom_category = models.CharField(_("IOM HTCDS-kategori"), max_length=60, blank=True)
    is_active = models.BooleanField(_("aktiv"), default=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("ärendetyp")
        verbose_name_plural = _("ärendetyper")

    def __str__(self) -> str:
        return self.name


# --- Person and case ---------------------------------------------------------------------------


class Person(OrgScopedModel):
    alias = models.CharField(_("alias"), max_length=80, help_text=_("Ett påhittat namn – aldrig det verkliga."))
    age_band = models.CharField(_("åldersgrupp"), max_length=10, choices=AgeBand.choices, default=AgeBand.UNKNOWN)
    gender_identity = models.CharField(
        _("könsidentitet"), max_length=12, choices=GenderIdentity.choices, default=GenderIdentity.UNKNOWN
    )
    population_group = models.CharField(
        _("grupp"), max_length=10, choices=PopulationGroup.choices, default=PopulationGroup.UNKNOWN
    )
    languages = models.CharField(_("språk"), max_length=200, blank=True, help_text=_("Till exempel: rumänska, engelska"))
    # Identity: only with Cap.PERSONS_IDENTITY, and only where the organisation's work needs it.
    real_name = models.CharField(_("verkligt namn"), max_length=200, blank=True)
    personal_number = models.CharField(_("person- eller samordningsnummer"), max_length=20, blank=True)
    birth_date = models.DateField(_("födelsedatum"), null=True, blank=True)
    identity_note = models.TextField(_("anteckning om identitet"), blank=True)

    IDENTITY_FIELDS = ("real_name", "personal_number", "birth_date", "identity_note")

    class Meta:
        ordering = ["alias"]
        verbose_name = _("person")
        verbose_name_plural = _("personer")
        indexes = [models.Index(fields=["organisation", "alias"])]

    def __str__(self) -> str:
        return self.alias


class Case(OrgScopedModel):
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="cases")
    case_type = models.ForeignKey(ExploitationType, on_delete=models.PROTECT, verbose_name=_("ärendetyp"))
    origin = models.CharField(_("hur ärendet startade"), max_length=24, choices=CaseOrigin.choices)
    status = models.CharField(_("status"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    case_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("stödperson/handläggare"),
    )
    opened_on = models.DateField(_("startdatum"), default=timezone.localdate)
    closed_on = models.DateField(_("avslutsdatum"), null=True, blank=True)
    close_note = models.CharField(_("anledning till avslut"), max_length=300, blank=True)
    recontact_on = models.DateField(_("påminnelse om återkontakt"), null=True, blank=True)
    next_meeting_at = models.DateTimeField(_("nästa möte"), null=True, blank=True)
    routine = models.ForeignKey(
        "cases.RoutineTemplate", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Outreach hands over inside the organisation: the ad or contact the case started from.
    source_ad = models.ForeignKey(
        "outreach.Ad", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("startade från annons"),
    )
    source_contact = models.ForeignKey(
        "outreach.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("startade från kontakt"),
    )
    # Set when retention anonymised the case: only statistics-grade fields remain.
    anonymised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_on", "-created_at"]
        verbose_name = _("ärende")
        verbose_name_plural = _("ärenden")
        indexes = [
            models.Index(fields=["organisation", "status", "-opened_on"], name="case_org_status_opened"),
            # Covering (PostgreSQL): the case list pages through ids with an index-only scan.
            models.Index(
                fields=["organisation", "-opened_on", "-created_at"], include=["id", "anonymised_at"],
                name="case_org_opened_cov",
            ),
            models.Index(fields=["organisation", "case_worker", "status"], name="case_org_worker"),
            models.Index(fields=["organisation", "status", "closed_on"], name="case_org_closed"),
        ]

    def __str__(self) -> str:
        return f"{self.reference}"

    @property
    def reference(self) -> str:
        return "Ä-" + str(self.pk)[:8].upper()

    @property
    def is_open(self) -> bool:
        return self.status == CaseStatus.OPEN


class CaseNeed(OrgScopedModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="needs")
    area = models.CharField(_("behovsområde"), max_length=20, choices=NeedArea.choices)
    expressed_at_start = models.BooleanField(_("uttryckt vid start"), default=False)
    met_at_close = models.CharField(_("vid avslut"), max_length=8, choices=NeedMet.choices, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "area"], name="unique_case_need")]
        ordering = ["area"]


class SupportActivity(OrgScopedModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="activities")
    kind = models.CharField(_("typ av stöd"), max_length=24, choices=ActivityKind.choices)
    date = models.DateField(_("datum"), default=timezone.localdate)
    duration_minutes = models.PositiveIntegerField(_("tid (minuter)"))
    note = models.CharField(_("kort anteckning"), max_length=500, blank=True)
    performed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-date", "-created_at"]


class IndicatorObservation(OrgScopedModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(max_length=40)
    observed_on = models.DateField(default=timezone.localdate)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "code"], name="unique_case_indicator")]

    @property
    def label(self) -> str:
        return str(INDICATOR_LABELS.get(self.code, self.code))


class SafetyAssessment(OrgScopedModel):
    """Seed 000 "Säkerhets- och riskbedömning": the questions to ask after a meeting."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="safety_assessments")
    assessed_on = models.DateField(_("datum"), default=timezone.localdate)
    safe_when_leaving = models.CharField(
        _("Är du säker när du går härifrån?"), max_length=8, choices=YesNoUnknown.choices
    )
    wants_done = models.TextField(_("Vad vill du att vi gör kring att du inte är säker?"), blank=True)
    controlled_by_other = models.CharField(
        _("Kontrolleras personen av någon annan (hallick, kopplare, människohandlare)?"),
        max_length=8,
        choices=YesNoUnknown.choices,
    )
    safe_contact_way = models.CharField(
        _("Hur kan vi ha kontakt utan att någon annan får veta?"), max_length=300, blank=True
    )
    children_involved = models.CharField(
        _("Finns det barn i familjen? (orosanmälan till socialtjänsten)"), max_length=8, choices=YesNoUnknown.choices
    )
    under_influence = models.CharField(
        _("Var personen påverkad av något preparat?"), max_length=8, choices=YesNoUnknown.choices,
        default=YesNoUnknown.UNKNOWN,
    )
    risk_level = models.CharField(_("samlad bedömning"), max_length=8, choices=RiskLevel.choices)
    actions_taken = models.TextField(_("åtgärder (t.ex. polis, socialjour, skyddat boende)"), blank=True)
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-assessed_on", "-created_at"]


class ConsentKind(models.TextChoices):
    SHARE_REFERRAL = "share_referral", _("Dela en sammanfattning vid remiss")
    CONTACT_OTHER = "contact_other", _("Kontakta annan aktör om personen")
    STORE_IDENTITY = "store_identity", _("Spara uppgifter om identitet")
    OTHER = "other", _("Annat")


def _same_recipient(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


class ConsentQuerySet(models.QuerySet["Consent"]):
    def for_sharing(self) -> ConsentQuerySet:
        """Consents a referral can rest on: to share a summary, and not withdrawn."""
        return self.filter(kind=ConsentKind.SHARE_REFERRAL, withdrawn_on__isnull=True)


class Consent(OrgScopedModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consents")
    kind = models.CharField(_("vad samtycket gäller"), max_length=20, choices=ConsentKind.choices)
    scope = models.CharField(_("vad som får delas eller göras"), max_length=300)
    to_whom = models.CharField(_("till vem"), max_length=200)
    to_organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("organisation på plattformen"),
    )
    given_on = models.DateField(_("samtycke lämnat"), default=timezone.localdate)
    withdrawn_on = models.DateField(_("samtycke återkallat"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-given_on", "-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.to_whom} ({self.given_on:%Y-%m-%d})"

    objects = ConsentQuerySet.as_manager()

    @property
    def is_active(self) -> bool:
        return self.withdrawn_on is None

    @property
    def recipient_name(self) -> str:
        return self.to_organisation.name if self.to_organisation_id else self.to_whom

    def binds(self, *, to_organisation_id: Any = None, external_recipient: str = "") -> bool:
        """True when a referral to exactly this recipient may rest on this consent.

        A recipient on the platform must be the consent's organisation; one outside the platform must
        be the consent's written recipient, and the consent must not name an organisation on the platform.
        """
        if self.kind != ConsentKind.SHARE_REFERRAL or self.withdrawn_on is not None:
            return False
        if to_organisation_id is not None:
            return self.to_organisation_id == to_organisation_id
        return self.to_organisation_id is None and bool(external_recipient.strip()) and _same_recipient(
            self.to_whom, external_recipient
        )


class ReferralStatus(models.TextChoices):
    PENDING = "pending", _("Väntar på svar")
    ACCEPTED = "accepted", _("Accepterad")
    DECLINED = "declined", _("Avböjd")
    WITHDRAWN = "withdrawn", _("Stoppad – samtycket återkallat")
    EXTERNAL = "external", _("Utanför plattformen (PDF)")


class Referral(OrgScopedModel):
    """A referral: `organisation` is the sender, `to_organisation` the receiver on the platform.

    The receiver sees only this row's `summary` (what the person agreed to share), through
    uppsok.cases.access.incoming_referrals — never the case behind it.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    to_organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("mottagande organisation"),
    )
    external_recipient = models.CharField(_("mottagare utanför plattformen"), max_length=200, blank=True)
    consent = models.ForeignKey(
        Consent, null=True, blank=True, on_delete=models.SET_NULL, related_name="referrals", verbose_name=_("samtycke")
    )
    override_reason = models.TextField(_("motivering för remiss utan samtycke"), blank=True)
    summary = models.TextField(_("sammanfattning som personen har godkänt att dela"))
    status = models.CharField(max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.PENDING)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    responded_at = models.DateTimeField(null=True, blank=True)
    response_note = models.CharField(_("kommentar till avsändaren"), max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["to_organisation", "status", "-created_at"], name="referral_incoming")]

    @property
    def recipient_name(self) -> str:
        return self.to_organisation.name if self.to_organisation_id else self.external_recipient

    @property
    def consent_binds(self) -> bool:
        """Whether the recorded consent covers this referral's recipient (rows made before the rule may not)."""
        return self.consent is not None and self.consent.binds(
            to_organisation_id=self.to_organisation_id, external_recipient=self.external_recipient
        )

    @property
    def has_basis(self) -> bool:
        """A binding consent, or the override with its written reason (not a consent deleted since)."""
        return self.consent_binds or (self.consent_id is None and bool(self.override_reason.strip()))


# --- Routines for individual cases (belong to a network) ---------------------------------------


class RoutineTemplate(models.Model):
    """A network's routine for individual cases (seed 004 step 7, seed 002)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    network = models.ForeignKey("network.Network", on_delete=models.CASCADE, related_name="case_routines")
    name = models.CharField(_("namn"), max_length=200)
    goal = models.TextField(_("mål"), blank=True)
    is_active = models.BooleanField(_("aktiv"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("rutin för enskilda ärenden")
        constraints = [models.UniqueConstraint(fields=["network", "name"], name="unique_routine_name")]

    def __str__(self) -> str:
        return self.name


class RoutineStep(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    routine = models.ForeignKey(RoutineTemplate, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("ordning"))
    title = models.CharField(_("vad"), max_length=200)
    actor = models.CharField(_("vilken aktör"), max_length=200)
    how_to_reach = models.CharField(_("hur aktören nås"), max_length=300, blank=True)
    when = models.CharField(_("när"), max_length=200, blank=True)
    due_days = models.PositiveSmallIntegerField(
        _("klart inom (dagar från ärendets start)"), null=True, blank=True
    )

    class Meta:
        ordering = ["routine", "order"]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"


class RoutineChangeNotice(models.Model):
    """Tells a network's members that a coordinator changed a routine: who, when and which parts.

    Only field names and step numbers are kept — the routine itself holds the text, and nothing here
    describes a person in a case.
    """

    class Kind(models.TextChoices):
        CREATED = "created", _("Ny rutin")
        CHANGED = "changed", _("Ändrad rutin")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    network = models.ForeignKey("network.Network", on_delete=models.CASCADE, related_name="routine_notices")
    routine = models.ForeignKey(RoutineTemplate, on_delete=models.CASCADE, related_name="change_notices")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)
    # Comma-separated routine field names (name, goal, is_active) and step numbers that differ.
    fields = models.CharField(max_length=200, blank=True)
    steps = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-changed_at"]
        indexes = [models.Index(fields=["network", "-changed_at"], name="routine_notice_recent")]

    def __str__(self) -> str:
        return f"{self.routine} ({self.get_kind_display()}, {self.changed_at:%Y-%m-%d})"

    def changed_parts(self) -> list[str]:
        labels = [
            str(RoutineTemplate._meta.get_field(name).verbose_name) for name in self.fields.split(",") if name
        ]
        if self.steps:
            labels.append(str(_("steg %(numbers)s")) % {"numbers": self.steps.replace(",", ", ")})
        return labels


class StepStatus(models.TextChoices):
    TODO = "todo", _("Att göra")
    DONE = "done", _("Klart")
    NOT_APPLICABLE = "na", _("Ej aktuellt")


class CaseRoutineStep(OrgScopedModel):
    """One step of the routine on one case; copies the step text so later edits do not rewrite history."""

    contains_personal_data = False
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="routine_steps")
    step = models.ForeignKey(RoutineStep, null=True, on_delete=models.SET_NULL, related_name="+")
    order = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    actor = models.CharField(max_length=200)
    how_to_reach = models.CharField(max_length=300, blank=True)
    when = models.CharField(max_length=200, blank=True)
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=4, choices=StepStatus.choices, default=StepStatus.TODO)
    done_on = models.DateField(null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["order"]
        indexes = [models.Index(fields=["organisation", "status", "due_on"], name="routine_step_due")]


# --- Screening (seed 003) ----------------------------------------------------------------------


class ScreeningAnswer(models.TextChoices):
    YES = "yes", _("Ja, har erfarenhet av sex mot ersättning")
    NO = "no", _("Nej")
    DECLINED = "declined", _("Vill inte svara")


class ScreeningRecord(OrgScopedModel):
    """Per client meeting: was the question about sex for compensation asked, and the answer.

    No client identity at all; only counts per period are ever shown.
    """

    contains_personal_data = False
    meeting_date = models.DateField(_("datum för klientmötet"), default=timezone.localdate)
    asked = models.BooleanField(_("frågan ställdes"))
    answer = models.CharField(_("svar"), max_length=10, choices=ScreeningAnswer.choices, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-meeting_date"]
        indexes = [models.Index(fields=["organisation", "meeting_date"], name="screening_org_date")]
