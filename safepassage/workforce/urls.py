"""Pages of accreditations."""

from django.urls import path

from safepassage.workforce import views

app_name = "workforce"

urlpatterns: list = [
    path("accreditations/", views.accreditation_list, name="accreditations"),
    path("accreditations/<int:user_id>/", views.holder, name="holder"),
    path("accreditations/<int:user_id>/grant/", views.grant, name="grant"),
    path("accreditations/withdraw/<int:accreditation_id>/", views.withdraw, name="withdraw"),
]
