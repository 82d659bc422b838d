from django.apps import AppConfig


class SafeguardingConfig(AppConfig):
    name = "safepassage.safeguarding"
    label = "safeguarding"
    verbose_name = "Safeguarding"
