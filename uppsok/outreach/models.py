"""Online outreach: platforms, ads and their indicators, contacts, do-not-contact, tips, shifts, safety.

Every row belongs to one organisation (OrgScopedModel) except `NetworkContactMark`, which a network
shares and which holds only a keyed hash of a phone or profile, never the value itself.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from uppsok.core.models import OrgScopedModel

INDICATOR_LABELS: dict[str, str] = {
    "third_person": _("Annonsen är skriven i tredje person"),
    "same_place_photos": _("Bilder tagna på samma plats för flera profiler"),
    "shared_phone": _("Samma telefonnummer i flera annonser eller serienummer"),
    "offers_everything": _("Erbjuder ”allt”, även sex utan kondom"),
    "low_price": _("Lågt pris jämfört med vad som är vanligt i Sverige"),
    "language_mismatch": _("Annonsen på t.ex. engelska men personen behärskar inte språket vid kontakt"),
    "not_from_sweden": _("Personen kommer inte från Sverige"),
    "face_visible": _("Ansiktet syns på bilderna"),
    "moves_between_cities": _("Profilen byter ort"),
    "do_not_talk": _("Köparen uppmanas att inte prata med personen vid mötet"),
    "swedish_ad_speaks_english": _("Svensk annons men personen talar engelska vid mötet"),
    "bdsm_third_party": _("BDSM där en tredje person alltid är med"),
    "possible_minor": _("Personen kan vara under 18 år"),
    # Contact-time signs (seed 000 "Viktigt vid första kontakten"), added by the worker.
    "contact_address_at_once": _("Vid kontakt: adress direkt"),
    "contact_price_list": _("Vid kontakt: prislista"),
    "contact_no_condom_price": _("Vid kontakt: pris för sex utan kondom"),
    "contact_silence": _("Vid kontakt: tystnad efter att vi presenterat oss"),
}
MANUAL_INDICATOR_CODES = (
    "language_mismatch",
    "possible_minor",
    "do_not_talk",
    "swedish_ad_speaks_english",
    "bdsm_third_party",
    "not_from_sweden",
    # the photos a worker saw where the engine had none (photo not uploaded) or missed it
    "face_visible",
    "same_place_photos",
    "contact_address_at_once",
    "contact_price_list",
    "contact_no_condom_price",
    "contact_silence",
)
LINK_REASON_LABELS: dict[str, str] = {
    "same_phone": _("samma telefonnummer"),
    "serial_phone": _("närliggande serienummer"),
    "same_image": _("samma bild"),
    "similar_text": _("nästan samma text"),
    "same_profile": _("samma profil"),
}


class Platform(OrgScopedModel):
    contains_personal_data = False

    class Kind(models.TextChoices):
        ESCORT = "escort", _("Sexköpssida/eskortsida")
        SUGAR = "sugar", _("Sugardejting")
        SOCIAL = "social", _("Sociala medier")
        OTHER = "other", _("Annan")

    name = models.CharField(_("namn"), max_length=200)
    kind = models.CharField(_("typ"), max_length=16, choices=Kind.choices, default=Kind.ESCORT)
    address = models.CharField(_("adress"), max_length=300, help_text=_("Till exempel rosasidan.ws"))
    notes = models.TextField(
        _("anteckningar"), blank=True, help_text=_("Betalväggar, premiumkonto krävs, stängda konton …")
    )
    covered = models.BooleanField(_("vi arbetar på plattformen"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("plattform")
        verbose_name_plural = _("plattformar")
        constraints = [models.UniqueConstraint(fields=["organisation", "address"], name="unique_platform_address")]

    def __str__(self) -> str:
        return self.name


class PlatformAccount(OrgScopedModel):
    contains_personal_data = False

    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="accounts")
    account_name = models.CharField(_("kontonamn"), max_length=200)
    opened_on = models.DateField(_("öppnat"), null=True, blank=True)
    closed_on = models.DateField(_("stängt"), null=True, blank=True)
    notes = models.CharField(_("anteckning"), max_length=300, blank=True)

    class Meta:
        ordering = ["platform__name", "account_name"]
        verbose_name = _("konto på plattform")
        verbose_name_plural = _("konton på plattformar")


class Ad(OrgScopedModel):
    class Status(models.TextChoices):
        NEW = "new", _("Ny")
        REVIEWED = "reviewed", _("Granskad")
        CONTACTED = "contacted", _("Kontaktad")
        FOLLOW_UP = "follow_up", _("Följs upp")
        CLOSED = "closed", _("Avslutad")

    # How the ad is recognised when seen again: its address, else the id it was imported with.
    fingerprint = models.CharField(max_length=300)
    external_id = models.CharField(_("id vid import"), max_length=200, blank=True)
    site = models.CharField(_("webbplats"), max_length=120, blank=True)
    platform = models.ForeignKey(Platform, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    url = models.CharField(_("adress"), max_length=500, blank=True)
    city = models.CharField(_("ort"), max_length=120, blank=True)
    profile_name = models.CharField(_("profilnamn"), max_length=200, blank=True)
    # casefolded profile name for search and do-not-contact
    profile_key = models.CharField(max_length=200, blank=True)
    title = models.CharField(_("rubrik"), max_length=300, blank=True)
    text = models.TextField(_("annonstext"), blank=True)
    price = models.CharField(_("pris"), max_length=100, blank=True)
    stated_age = models.PositiveSmallIntegerField(_("uppgiven ålder"), null=True, blank=True)
    nationality = models.CharField(_("uppgiven nationalitet"), max_length=100, blank=True)
    language = models.CharField(_("språk"), max_length=8, blank=True)
    prices_sek = models.JSONField(default=list, blank=True)
    first_seen = models.DateTimeField(_("först sedd"))
    last_seen = models.DateTimeField(_("senast sedd"))
    still_active = models.BooleanField(_("annonsen är aktiv"), default=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.NEW)
    group_key = models.CharField(_("grupp"), max_length=220, blank=True)
    indicator_count = models.PositiveSmallIntegerField(default=0)
    analysed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-last_seen"]
        verbose_name = _("annons")
        verbose_name_plural = _("annonser")
        constraints = [models.UniqueConstraint(fields=["organisation", "fingerprint"], name="unique_ad_fingerprint")]
        indexes = [
            models.Index(fields=["organisation", "-last_seen"], name="ad_org_last_seen"),
            models.Index(fields=["organisation", "site", "-last_seen"], name="ad_org_site"),
            models.Index(fields=["organisation", "city", "-last_seen"], name="ad_org_city"),
            models.Index(fields=["organisation", "group_key"], name="ad_org_group"),
            models.Index(fields=["organisation", "status", "-last_seen"], name="ad_org_status"),
            # by name, and by name and site with the ad's id in it: the profile look-up of an
            # analysis reads a common name's thousands of entries without the ads' rows
            models.Index(fields=["organisation", "profile_key", "site", "id"], name="ad_org_profile_site"),
            # the list sorted by "most indicators first" (ORDER BY indicator_count DESC, id DESC)
            models.Index(fields=["organisation", "-indicator_count", "-id"], name="ad_org_indicators"),
        ]

    def __str__(self) -> str:
        return self.title or self.profile_name or str(self.pk)[:8]


class AdPhone(models.Model):
    """A phone number of an ad in E.164, for search, grouping and do-not-contact warnings."""

    ad = models.ForeignKey(Ad, on_delete=models.CASCADE, related_name="phones")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    e164 = models.CharField(max_length=20)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ad", "e164"], name="unique_ad_phone")]
        indexes = [models.Index(fields=["organisation", "e164"], name="adphone_org_e164")]

    def __str__(self) -> str:
        return self.e164


class Sighting(models.Model):
    """One time the ad was seen: the timeline of towns and dates."""

    ad = models.ForeignKey(Ad, on_delete=models.CASCADE, related_name="sightings")
    seen_at = models.DateTimeField(_("sedd"))
    city = models.CharField(_("ort"), max_length=120, blank=True)
    site = models.CharField(_("webbplats"), max_length=120, blank=True)
    source = models.CharField(max_length=16, default="capture")

    class Meta:
        ordering = ["seen_at"]
        indexes = [models.Index(fields=["ad", "seen_at"], name="sighting_ad_seen")]

    def __str__(self) -> str:
        return f"{self.seen_at:%Y-%m-%d} {self.city}"


def _ad_image_path(instance: AdImage, filename: str) -> str:
    return f"outreach/ads/{instance.organisation_id}/{uuid.uuid4().hex}.jpg"


class AdImage(models.Model):
    """The engine's features of a photo (`analysis.images.analyse_image`); the photo itself only
    when the organisation keeps images.

    `ph0`…`ph4` and `bg0`…`bg4` are the hashes cut into five bands (`analysis_adapter.hash_bands`):
    two hashes the engine counts as the same photo or room (at most 4 of 64 bits apart) agree on at
    least one band, so an indexed equality finds the photos an analysis must take in as context.
    """

    ad = models.ForeignKey(Ad, on_delete=models.CASCADE, related_name="images")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    phash = models.CharField(max_length=16)
    bghash = models.CharField(max_length=16, blank=True)
    face = models.BooleanField(default=False)
    image = models.FileField(upload_to=_ad_image_path, blank=True)
    ph0 = models.PositiveSmallIntegerField(null=True, editable=False)
    ph1 = models.PositiveSmallIntegerField(null=True, editable=False)
    ph2 = models.PositiveSmallIntegerField(null=True, editable=False)
    ph3 = models.PositiveSmallIntegerField(null=True, editable=False)
    ph4 = models.PositiveSmallIntegerField(null=True, editable=False)
    bg0 = models.PositiveSmallIntegerField(null=True, editable=False)
    bg1 = models.PositiveSmallIntegerField(null=True, editable=False)
    bg2 = models.PositiveSmallIntegerField(null=True, editable=False)
    bg3 = models.PositiveSmallIntegerField(null=True, editable=False)
    bg4 = models.PositiveSmallIntegerField(null=True, editable=False)

    class Meta:
        indexes = [
            models.Index(fields=["organisation", f"{kind}{k}"], name=f"adimage_org_{kind}{k}")
            for kind in ("ph", "bg")
            for k in range(5)
        ]

    def __str__(self) -> str:
        return self.phash


class AdTextFeature(models.Model):
    """One distinct text feature of an ad (`uppsok.analysis.text_features`): the organisation's
    whole history as the engine's linking sees it, so a new ad is analysed together with every
    earlier ad that shares its specific text, however old or far down the list.

    `feature` is the engine's unsigned 32-bit value stored as a signed integer
    (`analysis_adapter.feature_to_db`/`feature_from_db`). The rows go with their ad (retention,
    do-not-contact deletions) and are replaced whenever the ad is analysed again.
    """

    # the unique (ad, feature) constraint leads with the ad and serves its look-ups and deletes
    ad = models.ForeignKey(Ad, on_delete=models.CASCADE, related_name="text_features", db_index=False)
    # the (organisation, feature, ad) index leads with the organisation and serves its deletes
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    feature = models.IntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ad", "feature"], name="unique_ad_text_feature")]
        # (organisation, feature) finds the ads sharing a feature; with the ad in it the candidate
        # count is answered from the index alone
        indexes = [models.Index(fields=["organisation", "feature", "ad"], name="adtextfeature_org_feature")]

    def __str__(self) -> str:
        return str(self.feature)


class StockTextFeature(models.Model):
    """A text feature in more of the organisation's ads than any stock bound allows
    (`analysis_adapter.SATURATED_ADS`): a stock phrase for good. Its AdTextFeature rows are
    dropped and no new ones are kept — most of an ad's features are such phrases, and they
    never find an ad's history, only tell the engine what to leave out. Not personal data: a
    hash of a phrase hundreds of ads use.
    """

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    feature = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "feature"], name="unique_org_stock_text_feature")
        ]

    def __str__(self) -> str:
        return str(self.feature)


class AdIndicator(models.Model):
    class Source(models.TextChoices):
        AUTO = "auto", _("Hittad av analysen")
        MANUAL = "manual", _("Tillagd av uppsökare")

    class Status(models.TextChoices):
        FOUND = "found", _("Ej bedömd")
        CONFIRMED = "confirmed", _("Bekräftad")
        DISMISSED = "dismissed", _("Avfärdad")

    ad = models.ForeignKey(Ad, on_delete=models.CASCADE, related_name="indicators")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    code = models.CharField(_("indikator"), max_length=40)
    evidence = models.TextField(_("underlag"), blank=True)
    # The engine's parts of the evidence ("quote" and "trigger", or "facts"; see uppsok.analysis),
    # so the page words it in the viewer's language and marks exactly the words that matched;
    # empty for a manual indicator and rows analysed before it existed (then `evidence` is shown).
    evidence_data = models.JSONField(default=dict, blank=True)
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.AUTO)
    status = models.CharField(_("bedömning"), max_length=10, choices=Status.choices, default=Status.FOUND)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # Why a worker dismissed it (required then): a dismissed sign is left out of a tip, so the
    # reason must be there for whoever reads the ad later.
    decision_reason = models.TextField(_("skäl"), blank=True)

    class Meta:
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["ad", "code", "source"], name="unique_ad_indicator")]
        indexes = [models.Index(fields=["organisation", "code", "status"], name="adind_org_code")]

    def __str__(self) -> str:
        return self.code

    @property
    def label(self) -> str:
        return str(INDICATOR_LABELS.get(self.code, self.code))

    @property
    def decider(self) -> str:
        """Who decided, as the ad page names them ("–" once the account is gone)."""
        user = self.decided_by
        return (user.get_full_name() or user.get_username()) if user else "–"


class AdLink(models.Model):
    """Two ads that belong together and why (reasons from the analysis engine)."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    # no index of its own: the unique (from_ad, to_ad) index leads with it, and an import writes
    # hundreds of thousands of links, each into every index
    from_ad = models.ForeignKey(Ad, on_delete=models.CASCADE, related_name="links_out", db_index=False)
    to_ad = models.ForeignKey(Ad, on_delete=models.CASCADE, related_name="links_in")
    reasons = models.JSONField(default=list)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["from_ad", "to_ad"], name="unique_ad_link")]

    def __str__(self) -> str:
        return ",".join(self.reasons)


