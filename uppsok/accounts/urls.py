from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("logga-in/", views.login_view, name="login"),
    path("logga-ut/", views.logout_view, name="logout"),
    path("sprak/", views.set_language, name="set_language"),
    path("tvafaktor/", views.two_factor, name="two_factor"),
    path("losenord/", views.password_change, name="password_change"),
    path("aterstall/<str:token>/", views.reset_link, name="reset_link"),
    path("organisation/valj/", views.choose_organisation, name="choose_organisation"),
    path("organisation/installningar/", views.organisation_settings, name="organisation_settings"),
    path("organisation/medlemmar/", views.members, name="members"),
    path("organisation/medlemmar/ny/", views.member_add, name="member_add"),
    path("organisation/medlemmar/<uuid:user_id>/", views.member_edit, name="member_edit"),
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
