from django.urls import path

from safepassage.policy import views

app_name = "policy"

urlpatterns = [
    path("rules/", views.rule_list, name="rule_list"),
    path("check/", views.check_action, name="check_action"),
]