class MessageTemplate(OrgScopedModel):
    contains_personal_data = False

    name = models.CharField(_("namn"), max_length=120)
    body = models.TextField(
        _("text"), help_text=_("Platshållare: {profil}, {namn}, {organisation}. Systemet skickar inget själv.")
    )
    is_active = models.BooleanField(_("används"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("meddelandemall")
        verbose_name_plural = _("meddelandemallar")

    def __str__(self) -> str:
        return self.name


class Shift(OrgScopedModel):
    contains_personal_data = False

    started_at = models.DateTimeField(_("start"))
    ended_at = models.DateTimeField(_("slut"), null=True, blank=True)
    workers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", verbose_name=_("uppsökare"))
    platforms = models.ManyToManyField(Platform, blank=True, related_name="+", verbose_name=_("plattformar"))
    ads_reviewed = models.PositiveIntegerField(_("granskade annonser"), default=0)
    debrief_done = models.BooleanField(_("avlastningssamtal genomfört"), default=False)
    notes = models.TextField(_("anteckningar"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("pass")
        verbose_name_plural = _("pass")
        indexes = [models.Index(fields=["organisation", "-started_at"], name="shift_org_started")]


class Contact(OrgScopedModel):
    class Channel(models.TextChoices):
        SMS = "sms", _("Sms")
        CALL = "call", _("Samtal")
        SITE_CHAT = "site_chat", _("Chatt på webbplatsen")
        OTHER_APP = "other_app", _("Annan app")

    class Response(models.TextChoices):
        NONE = "none", _("Inget svar")
        DECLINED = "declined", _("Avböjde")
        NO_FURTHER = "no_further", _("Vill inte bli kontaktad igen")
        INTERESTED = "interested", _("Intresserad")
        MEETING = "meeting", _("Möte bokat")

    ad = models.ForeignKey(Ad, null=True, blank=True, on_delete=models.SET_NULL, related_name="contacts")
    profile_name = models.CharField(_("profilnamn"), max_length=200, blank=True)
    channel = models.CharField(_("kanal"), max_length=12, choices=Channel.choices)
    contacted_at = models.DateTimeField(_("tid"))
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("uppsökare")
    )
    template = models.ForeignKey(
        MessageTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("mall")
    )
    shift = models.ForeignKey(Shift, null=True, blank=True, on_delete=models.SET_NULL, related_name="contacts")
    response = models.CharField(_("svar"), max_length=12, choices=Response.choices, default=Response.NONE)
    sign_address_at_once = models.BooleanField(_("gav adress direkt"), default=False)
    sign_price_list = models.BooleanField(_("skickade prislista"), default=False)
    sign_no_condom_price = models.BooleanField(_("pris för sex utan kondom"), default=False)
    sign_silence = models.BooleanField(_("tystnad efter att vi presenterat oss"), default=False)
    notes = models.TextField(_("anteckningar"), blank=True)

    class Meta:
        ordering = ["-contacted_at"]
        verbose_name = _("kontakt")
        verbose_name_plural = _("kontakter")
        indexes = [models.Index(fields=["organisation", "-contacted_at"], name="contact_org_at")]

    @property
    def someone_else_signs(self) -> list[str]:
        return [
            str(f.verbose_name)
            for f in self._meta.fields
            if f.name.startswith("sign_") and getattr(self, f.name)
        ]


class DoNotContact(OrgScopedModel):
    class Kind(models.TextChoices):
        PHONE = "phone", _("Telefonnummer")
        PROFILE = "profile", _("Profilnamn")

    kind = models.CharField(_("typ"), max_length=8, choices=Kind.choices)
    # E.164 for phones, casefolded name for profiles.
    value = models.CharField(_("nummer eller profil"), max_length=200)
    ad = models.ForeignKey(Ad, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    consent_to_keep = models.BooleanField(_("personen samtycker till att vi sparar uppgiften"), default=False)
    expires_at = models.DateTimeField(_("raderas"))
    recontact_after = models.DateField(_("påminnelse om respektfull ny kontakt"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["expires_at"]
        verbose_name = _("kontaktspärr")
        verbose_name_plural = _("kontaktspärrar")
        constraints = [models.UniqueConstraint(fields=["organisation", "kind", "value"], name="unique_dnc")]
        indexes = [models.Index(fields=["expires_at"], name="dnc_expires")]


class NetworkContactMark(models.Model):
    """That a network member contacted a phone/profile on a date: HMAC only, never the value."""

    network = models.ForeignKey("network.Network", on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    digest = models.CharField(max_length=64)
    contacted_on = models.DateField()
    # The person said no: other members see "declined, do not contact", still only by the hash.
    declined = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["network", "organisation", "digest", "contacted_on"], name="unique_mark")
        ]
        indexes = [models.Index(fields=["network", "digest", "-contacted_on"], name="mark_net_digest")]

    def __str__(self) -> str:
        return f"{self.contacted_on}"


class DoNotContactRemoval(OrgScopedModel):
    """Why a kontaktspärr was lifted early, and by whom. Keeps the kind, never the number or name."""

    contains_personal_data = False

    kind = models.CharField(_("typ"), max_length=8, choices=DoNotContact.Kind.choices)
    reason = models.TextField(_("skäl"))
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]


class Tip(OrgScopedModel):
    class Kind(models.TextChoices):
        ANONYMOUS_TIP = "anonymous_tip", _("Anonymt tips till polisen")
        POLICE_REPORT = "police_report", _("Polisanmälan")
        NETWORK_CONTACT = "network_contact", _("Information till nätverkets kontaktperson")
        OROSANMALAN = "orosanmalan", _("Orosanmälan till socialtjänsten")

    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices)
    ad = models.ForeignKey(Ad, null=True, blank=True, on_delete=models.SET_NULL, related_name="tips")
    group_key = models.CharField(max_length=220, blank=True)
    recipient = models.CharField(_("mottagare"), max_length=200, blank=True)
    text = models.TextField(_("text"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("tips eller anmälan")
        verbose_name_plural = _("tips och anmälningar")


class RiskAssessment(OrgScopedModel):
    ad = models.ForeignKey(Ad, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    meeting_at = models.DateTimeField(_("mötet"), null=True, blank=True)
    place = models.CharField(_("plats"), max_length=200, blank=True)
    two_workers = models.BooleanField(_("vi går två och två"), default=False)
    public_place_first = models.BooleanField(_("första mötet på offentlig plats"), default=False)
    secret_address_kept = models.BooleanField(_("vår adress uppges inte"), default=False)
    location_services_off = models.BooleanField(_("platstjänster avstängda"), default=False)
    own_name_withheld = models.BooleanField(_("inget efternamn, bara verksamhetens telefon"), default=False)
    influence_plan = models.BooleanField(_("plan om personen är påverkad"), default=False)
    alarm = models.BooleanField(_("överfallslarm med"), default=False)
    responsible_known = models.BooleanField(_("ansvarig att ringa vid hot är utsedd"), default=False)
    safety_question_planned = models.BooleanField(_("vi frågar ”Är du säker när du går härifrån?”"), default=False)
    notes = models.TextField(_("anteckningar"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    CHECKLIST = (
        "two_workers",
        "public_place_first",
        "secret_address_kept",
        "location_services_off",
        "own_name_withheld",
        "influence_plan",
        "alarm",
        "responsible_known",
        "safety_question_planned",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("riskbedömning")
        verbose_name_plural = _("riskbedömningar")

    @property
    def missing(self) -> list[str]:
        return [str(self._meta.get_field(n).verbose_name) for n in self.CHECKLIST if not getattr(self, n)]


class Incident(OrgScopedModel):
    class Severity(models.TextChoices):
        LOW = "low", _("Låg")
        MEDIUM = "medium", _("Medel")
        HIGH = "high", _("Hög")

    occurred_at = models.DateTimeField(_("när"))
    shift = models.ForeignKey(Shift, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    severity = models.CharField(_("allvar"), max_length=8, choices=Severity.choices, default=Severity.MEDIUM)
    description = models.TextField(_("vad hände"))
    follow_up = models.TextField(_("uppföljning"), blank=True)
    follow_up_done = models.BooleanField(_("uppföljning klar"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-occurred_at"]
        verbose_name = _("incident")
        verbose_name_plural = _("incidenter")


class ImportJob(OrgScopedModel):
    # The upload waiting for its preview holds the ads' numbers and profile names.
    contains_personal_data = True

    class Status(models.TextChoices):
        PENDING = "pending", _("Väntar")
        RUNNING = "running", _("Pågår")
        DONE = "done", _("Klar")
        FAILED = "failed", _("Misslyckades")
        # The worker stopped mid-way (killed, the machine restarted): what it committed stays, and a
        # retry goes on from there with the rows it kept.
        INTERRUPTED = "interrupted", _("Avbruten")

    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    file_format = models.CharField(max_length=8)
    filename = models.CharField(max_length=200, blank=True)
    # The uploaded file until it is checked (and the CSV columns mapped); then cleared.
    raw = models.TextField(blank=True)
    # Rows already parsed and validated (JSON Lines in the engine's format), cleared when done.
    payload = models.TextField(blank=True)
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    finished_at = models.DateTimeField(null=True, blank=True)
    # A running worker renews this with every committed batch; a running job past it has lost its
    # worker (a SIGKILL leaves no other trace) and is shown as interrupted.
    lease_until = models.DateTimeField(null=True, blank=True)
    # Which run holds the job: a batch commits only while its run is still the job's latest, so a
    # worker thought dead that wakes up again cannot write beside the retry.
    attempt = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]

    @property
    def percent(self) -> int:
        return int(100 * self.processed / self.total) if self.total else (100 if self.status == "done" else 0)

    def lost_worker(self, now: Any = None) -> bool:
        """Running, but its worker let the lease run out: it died, or hangs."""
        return (self.status == self.Status.RUNNING and self.lease_until is not None
                and self.lease_until < (now or timezone.now()))
