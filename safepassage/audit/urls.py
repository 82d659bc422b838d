from django.urls import path

from safepassage.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.event_list, name="event_list"),
    path("verifications/", views.verification_list, name="verification_list"),
    path("verifications/request/", views.verification_request, name="verification_request"),
]
