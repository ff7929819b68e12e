from django.urls import path

from . import views, views_network

app_name = "stats"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("uppdatera/", views.refresh, name="refresh"),
    path("statistik.xlsx", views.overview_xlsx, name="overview_xlsx"),
    path("statistik.csv", views.overview_csv, name="overview_csv"),
    path("arsrapport.pdf", views.annual_report, name="annual_report"),
    path("natverk/<uuid:network_id>/<int:year>/", views_network.report, name="network_report"),
    path("natverk/<uuid:network_id>/<int:year>/tabell/", views_network.network_table, name="network_table"),
    path("natverk/<uuid:network_id>/<int:year>/tabell.csv", views_network.network_table_csv, name="network_table_csv"),
    path("natverk/<uuid:network_id>/<int:year>/tabell.xlsx", views_network.network_table_xlsx, name="network_table_xlsx"),
    path("natverk/<uuid:network_id>/<int:year>/arsrapport.pdf", views_network.network_annual_report,
         name="network_annual_report"),
    path("natverk/<uuid:network_id>/matt/", views_network.measure_add, name="measure_add"),
]
