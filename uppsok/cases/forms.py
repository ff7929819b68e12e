from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from uppsok.accounts.models import Organisation, User
from uppsok.core.forms import EditVersion

from .models import (
    INDICATORS,
    Case,
    CaseStatus,
    Consent,
    ExploitationType,
    IndicatorGroup,
    NeedArea,
    NeedMet,
    Person,
    SafetyAssessment,
    ScreeningAnswer,
    ScreeningRecord,
    StepStatus,
    SupportActivity,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class PersonForm(EditVersion, forms.ModelForm):
    class Meta:
        model = Person
        fields = ["alias", "age_band", "gender_identity", "population_group", "languages", *Person.IDENTITY_FIELDS]
        widgets = {"birth_date": DATE, "identity_note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, show_identity: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not show_identity:
            for name in Person.IDENTITY_FIELDS:
                del self.fields[name]


class CaseForm(EditVersion, forms.ModelForm):
    class Meta:
        model = Case
        fields = ["case_type", "origin", "case_worker", "opened_on", "recontact_on", "next_meeting_at"]
        widgets = {"opened_on": DATE, "recontact_on": DATE, "next_meeting_at": DATETIME}

    def __init__(self, *args: Any, workers: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case_type"].queryset = ExploitationType.objects.filter(is_active=True)
        self.fields["case_worker"].queryset = workers if workers is not None else User.objects.none()
        self.fields["case_worker"].label_from_instance = lambda u: u.get_full_name() or u.username

    def clean_opened_on(self) -> Any:
        value = self.cleaned_data["opened_on"]
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("Startdatum kan inte ligga i framtiden."))
        return value


class CaseFilterForm(forms.Form):
    q = forms.CharField(label=_("Sök alias"), max_length=80, required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Alla"))] + list(CaseStatus.choices)
    )
    case_type = forms.ModelChoiceField(
        label=_("Ärendetyp"), required=False, queryset=ExploitationType.objects.all(), empty_label=_("Alla")
    )
    mine = forms.BooleanField(label=_("Bara mina ärenden"), required=False)


class NeedsStartForm(forms.Form):
    areas = forms.MultipleChoiceField(
        label=_("Behov som personen själv uttrycker"),
        choices=NeedArea.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Fråga gärna: ”Vad skulle du behöva?” Markera det personen själv säger."),
    )


class CloseCaseForm(forms.Form):
    closed_on = forms.DateField(label=_("Avslutsdatum"), widget=DATE, initial=timezone.localdate)
    close_note = forms.CharField(label=_("Anledning till avslut"), max_length=300, required=False)

    def __init__(self, *args: Any, areas: list[tuple[str, str]] = (), opened_on: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.opened_on = opened_on
        self.need_fields = []
        for code, label in areas:
            name = f"met_{code}"
            self.fields[name] = forms.ChoiceField(
                label=label, choices=NeedMet.choices, widget=forms.RadioSelect
            )
            self.need_fields.append(name)

    def clean_closed_on(self) -> Any:
        value = self.cleaned_data["closed_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("Avslutsdatum kan inte ligga i framtiden."))
        if self.opened_on and value < self.opened_on:
            raise forms.ValidationError(_("Avslutsdatum kan inte vara före startdatum."))
        return value

    def met(self) -> dict[str, str]:
        return {name[4:]: self.cleaned_data[name] for name in self.need_fields}


class ActivityForm(forms.ModelForm):
    class Meta:
        model = SupportActivity
        fields = ["kind", "date", "duration_minutes", "note"]
        widgets = {"date": DATE}

    def clean_duration_minutes(self) -> int:
        value = self.cleaned_data["duration_minutes"]
        if not 1 <= value <= 24 * 60:
            raise forms.ValidationError(_("Ange tiden i minuter, mellan 1 och 1440."))
        return value

    def clean_date(self) -> Any:
        value = self.cleaned_data["date"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("Datumet kan inte ligga i framtiden."))
        return value


class ConsentForm(forms.ModelForm):
    class Meta:
        model = Consent
        fields = ["kind", "scope", "to_whom", "to_organisation", "given_on"]
        widgets = {"given_on": DATE}

    def __init__(self, *args: Any, partners: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_organisation"].queryset = partners if partners is not None else Organisation.objects.none()
        self.fields["to_organisation"].help_text = _("Fyll i om mottagaren finns på plattformen.")

    def clean_given_on(self) -> Any:
        value = self.cleaned_data["given_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("Datumet kan inte ligga i framtiden."))
        return value


class IndicatorForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for group in IndicatorGroup:
            self.fields[group.value] = forms.MultipleChoiceField(
                label=group.label,
                choices=[(code, label) for code, g, label in INDICATORS if g == group],
                widget=forms.CheckboxSelectMultiple,
                required=False,
            )

    def codes(self) -> list[str]:
        return [c for group in IndicatorGroup for c in self.cleaned_data.get(group.value, [])]


class SafetyForm(forms.ModelForm):
    class Meta:
        model = SafetyAssessment
        fields = [
            "assessed_on", "safe_when_leaving", "wants_done", "controlled_by_other", "safe_contact_way",
            "children_involved", "under_influence", "risk_level", "actions_taken",
        ]
        widgets = {
            "assessed_on": DATE,
            "wants_done": forms.Textarea(attrs={"rows": 3}),
            "actions_taken": forms.Textarea(attrs={"rows": 3}),
        }


class ReferralForm(forms.Form):
    to_organisation = forms.ModelChoiceField(
        label=_("Organisation på plattformen"), queryset=Organisation.objects.none(), required=False,
        empty_label=_("– Ingen, mottagaren finns utanför plattformen –"),
    )
    external_recipient = forms.CharField(
        label=_("Eller: mottagare utanför plattformen"), max_length=200, required=False,
        help_text=_("Skriv eller välj ur katalogen. Då skapas en PDF som du lämnar över på ett säkert sätt."),
        # suggestions from the directory (network_home's directory_datalist), typing stays possible
        widget=forms.TextInput(attrs={"list": "katalog-namn", "autocomplete": "off"}),
    )
    consent = forms.ModelChoiceField(
        label=_("Samtycke som remissen bygger på"), queryset=Consent.objects.none(), required=False,
        empty_label=_("– Inget samtycke –"),
    )
    summary = forms.CharField(
        label=_("Sammanfattning som personen har godkänt att dela"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Bara detta skickas – aldrig hela ärendet. Läs upp texten för personen."),
    )

    def __init__(self, *args: Any, partners: Any, consents: Any, can_override: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_organisation"].queryset = partners
        self.fields["consent"].queryset = consents
        self.fields["consent"].label_from_instance = _consent_label
        self.fields["consent"].help_text = _(
            "Bara samtycken att dela en sammanfattning visas. Samtycket måste gälla den mottagare du väljer."
        )
        if can_override:
            self.fields["override_reason"] = forms.CharField(
                label=_("Motivering om remissen görs utan samtycke"),
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
                help_text=_("Krävs bara om inget samtycke väljs. Skriv varför (till exempel akut fara)."),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        to_org = data.get("to_organisation")
        external = (data.get("external_recipient") or "").strip()
        if (to_org is None) == (not external):
            raise forms.ValidationError(_("Välj antingen en organisation på plattformen eller en mottagare utanför."))
        consent = data.get("consent")
        # Checked here as well as in the action so the form explains itself without JavaScript.
        if consent is not None and not consent.binds(
            to_organisation_id=to_org.pk if to_org else None, external_recipient=external
        ):
            self.add_error("consent", _(
                "Samtycket gäller inte %(to)s utan %(consented)s. Välj ett samtycke att dela med %(to)s, "
                "eller registrera ett nytt samtycke."
            ) % {"to": to_org.name if to_org else external, "consented": consent.recipient_name})
        return data


def _consent_label(consent: Consent) -> str:
    return _("Dela med %(to)s – lämnat %(date)s: %(scope)s") % {
        "to": consent.recipient_name, "date": consent.given_on.strftime("%Y-%m-%d"), "scope": consent.scope,
    }


class RespondReferralForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Svar"), choices=[("accept", _("Acceptera")), ("decline", _("Avböj"))], widget=forms.RadioSelect
    )
    note = forms.CharField(label=_("Kommentar till avsändaren"), max_length=300, required=False)


class RoutineChoiceForm(forms.Form):
    routine = forms.ModelChoiceField(label=_("Rutin"), queryset=None, empty_label=None)

    def __init__(self, *args: Any, routines: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["routine"].queryset = routines


class StepStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=StepStatus.choices)
    done_on = forms.DateField(label=_("Datum"), widget=DATE, required=False)


class ScreeningForm(forms.ModelForm):
    class Meta:
        model = ScreeningRecord
        fields = ["meeting_date", "asked", "answer"]
        widgets = {"meeting_date": DATE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["asked"] = forms.TypedChoiceField(
            label=_("Ställdes frågan om sex mot ersättning?"),
            choices=[("1", _("Ja")), ("0", _("Nej"))],
            coerce=lambda v: v == "1",
            widget=forms.RadioSelect,
        )
        self.fields["answer"].choices = [("", _("– Frågan ställdes inte –"))] + list(ScreeningAnswer.choices)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        asked, answer = data.get("asked"), data.get("answer")
        if asked is True and not answer:
            self.add_error("answer", _("Ange svaret när frågan ställdes."))
        if asked is False and answer:
            self.add_error("answer", _("Ett svar kan bara anges om frågan ställdes."))
        if data.get("meeting_date") and data["meeting_date"] > timezone.localdate():
            self.add_error("meeting_date", _("Datumet kan inte ligga i framtiden."))
        return data


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("Från"), widget=DATE, required=False)
    end = forms.DateField(label=_("Till"), widget=DATE, required=False)


class RoutineForm(EditVersion, forms.Form):
    name = forms.CharField(label=_("Namn på rutinen"), max_length=200)
    goal = forms.CharField(label=_("Mål"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    is_active = forms.BooleanField(label=_("Aktiv (kan väljas i ärenden)"), required=False, initial=True)


class RoutineStepForm(forms.Form):
    title = forms.CharField(label=_("Vad"), max_length=200, required=False)
    actor = forms.CharField(label=_("Vilken aktör"), max_length=200, required=False,
                            widget=forms.TextInput(attrs={"list": "katalog-namn", "autocomplete": "off"}))
    how_to_reach = forms.CharField(label=_("Hur aktören nås"), max_length=300, required=False,
                                   widget=forms.TextInput(attrs={"list": "katalog-kontakt", "autocomplete": "off"}))
    when = forms.CharField(label=_("När"), max_length=200, required=False)
    due_days = forms.IntegerField(
        label=_("Klart inom (dagar från ärendets start)"), required=False, min_value=0, max_value=3650
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        filled = any(data.get(k) not in (None, "") for k in ("title", "actor", "how_to_reach", "when", "due_days"))
        if filled and not (data.get("title") and data.get("actor")):
            raise forms.ValidationError(_("Ett steg behöver både vad som ska göras och vilken aktör som gör det."))
        return data


RoutineStepFormSet = forms.formset_factory(RoutineStepForm, extra=3, max_num=30, validate_max=True)
