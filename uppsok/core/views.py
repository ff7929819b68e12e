from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render

from . import retention as retention_rules
from . import scopes
from .access import active_organisation
from .capabilities import Cap
from .decorators import authenticated, public, requires


@authenticated()
def home(request: HttpRequest) -> HttpResponse:
    if request.organisation is None and request.memberships:  # type: ignore[attr-defined]
        return redirect("accounts:choose_organisation")
    if request.organisation is None:  # type: ignore[attr-defined]
        # no organisation at all: a network-only member (a hotel, a police contact) lands on the network
        url = scopes.landing(request)
        if url:
            return redirect(url)
    return render(request, "core/home.html", {"roles": sorted(request.roles)})  # type: ignore[attr-defined]


@public
def health(request: HttpRequest) -> HttpResponse:
    """For the proxy and monitoring: 200 when the database answers and the worker and the scheduler
    are alive, else 503; the three answers and nothing else."""
    from . import health as checks

    result = checks.checks()
    ok = all(result.values())
    response = JsonResponse({"status": "ok" if ok else "fel", "checks": result}, status=200 if ok else 503)
    response["Cache-Control"] = "no-store"
    return response


@requires(Cap.RETENTION_VIEW)
def retention(request: HttpRequest) -> HttpResponse:
    """What goes within the next month and what went in the last year, for every kind of personal
    data: for the organisation's admins and its auditor (data protection officer)."""
    reports = retention_rules.overview(active_organisation(request), request.capabilities)  # type: ignore[attr-defined]
    return render(request, "core/retention.html", {"reports": reports})
