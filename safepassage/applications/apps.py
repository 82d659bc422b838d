from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "safepassage.applications"
    label = "applications"
    verbose_name = "Applications"
