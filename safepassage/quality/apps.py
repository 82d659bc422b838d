from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "safepassage.quality"
    label = "quality"
    verbose_name = "Quality"
