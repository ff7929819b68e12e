"""Mailing a one-time link, where the platform has e-mail (UPPSOK_EMAIL_HOST); without it the person
who made the link hands it over themselves."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.utils.translation import gettext as _

from .models import AccountResetLink, User


def mail_link(person: User, url: str, link: AccountResetLink) -> bool:
    """Send the link to the address on the account when e-mail is configured; False when it is not
    or the address is missing. The link alone opens nothing without the person's own choices."""
    if not settings.UPPSOK_EMAIL_ENABLED or not person.email:
        return False
    values = {"username": person.username, "url": url, "until": link.expires_at.strftime("%Y-%m-%d %H:%M")}
    if link.kind == AccountResetLink.Kind.INVITATION:
        subject = _("Inbjudan till Uppsök")
        body = _(
            "Hej!\n\nDu har bjudits in till Uppsök med användarnamnet %(username)s. Öppna länken, välj ett "
            "lösenord och koppla en autentiseringsapp i telefonen:\n\n%(url)s\n\nLänken kan användas en gång "
            "och gäller till %(until)s. Har du inte väntat dig den här inbjudan kan du bortse från den.\n"
        ) % values
    else:
        subject = _("Återställning av ditt konto i Uppsök")
        body = _(
            "Hej!\n\nEn administratör har gjort en länk för att återställa ditt konto %(username)s i Uppsök "
            "(%(what)s):\n\n%(url)s\n\nLänken kan användas en gång och gäller till %(until)s. Har du inte bett "
            "om det här, kontakta din administratör.\n"
        ) % {**values, "what": link.get_kind_display()}
    send_mail(subject, body, None, [person.email], fail_silently=False)
    return True
