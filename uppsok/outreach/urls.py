from django.urls import path

from . import views

app_name = "outreach"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("plattformar/", views.platform_list, name="platform_list"),
    path("plattformar/ny/", views.platform_add, name="platform_add"),
    path("plattformar/natverket/", views.platform_coverage, name="platform_coverage"),
    path("plattformar/<uuid:platform_id>/", views.platform_detail, name="platform_detail"),
    path("annonser/", views.ad_list, name="ad_list"),
    path("annonser/export.csv", views.ad_export, name="ad_export"),
    path("annonser/ny/", views.ad_capture, name="ad_capture"),
    path("annonser/import/", views.import_upload, name="import_upload"),
    path("annonser/import/<uuid:job_id>/", views.import_job, name="import_job"),
    path("annonser/import/<uuid:job_id>/starta/", views.import_start, name="import_start"),
    path("annonser/<uuid:ad_id>/", views.ad_detail, name="ad_detail"),
    path("annonser/<uuid:ad_id>/status/", views.ad_status, name="ad_status"),
    path("annonser/<uuid:ad_id>/indikatorer/", views.ad_indicators, name="ad_indicators"),
    path("annonser/<uuid:ad_id>/grupp/", views.ad_group, name="ad_group"),
    path("annonser/<uuid:ad_id>/kontakt/", views.contact_add, name="contact_add"),
    path("annonser/<uuid:ad_id>/tips/", views.tip_new, name="tip_new"),
    path("kontakter/", views.contact_list, name="contact_list"),
    path("mallar/", views.template_list, name="template_list"),
    path("mallar/ny/", views.template_add, name="template_add"),
    path("mallar/<uuid:template_id>/", views.template_edit, name="template_edit"),
    path("kontaktsparr/", views.dnc_list, name="dnc_list"),
    path("kontaktsparr/<uuid:dnc_id>/ta-bort/", views.dnc_delete, name="dnc_delete"),
    path("tips/", views.tip_list, name="tip_list"),
    path("tips/<uuid:tip_id>/", views.tip_detail, name="tip_detail"),
    path("tips/<uuid:tip_id>/pdf/", views.tip_pdf, name="tip_pdf"),
    path("pass/", views.shift_list, name="shift_list"),
    path("pass/<uuid:shift_id>/", views.shift_detail, name="shift_detail"),
    path("sakerhet/", views.safety, name="safety"),
    path("sakerhet/riskbedomning/ny/", views.risk_new, name="risk_new"),
    path("sakerhet/incident/ny/", views.incident_new, name="incident_new"),
    path("sakerhet/incident/<uuid:incident_id>/", views.incident_edit, name="incident_edit"),
]
