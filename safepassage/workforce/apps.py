from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    name = "safepassage.workforce"
    label = "workforce"
    verbose_name = "Workforce"
