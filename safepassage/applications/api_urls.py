from django.urls import path

from safepassage.applications import api

urlpatterns = [
    path("", api.ApplicationSubmitApi.as_view(), name="api_applications"),
]
