from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from .decorators import authenticated, public


@authenticated()
def home(request: HttpRequest) -> HttpResponse:
    if request.organisation is None and request.memberships:  # type: ignore[attr-defined]
        from django.shortcuts import redirect

        return redirect("accounts:choose_organisation")
    return render(request, "core/home.html", {"roles": sorted(request.roles)})  # type: ignore[attr-defined]


@public
def health(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
