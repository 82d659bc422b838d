from django.urls import path

from safepassage.policy import api

urlpatterns = [
    path("check/", api.PolicyCheckApi.as_view(), name="api_policy_check"),
    path("rules/", api.PolicyRuleListApi.as_view(), name="api_policy_rules"),
]
