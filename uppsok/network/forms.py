from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from uppsok.accounts.models import Organisation
from uppsok.core.forms import EditVersion

from . import steps
from .models import CoreGroupMember, Network

YESNO_CHOICES = [("", _("Inte besvarat")), ("ja", _("Ja")), ("nej", _("Nej"))]
SCORE_CHOICES = [("", _("Ingen poäng")), *((str(i), str(i)) for i in range(1, 6))]


class NetworkSettingsForm(EditVersion, forms.ModelForm):
    class Meta:
        model = Network
        fields = [
            "name", "area", "meetings_per_year", "share_contacting_organisation",
            "tip_contact_name", "tip_contact_organisation", "tip_contact_phone", "tip_contact_email",
            "coordinator_role_text", "network_role_text",
        ]
        widgets = {
            "coordinator_role_text": forms.Textarea(attrs={"rows": 12}),
            "network_role_text": forms.Textarea(attrs={"rows": 20}),
        }
        help_texts = {
            "share_contacting_organisation": _(
                "När detta är valt ser medlemmarna vilken organisation som nyligen kontaktat en person; annars "
                "bara att någon i nätverket har gjort det."
            ),
            "tip_contact_name": _("Den som uppsökarna kontaktar när ett tips rör nätverkets stad."),
        }

    def clean_meetings_per_year(self) -> int:
        value = self.cleaned_data["meetings_per_year"]
        if not 1 <= value <= 24:
            raise forms.ValidationError(_("Ange mellan 1 och 24 möten per år."))
        return value


class InviteForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none())
    message = forms.CharField(label=_("Meddelande (valfritt)"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))


class CoreMemberForm(EditVersion, forms.ModelForm):
    criteria = forms.MultipleChoiceField(
        label=_("Kriterier som personen uppfyller"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(k, label) for k, label, _basic in steps.CORE_CRITERIA],
    )

    class Meta:
        model = CoreGroupMember
        fields = ["name", "organisation_name", "sector", "title", "email", "phone", "criteria"]


def step_part_form_class(part: steps.Part) -> type[forms.Form]:
    """A form for one part of a step, built from its fields in the process table."""
    attrs: dict[str, Any] = {}
    for f in part.fields:
        if f.kind == steps.YESNO:
            attrs[f.key] = forms.ChoiceField(label=f.label, choices=YESNO_CHOICES, required=False,
                                             widget=forms.RadioSelect, help_text=f.help)
            if part.with_interpretation:
                attrs[f"{f.key}_note"] = forms.CharField(
                    label=_("Vår tolkning av detta i dag"), required=False, max_length=4000,
                    widget=forms.Textarea(attrs={"rows": 2}),
                )
        elif f.kind == steps.SCORE:
            attrs[f.key] = forms.TypedChoiceField(label=f.label, choices=SCORE_CHOICES, coerce=int, empty_value=None,
                                                  required=False, help_text=f.help)
            attrs[f"{f.key}_comment"] = forms.CharField(label=_("Kommentar"), required=False, max_length=4000,
                                                        widget=forms.Textarea(attrs={"rows": 2}))
        else:
            attrs[f.key] = forms.CharField(label=f.label, required=False, max_length=20000, help_text=f.help,
                                           widget=forms.Textarea(attrs={"rows": 4}))
    return type(f"StepPartForm_{part.slug.replace('-', '_')}", (EditVersion, forms.Form), attrs)


