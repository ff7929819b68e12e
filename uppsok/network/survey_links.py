"""The sector survey's one-time links. A link carries its row's id signed with the server's key:
a changed character fails the signature, and a copy of the database gives no working link. The
row says whether it has expired or been used."""

from __future__ import annotations

from django.core import signing
from django.utils import timezone

from .models import SurveyLink

SALT = "uppsok.network.survey-link"

INVALID, EXPIRED, USED = "invalid", "expired", "used"


def token_for(link: SurveyLink) -> str:
    return signing.Signer(salt=SALT).sign(link.pk.hex)


def link_for_token(token: str) -> tuple[SurveyLink | None, str]:
    """The link a token names and "" when it may be answered; else None or the link, and why not."""
    try:
        key = signing.Signer(salt=SALT).unsign(token)
    except signing.BadSignature:
        return None, INVALID
    link = SurveyLink.objects.select_related("survey", "network").filter(pk=key).first() if len(key) == 32 else None
    if link is None:
        return None, INVALID
    if link.used_at is not None:
        return link, USED
    if link.expires_at <= timezone.now():
        return link, EXPIRED
    return link, ""
