"""Pages of screening: interviews, the questionnaire's versions, the interpreters' register."""

from django.urls import include, path

app_name = "screening"

urlpatterns: list = [
    path("", include("safepassage.screening.urls_interviews")),
    path("", include("safepassage.screening.urls_admin")),
]
