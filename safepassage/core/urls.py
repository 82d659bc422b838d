from django.urls import path

from safepassage.core.views import api_tokens, auth, locations, pages, users

app_name = "core"

urlpatterns = [
    path("", pages.home, name="home"),
    path("sign-in/", auth.sign_in, name="sign_in"),
    path("sign-in/two-factor/", auth.two_factor, name="two_factor"),
    path("sign-in/two-factor/set-up/", auth.two_factor_setup, name="two_factor_setup"),
    path("sign-out/", auth.sign_out, name="sign_out"),
    path(
        "account/set-password/<uidb64>/<token>/",
        auth.SetPasswordView.as_view(),
        name="set_password",
    ),
    path("language/<str:code>/", pages.language, name="language"),
    path("cookies/", pages.cookies, name="cookies"),
    path("accessibility/", pages.accessibility, name="accessibility"),
    path("healthz", pages.healthz, name="healthz"),
    path("manage/users/", users.user_list, name="user_list"),
    path("manage/users/new/", users.user_create, name="user_create"),
    path("manage/users/<int:user_id>/", users.user_detail, name="user_detail"),
    path("manage/users/<int:user_id>/edit/", users.user_edit, name="user_edit"),
    path("manage/users/<int:user_id>/deactivate/", users.user_deactivate, name="user_deactivate"),
    path("manage/users/<int:user_id>/reactivate/", users.user_reactivate, name="user_reactivate"),
    path(
        "manage/users/<int:user_id>/reset-two-factor/",
        users.user_reset_two_factor,
        name="user_reset_two_factor",
    ),
    path("manage/users/<int:user_id>/send-link/", users.user_send_link, name="user_send_link"),
    path("manage/users/<int:user_id>/unlock/", users.user_unlock, name="user_unlock"),
    path("manage/locations/", locations.location_list, name="location_list"),
    path("manage/locations/new/", locations.location_create, name="location_create"),
    path("manage/locations/<int:location_id>/edit/", locations.location_edit, name="location_edit"),
    path(
        "manage/locations/<int:location_id>/deactivate/",
        locations.location_deactivate,
        name="location_deactivate",
    ),
    path(
        "manage/locations/<int:location_id>/reactivate/",
        locations.location_reactivate,
        name="location_reactivate",
    ),
    path("manage/api-tokens/", api_tokens.api_token_list, name="api_token_list"),
    path("manage/api-tokens/new/", api_tokens.api_token_create, name="api_token_create"),
    path(
        "manage/api-tokens/<int:token_id>/revoke/",
        api_tokens.api_token_revoke,
        name="api_token_revoke",
    ),
]