def part_data(form: forms.Form) -> dict[str, Any]:
    """What a part's version stores: the answered fields only, text stripped."""
    data: dict[str, Any] = {}
    for key, value in form.cleaned_data.items():
        if isinstance(value, str):
            value = value.strip()
        if value in ("", None):
            continue
        data[key] = value
    return data


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class MeetingForm(EditVersion, forms.Form):
    title = forms.CharField(label=_("Rubrik"), max_length=200)
    starts_at = forms.DateTimeField(label=_("Börjar"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("Slutar"), required=False, widget=DATETIME)
    place = forms.CharField(label=_("Plats"), max_length=200, required=False)
    agenda = forms.CharField(label=_("Dagordning"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    participant_organisations = forms.ModelMultipleChoiceField(
        label=_("Deltagande medlemsorganisationer"), queryset=Organisation.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other_participants = forms.CharField(label=_("Övriga deltagare (en per rad)"), required=False,
                                         widget=forms.Textarea(attrs={"rows": 3}))
    minutes = forms.CharField(label=_("Minnesanteckningar"), required=False, widget=forms.Textarea(attrs={"rows": 10}))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("starts_at"), data.get("ends_at")
        if start and end and end <= start:
            self.add_error("ends_at", _("Mötet måste sluta efter att det börjat."))
        return data


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("Beslut"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))


class FollowUpForm(forms.Form):
    what = forms.CharField(label=_("Vad ska göras"), max_length=500)
    responsible_organisation = forms.ModelChoiceField(
        label=_("Ansvarig medlemsorganisation"), queryset=Organisation.objects.none(), required=False
    )
    responsible_name = forms.CharField(label=_("eller ansvarig utanför Uppsök"), max_length=200, required=False)
    due_on = forms.DateField(label=_("Klart senast"), required=False, widget=DATE)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("responsible_organisation") and not (data.get("responsible_name") or "").strip():
            raise forms.ValidationError(_("Ange vem som är ansvarig: en medlemsorganisation eller ett namn."))
        return data


YEAR_MIN, YEAR_MAX = 2000, 2100


class SubGoalForm(forms.Form):
    title = forms.CharField(label=_("Delmål"), max_length=300)
    description = forms.CharField(label=_("Beskrivning"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class TargetForm(forms.Form):
    year = forms.IntegerField(label=_("År"), min_value=YEAR_MIN, max_value=YEAR_MAX)
    measure = forms.CharField(label=_("Mått"), max_length=200)
    target = forms.IntegerField(label=_("Mål (antal)"), min_value=0, max_value=10_000_000)
    stats_measure = forms.ChoiceField(label=_("Utfall ur nätverkets statistik (valfritt)"), required=False)

    def __init__(self, *args: Any, measure_choices: list[tuple[str, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["stats_measure"].choices = [("", _("Inget – utfallet fylls i för hand")), *measure_choices]


class ActivityForm(forms.Form):
    year = forms.IntegerField(label=_("År"), min_value=YEAR_MIN, max_value=YEAR_MAX)
    what = forms.CharField(label=_("Aktivitet"), max_length=500)
    responsible = forms.CharField(label=_("Ansvarig aktör"), max_length=200)


class OutcomeForm(EditVersion, forms.Form):
    outcome = forms.IntegerField(label=_("Utfall"), min_value=0, max_value=10_000_000, required=False)
    comment = forms.CharField(label=_("Kommentar"), required=False, max_length=4000)


class ReviewForm(forms.Form):
    year = forms.IntegerField(label=_("År"), min_value=YEAR_MIN, max_value=YEAR_MAX)
    summary = forms.CharField(label=_("Sammanfattning av året"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    needs_next_year = forms.CharField(label=_("Behov inför nästa år"), required=False,
                                      widget=forms.Textarea(attrs={"rows": 3}))


class SurveyForm(forms.Form):
    title = forms.CharField(label=_("Rubrik"), max_length=200)


class SurveyLinkForm(forms.Form):
    respondent = forms.CharField(label=_("Aktör"), max_length=200,
                                 help_text=_("En verksamhet, t.ex. Hotell Kungen – inte en persons namn."))
    sector = forms.CharField(label=_("Bransch"), max_length=100, required=False)
    days = forms.IntegerField(label=_("Länken gäller (dagar)"), min_value=1, max_value=90, initial=30)


def survey_answer_form_class() -> type[forms.Form]:
    attrs: dict[str, Any] = {}
    for _key, _label, statements in steps.SURVEY_CATEGORIES:
        for key, text in statements:
            attrs[key] = forms.TypedChoiceField(
                label=text, coerce=int, widget=forms.RadioSelect,
                choices=[(str(i), str(i)) for i in range(steps.SURVEY_MIN, steps.SURVEY_MAX + 1)],
                error_messages={"required": _("Välj en siffra från 1 (aldrig) till 5 (mycket ofta).")},
            )
    return type("SurveyAnswerForm", (forms.Form,), attrs)


class StakeholderForm(EditVersion, forms.ModelForm):
    influence = forms.TypedChoiceField(label=_("Organisationens påverkansgrad (1–5)"), coerce=int,
                                       choices=[(str(i), str(i)) for i in range(1, 6)])
    support = forms.TypedChoiceField(label=_("Upplevt stöd för arbetet (1–5)"), coerce=int,
                                     choices=[(str(i), str(i)) for i in range(1, 6)])

    class Meta:
        from .models import Stakeholder

        model = Stakeholder
        fields = ["actor", "influence", "support", "reason", "action", "result", "contact_person", "level", "comment"]
        widgets = {"comment": forms.Textarea(attrs={"rows": 2})}


# Files the knowledge bank takes: documents and images people share, nothing executable.
RESOURCE_EXTENSIONS = (".pdf", ".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp", ".txt", ".png", ".jpg", ".jpeg")
RESOURCE_MAX_BYTES = 10 * 1024 * 1024


class ResourceForm(forms.ModelForm):
    url = forms.URLField(label=_("Länk"), max_length=1000, required=False, assume_scheme="https")

    class Meta:
        from .models import Resource

        model = Resource
        fields = ["title", "url", "file", "category", "focus", "description", "checked_on"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2}), "checked_on": DATE}

    def clean_file(self) -> Any:
        f = self.cleaned_data.get("file")
        if f and hasattr(f, "size"):
            import os

            if os.path.splitext(f.name)[1].lower() not in RESOURCE_EXTENSIONS:
                raise forms.ValidationError(_("Filtypen tas inte emot. Tillåtna: %(e)s.") % {
                    "e": ", ".join(RESOURCE_EXTENSIONS)})
            if f.size > RESOURCE_MAX_BYTES:
                raise forms.ValidationError(_("Filen är större än 10 MB."))
        return f

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("url") and not data.get("file") and not (self.instance and self.instance.file):
            raise forms.ValidationError(_("Ange en länk eller ladda upp en fil."))
        return data


class DirectoryEntryForm(EditVersion, forms.ModelForm):
    website = forms.URLField(label=_("Webbplats"), max_length=500, required=False, assume_scheme="https")

    class Meta:
        from .models import DirectoryEntry

        model = DirectoryEntry
        fields = ["kind", "name", "description", "phone", "website", "email", "area", "takes_orosanmalan"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Sök"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Typ"), required=False)
    area = forms.CharField(label=_("Område"), max_length=100, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from .models import DirectoryEntry

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Alla")), *DirectoryEntry.Kind.choices]


class ResourceFilterForm(forms.Form):
    q = forms.CharField(label=_("Sök"), max_length=200, required=False)
    category = forms.ChoiceField(label=_("Kategori"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from .models import Resource

        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("Alla")), *Resource.Category.choices]
