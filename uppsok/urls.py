from django.urls import include, path

urlpatterns = [
    path("", include("uppsok.core.urls")),
    path("konto/", include("uppsok.accounts.urls")),
    path("granskning/", include("uppsok.audit.urls")),
    path("uppsok/", include("uppsok.outreach.urls")),
    path("arenden/", include("uppsok.cases.urls")),
    path("natverk/", include("uppsok.network.urls")),
    path("statistik/", include("uppsok.stats.urls")),
]

handler400 = "uppsok.core.errors.bad_request"
handler500 = "uppsok.core.errors.server_error"
