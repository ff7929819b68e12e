from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from uppsok.core.capabilities import GRANTABLE_CAPABILITIES

from .models import Organisation, Role

CAPABILITY_LABELS = {
    "persons.identity": _("Får se personers verkliga identitet"),
    "referrals.override": _("Får remittera utan registrerat samtycke (med skriftlig motivering)"),
}


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Engångskod från din autentiseringsapp"),
        min_length=6,
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].replace(" ", "")
        if not token.isdigit():
            raise forms.ValidationError(_("Koden består bara av siffror."))
        return token


class ChooseOrganisationForm(forms.Form):
    organisation = forms.UUIDField(widget=forms.HiddenInput)


class RolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("Roller"), choices=Role.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    capabilities = forms.MultipleChoiceField(
        label=_("Extra behörigheter"),
        choices=[(c.value, CAPABILITY_LABELS[c.value]) for c in GRANTABLE_CAPABILITIES],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class OrganisationSettingsForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = [
            "name",
            "kind",
            "municipality",
            "serves_age_min",
            "serves_age_max",
            "does_online_outreach",
            "require_two_factor",
            "do_not_contact_months",
            "closed_case_retention_months",
            "ad_retention_months",
            "contact_retention_months",
            "tip_retention_months",
            "safety_retention_months",
            "shift_retention_months",
            "import_job_retention_days",
            "keep_ad_images",
        ]
        # Each period says what goes and when its clock starts; the nightly run deletes what is older.
        help_texts = {
            "ad_retention_months": _(
                "Räknas från när annonsen senast sågs, kontaktades eller bedömdes. Annonsen raderas med "
                "observationer, nummer, bilder och indikatorer. En annons som ett öppet ärende startade "
                "från sparas tills ärendet avslutas. 1–120 månader."
            ),
            "contact_retention_months": _(
                "Räknas från kontakten. Anteckningar och svar raderas med kontakten. 1–120 månader."
            ),
            "tip_retention_months": _(
                "Räknas från när texten sparades: tips till polisen, polisanmälningar, orosanmälningar och "
                "information till nätverket. 1–120 månader."
            ),
            "safety_retention_months": _(
                "Räknas från när riskbedömningen gjordes eller incidenten inträffade. 1–120 månader."
            ),
            "shift_retention_months": _("Räknas från passets start. 1–120 månader."),
            "import_job_retention_days": _(
                "Filen och raderna töms direkt när importen är klar eller misslyckas; jobbet med antal och "
                "status raderas så här många dagar efteråt. 1–365 dagar."
            ),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        lo, hi = data.get("serves_age_min"), data.get("serves_age_max")
        if lo is not None and hi is not None and lo > hi:
            raise forms.ValidationError(_("Åldersgränsen 'från' kan inte vara högre än 'till'."))
        months = data.get("do_not_contact_months")
        if months is not None and not 1 <= months <= 36:
            self.add_error("do_not_contact_months", _("Ange mellan 1 och 36 månader."))
        return data


class NewPasswordForm(forms.Form):
    """A password the person chooses themselves, checked by the configured validators."""

    new_password1 = forms.CharField(
        label=_("Nytt lösenord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Minst 12 tecken. Använd gärna flera ord."),
    )
    new_password2 = forms.CharField(
        label=_("Nytt lösenord igen"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        first, second = data.get("new_password1"), data.get("new_password2")
        if first and second and first != second:
            self.add_error("new_password2", _("Lösenorden är inte likadana."))
        elif first:
            try:
                password_validation.validate_password(first, self.user)
            except forms.ValidationError as exc:
                self.add_error("new_password1", exc)
            else:
                if self.user.check_password(first):
                    self.add_error("new_password1", _("Välj ett annat lösenord än det nuvarande."))
        return data


class ChangePasswordForm(NewPasswordForm):
    old_password = forms.CharField(
        label=_("Nuvarande lösenord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
    field_order = ["old_password", "new_password1", "new_password2"]

    def clean_old_password(self) -> str:
        password = self.cleaned_data["old_password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("Det nuvarande lösenordet stämmer inte."))
        return password


class ResetPasswordForm(NewPasswordForm):
    """Set by the person on a reset link; their authenticator is still asked for when they have one."""

    token = forms.CharField(
        label=_("Engångskod från din autentiseringsapp"),
        min_length=6,
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, user: Any, *args: Any, needs_token: bool, **kwargs: Any) -> None:
        super().__init__(user, *args, **kwargs)
        if not needs_token:
            del self.fields["token"]

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].replace(" ", "")
        if not token.isdigit():
            raise forms.ValidationError(_("Koden består bara av siffror."))
        return token


class ProvePasswordForm(forms.Form):
    password = forms.CharField(
        label=_("Ditt lösenord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
