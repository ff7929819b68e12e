from django.urls import path

from . import views, views_routines

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("ny/", views.case_create, name="case_create"),
    path("<uuid:case_id>/", views.case_detail, name="case_detail"),
    path("<uuid:case_id>/andra/", views.case_edit, name="case_edit"),
    path("<uuid:case_id>/behov/", views.needs, name="needs"),
    path("<uuid:case_id>/avsluta/", views.case_close, name="case_close"),
    path("<uuid:case_id>/ateroppna/", views.case_reopen, name="case_reopen"),
    path("<uuid:case_id>/insatser/ny/", views.activity_add, name="activity_add"),
    path("<uuid:case_id>/samtycken/ny/", views.consent_add, name="consent_add"),
    path(
        "<uuid:case_id>/samtycken/<uuid:consent_id>/aterkalla/",
        views.consent_withdraw,
        name="consent_withdraw",
    ),
    path("<uuid:case_id>/indikatorer/", views.indicators, name="indicators"),
    path("<uuid:case_id>/sakerhet/ny/", views.safety_add, name="safety_add"),
    path("<uuid:case_id>/remiss/ny/", views.referral_create, name="referral_create"),
    path("<uuid:case_id>/rutin/", views.case_routine, name="case_routine"),
    path("<uuid:case_id>/rutin/<uuid:step_id>/", views.routine_step_update, name="routine_step_update"),
    path("personer/<uuid:person_id>/", views.person_detail, name="person_detail"),
    path("personer/<uuid:person_id>/andra/", views.person_edit, name="person_edit"),
    path("remisser/<uuid:referral_id>/", views.referral_detail, name="referral_detail"),
    path("remisser/<uuid:referral_id>/pdf/", views.referral_pdf, name="referral_pdf"),
    path("inkommande-remisser/", views.incoming_list, name="incoming_list"),
    path("inkommande-remisser/<uuid:incoming_id>/", views.incoming_detail, name="incoming_detail"),
    path("rutiner/", views.routine_list, name="routine_list"),
    path("rutiner/hantera/", views_routines.routine_manage, name="routine_manage"),
    path("rutiner/natverk/<uuid:network_id>/", views_routines.network_routines, name="network_routines"),
    path("rutiner/natverk/<uuid:network_id>/ny/", views_routines.routine_create, name="routine_create"),
    path("rutiner/natverk/<uuid:network_id>/<uuid:routine_id>/andra/", views_routines.routine_edit,
         name="routine_edit"),
    path("screening/", views.screening, name="screening"),
    path("screening/ny/", views.screening_add, name="screening_add"),
    path("gallring/", views.retention, name="retention"),
]
