"""A location manager's waivers of stage separation (included at "waivers/" in "cases")."""

from django.urls import path

from safepassage.cases import waiver_views

urlpatterns: list = [
    path("", waiver_views.waiver_list, name="waivers"),
    path("new/", waiver_views.waiver_grant_view, name="waiver_grant"),
    path("<int:waiver_id>/revoke/", waiver_views.waiver_revoke_view, name="waiver_revoke"),
]
