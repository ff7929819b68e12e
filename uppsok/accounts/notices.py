"""Telling a person, after their next login, that someone reset their password or authenticator."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from .actions import do_mark_reset_notices_shown
from .models import AccountResetLink

SESSION_NOTICES_KEY = "uppsok_reset_notices_pending"


def note_pending_notices(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """At login (user_logged_in), so that ordinary pages never pay a query for this."""
    if request is not None and hasattr(request, "session"):
        if AccountResetLink.objects.filter(user=user, notice_shown_at__isnull=True).exists():
            request.session[SESSION_NOTICES_KEY] = True


def show_reset_notices(request: HttpRequest) -> None:
    """After the second factor: a message for every reset link not yet shown, so a person notices a
    reset they did not ask for."""
    if not request.session.get(SESSION_NOTICES_KEY):
        return
    del request.session[SESSION_NOTICES_KEY]
    links = list(
        AccountResetLink.objects.filter(user=request.user, notice_shown_at__isnull=True)
        .select_related("organisation")
        .order_by("created_at")
    )
    if not links:
        return
    for link in links:
        who = link.organisation.name if link.organisation else _("Uppsöks driftansvariga")
        when = formats.date_format(timezone.localtime(link.created_at), "DATETIME_FORMAT")
        if link.kind == AccountResetLink.Kind.PASSWORD:
            text = _("%(who)s skapade %(when)s en länk för att byta ditt lösenord.")
        else:
            text = _("%(who)s skapade %(when)s en länk för att koppla en ny autentiseringsapp till ditt konto.")
        messages.warning(
            request,
            (text % {"who": who, "when": when})
            + " "
            + _("Om det inte var du som bad om det, kontakta din organisation genast."),
        )
    do_mark_reset_notices_shown(request.user, links)  # type: ignore[arg-type]
