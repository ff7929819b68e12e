"""A URL configuration with two deliberately broken views, to prove the URL walk catches them."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path

from uppsok.accounts.models import User
from uppsok.core.capabilities import Cap
from uppsok.core.decorators import requires
from uppsok.urls import urlpatterns as real_urlpatterns


@requires(Cap.ORG_MANAGE_USERS)
def unscoped_member(request: HttpRequest, user_id: str) -> HttpResponse:
    # The mistake under test: fetching by id without the organisation scope.
    user = User.objects.get(pk=user_id)
    return HttpResponse(user.username)


def undeclared(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


urlpatterns = [
    *real_urlpatterns,
    path("trasig/<uuid:user_id>/", unscoped_member, name="broken-unscoped"),
    path("odeklarerad/", undeclared, name="broken-undeclared"),
]
