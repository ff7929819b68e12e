from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render

from . import scopes
from .decorators import authenticated, public


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
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
