from django.urls import path

from . import views, views_onboarding, views_system

app_name = "accounts"

urlpatterns = [
    path("logga-in/", views.login_view, name="login"),
    path("logga-ut/", views.logout_view, name="logout"),
    path("sprak/", views.set_language, name="set_language"),
    path("tvafaktor/", views.two_factor, name="two_factor"),
    path("losenord/", views.password_change, name="password_change"),
    path("aterstall/<str:token>/", views.reset_link, name="reset_link"),
    path("inbjudan/<str:token>/", views_onboarding.invitation, name="invitation"),
    path("organisation/valj/", views.choose_organisation, name="choose_organisation"),
    path("organisation/installningar/", views.organisation_settings, name="organisation_settings"),
    path("organisation/medlemmar/", views.members, name="members"),
    path("organisation/medlemmar/ny/", views_onboarding.member_invite, name="member_add"),
    path("organisation/medlemmar/<uuid:user_id>/", views.member_edit, name="member_edit"),
    path("organisation/medlemmar/<uuid:user_id>/ny-inbjudan/", views_onboarding.member_reinvite,
         name="member_reinvite"),
    path("organisation/medlemmar/<uuid:user_id>/avsluta/", views_onboarding.member_deactivate,
         name="member_deactivate"),
    path("system/", views_system.home, name="system_home"),
    path("system/organisationer/ny/", views_system.organisation_create, name="system_organisation_create"),
    path("system/natverk/ny/", views_system.network_create, name="system_network_create"),
    path("system/administratorer/ny/", views_system.admin_invite, name="system_admin_invite"),
    path("system/aterstall-konto/", views_system.account_reset, name="system_account_reset"),
    path(
        "organisation/medlemmar/<uuid:user_id>/aterstall-tvafaktor/",
        views.member_reset_two_factor,
        name="member_reset_two_factor",
    ),
    path(
        "organisation/medlemmar/<uuid:user_id>/aterstall-losenord/",
        views.member_reset_password,
        name="member_reset_password",
    ),
]
