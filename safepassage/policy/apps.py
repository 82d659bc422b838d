from django.apps import AppConfig


class PolicyConfig(AppConfig):
    name = "safepassage.policy"
    label = "policy"
    verbose_name = "Policy"
