from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext_lazy as _

from uppsok.core.forms import EditVersion

from . import zip_import
from .imports import BOM, FIELDS, nul_line
from .models import (
    INDICATOR_LABELS,
    MANUAL_INDICATOR_CODES,
    Ad,
    Contact,
    DoNotContact,
    Incident,
    MessageTemplate,
    Platform,
    PlatformAccount,
    RiskAssessment,
    Tip,
)

MAX_PHOTO_BYTES = 8 * 1024 * 1024


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        out = [super(MultipleFileField, self).clean(f, initial) for f in files]
        for f in out:
            if f.size > MAX_PHOTO_BYTES:
                raise forms.ValidationError(_("En bild får vara högst 8 MB."))
        if len(out) > 10:
            raise forms.ValidationError(_("Högst 10 bilder per annons."))
        return out


class PlatformForm(EditVersion, forms.ModelForm):
    class Meta:
        model = Platform
        fields = ["name", "kind", "address", "notes", "covered"]


class PlatformAccountForm(forms.ModelForm):
    class Meta:
        model = PlatformAccount
        fields = ["account_name", "opened_on", "closed_on", "notes"]
        widgets = {"opened_on": forms.DateInput(attrs={"type": "date"}), "closed_on": forms.DateInput(attrs={"type": "date"})}


