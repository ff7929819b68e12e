"""Forms for inviting people and for the platform's own administration."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from .models import Organisation, Role

USERNAME_HELP = _("Det namn personen loggar in med. Bokstäver, siffror och . @ + - _")


class PersonForm(forms.Form):
    username = forms.RegexField(
        label=_("Användarnamn"), max_length=150, regex=r"^[\w.@+-]+\Z", help_text=USERNAME_HELP,
        error_messages={"invalid": _("Bara bokstäver, siffror och . @ + - _ går att använda.")},
    )
    first_name = forms.CharField(label=_("Förnamn"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Efternamn"), max_length=150, required=False)
    email = forms.EmailField(
        label=_("E-post"), required=False,
        help_text=_("Frivilligt. Används bara för att skicka inbjudningslänken när e-post är inställd."),
    )


class InviteMemberForm(PersonForm):
    roles = forms.MultipleChoiceField(label=_("Roller"), choices=Role.choices, widget=forms.CheckboxSelectMultiple)


class InviteNetworkPersonForm(PersonForm):
    """A network-only member: someone whose organisation does not use Uppsök (a hotel, the police)."""


class SlugFromNameMixin:
    """An empty short name is made from the name, as the commands do."""

    def clean(self) -> dict[str, Any]:
        data = super().clean()  # type: ignore[misc]
        if not data.get("slug") and data.get("name"):
            data["slug"] = slugify(data["name"])[:60]
            if not data["slug"]:
                self.add_error("slug", _("Ange ett kortnamn."))  # type: ignore[attr-defined]
        return data


class CreateOrganisationForm(SlugFromNameMixin, forms.Form):
    name = forms.CharField(label=_("Organisationens namn"), max_length=200)
    slug = forms.SlugField(
        label=_("Kortnamn"), max_length=60, required=False,
        help_text=_("Används i kommandon och exporter. Lämnas tomt skapas det av namnet."),
    )
    kind = forms.ChoiceField(label=_("Typ"), choices=Organisation.Kind.choices)
    municipality = forms.CharField(label=_("Kommun"), max_length=100, required=False)
    does_online_outreach = forms.BooleanField(label=_("Gör uppsökande arbete online"), required=False)
    admin_username = forms.RegexField(
        label=_("Första administratörens användarnamn"), max_length=150, regex=r"^[\w.@+-]+\Z",
        help_text=USERNAME_HELP,
        error_messages={"invalid": _("Bara bokstäver, siffror och . @ + - _ går att använda.")},
    )
    admin_first_name = forms.CharField(label=_("Förnamn"), max_length=150, required=False)
    admin_last_name = forms.CharField(label=_("Efternamn"), max_length=150, required=False)
    admin_email = forms.EmailField(label=_("E-post"), required=False)



class CreateNetworkForm(SlugFromNameMixin, forms.Form):
    name = forms.CharField(label=_("Nätverkets namn"), max_length=200)
    slug = forms.SlugField(label=_("Kortnamn"), max_length=60, required=False,
                           help_text=_("Lämnas tomt skapas det av namnet."))
    area = forms.CharField(label=_("Område"), max_length=200, required=False)
    coordinator_username = forms.RegexField(
        label=_("Samordnarens användarnamn"), max_length=150, regex=r"^[\w.@+-]+\Z",
        help_text=_("En befintlig användare, eller ett nytt namn: då får samordnaren en inbjudan."),
        error_messages={"invalid": _("Bara bokstäver, siffror och . @ + - _ går att använda.")},
    )
    coordinator_email = forms.EmailField(label=_("Samordnarens e-post (ny användare)"), required=False)



class SendLinkForm(forms.Form):
    """Asked only where e-mail is configured: the link can go straight to the person's address."""

    send_email = forms.BooleanField(label=_("Skicka länken till personens e-postadress"), required=False)


class AccountResetForm(forms.Form):
    """Platform staff's reset for a person no single organisation can reset (several organisations,
    a network role, or the organisation's only admin), after checking who asks outside the system."""

    username = forms.CharField(label=_("Användarnamn"), max_length=150)
    kind = forms.ChoiceField(label=_("Vad ska återställas?"), choices=[
        ("password", _("Nytt lösenord (personen bekräftar med koden från sin app)")),
        ("two_factor", _("Ny autentiseringsapp (personen bekräftar med sitt lösenord)")),
    ], widget=forms.RadioSelect)
    identity_checked = forms.BooleanField(
        label=_("Jag har kontrollerat personens identitet utanför Uppsök, till exempel genom att ringa upp på ett känt nummer."),
    )
