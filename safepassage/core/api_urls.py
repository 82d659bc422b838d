from django.urls import path

from safepassage.core import api

urlpatterns = [
    path("me/", api.MeApi.as_view(), name="api_me"),
    path("locations/", api.LocationListApi.as_view(), name="api_location_list"),
    path(
        "locations/<int:location_id>/", api.LocationDetailApi.as_view(), name="api_location_detail"
    ),
    path(
        "locations/<int:location_id>/deactivate/",
        api.LocationDeactivateApi.as_view(),
        name="api_location_deactivate",
    ),
    path(
        "locations/<int:location_id>/reactivate/",
        api.LocationReactivateApi.as_view(),
        name="api_location_reactivate",
    ),
    path("users/", api.UserListApi.as_view(), name="api_user_list"),
    path("users/<int:user_id>/", api.UserDetailApi.as_view(), name="api_user_detail"),
    path(
        "users/<int:user_id>/deactivate/",
        api.UserDeactivateApi.as_view(),
        name="api_user_deactivate",
    ),
    path(
        "users/<int:user_id>/reactivate/",
        api.UserReactivateApi.as_view(),
        name="api_user_reactivate",
    ),
]