class AdCaptureForm(forms.Form):
    url = forms.CharField(label=_("Annonsens adress"), max_length=500, required=False)
    site = forms.CharField(label=_("Webbplats"), max_length=120, required=False, help_text=_("Till exempel rosasidan.ws"))
    title = forms.CharField(label=_("Rubrik"), max_length=300, required=False)
    text = forms.CharField(label=_("Annonstext"), widget=forms.Textarea, max_length=20000, required=False)
    phone = forms.CharField(label=_("Telefonnummer"), max_length=40, required=False)
    profile_name = forms.CharField(label=_("Profilnamn"), max_length=200, required=False)
    city = forms.CharField(label=_("Ort"), max_length=120, required=False)
    price = forms.CharField(label=_("Pris"), max_length=100, required=False)
    stated_age = forms.IntegerField(label=_("Uppgiven ålder"), min_value=1, max_value=119, required=False)
    photos = MultipleFileField(
        label=_("Bilder (valfritt)"),
        required=False,
        help_text=_("Bildernas kännetecken sparas för att hitta samma bild igen. Själva bilden sparas bara om organisationen har valt det. Metadata (EXIF) tas bort."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not (data.get("text") or data.get("title") or data.get("phone") or data.get("profile_name")):
            raise forms.ValidationError(_("Fyll i minst annonstext, rubrik, telefonnummer eller profilnamn."))
        phone = data.get("phone")
        if phone:
            from .analysis_adapter import normalise_phone

            if not normalise_phone(phone):
                self.add_error("phone", _("Numret kunde inte tolkas som ett telefonnummer."))
        return data


class AdFilterForm(forms.Form):
    SORTS = [
        ("-last_seen", _("Senast sedd först")),
        ("last_seen", _("Äldst först")),
        ("-indicator_count", _("Flest indikatorer")),
        ("city", _("Ort")),
        ("site", _("Webbplats")),
    ]
    q = forms.CharField(label=_("Telefon eller profilnamn"), required=False, max_length=100)
    site = forms.CharField(label=_("Webbplats"), required=False, max_length=120)
    city = forms.CharField(label=_("Ort"), required=False, max_length=120)
    date_from = forms.DateField(label=_("Sedd från"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Sedd till"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    indicator = forms.ChoiceField(label=_("Indikator"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("Alla"))] + list(Ad.Status.choices))
    group = forms.CharField(label=_("Grupp"), required=False, max_length=220)
    sort = forms.ChoiceField(label=_("Sortering"), required=False, choices=SORTS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [("", _("Alla"))] + [(k, v) for k, v in INDICATOR_LABELS.items()]


class ManualIndicatorForm(forms.Form):
    code = forms.ChoiceField(label=_("Indikator"), choices=[(c, INDICATOR_LABELS[c]) for c in MANUAL_INDICATOR_CODES])
    # What the worker saw is the evidence: an indicator without it cannot be weighed or go into a tip.
    evidence = forms.CharField(
        label=_("Vad du såg"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Skriv vad du såg – en indikator som läggs till för hand behöver underlag.")},
    )


class IndicatorDecisionForm(forms.Form):
    """Confirm, dismiss (with a reason) or reopen a found indicator."""

    decision = forms.ChoiceField(choices=[(v, v) for v in ("confirmed", "dismissed", "found")],
                                 error_messages={"invalid_choice": _("Okänt beslut.")})
    reason = forms.CharField(label=_("Skäl"), max_length=1000, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("decision") == "dismissed" and not data.get("reason"):
            self.add_error("reason", _("Skriv varför indikatorn avfärdas."))
        return data


class ContactForm(forms.ModelForm):
    contacted_at = forms.DateTimeField(label=_("Tid"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))

    class Meta:
        model = Contact
        fields = [
            "channel", "contacted_at", "template", "response",
            "sign_address_at_once", "sign_price_list", "sign_no_condom_price", "sign_silence", "notes",
        ]

    block_months = forms.IntegerField(
        label=_("Kontaktspärr i antal månader (om personen inte vill bli kontaktad igen)"),
        # the organisation's own period (its setting allows 1–36 months) must always be accepted
        min_value=1, max_value=36, required=False,
        help_text=_("Svaret ”Vill inte bli kontaktad igen” lägger in en kontaktspärr för annonsens nummer och profil."),
    )

    def __init__(self, *args: Any, templates: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = templates
        self.fields["template"].required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("response") == Contact.Response.NO_FURTHER and not data.get("block_months"):
            self.add_error("block_months", _("Ange hur länge kontaktspärren ska gälla."))
        return data


class DoNotContactRemoveForm(forms.Form):
    reason = forms.CharField(
        label=_("Varför tas kontaktspärren bort?"), min_length=10, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Till exempel: personen har själv hört av sig och vill ha kontakt."),
    )


class TemplateForm(EditVersion, forms.ModelForm):
    class Meta:
        model = MessageTemplate
        fields = ["name", "body", "is_active"]


class DoNotContactForm(forms.Form):
    kind = forms.ChoiceField(label=_("Typ"), choices=DoNotContact.Kind.choices)
    value = forms.CharField(label=_("Nummer eller profilnamn"), max_length=200)
    consent_to_keep = forms.BooleanField(label=_("Personen samtycker till att vi sparar uppgiften"), required=False)
    recontact_after = forms.DateField(
        label=_("Påminn om respektfull ny kontakt (valfritt)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class TipForm(forms.Form):
    kind = forms.ChoiceField(label=_("Vad vill du göra?"), choices=Tip.Kind.choices, widget=forms.RadioSelect)
    recipient = forms.CharField(
        label=_("Mottagare"), max_length=200, required=False,
        help_text=_("För orosanmälan: socialtjänsten i den kommun där barnet bor. Skriv eller välj ur katalogen."),
        widget=forms.TextInput(attrs={"list": "katalog-namn", "autocomplete": "off"}),
    )
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 24}), max_length=20000)


class ShiftStartForm(forms.Form):
    workers = forms.ModelMultipleChoiceField(label=_("Vilka arbetar med dig?"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple)
    platforms = forms.ModelMultipleChoiceField(label=_("Plattformar"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple)
    notes = forms.CharField(label=_("Anteckningar"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def __init__(self, *args: Any, users: Any, platforms: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["workers"].queryset = users
        self.fields["platforms"].queryset = platforms


class ShiftEndForm(EditVersion, forms.Form):
    ads_reviewed = forms.IntegerField(label=_("Antal granskade annonser"), min_value=0, max_value=100000)
    debrief_done = forms.BooleanField(label=_("Avlastningssamtal genomfört"), required=False)
    notes = forms.CharField(label=_("Anteckningar"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class RiskAssessmentForm(forms.ModelForm):
    meeting_at = forms.DateTimeField(label=_("Mötet"), required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))

    class Meta:
        model = RiskAssessment
        fields = ["meeting_at", "place", *RiskAssessment.CHECKLIST, "notes"]


class IncidentForm(EditVersion, forms.ModelForm):
    occurred_at = forms.DateTimeField(label=_("När"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))

    class Meta:
        model = Incident
        fields = ["occurred_at", "severity", "description", "follow_up", "follow_up_done"]


class ImportUploadForm(forms.Form):
    FORMATS = [
        ("jsonl", _("JSON Lines (analysmotorns format)")),
        ("zip", _("ZIP-fil med JSON Lines och bilderna som annonserna nämner i images")),
        ("csv", _("CSV")),
    ]
    file_format = forms.ChoiceField(label=_("Format"), choices=FORMATS, widget=forms.RadioSelect, initial="jsonl")
    file = forms.FileField(label=_("Fil"))

    def clean_file(self) -> Any:
        f = self.cleaned_data["file"]
        if f.size > 200 * 1024 * 1024:
            raise forms.ValidationError(_("Filen är för stor (högst 200 MB)."))
        if self.cleaned_data.get("file_format") == "zip":
            # the photos are analysed now; what goes on is the JSON Lines with their features
            try:
                text = zip_import.unpack(f)
            except zip_import.ZipRefused as exc:
                raise forms.ValidationError(exc.problems) from None
            f = SimpleUploadedFile(f.name, text.encode("utf-8"), "application/jsonl")
        data = f.read()
        f.seek(0)
        if not data.removeprefix(BOM).strip():
            # only blank lines (or a byte order mark) hold no ad: answered as an empty file is
            raise forms.ValidationError(self.fields["file"].error_messages["empty"], code="empty")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(_("Filen måste vara kodad i UTF-8.")) from None
        line = nul_line(text)
        if line is not None:
            # Refused before anything is stored: PostgreSQL cannot hold a NUL, SQLite would keep it raw.
            raise forms.ValidationError(
                _("Filen innehåller ett NUL-tecken (nollbyte) på rad %(line)s och är inte en textfil. "
                  "Spara den som text (UTF-8) och ladda upp den igen.") % {"line": line}
            )
        return f

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("file_format") == "zip" and "file" in data:
            data["file_format"] = "jsonl"  # the job reads the unpacked JSON Lines
        return data


def csv_mapping_form(headers: list[str], data: Any = None) -> forms.Form:
    choices = [("", _("– finns inte i filen –"))] + [(h, h) for h in headers]
    form = forms.Form(data)
    lowered = {h.casefold(): h for h in headers}
    for key, label in FIELDS.items():
        initial = lowered.get(key) or lowered.get(str(label).casefold()) or ""
        form.fields[f"map_{key}"] = forms.ChoiceField(label=label, choices=choices, required=False, initial=initial)
    return form
