"""Cross-organisation reads for cases: the receiving side of a referral.

A referral row belongs to the sending organisation (`organisation`), so core.access.scoped would
never show it to the receiver. The receiver reads it only through these helpers, which filter on
`to_organisation = request.organisation` and show a referral only while it rests on a live consent
to share with exactly that organisation, or on the override with a written reason. Missing,
not-yours, withdrawn and not-consented-to-you all give the same 404.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import F, Q, QuerySet
from django.http import Http404, HttpRequest

from uppsok.audit.log import record
from uppsok.audit.models import AuditAction
from uppsok.core.access import active_organisation

from .models import ConsentKind, Referral, ReferralStatus

# Statuses the receiver may see; WITHDRAWN (consent taken back) and EXTERNAL never cross.
VISIBLE_TO_RECEIVER = (ReferralStatus.PENDING, ReferralStatus.ACCEPTED, ReferralStatus.DECLINED)

# The same rule as Consent.binds, as a query: rows made before the rule held must not cross either.
_RESTS_ON_CONSENT_TO_RECEIVER = Q(
    consent__isnull=False,
    consent__kind=ConsentKind.SHARE_REFERRAL,
    consent__withdrawn_on__isnull=True,
    consent__to_organisation=F("to_organisation"),
    consent__case=F("case"),
)
# A consent deleted later leaves consent empty; without a written reason that is no override.
_RESTS_ON_OVERRIDE = Q(consent__isnull=True) & ~Q(override_reason="")


def incoming_referrals(request: HttpRequest) -> QuerySet[Referral]:
    org = active_organisation(request)
    return (
        Referral.objects.filter(to_organisation=org, status__in=VISIBLE_TO_RECEIVER)
        .filter(_RESTS_ON_CONSENT_TO_RECEIVER | _RESTS_ON_OVERRIDE)
        .select_related("organisation")
        # The receiver never needs the case; keep it out of the loaded row.
        .only(
            "id", "organisation__name", "to_organisation_id", "summary", "status", "created_at",
            "responded_at", "response_note", "consent_id",
        )
    )


def access_incoming_referral(request: HttpRequest, pk: Any) -> Referral:
    try:
        key = pk if isinstance(pk, uuid.UUID) else uuid.UUID(str(pk))
    except (TypeError, ValueError, AttributeError) as exc:
        raise Http404 from exc
    try:
        referral = incoming_referrals(request).get(pk=key)
    except Referral.DoesNotExist as exc:
        raise Http404 from exc
    if request.method == "GET":
        record(request.user, AuditAction.VIEW, organisation=active_organisation(request), obj=referral,
               detail="incoming_referral")
    return referral


def routines_of_active_organisation(request: HttpRequest) -> QuerySet[Any]:
    """The active routines of the networks the active organisation belongs to: a network's
    material that a member organisation's case workers follow (no personal data crosses)."""
    from uppsok.network.models import NetworkMembership

    from .models import RoutineTemplate

    networks = NetworkMembership.objects.filter(organisation=active_organisation(request)).values("network_id")
    return RoutineTemplate.objects.filter(network__in=networks, is_active=True).select_related("network")
