from django.urls import path

from . import views_steps, views_workspace

app_name = "network"

urlpatterns = [
    path("", views_workspace.network_list, name="list"),
    path("min-organisation/", views_workspace.org_networks, name="org_networks"),
    path("min-organisation/inbjudan/<uuid:invitation_id>/svara/", views_workspace.org_invitation_answer,
         name="org_invitation_answer"),
    path("<uuid:network_id>/lamna/", views_workspace.org_leave, name="org_leave"),
    path("<uuid:network_id>/", views_workspace.overview, name="overview"),
    path("<uuid:network_id>/medlemmar/", views_workspace.members, name="members"),
    path("<uuid:network_id>/inbjudan/<uuid:invitation_id>/aterkalla/", views_workspace.invitation_withdraw,
         name="invitation_withdraw"),
    path("<uuid:network_id>/medlemmar/<uuid:organisation_id>/ta-bort/", views_workspace.member_remove,
         name="member_remove"),
    path("<uuid:network_id>/karngrupp/", views_workspace.core_group, name="core_group"),
    path("<uuid:network_id>/karngrupp/<uuid:core_member_id>/", views_workspace.core_member_edit, name="core_member_edit"),
    path("<uuid:network_id>/karngrupp/<uuid:core_member_id>/ta-bort/", views_workspace.core_member_delete,
         name="core_member_delete"),
    path("<uuid:network_id>/installningar/", views_workspace.settings_page, name="settings"),
    path("<uuid:network_id>/steg/<int:number>/", views_steps.step_detail, name="step"),
    path("<uuid:network_id>/steg/<int:number>/<slug:part>/", views_steps.step_part_edit, name="step_part"),
    path("<uuid:network_id>/steg/<int:number>/<slug:part>/historik/", views_steps.step_part_history,
         name="step_history"),
]
