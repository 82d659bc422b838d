"""Pages of arrivals and asylum cases (staff)."""

from django.urls import include, path

app_name = "cases"

urlpatterns: list = [
    path("waivers/", include("safepassage.cases.urls_waivers")),
]
