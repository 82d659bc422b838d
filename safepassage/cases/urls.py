"""Pages of arrivals and asylum cases (staff)."""

from django.urls import include, path

from safepassage.cases import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("arrivals/new/", views.arrival_new, name="arrival_new"),
    path("arrivals/<int:arrival_id>/", views.arrival_detail, name="arrival"),
    path("arrivals/<int:arrival_id>/grant/", views.arrival_grant, name="arrival_grant"),
    path("arrivals/<int:arrival_id>/claimants/new/", views.claimant_new, name="claimant_new"),
    path("<int:case_id>/", views.case_detail, name="case"),
    path("<int:case_id>/allocate/", views.case_allocate, name="allocate"),
    path("<int:case_id>/route/", views.case_route, name="route"),
    path("<int:case_id>/close/", views.case_close, name="close"),
    path("waivers/", include("safepassage.cases.urls_waivers")),
]
